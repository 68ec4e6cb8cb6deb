/**
 * State of an OBS bucket's BucketDO: the bucket's configuration, its object index (every version and delete
 * marker), multipart uploads and their parts, the R2 blobs not (or no longer) referenced, and usage meters.
 * Object bytes live in R2 under blob keys; a row here is what makes them visible.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The bucket itself (one row, absent when the bucket does not exist). */
export const bucket = sqliteTable('bucket', {
  name: text('name').primaryKey(),
  /** Changes each time the name is created again; blob keys start with it, so incarnations never mix. */
  incarnation: text('incarnation').notNull(),
  ownerDomainId: text('owner_domain_id').notNull(),
  ownerDomainName: text('owner_domain_name').notNull(),
  region: text('region').notNull(),
  createdAt: text('created_at').notNull(),
  /** '' (never enabled), 'Enabled' or 'Suspended'. */
  versioning: text('versioning').notNull().default(''),
  /** The bucket ACL as JSON grants (see workers/obs/acl.ts). */
  acl: text('acl').notNull(),
  /** Bucket policy document (JSON text as the owner wrote it), CORS, lifecycle and tags (JSON). */
  policy: text('policy'),
  cors: text('cors'),
  lifecycle: text('lifecycle'),
  tagging: text('tagging'),
  defaultStorageClass: text('default_storage_class').notNull().default('STANDARD'),
  /** Object Lock: null when never enabled; once enabled, its default retention rule (if any). */
  objectLock: text('object_lock', { mode: 'json' }).$type<ObjectLockConfig>(),
  /** The public access block's four switches; null when the bucket has none. */
  publicAccessBlock: text('public_access_block', { mode: 'json' }).$type<PublicAccessBlock>(),
  /** Ownership controls: ObjectWriter, BucketOwnerPreferred or BucketOwnerEnforced; null when none are set. */
  ownership: text('ownership'),
  /** Running totals for metering and quotas: bytes of every stored version and uploaded part, and versions. */
  storedBytes: integer('stored_bytes').notNull().default(0),
  objectCount: integer('object_count').notNull().default(0),
  /** `storedBytes` by storage class (STANDARD, WARM, COLD), which are billed at their own prices. */
  storedByClass: text('stored_by_class', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
  /** Since when (ms) `storedBytes` has been held without its byte-seconds in the meters. */
  storedSince: integer('stored_since').notNull().default(0),
});

/** One version of a key, or a delete marker. Exactly one row per key has `latest`. */
export const objects = sqliteTable(
  'objects',
  {
    /** Insertion order: among a key's versions, the newest has the highest seq. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    /** 'null' for the null version (unversioned or suspended bucket). */
    versionId: text('version_id').notNull(),
    latest: integer('latest', { mode: 'boolean' }).notNull(),
    deleteMarker: integer('delete_marker', { mode: 'boolean' }).notNull().default(false),
    size: integer('size').notNull().default(0),
    etag: text('etag').notNull().default(''),
    lastModified: text('last_modified').notNull(),
    contentType: text('content_type').notNull().default('binary/octet-stream'),
    /** `{user: {name: value}, headers: {cache-control, content-disposition, content-encoding, content-language, expires}}`. */
    meta: text('meta', { mode: 'json' }).$type<ObjectMeta>().notNull(),
    storageClass: text('storage_class').notNull().default('STANDARD'),
    /** The R2 blobs holding the bytes, in order (one for a simple upload, one per part for multipart). */
    blobs: text('blobs', { mode: 'json' }).$type<BlobRef[]>().notNull(),
    /** Number of parts of a multipart upload (0 for a simple upload). */
    partsCount: integer('parts_count').notNull().default(0),
    tags: text('tags', { mode: 'json' }).$type<Record<string, string>>(),
    /** Object ACL grants (JSON), null when it only has the owner's full control. */
    acl: text('acl'),
    /** The checksum the writer sent and the store verified (`x-amz-checksum-*`), null when it sent none. */
    checksum: text('checksum', { mode: 'json' }).$type<StoredChecksum>(),
    /** Object Lock retention of this version (mode and until when), null when it has none. */
    retention: text('retention', { mode: 'json' }).$type<Retention>(),
    /** Legal hold: 'ON', 'OFF', or null when never set (text: a boolean column would store null as OFF). */
    legalHold: text('legal_hold', { enum: ['ON', 'OFF'] }),
    /** The account owning the version when it is not the bucket's owner (a writer the ownership controls let own it). */
    owner: text('owner', { mode: 'json' }).$type<AccountRef>(),
  },
  (t) => [uniqueIndex('objects_key_version').on(t.key, t.versionId), index('objects_latest').on(t.latest, t.key)],
);

/** A multipart upload in progress. */
export const uploads = sqliteTable(
  'uploads',
  {
    uploadId: text('upload_id').primaryKey(),
    key: text('key').notNull(),
    initiated: text('initiated').notNull(),
    initiatorId: text('initiator_id').notNull(),
    initiatorName: text('initiator_name').notNull().default(''),
    contentType: text('content_type').notNull().default('binary/octet-stream'),
    meta: text('meta', { mode: 'json' }).$type<ObjectMeta>().notNull(),
    storageClass: text('storage_class').notNull().default('STANDARD'),
    tags: text('tags', { mode: 'json' }).$type<Record<string, string>>(),
    acl: text('acl'),
    /** `x-amz-checksum-algorithm` and `-type` of CreateMultipartUpload: every part then carries that checksum. */
    checksumAlgorithm: text('checksum_algorithm'),
    checksumType: text('checksum_type'),
    /** The Object Lock retention and legal hold the completed object gets (CreateMultipartUpload's headers). */
    lock: text('lock', { mode: 'json' }).$type<ObjectLockFields>(),
    /** The account that will own the completed object, when not the bucket's owner. */
    owner: text('owner', { mode: 'json' }).$type<AccountRef>(),
  },
  (t) => [index('uploads_key').on(t.key, t.uploadId)],
);

/** An uploaded part (a re-upload of the same number replaces it). */
export const parts = sqliteTable(
  'parts',
  {
    uploadId: text('upload_id').notNull(),
    partNumber: integer('part_number').notNull(),
    etag: text('etag').notNull(),
    size: integer('size').notNull(),
    blob: text('blob').notNull(),
    lastModified: text('last_modified').notNull(),
    /** The part's verified checksum (base64) in its upload's algorithm, when the upload has one. */
    checksum: text('checksum'),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.partNumber] })],
);

/**
 * R2 blobs outside the index: `pending` while an upload streams (reserved before the first byte, so a crashed
 * upload is found and freed), `garbage` once no version or part refers to them (deleted from R2 by the alarm).
 */
export const blobs = sqliteTable(
  'blobs',
  {
    key: text('key').primaryKey(),
    state: text('state', { enum: ['pending', 'garbage'] }).notNull(),
    /** Epoch ms: when the upload was reserved, or when the blob became garbage. */
    since: integer('since').notNull(),
  },
  (t) => [index('blobs_state').on(t.state, t.since)],
);

/** Usage meters for billing, per hour: requests by class, bytes in and out. */
export const meters = sqliteTable(
  'meters',
  {
    /** `2026-11-26T10` (UTC hour). */
    hour: text('hour').notNull(),
    metric: text('metric').notNull(),
    value: integer('value').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.metric] })],
);

export interface ObjectMeta {
  user: Record<string, string>;
  headers: Record<string, string>;
}

/** An object's checksum: FULL_OBJECT over all its bytes, or COMPOSITE (the checksum of its parts' checksums, `-N`). */
export interface StoredChecksum {
  /** Lowercase: crc32, crc32c, crc64nvme, sha1, sha256. */
  algorithm: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
  /** Base64; a composite value ends in `-N`, its number of parts. */
  value: string;
  /** A multipart object's part checksums (base64), in part order, for GetObjectAttributes and part reads. */
  parts?: string[];
}

/** A version's Object Lock retention: until when (ISO time) it may not be deleted, and how strictly. */
export interface Retention {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  until: string;
}

/** A bucket's Object Lock configuration; `rule` is the default retention new versions get. */
export interface ObjectLockConfig {
  rule?: { mode: Retention['mode']; days?: number; years?: number };
}

/** The lock a write asks for (`x-amz-object-lock-*`): undefined leaves the bucket's default. */
export interface ObjectLockFields {
  retention?: Retention;
  legalHold?: 'ON' | 'OFF';
}

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** An account, as an object's owner. */
export interface AccountRef {
  id: string;
  name: string;
}

export interface BlobRef {
  key: string;
  size: number;
}

/**
 * The rules of multipart uploads inside a bucket: an upload is opened with the object's fields, its parts
 * stream into reserved blobs and are committed one by one (a part number uploaded again replaces the old
 * part, whose blob becomes garbage), and Complete turns the chosen parts into one version whose blobs are the
 * parts' blobs, in order. A part committed after its upload ended is discarded in the same transaction that
 * notices it, so no blob is ever left unreferenced without being garbage. Part bytes count in the bucket's
 * stored bytes from their commit on.
 */
import { and, asc, eq, gt, or } from 'drizzle-orm';
import { ACTIONS } from '../../core/obs/actions.ts';
import { DomainError } from '../../core/result.ts';
import { parts, uploads } from '../../schema/bucket.ts';
import type { Requester } from './access.ts';
import { judgeWrite, type WriteGuards } from './bucket-rules.ts';
import { completedChecksum, type UploadChecksum } from './checksums.ts';
import { checkWrite, type WriteConditions } from './conditions.ts';
import { account, adopt, authorize, type BucketCtx, discard, meter, requireBucket, reserve } from './context.ts';
import { type ReadOutcome, writeTarget } from './objects.ts';
import { fail } from './refusals.ts';
import { type NewVersion, newVersionId, type VersionRow, writeVersion } from './versions.ts';

export type UploadRow = typeof uploads.$inferSelect;
export type PartRow = typeof parts.$inferSelect;
/** What an upload fixes about its future object, from the initiating request's headers (its checksum too). */
export type UploadFields = Pick<NewVersion, 'contentType' | 'meta' | 'storageClass' | 'tags' | 'acl'> & {
  checksumAlgorithm?: string | null;
  checksumType?: UploadChecksum['type'] | null;
};

/** The checksum every part of an upload must carry, null when it was opened without one. */
const checksumOf = (u: UploadRow): UploadChecksum | null =>
  u.checksumAlgorithm ? { algorithm: u.checksumAlgorithm, type: u.checksumType === 'FULL_OBJECT' ? 'FULL_OBJECT' : 'COMPOSITE' } : null;

/** Every part but the last must hold at least 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 ** 2;
/** Part numbers run from 1 to 10,000. */
export const MAX_PART_NUMBER = 10_000;

/** The upload `uploadId` of `key`, or NoSuchUpload (also when the id belongs to another key). */
function uploadOf(ctx: BucketCtx, key: string, uploadId: string): UploadRow {
  const row = ctx.db.select().from(uploads).where(eq(uploads.uploadId, uploadId)).get();
  if (!row || row.key !== key) throw fail.noSuchUpload(uploadId);
  return row;
}

/** Opens an upload of `key` for `who`, with the fields its object will have. */
export function initiateUpload(
  ctx: BucketCtx,
  who: Requester,
  key: string,
  fields: UploadFields,
  guards?: WriteGuards,
): { uploadId: string } {
  const b = authorize(ctx, who, ACTIONS.putObject, { key });
  const ownership = guards ? judgeWrite(b, key, guards) : null;
  // Time-ordered, so that ordering a key's uploads by id lists them in the order they were initiated.
  const uploadId = `${newVersionId(ctx.nowMs)}${crypto.randomUUID().replaceAll('-', '')}`;
  const initiatorId = who.userId ?? who.domainId ?? 'anonymous';
  ctx.db
    .insert(uploads)
    .values({
      uploadId,
      key,
      initiated: ctx.now,
      initiatorId,
      initiatorName: who.userName ?? initiatorId,
      ...fields,
      storageClass: fields.storageClass ?? b.defaultStorageClass,
      ...(ownership && { acl: ownership.acl, owner: ownership.owner }),
      lock: guards?.lock?.fields ?? null,
    })
    .run();
  meter(ctx, 'requests.put');
  return { uploadId };
}

/**
 * Authorises a part upload into an open upload and reserves the blob its bytes will stream into; answers the
 * checksum the upload requires of each part, for the caller to check before any byte flows.
 */
export function beginPart(
  ctx: BucketCtx,
  who: Requester,
  key: string,
  uploadId: string,
): { blob: string; checksum: UploadChecksum | null } {
  const b = authorize(ctx, who, ACTIONS.putObject, { key });
  const upload = uploadOf(ctx, key, uploadId);
  return { blob: reserve(ctx, b), checksum: checksumOf(upload) };
}

export interface NewPart {
  key: string;
  uploadId: string;
  partNumber: number;
  blob: string;
  size: number;
  etag: string;
  /** The part's verified checksum (base64) in its upload's algorithm; absent when the upload has none. */
  checksum?: string | null;
}

/**
 * Commits an uploaded part. When the upload has ended meanwhile (completed or aborted), the blob is discarded
 * here and `committed` is false: the caller answers NoSuchUpload.
 */
export function commitPart(ctx: BucketCtx, p: NewPart): { committed: boolean; lastModified: string } {
  requireBucket(ctx);
  if (!adopt(ctx, p.blob)) throw new DomainError(400, 'RequestTimeout', 'Your upload took too long and its data was discarded.');
  const upload = ctx.db.select().from(uploads).where(eq(uploads.uploadId, p.uploadId)).get();
  if (!upload || upload.key !== p.key) {
    discard(ctx, [p.blob]);
    return { committed: false, lastModified: ctx.now };
  }
  const where = and(eq(parts.uploadId, p.uploadId), eq(parts.partNumber, p.partNumber));
  const old = ctx.db.select().from(parts).where(where).get();
  if (old) {
    discard(ctx, [old.blob]);
    account(ctx, upload.storageClass, -old.size, 0);
    ctx.db.delete(parts).where(where).run();
  }
  const { key: _key, ...row } = p;
  ctx.db
    .insert(parts)
    .values({ ...row, checksum: row.checksum ?? null, lastModified: ctx.now })
    .run();
  account(ctx, upload.storageClass, p.size, 0);
  meter(ctx, 'requests.put');
  meter(ctx, 'bytes.in', p.size);
  return { committed: true, lastModified: ctx.now };
}

/** Every part of an upload, in part number order. */
function partsOf(ctx: BucketCtx, uploadId: string): PartRow[] {
  return ctx.db.select().from(parts).where(eq(parts.uploadId, uploadId)).orderBy(asc(parts.partNumber)).all();
}

/** Ends an upload: its rows go, its parts leave the stored bytes, and the blobs not kept become garbage. */
function endUpload(ctx: BucketCtx, upload: UploadRow, all: PartRow[], kept: Set<string>): void {
  account(ctx, upload.storageClass, -all.reduce((n, p) => n + p.size, 0), 0);
  discard(
    ctx,
    all.filter((p) => !kept.has(p.blob)).map((p) => p.blob),
  );
  ctx.db.delete(parts).where(eq(parts.uploadId, upload.uploadId)).run();
  ctx.db.delete(uploads).where(eq(uploads.uploadId, upload.uploadId)).run();
}

/** The parts a Complete request names: each must exist with that ETag, in ascending order, all but the last at least 5 MiB. */
function chosenParts(uploadId: string, all: PartRow[], listed: { partNumber: number; etag: string }[]): PartRow[] {
  const byNumber = new Map(all.map((p) => [p.partNumber, p]));
  let previous = 0;
  const chosen = listed.map(({ partNumber, etag }) => {
    if (partNumber <= previous) {
      throw new DomainError(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
      );
    }
    previous = partNumber;
    const part = byNumber.get(partNumber);
    if (!part || part.etag !== etag) {
      throw new DomainError(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        {
          UploadId: uploadId,
          PartNumber: String(partNumber),
          ETag: etag,
        },
      );
    }
    return part;
  });
  for (const part of chosen.slice(0, -1)) {
    if (part.size < MIN_PART_BYTES) {
      throw new DomainError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
        ProposedSize: String(part.size),
        MinSizeAllowed: String(MIN_PART_BYTES),
        PartNumber: String(part.partNumber),
        ETag: part.etag,
      });
    }
  }
  return chosen;
}

/** What a Complete names: the parts, their multipart ETag hash, the conditions and the checksums it states. */
export interface CompleteRequest {
  listed: { partNumber: number; etag: string; checksum?: string }[];
  partsMd5: string;
  conditions: WriteConditions;
  /** The checksum of the listed part checksums (base64, no `-N`), when they all carry one. */
  composite: string | null;
  /** The object's checksum the request states (`x-amz-checksum-*` header), to be checked against the computed one. */
  checksum: string | null;
}

/**
 * Completes an upload with the listed parts (ETags unquoted, lowercase) into a new version of its key, when the
 * request's conditions (If-None-Match, If-Match) hold for the key as it is at that moment.
 * `partsMd5` is the MD5 of the listed ETags' binary digests, computed by the caller (the check that each listed
 * ETag is the stored one makes it the object's true multipart ETag).
 */
export function completeUpload(
  ctx: BucketCtx,
  who: Requester,
  key: string,
  uploadId: string,
  request: CompleteRequest,
): VersionRow & { versioned: boolean } {
  const { listed, partsMd5 } = request;
  const b = authorize(ctx, who, ACTIONS.putObject, { key });
  const upload = uploadOf(ctx, key, uploadId);
  // Judged in the transaction that writes: of two uploads completed at once under If-None-Match, one wins.
  checkWrite(request.conditions, writeTarget(ctx, key));
  if (!listed.length)
    throw new DomainError(
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema.',
    );
  const all = partsOf(ctx, uploadId);
  const chosen = chosenParts(uploadId, all, listed);
  const wanted = checksumOf(upload);
  const checksum = wanted && completedChecksum(wanted, chosen, listed, request.composite);
  if (checksum && request.checksum && request.checksum !== checksum.value) throw fail.checksumMismatch(wanted.algorithm);
  endUpload(ctx, upload, all, new Set(chosen.map((p) => p.blob)));
  const row = writeVersion(ctx, b, {
    checksum,
    key,
    size: chosen.reduce((n, p) => n + p.size, 0),
    etag: `${partsMd5}-${chosen.length}`,
    contentType: upload.contentType,
    meta: upload.meta,
    storageClass: upload.storageClass,
    tags: upload.tags,
    acl: upload.acl,
    owner: upload.owner,
    lock: upload.lock,
    blobs: chosen.map((p) => ({ key: p.blob, size: p.size })),
    partsCount: chosen.length,
  });
  meter(ctx, 'requests.put');
  return { ...row, versioned: b.versioning !== '' };
}

/** Aborts an upload: every part's blob becomes garbage. */
export function abortUpload(ctx: BucketCtx, who: Requester, key: string, uploadId: string): null {
  authorize(ctx, who, ACTIONS.abortMultipartUpload, { key });
  const upload = uploadOf(ctx, key, uploadId);
  endUpload(ctx, upload, partsOf(ctx, uploadId), new Set());
  meter(ctx, 'requests.delete');
  return null;
}

export interface PartsPage {
  upload: UploadRow;
  parts: PartRow[];
  truncated: boolean;
  owner: { id: string; name: string };
}

/** One page of an upload's parts, after part number `marker`. */
export function listParts(
  ctx: BucketCtx,
  who: Requester,
  key: string,
  uploadId: string,
  q: { marker: number; maxParts: number },
): PartsPage {
  const b = authorize(ctx, who, ACTIONS.listMultipartUploadParts, { key });
  const upload = uploadOf(ctx, key, uploadId);
  meter(ctx, 'requests.list');
  const rows = ctx.db
    .select()
    .from(parts)
    .where(and(eq(parts.uploadId, uploadId), gt(parts.partNumber, q.marker)))
    .orderBy(asc(parts.partNumber))
    .limit(q.maxParts + 1)
    .all();
  return {
    upload,
    parts: rows.slice(0, q.maxParts),
    truncated: rows.length > q.maxParts,
    owner: { id: b.ownerDomainId, name: b.ownerDomainName },
  };
}

export interface UploadsQuery {
  prefix: string;
  delimiter: string;
  keyMarker: string;
  /** Only with a key marker: that key's uploads after this id are listed too. */
  uploadIdMarker: string;
  maxUploads: number;
}

export interface UploadsPage {
  uploads: UploadRow[];
  commonPrefixes: string[];
  truncated: boolean;
  /** Where the next page starts: the last key (or common prefix) and upload id of this one. */
  nextKeyMarker: string;
  nextUploadIdMarker: string;
  owner: { id: string; name: string };
}

/** The highest code point: every key starting with `p` sorts before `p + TOP`. */
const TOP = '\u{10FFFF}';

/** One page of the bucket's uploads in progress, in key order then initiation order. */
export function listUploads(ctx: BucketCtx, who: Requester, q: UploadsQuery): UploadsPage {
  const b = authorize(ctx, who, ACTIONS.listMultipartUploads);
  meter(ctx, 'requests.list');
  const page: UploadsPage = {
    uploads: [],
    commonPrefixes: [],
    truncated: false,
    nextKeyMarker: '',
    nextUploadIdMarker: '',
    owner: { id: b.ownerDomainId, name: b.ownerDomainName },
  };
  if (q.maxUploads <= 0) return page;
  // A key marker that is itself a common prefix was the last element of the previous page: skip its keys.
  const markerIsPrefix =
    q.delimiter !== '' &&
    q.keyMarker.length > q.prefix.length &&
    q.keyMarker.startsWith(q.prefix) &&
    q.keyMarker.indexOf(q.delimiter, q.prefix.length) === q.keyMarker.length - q.delimiter.length;
  // The cursor is exclusive: keys after `key`, and uploads of `key` itself after `uploadId`.
  let cursor = markerIsPrefix
    ? { key: q.keyMarker + TOP, uploadId: TOP }
    : { key: q.keyMarker, uploadId: q.keyMarker && q.uploadIdMarker ? q.uploadIdMarker : TOP };
  if (q.prefix > cursor.key) cursor = { key: q.prefix, uploadId: '' };
  let count = 0;
  for (;;) {
    const limit = Math.min(q.maxUploads - count + 1, 1001);
    const rows = ctx.db
      .select()
      .from(uploads)
      .where(or(gt(uploads.key, cursor.key), and(eq(uploads.key, cursor.key), gt(uploads.uploadId, cursor.uploadId))))
      .orderBy(asc(uploads.key), asc(uploads.uploadId))
      .limit(limit)
      .all();
    let jumped = false;
    for (const row of rows) {
      if (!row.key.startsWith(q.prefix)) return page;
      if (count === q.maxUploads) {
        page.truncated = true;
        return page;
      }
      count++;
      const cut = q.delimiter ? row.key.indexOf(q.delimiter, q.prefix.length) : -1;
      if (cut >= 0) {
        // Roll every key under this common prefix into it, and jump past them all.
        const common = row.key.slice(0, cut + q.delimiter.length);
        page.commonPrefixes.push(common);
        page.nextKeyMarker = common;
        page.nextUploadIdMarker = '';
        cursor = { key: common + TOP, uploadId: TOP };
        jumped = true;
        break;
      }
      page.uploads.push(row);
      page.nextKeyMarker = row.key;
      page.nextUploadIdMarker = row.uploadId;
      cursor = { key: row.key, uploadId: row.uploadId };
    }
    if (!jumped && rows.length < limit) return page;
  }
}

/** The bytes of part `partNumber` of a version just read (a simple upload has one part: the whole object). */
export function partOf(ctx: BucketCtx, read: Extract<ReadOutcome, { status: 'ok' }>, partNumber: number, head: boolean): ReadOutcome {
  const v = read.version;
  const sizes = v.partsCount ? v.blobs.map((blob) => blob.size) : [v.size];
  if (partNumber > sizes.length) {
    throw new DomainError(400, 'InvalidPartNumber', 'The requested partnumber is not satisfiable', {
      PartNumberRequested: String(partNumber),
      ActualPartCount: String(sizes.length),
    });
  }
  const start = sizes.slice(0, partNumber - 1).reduce((n, size) => n + size, 0);
  const size = sizes[partNumber - 1]!;
  if (!head) meter(ctx, 'bytes.out', size);
  return { ...read, range: size ? { start, end: start + size - 1 } : null };
}

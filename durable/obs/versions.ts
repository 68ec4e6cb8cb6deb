/**
 * The version rules of a key: what a write or a delete does to its versions under each versioning state
 * (never enabled, Enabled, Suspended), and which version is the latest. Every change of the index goes
 * through here, so the running totals and the garbage list stay exact.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  type AccountRef,
  type BlobRef,
  type ObjectLockFields,
  type ObjectMeta,
  objects,
  type StoredChecksum,
} from '../../schema/bucket.ts';
import type { BucketRow, Requester } from './access.ts';
import { account, type BucketCtx, discard } from './context.ts';
import { guardRemoval, lockOfNewVersion } from './locks.ts';

export type VersionRow = typeof objects.$inferSelect;

export interface NewVersion {
  key: string;
  size: number;
  etag: string;
  contentType: string;
  meta: ObjectMeta;
  /** Null: the bucket's default storage class. */
  storageClass: string | null;
  blobs: BlobRef[];
  partsCount: number;
  tags: Record<string, string> | null;
  acl: string | null;
  /** The verified checksum the writer sent, if it sent one. */
  checksum?: StoredChecksum | null;
  /** The retention and legal hold the write asked for (a lock bucket's default retention applies otherwise). */
  lock?: ObjectLockFields | null;
  /** The owning account when not the bucket's owner (bucket-rules.ts judgeWrite decides). */
  owner?: AccountRef | null;
}

/** A fresh version id: time-ordered, opaque, URL-safe. */
export function newVersionId(nowMs: number): string {
  const time = nowMs.toString(36).padStart(9, '0');
  const rand = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(36).padStart(2, '0')).join('');
  return `${time}${rand}`.slice(0, 32);
}

/** The statements every read and write runs, prepared once per storage (drizzle's builder is not free). */
function prepareLookups(db: BucketCtx['db']) {
  const p = sql.placeholder;
  return {
    newest: db
      .select()
      .from(objects)
      .where(eq(objects.key, p('key')))
      .orderBy(desc(objects.seq))
      .limit(1)
      .prepare(),
    remove: db
      .delete(objects)
      .where(eq(objects.seq, p('seq')))
      .prepare(),
    makeLatest: db
      .update(objects)
      .set({ latest: true })
      .where(eq(objects.seq, p('seq')))
      .prepare(),
    supersede: db
      .update(objects)
      .set({ latest: false })
      .where(and(eq(objects.key, p('key')), eq(objects.latest, true)))
      .prepare(),
    insert: db
      .insert(objects)
      .values({
        key: p('key'),
        versionId: p('versionId'),
        latest: true,
        deleteMarker: p('deleteMarker'),
        size: p('size'),
        etag: p('etag'),
        lastModified: p('lastModified'),
        contentType: p('contentType'),
        meta: p('meta'),
        storageClass: p('storageClass'),
        blobs: p('blobs'),
        partsCount: p('partsCount'),
        tags: p('tags'),
        acl: p('acl'),
        checksum: p('checksum'),
        retention: p('retention'),
        legalHold: p('legalHold'),
        owner: p('owner'),
      })
      .returning()
      .prepare(),
    latest: db
      .select()
      .from(objects)
      .where(and(eq(objects.key, sql.placeholder('key')), eq(objects.latest, true)))
      .prepare(),
    version: db
      .select()
      .from(objects)
      .where(and(eq(objects.key, sql.placeholder('key')), eq(objects.versionId, sql.placeholder('versionId'))))
      .prepare(),
  };
}
const prepared = new WeakMap<object, ReturnType<typeof prepareLookups>>();
function lookups(db: BucketCtx['db']) {
  let p = prepared.get(db);
  if (!p) {
    p = prepareLookups(db);
    prepared.set(db, p);
  }
  return p;
}

/** The latest row of a key (maybe a delete marker), or undefined. */
export function latestOf(ctx: BucketCtx, key: string): VersionRow | undefined {
  return lookups(ctx.db).latest.get({ key });
}

/** One version of a key by id, or undefined. */
export function versionOf(ctx: BucketCtx, key: string, versionId: string): VersionRow | undefined {
  return lookups(ctx.db).version.get({ key, versionId });
}

/**
 * Removes one version (its blobs become garbage); when it was the latest, the next newest takes its place,
 * unless a new version is `replacing` it.
 */
export function removeVersion(ctx: BucketCtx, row: VersionRow, replacing = false): void {
  const statements = lookups(ctx.db);
  statements.remove.run({ seq: row.seq });
  discard(
    ctx,
    row.blobs.map((b) => b.key),
  );
  account(ctx, row.storageClass, -row.size, row.deleteMarker ? 0 : -1);
  if (!row.latest || replacing) return;
  const next = statements.newest.get({ key: row.key });
  if (next) statements.makeLatest.run({ seq: next.seq });
}

/** Makes a new latest version (or delete marker) of a key, as the bucket's versioning state says. */
function pushVersion(ctx: BucketCtx, b: BucketRow, row: Omit<VersionRow, 'seq' | 'versionId' | 'latest'>): VersionRow {
  const versionId = b.versioning === 'Enabled' ? newVersionId(ctx.nowMs) : 'null';
  if (versionId === 'null') {
    const existing = versionOf(ctx, row.key, 'null');
    if (existing) removeVersion(ctx, existing, true);
  }
  const statements = lookups(ctx.db);
  statements.supersede.run({ key: row.key });
  const inserted = statements.insert.get({ ...row, versionId })!;
  account(ctx, row.storageClass, row.size, row.deleteMarker ? 0 : 1);
  return inserted;
}

/** Writes a new version of a key; the bytes are already in R2 under `v.blobs`. */
export function writeVersion(ctx: BucketCtx, b: BucketRow, { lock, ...v }: NewVersion): VersionRow {
  return pushVersion(ctx, b, {
    ...v,
    ...lockOfNewVersion(b, lock, ctx.nowMs),
    owner: v.owner ?? null,
    checksum: v.checksum ?? null,
    storageClass: v.storageClass ?? b.defaultStorageClass,
    lastModified: ctx.now,
    deleteMarker: false,
  });
}

export interface DeleteOutcome {
  deleteMarker: boolean;
  /** The version id S3 reports: the removed version's, or the new delete marker's; absent when never versioned. */
  versionId?: string;
}

/**
 * Deletes a key (a delete marker when versioning is on) or one version of it, unless Object Lock protects that
 * version (`bypass`: the caller asking to set a GOVERNANCE retention aside). Deleting what is absent succeeds.
 */
export function deleteKey(ctx: BucketCtx, b: BucketRow, key: string, versionId?: string, bypass: Requester | null = null): DeleteOutcome {
  if (versionId !== undefined) {
    const row = versionOf(ctx, key, versionId);
    if (!row) return { deleteMarker: false, versionId };
    guardRemoval(ctx, b, row, bypass);
    removeVersion(ctx, row);
    return { deleteMarker: row.deleteMarker, versionId };
  }
  if (b.versioning === '') {
    const row = versionOf(ctx, key, 'null');
    if (row) removeVersion(ctx, row);
    return { deleteMarker: false };
  }
  const marker = pushVersion(ctx, b, {
    key,
    size: 0,
    etag: '',
    lastModified: ctx.now,
    deleteMarker: true,
    contentType: 'binary/octet-stream',
    meta: { user: {}, headers: {} },
    storageClass: 'STANDARD',
    blobs: [],
    partsCount: 0,
    tags: null,
    acl: null,
    checksum: null,
    retention: null,
    legalHold: null,
    owner: null,
  });
  return { deleteMarker: true, versionId: marker.versionId };
}

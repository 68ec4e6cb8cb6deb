/** What every BucketDO operation works with: the storage, the clock, and the bucket's name and row. */
import { and, eq, sql } from 'drizzle-orm';
import type { DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite';
import type { ObsAction } from '../../core/obs/actions.ts';
import { blobs, bucket, meters } from '../../schema/bucket.ts';
import { type BucketRow, decide, type Requester } from './access.ts';
import { fail } from './refusals.ts';
import { byteSecondsByHour, storageMetric } from './storage-time.ts';

export interface BucketCtx {
  db: DrizzleSqliteDODatabase;
  /** The bucket's name (the Durable Object's name). */
  name: string;
  now: string;
  nowMs: number;
  /**
   * What the operation left for the sweep alarm: a reservation (it expires after the pending TTL) or garbage
   * (deleted from R2 after the grace period). Either may need the alarm to come sooner.
   */
  sweep: { reserved: boolean; discarded: boolean };
  /** Usage counted by the operation, written after it whether it succeeded or not (a 404 is billed too). */
  meters: Map<string, number>;
  /** How the operation moves the bucket's stored bytes (by storage class) and object versions, written once when it succeeds. */
  totals: { bytes: Map<string, number>; versions: number };
  /** The Durable Object's copy of the bucket row: undefined when unknown, null when there is no bucket. */
  cache: { row?: BucketRow | null };
}

/** The bucket's row, or NoSuchBucket. */
export function requireBucket(ctx: BucketCtx): BucketRow {
  if (ctx.cache.row === undefined) ctx.cache.row = ctx.db.select().from(bucket).where(eq(bucket.name, ctx.name)).get() ?? null;
  if (!ctx.cache.row) throw fail.noSuchBucket(ctx.name);
  return ctx.cache.row;
}

/** Forgets the copy of the bucket row: call after writing the row. */
export function bucketChanged(ctx: BucketCtx): void {
  ctx.cache.row = undefined;
}

/** The bucket's row if `who` may perform the action (on a key, under an object ACL), else AccessDenied. */
export function authorize(
  ctx: BucketCtx,
  who: Requester,
  action: ObsAction,
  target: { key?: string; objectAcl?: string | null; objectOwner?: string | null } = {},
): BucketRow {
  const b = requireBucket(ctx);
  if (who.expectedOwner && who.expectedOwner !== b.ownerDomainId) throw fail.accessDenied();
  if (!decide({ bucket: b, who, action, ...target })) throw fail.accessDenied();
  return b;
}

/** Counts usage for the operation (requests by class, bytes in and out); written when the operation ends. */
export function meter(ctx: BucketCtx, metric: string, by = 1): void {
  if (by !== 0) ctx.meters.set(metric, (ctx.meters.get(metric) ?? 0) + by);
}

/** Adds counted usage to the hourly meters. */
export function writeMeters(db: DrizzleSqliteDODatabase, hour: string, counted: Map<string, number>): void {
  const { addMeter } = statementsOf(db);
  for (const [metric, by] of counted) addMeter.run({ hour, metric, by });
}

/** Statements every request runs, prepared once per storage (drizzle's builder is not free). */
function prepareStatements(db: DrizzleSqliteDODatabase) {
  return {
    addMeter: db
      .insert(meters)
      .values({ hour: sql.placeholder('hour'), metric: sql.placeholder('metric'), value: sql.placeholder('by') })
      .onConflictDoUpdate({ target: [meters.hour, meters.metric], set: { value: sql`${meters.value} + excluded.value` } })
      .prepare(),
    reserve: db
      .insert(blobs)
      .values({ key: sql.placeholder('key'), state: 'pending', since: sql.placeholder('since') })
      .prepare(),
    discard: db
      .insert(blobs)
      .values({ key: sql.placeholder('key'), state: 'garbage', since: sql.placeholder('since') })
      .onConflictDoUpdate({ target: blobs.key, set: { state: 'garbage', since: sql`excluded.since` } })
      .prepare(),
    account: db
      .update(bucket)
      .set({
        storedBytes: sql`${bucket.storedBytes} + ${sql.placeholder('bytes')}`,
        objectCount: sql`${bucket.objectCount} + ${sql.placeholder('versions')}`,
        storedByClass: sql`${sql.placeholder('byClass')}`,
        storedSince: sql`${sql.placeholder('since')}`,
      })
      .where(eq(bucket.name, sql.placeholder('name')))
      .prepare(),
    adoptPending: db
      .delete(blobs)
      .where(and(eq(blobs.key, sql.placeholder('key')), eq(blobs.state, 'pending')))
      .returning({ key: blobs.key })
      .prepare(),
  };
}
const prepared = new WeakMap<object, ReturnType<typeof prepareStatements>>();
function statementsOf(db: DrizzleSqliteDODatabase) {
  let p = prepared.get(db);
  if (!p) {
    p = prepareStatements(db);
    prepared.set(db, p);
  }
  return p;
}

/** Moves the running totals of stored bytes (of a storage class) and object versions (written by `writeTotals`). */
export function account(ctx: BucketCtx, storageClass: string, bytes: number, versions: number): void {
  if (bytes !== 0) ctx.totals.bytes.set(storageClass, (ctx.totals.bytes.get(storageClass) ?? 0) + bytes);
  ctx.totals.versions += versions;
}

/**
 * Writes what the operation moved the totals by. The copy of the bucket row moves with them, so that the next
 * request need not read the row again (a rolled-back transaction forgets the copy).
 */
export function writeTotals(ctx: BucketCtx): void {
  const { versions } = ctx.totals;
  const moved = [...ctx.totals.bytes].filter(([, by]) => by !== 0);
  if (!moved.length && versions === 0) return;
  const row = requireBucket(ctx);
  // The bytes held until now go into the meters before their totals move (billing is by bytes over time).
  const { addMeter, account } = statementsOf(ctx.db);
  for (const [cls, held] of Object.entries(row.storedByClass)) {
    const metric = storageMetric(cls);
    for (const [hour, by] of byteSecondsByHour(held, row.storedSince, ctx.nowMs)) addMeter.run({ hour, metric, by });
  }
  const storedByClass = { ...row.storedByClass };
  let bytes = 0;
  for (const [cls, by] of moved) {
    bytes += by;
    storedByClass[cls] = (storedByClass[cls] ?? 0) + by;
    if (storedByClass[cls] === 0) delete storedByClass[cls];
  }
  account.run({ name: ctx.name, bytes, versions, byClass: JSON.stringify(storedByClass), since: ctx.nowMs });
  ctx.cache.row = {
    ...row,
    storedBytes: row.storedBytes + bytes,
    storedByClass,
    objectCount: row.objectCount + versions,
    storedSince: ctx.nowMs,
  };
}

/** Marks blobs as garbage: no row refers to them any more; the alarm deletes them from R2. */
export function discard(ctx: BucketCtx, keys: string[]): void {
  if (keys.length) ctx.sweep.discarded = true;
  const { discard } = statementsOf(ctx.db);
  for (const key of keys) discard.run({ key, since: ctx.nowMs });
}

/** Reserves a new blob key for bytes about to stream into R2 (pending until a commit adopts it). */
export function reserve(ctx: BucketCtx, b: BucketRow): string {
  const key = `${b.incarnation}/${crypto.randomUUID()}`;
  ctx.sweep.reserved = true;
  statementsOf(ctx.db).reserve.run({ key, since: ctx.nowMs });
  return key;
}

/** Adopts a pending blob: a version or part now refers to it. False when it is no longer pending (expired). */
export function adopt(ctx: BucketCtx, key: string): boolean {
  return statementsOf(ctx.db).adoptPending.all({ key }).length === 1;
}

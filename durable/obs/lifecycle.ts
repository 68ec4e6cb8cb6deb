/**
 * Lifecycle rules, applied by the bucket's alarm: expire current versions (delete them, or add a delete marker in a
 * versioned bucket, as S3 does), remove noncurrent versions and lone delete markers, abort stale multipart uploads,
 * and move current and noncurrent versions to a colder storage class (WARM, then COLD; the bytes stay put).
 * A pass runs at most once per lifecycle hour and does a bounded amount of work in one transaction; what it
 * removes becomes garbage, so the sweep frees the bytes in R2.
 */
import { and, asc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { bucket, objects, parts, uploads } from '../../schema/bucket.ts';
import type { BucketRow } from './access.ts';
import { account, type BucketCtx, discard } from './context.ts';
import { removable } from './locks.ts';
import { deleteKey, removeVersion, type VersionRow } from './versions.ts';

export interface LifecycleFilter {
  /** How the rule wrote it: the legacy rule-level `Prefix`, a `Filter` with one predicate, or `Filter/And`. */
  form: 'legacy' | 'filter' | 'and';
  prefix?: string;
  tags: { key: string; value: string }[];
  sizeGreaterThan?: number;
  sizeLessThan?: number;
}

export interface LifecycleRule {
  id: string;
  enabled: boolean;
  filter: LifecycleFilter;
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  noncurrentExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
  /** Moves of current versions to a colder class, by age or on a date (absent in rules stored before). */
  transitions?: { days?: number; date?: string; storageClass: ColderClass }[];
  /** Moves of noncurrent versions to a colder class, by days since they became noncurrent. */
  noncurrentTransitions?: { noncurrentDays: number; storageClass: ColderClass }[];
}

/** The classes a lifecycle rule may move objects to, warmest first (STANDARD is where they start). */
export const COLDER_CLASSES = ['WARM', 'COLD'] as const;
export type ColderClass = (typeof COLDER_CLASSES)[number];

/** A bucket's lifecycle configuration as stored (JSON) in `bucket.lifecycle`. */
export interface LifecycleConfig {
  rules: LifecycleRule[];
}

const DAY_MS = 86_400_000;
/** Changes (versions removed or marked, uploads aborted) one pass makes at most; more wait for the next pass. */
const PASS_BUDGET = 1000;
/** The synchronous storage key of the next pass's due time (epoch ms). */
const NEXT_PASS = 'lifecycle.next';
const TOP = '\u{10FFFF}';

/** The length of a lifecycle day: a real day, or what `OBS_LIFECYCLE_DAY_MS` says (tests shorten it). */
export function lifecycleDayMs(env: Env): number {
  const raw = env.OBS_LIFECYCLE_DAY_MS;
  const ms = Number(raw ?? DAY_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DAY_MS;
}

function enabledRules(text: string | null | undefined): LifecycleRule[] {
  if (!text) return [];
  return (JSON.parse(text) as LifecycleConfig).rules.filter((r) => r.enabled);
}

/** When the next lifecycle pass is due, or null when the bucket has no enabled rule. */
export function nextLifecyclePass(db: BucketCtx['db'], kv: SyncKvStorage): number | null {
  const row = db.select({ lifecycle: bucket.lifecycle }).from(bucket).get();
  if (!enabledRules(row?.lifecycle).length) return null;
  return kv.get<number>(NEXT_PASS) ?? Date.now();
}

/** The bucket's name, when it exists (the alarm knows no request that would name it). */
export function bucketNameOf(db: BucketCtx['db']): string | null {
  return db.select({ name: bucket.name }).from(bucket).get()?.name ?? null;
}

/** Applies the enabled rules if a pass is due, and says when the next one is. */
export function applyLifecycle(ctx: BucketCtx, b: BucketRow, kv: SyncKvStorage, dayMs: number): void {
  const due = kv.get<number>(NEXT_PASS);
  if (due !== undefined && due > ctx.nowMs) return;
  const rules = enabledRules(b.lifecycle);
  if (!rules.length) {
    kv.delete(NEXT_PASS);
    return;
  }
  const pass: Pass = { ctx, b, dayMs, budget: PASS_BUDGET };
  for (const rule of rules) {
    if (pass.budget > 0) applyRule(pass, rule);
  }
  // Work left over (the budget ran out) is taken up at once; otherwise in a lifecycle hour.
  kv.put(NEXT_PASS, pass.budget > 0 ? ctx.nowMs + dayMs / 24 : ctx.nowMs);
}

interface Pass {
  ctx: BucketCtx;
  b: BucketRow;
  dayMs: number;
  budget: number;
}

/**
 * The newest time a thing may date from and be `days` old now. As S3 does, an age in days is counted to the
 * following midnight UTC (a lifecycle day boundary): due when `ceil(t / day) + days <= floor(now / day)`.
 */
function cutoff(pass: Pass, days: number): string {
  return new Date((Math.floor(pass.ctx.nowMs / pass.dayMs) - days) * pass.dayMs).toISOString();
}

function applyRule(pass: Pass, rule: LifecycleRule): void {
  const { expiration: exp, noncurrentExpiration: nc, abortIncompleteMultipartUpload: abort } = rule;
  let expireBy: string | null = null;
  if (exp?.days !== undefined) expireBy = cutoff(pass, exp.days);
  else if (exp?.date !== undefined && exp.date <= pass.ctx.now) expireBy = pass.ctx.now;
  if (expireBy !== null) expireCurrent(pass, rule, expireBy);
  if (nc) expireNoncurrent(pass, rule, nc);
  // Last, so that a key whose versions all went in this pass loses its delete marker too. An expiration by age
  // or date removes such markers as S3 does; ExpiredObjectDeleteMarker removes them whatever their age.
  if (exp?.expiredObjectDeleteMarker) removeLoneMarkers(pass, rule, pass.ctx.now);
  else if (expireBy !== null) removeLoneMarkers(pass, rule, expireBy);
  if (abort) abortUploads(pass, rule, cutoff(pass, abort.daysAfterInitiation));
  for (const t of rule.transitions ?? []) {
    const due = t.days !== undefined ? cutoff(pass, t.days) : t.date! <= pass.ctx.now ? pass.ctx.now : null;
    if (due !== null) transition(pass, rule, [eq(objects.latest, true), lte(objects.lastModified, due)], t.storageClass);
  }
  for (const t of rule.noncurrentTransitions ?? []) {
    transition(pass, rule, [eq(objects.latest, false), sql`${successorTime} <= ${cutoff(pass, t.noncurrentDays)}`], t.storageClass);
  }
}

/** Versions in a warmer class than `to` (delete markers hold no bytes): moved to it, in place. */
function transition(pass: Pass, rule: LifecycleRule, where: SQL[], to: ColderClass): void {
  const warmer = ['STANDARD', ...COLDER_CLASSES.slice(0, COLDER_CLASSES.indexOf(to))];
  const scope = [...where, eq(objects.deleteMarker, false), inArray(objects.storageClass, warmer)];
  for (const row of candidates(pass, rule, scope)) {
    pass.ctx.db.update(objects).set({ storageClass: to }).where(eq(objects.seq, row.seq)).run();
    // The bytes move to the colder class's total (billed at its price from now on).
    account(pass.ctx, row.storageClass, -row.size, 0);
    account(pass.ctx, to, row.size, 0);
    pass.budget--;
  }
}

/** When the version after this one was written: when this one became noncurrent. */
const successorTime = sql`(select n.last_modified from ${objects} as n where n.key = ${objects.key} and n.seq > ${objects.seq} order by n.seq limit 1)`;

/** The SQL part of a rule's filter: the key prefix and the object size bounds. */
function filterSql(f: LifecycleFilter): SQL[] {
  const where: SQL[] = [];
  if (f.prefix) where.push(gte(objects.key, f.prefix), lt(objects.key, f.prefix + TOP));
  if (f.sizeGreaterThan !== undefined) where.push(gt(objects.size, f.sizeGreaterThan));
  if (f.sizeLessThan !== undefined) where.push(lt(objects.size, f.sizeLessThan));
  return where;
}

const tagsMatch = (f: LifecycleFilter, row: VersionRow) => f.tags.every((t) => row.tags?.[t.key] === t.value);

/** The rows matching `where` and the rule's tags, oldest first, read a batch at a time until the budget is spent. */
function* candidates(pass: Pass, rule: LifecycleRule, where: SQL[]): Generator<VersionRow> {
  let after = 0;
  while (pass.budget > 0) {
    const rows = pass.ctx.db
      .select()
      .from(objects)
      .where(and(gt(objects.seq, after), ...where, ...filterSql(rule.filter)))
      .orderBy(asc(objects.seq))
      .limit(500)
      .all();
    for (const row of rows) {
      if (pass.budget <= 0) return;
      if (tagsMatch(rule.filter, row)) yield row;
    }
    if (rows.length < 500) return;
    after = rows.at(-1)!.seq;
  }
}

/** Current versions last modified at or before `due`: deleted, or hidden behind a delete marker when versioned. */
function expireCurrent(pass: Pass, rule: LifecycleRule, due: string): void {
  const where = [eq(objects.latest, true), eq(objects.deleteMarker, false), lte(objects.lastModified, due)];
  for (const row of candidates(pass, rule, where)) {
    if (pass.b.versioning === '') removeVersion(pass.ctx, row);
    else deleteKey(pass.ctx, pass.b, row.key);
    pass.budget--;
  }
}

/** Delete markers that are the only thing left of their key (expired object delete markers), dated at or before `due`. */
function removeLoneMarkers(pass: Pass, rule: LifecycleRule, due: string): void {
  if (rule.filter.tags.length) return;
  const alone = sql`not exists (select 1 from ${objects} as other where other.key = ${objects.key} and other.seq <> ${objects.seq})`;
  const where = [eq(objects.latest, true), eq(objects.deleteMarker, true), lte(objects.lastModified, due), alone];
  for (const row of candidates(pass, rule, where)) {
    removeVersion(pass.ctx, row);
    pass.budget--;
  }
}

/**
 * Noncurrent versions (and noncurrent delete markers) past NoncurrentDays. A version became noncurrent when the
 * next newer one was written, so that one's time stands for it; the `newer` newest noncurrent versions are kept.
 */
function expireNoncurrent(pass: Pass, rule: LifecycleRule, nc: NonNullable<LifecycleRule['noncurrentExpiration']>): void {
  const newerNoncurrent = sql`(select count(*) from ${objects} as n where n.key = ${objects.key} and n.seq > ${objects.seq} and n.latest = 0)`;
  const where = [eq(objects.latest, false), sql`${successorTime} <= ${cutoff(pass, nc.noncurrentDays)}`];
  if (nc.newerNoncurrentVersions) where.push(sql`${newerNoncurrent} >= ${nc.newerNoncurrentVersions}`);
  for (const row of candidates(pass, rule, where)) {
    // Object Lock protects a version from its bucket's lifecycle rules too.
    if (!removable(row, pass.ctx.nowMs)) continue;
    removeVersion(pass.ctx, row);
    pass.budget--;
  }
}

/** Multipart uploads initiated at or before `due` under the rule's prefix: their parts' bytes become garbage. */
function abortUploads(pass: Pass, rule: LifecycleRule, due: string): void {
  const { prefix } = rule.filter;
  const where = [lte(uploads.initiated, due)];
  if (prefix) where.push(gte(uploads.key, prefix), lt(uploads.key, prefix + TOP));
  const stale = pass.ctx.db
    .select({ uploadId: uploads.uploadId, storageClass: uploads.storageClass })
    .from(uploads)
    .where(and(...where))
    .limit(pass.budget)
    .all();
  for (const { uploadId, storageClass } of stale) {
    const gone = pass.ctx.db.delete(parts).where(eq(parts.uploadId, uploadId)).returning({ blob: parts.blob, size: parts.size }).all();
    discard(
      pass.ctx,
      gone.map((p) => p.blob),
    );
    account(pass.ctx, storageClass, -gone.reduce((sum, p) => sum + p.size, 0), 0);
    pass.budget--;
  }
  if (stale.length)
    pass.ctx.db
      .delete(uploads)
      .where(
        inArray(
          uploads.uploadId,
          stale.map((u) => u.uploadId),
        ),
      )
      .run();
}

/**
 * The usage ledger in the global directory, taken from each project's outbox (core/usage.ts) and rolled up by
 * the hour. Taking is idempotent twice over: the ledger's key is the event id (a replayed or redelivered event
 * adds nothing), and each project's cursor moves in the same transaction as the rows it covers.
 */
import { and, eq, gte, lt } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { METERS } from '../../core/usage.ts';
import { type LedgerEntry, obsBuckets, projects, usageCursors, usageHourly, usageLedger } from '../../schema/global.ts';
import type { UsageEventRow } from '../../schema/tenant/usage.ts';
import { type Directory, directory } from '../directory/client.ts';
import { cutRange, exactRange, extendRange, hourName, splitWindow } from './hourly.ts';
import { type HourRow, rollup } from './rollup.ts';

const PAGE = 500;

/** A project whose outbox is taken. */
export interface MeteredProject {
  id: string;
  domainId: string;
  regionId: string;
}

/** The projects of an account (all accounts' when `domainId` is absent), as the ledger needs them. */
export async function meteredProjects(env: Env, domainId?: string): Promise<MeteredProject[]> {
  const db = await directory(env);
  const rows = await db
    .select({ id: projects.id, domainId: projects.domainId, regionId: projects.regionId })
    .from(projects)
    .where(domainId ? eq(projects.domainId, domainId) : undefined)
    .all();
  return rows.filter((p): p is MeteredProject => Boolean(p.regionId));
}

/** Takes every new outbox event of these projects into the ledger; answers how many were new to it. */
export async function takeUsage(env: Env, list: readonly MeteredProject[]): Promise<number> {
  const db = await directory(env);
  let taken = 0;
  for (const p of list) {
    taken += await takeOutbox(db, p, p.id, env.TENANT.getByName(p.id));
    // SMN's deliveries have their own owner and outbox, with a cursor of their own.
    taken += await takeOutbox(db, p, `smn:${p.id}`, env.SMN.getByName(p.id));
  }
  return taken;
}

/** An owner whose usage outbox billing takes (the project's TenantDO, its SmnDO). */
interface Outbox {
  usageOutbox(afterSeq: number, limit: number): Promise<{ seq: number; event: UsageEventRow }[]>;
}

async function takeOutbox(db: Directory, p: MeteredProject, cursorKey: string, tenant: Outbox): Promise<number> {
  const cursor = await db.select().from(usageCursors).where(eq(usageCursors.projectId, cursorKey)).get();
  let after = cursor?.lastSeq ?? 0;
  let taken = 0;
  for (;;) {
    const page = await tenant.usageOutbox(after, PAGE);
    if (!page.length) return taken;
    const last = page.at(-1)!.seq;
    const rows = page.map(({ event: e }) => ({
      eventId: e.id,
      domainId: p.domainId,
      projectId: p.id,
      regionId: p.regionId,
      meter: e.meter,
      resourceId: e.resourceId,
      action: e.action,
      quantity: Math.round(e.quantity * METERS[e.meter].scale),
      attributes: e.attributes,
      at: e.at,
    }));
    const now = new Date().toISOString();
    const [inserted] = await db.batch([
      db.insert(usageLedger).values(rows).onConflictDoNothing().returning({ at: usageLedger.at }),
      db
        .insert(usageCursors)
        .values({ projectId: cursorKey, lastSeq: last, updatedAt: now })
        .onConflictDoUpdate({ target: usageCursors.projectId, set: { lastSeq: last, updatedAt: now } }),
    ]);
    await cutForLate(db, p.domainId, inserted);
    taken += inserted.length;
    after = last;
    if (page.length < PAGE) return taken;
  }
}

/** New ledger rows change their hour and every later one: the exact range is cut back to the earliest. */
async function cutForLate(db: Directory, domainId: string, inserted: readonly { at: string }[]): Promise<void> {
  if (!inserted.length) return;
  await cutRange(db, domainId, inserted.map((r) => r.at).sort()[0]!);
}

/**
 * Takes the account's (every account's) usage into the ledger: the projects' outboxes, then each OBS bucket's
 * finished hours. Answers how many events were new to the ledger.
 */
export async function takeAll(env: Env, domainId?: string, now = Date.now()): Promise<number> {
  const list = await meteredProjects(env, domainId);
  return (await takeUsage(env, list)) + (await takeObs(env, list, domainId, now));
}

const HOUR_MS = 3_600_000;

/**
 * Each bucket's hours that are over, as `obs.*` events with ids naming the bucket and hour (a retake adds
 * nothing); the cursor, per bucket, is the last hour taken (hours since the epoch). Buckets bill to their
 * account's project in their region.
 */
async function takeObs(env: Env, list: readonly MeteredProject[], domainId: string | undefined, now: number): Promise<number> {
  const db = await directory(env);
  const buckets = await db
    .select()
    .from(obsBuckets)
    .where(domainId ? eq(obsBuckets.domainId, domainId) : undefined)
    .all();
  // Only hours that are over: their meters are final.
  const lastDone = Math.floor(now / HOUR_MS) - 1;
  let taken = 0;
  for (const b of buckets) {
    const project = list.find((p) => p.domainId === b.domainId && p.regionId === b.region);
    if (!project) continue;
    const key = `obs:${b.name}`;
    const cursor = await db.select().from(usageCursors).where(eq(usageCursors.projectId, key)).get();
    const first = cursor ? cursor.lastSeq + 1 : Math.floor(Date.parse(b.createdAt) / HOUR_MS);
    if (first > lastDone) continue;
    const hourText = (h: number) => new Date(h * HOUR_MS).toISOString().slice(0, 13);
    const usage = await env.BUCKET.getByName(b.name).usage(b.name, hourText(first), hourText(lastDone));
    if ('error' in usage) continue;
    const rows = usage.ok.hours.flatMap((h) => obsEvents(project, b.name, h));
    const now = new Date().toISOString();
    const moveCursor = db
      .insert(usageCursors)
      .values({ projectId: key, lastSeq: lastDone, updatedAt: now })
      .onConflictDoUpdate({ target: usageCursors.projectId, set: { lastSeq: lastDone, updatedAt: now } });
    if (!rows.length) {
      await moveCursor;
      continue;
    }
    const [inserted] = await db.batch([
      db.insert(usageLedger).values(rows).onConflictDoNothing().returning({ at: usageLedger.at }),
      moveCursor,
    ]);
    await cutForLate(db, b.domainId, inserted);
    taken += inserted.length;
  }
  return taken;
}

type BucketHour = { hour: string; requests: Record<string, number>; bytesOut: number; storedByteSecondsByClass: Record<string, number> };

/** One bucket-hour as ledger events, stamped at the hour's start. */
function obsEvents(p: MeteredProject, bucket: string, h: BucketHour) {
  const at = `${h.hour}:00:00.000Z`;
  const event = (what: string, meter: LedgerEntry['meter'], quantity: number, attributes: Record<string, string> = {}) => ({
    eventId: `obs:${bucket}:${h.hour}:${what}`,
    domainId: p.domainId,
    projectId: p.id,
    regionId: p.regionId,
    meter,
    resourceId: bucket,
    action: 'once' as const,
    quantity: Math.round(quantity),
    attributes,
    at,
  });
  const requests = Object.values(h.requests).reduce((a, b) => a + b, 0);
  return [
    ...Object.entries(h.storedByteSecondsByClass)
      .filter(([, v]) => v > 0)
      .map(([cls, v]) => event(`stored:${cls}`, 'obs.storage', v, { storage_class: cls })),
    ...(requests ? [event('requests', 'obs.requests', requests)] : []),
    ...(h.bytesOut ? [event('out', 'obs.egress', h.bytesOut)] : []),
  ];
}

/**
 * Rebuilds the hourly rollup of an account for the window [from, to) from its ledger, replacing its whole hours
 * in one transaction, and answers the rows (a cut hour at either end too, not stored: the table holds whole hours).
 * Held resources that started earlier are read from their start. Whole finished hours become exact (hourly.ts).
 */
export async function rollUp(env: Env, domainId: string, from: Date, to: Date, now = new Date()): Promise<HourRow[]> {
  const db = await directory(env);
  const before = await exactRange(db, domainId);
  const rows = await ledgerRows(env, domainId, from, to);
  const { whole } = splitWindow(from, to, new Date(8.64e15));
  if (!whole) return rows;
  const [first, end] = [hourName(whole[0].getTime()), hourName(whole[1].getTime())];
  const kept = rows.filter((r) => r.hour >= first && r.hour < end);
  const finished =
    whole[1].getTime() <= Math.floor(now.getTime() / HOUR_MS) * HOUR_MS &&
    whole[0].getTime() === from.getTime() &&
    whole[1].getTime() === to.getTime();
  const writes = [
    db.delete(usageHourly).where(and(eq(usageHourly.domainId, domainId), gte(usageHourly.hour, first), lt(usageHourly.hour, end))),
    ...chunks(kept, 100).map((part) => db.insert(usageHourly).values(part)),
    ...(finished ? [extendRange(db, domainId, before, from, to)] : []),
  ];
  await db.batch(writes as unknown as Parameters<typeof db.batch>[0]);
  return rows;
}

/** The account's rollup of [from, to) computed from its ledger, without storing it. */
export async function ledgerRows(env: Env, domainId: string, from: Date, to: Date): Promise<HourRow[]> {
  const db = await directory(env);
  const events = await accountEvents(db, domainId, to.toISOString());
  return rollup(events, Math.floor(from.getTime() / 1000), Math.floor(to.getTime() / 1000));
}

/** The account's ledger up to `before`: every event of a resource that has any event before then. */
async function accountEvents(db: Directory, domainId: string, before: string): Promise<LedgerEntry[]> {
  return db
    .select()
    .from(usageLedger)
    .where(and(eq(usageLedger.domainId, domainId), lt(usageLedger.at, before)))
    .all();
}

/** A list in parts of `size` (libSQL batches stay small). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

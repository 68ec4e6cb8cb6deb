/**
 * Reading usage from the hourly rollup (`usage_hourly`) instead of the ledger: finished hours that a rollup wrote
 * while the ledger was complete for them are served from it; the hour in progress, and any part of an hour a
 * window cuts, are rolled up from the ledger on the spot. `usage_rollups` says which hours are exact: a rollup
 * extends the range, an event taken late cuts it back to that event's hour (every later hour depends on it).
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { type UsageRollup, usageHourly, usageRollups } from '../../schema/global.ts';
import type { Directory } from '../directory/client.ts';
import type { HourRow } from './rollup.ts';

const HOUR_MS = 3_600_000;

/** The hour (`YYYY-MM-DDTHH`) an instant is in. */
export const hourName = (ms: number) => new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13);

/** The account's exact range, if any. */
export async function exactRange(db: Directory, domainId: string): Promise<UsageRollup | undefined> {
  return db.select().from(usageRollups).where(eq(usageRollups.domainId, domainId)).get();
}

/**
 * The write that records `[from, to)` (whole hours, all over) as exact, given the range read before the rollup
 * read the ledger: joined to it when they touch; ignored if an event was taken late since.
 */
export function extendRange(db: Directory, domainId: string, before: UsageRollup | undefined, from: Date, to: Date) {
  const [f, t] = [hourName(from.getTime()), hourName(to.getTime())];
  if (!before) return db.insert(usageRollups).values({ domainId, fromHour: f, throughHour: t, stamp: 0 }).onConflictDoNothing();
  const touches = before.fromHour < before.throughHour && f <= before.throughHour && before.fromHour <= t;
  // Apart, the later range is kept: reads are mostly of recent hours (a month rated again is an older window).
  const range = touches
    ? { fromHour: [f, before.fromHour].sort()[0]!, throughHour: [t, before.throughHour].sort()[1]! }
    : t > before.throughHour || before.fromHour >= before.throughHour
      ? { fromHour: f, throughHour: t }
      : { fromHour: before.fromHour, throughHour: before.throughHour };
  return db
    .update(usageRollups)
    .set(range)
    .where(and(eq(usageRollups.domainId, domainId), eq(usageRollups.stamp, before.stamp)));
}

/** Cuts the account's exact range back to the hour of the earliest event just taken into the ledger. */
export async function cutRange(db: Directory, domainId: string, earliestAt: string): Promise<void> {
  const hour = hourName(Date.parse(earliestAt));
  await db
    .update(usageRollups)
    .set({ throughHour: sql`min(${usageRollups.throughHour}, ${hour})`, stamp: sql`${usageRollups.stamp} + 1` })
    .where(eq(usageRollups.domainId, domainId));
}

/** The stored rows of the hours `[from, to)` (whole hours), when the exact range holds them all; else undefined. */
export async function storedHours(db: Directory, domainId: string, from: Date, to: Date): Promise<HourRow[] | undefined> {
  const [f, t] = [hourName(from.getTime()), hourName(to.getTime())];
  const range = await exactRange(db, domainId);
  if (!range || range.fromHour > f || range.throughHour < t) return undefined;
  return db
    .select()
    .from(usageHourly)
    .where(and(eq(usageHourly.domainId, domainId), gte(usageHourly.hour, f), lt(usageHourly.hour, t)))
    .all();
}

/** A window cut into its whole finished hours and the parts around them (a cut hour, the hour in progress). */
export function splitWindow(from: Date, to: Date, now: Date): { whole?: [Date, Date]; edges: [Date, Date][] } {
  const up = (d: Date) => new Date(Math.ceil(d.getTime() / HOUR_MS) * HOUR_MS);
  const down = (d: Date) => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
  const start = up(from);
  const end = down(new Date(Math.min(to.getTime(), down(now).getTime())));
  if (start >= end) return { edges: [[from, to]] };
  const edges: [Date, Date][] = [];
  if (from < start) edges.push([from, start]);
  if (end < to) edges.push([end, to]);
  return { whole: [start, end], edges };
}

/**
 * Writing usage events (core/usage.ts) from inside an owner's transaction: the event is written with the change
 * it describes or not at all, and its id names the transition
 * (`<volume id>:start`, `<volume id>:size:20`), never the time, so that a replayed step writes it once.
 */
import { eq, sql } from 'drizzle-orm';
import type { DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite';
import type { UsageEvent } from '../../core/usage.ts';
import { usageEvents } from '../../schema/tenant.ts';
import type { OpContext } from './sqlite-object.ts';

/** Records one event; an event already recorded under the same id is left as it was. */
export function recordUsage(ctx: OpContext, event: Omit<UsageEvent, 'at'> & { at?: string }): void {
  ctx.db
    .insert(usageEvents)
    .values({ ...event, at: event.at ?? ctx.now })
    .onConflictDoNothing()
    .run();
}

/** Whether a resource's usage has started (its `<id>:start` event exists), so that a stop is only written after one. */
export function usageStarted(ctx: OpContext, resourceId: string): boolean {
  return Boolean(
    ctx.db
      .select({ id: usageEvents.id })
      .from(usageEvents)
      .where(eq(usageEvents.id, `${resourceId}:start`))
      .get(),
  );
}

/**
 * An owner's outbox as billing takes it into the ledger: events after the row sequence `afterSeq`, in the order they
 * were written. The sequence is the table's rowid, which only grows, since outbox rows are never deleted.
 */
export function outboxPage(db: DrizzleSqliteDODatabase, afterSeq: number, limit: number) {
  return db
    .select({ seq: sql<number>`rowid`, event: usageEvents })
    .from(usageEvents)
    .where(sql`rowid > ${afterSeq}`)
    .orderBy(sql`rowid`)
    .limit(limit)
    .all();
}

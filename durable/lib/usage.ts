/**
 * Writing usage events (core/usage.ts) from inside an owner's transaction: the event is written with the change
 * it describes or not at all, and its id names the transition
 * (`<volume id>:start`, `<volume id>:size:20`), never the time, so that a replayed step writes it once.
 */
import type { UsageAction, UsageEvent } from '../../core/usage.ts';
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

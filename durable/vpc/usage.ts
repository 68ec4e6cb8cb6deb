/**
 * Usage events of the network's chargeable resources (core/usage.ts): an elastic IP from allocation to release
 * (`vpc.eip`), its bandwidth's size in Mbit/s (`vpc.bandwidth`: a dedicated one with its EIP, a shared one while it
 * exists) and VPN connections while they exist (`vpc.vpn`). Security groups are free and never meter anything.
 * Ids name the transition (`<id>:start`, `<id>:change:<k>`, `<id>:stop`), so a replayed step writes each once.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Meter } from '../../core/usage.ts';
import { type bandwidths, usageEvents } from '../../schema/tenant.ts';
import { recordUsage } from '../lib/usage.ts';
import type { Ctx } from './context.ts';

type Bandwidth = typeof bandwidths.$inferSelect;

/** The resource's last event of a meter (in the order written), or undefined before its start. */
function lastEvent(ctx: Ctx, meter: Meter, resourceId: string) {
  return ctx.db
    .select()
    .from(usageEvents)
    .where(and(eq(usageEvents.resourceId, resourceId), eq(usageEvents.meter, meter)))
    .orderBy(desc(sql`rowid`))
    .limit(1)
    .get();
}

/** Starts a held meter once (`<id>:start`). */
export function startHeld(ctx: Ctx, meter: Meter, resourceId: string, quantity: number, attributes: Record<string, string>): void {
  recordUsage(ctx, { id: `${resourceId}:start`, meter, resourceId, action: 'start', quantity, attributes });
}

/** Stops a held meter that started (`<id>:stop`, with the attributes it ran with); nothing when it never did. */
export function stopHeld(ctx: Ctx, meter: Meter, resourceId: string): void {
  const last = lastEvent(ctx, meter, resourceId);
  if (!last) return;
  recordUsage(ctx, { id: `${resourceId}:stop`, meter, resourceId, action: 'stop', quantity: 0, attributes: last.attributes });
}

/**
 * A bandwidth's size changed: the k-th change (sizes go up and down, so the size alone cannot name it). Only when
 * its meter runs and the size differs from the last one recorded, so a replayed update writes nothing.
 */
export function resizeBandwidth(ctx: Ctx, b: Bandwidth): void {
  const last = lastEvent(ctx, 'vpc.bandwidth', b.id);
  if (!last || last.action === 'stop' || last.quantity === b.size) return;
  const changes = ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(usageEvents)
    .where(and(eq(usageEvents.resourceId, b.id), eq(usageEvents.meter, 'vpc.bandwidth'), eq(usageEvents.action, 'change')))
    .get()!.n;
  recordUsage(ctx, {
    id: `${b.id}:change:${changes + 1}`,
    meter: 'vpc.bandwidth',
    resourceId: b.id,
    action: 'change',
    quantity: b.size,
    attributes: { charge_mode: b.chargeMode, share_type: b.shareType },
  });
}

/** Starts a bandwidth's meter at its size, rated by its charge mode. */
export const startBandwidth = (ctx: Ctx, b: Bandwidth) =>
  startHeld(ctx, 'vpc.bandwidth', b.id, b.size, { charge_mode: b.chargeMode, share_type: b.shareType });

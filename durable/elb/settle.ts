/**
 * What the (simulated) amphorae report once a change is applied: pending objects older than PROVISION_MS become
 * ACTIVE, or go when they were being deleted, and their load balancer with them; then every operating status is
 * derived again from the members' health. Run by the TenantDO's alarm (alarm.ts); replaying it changes nothing.
 */
import { eq, inArray, ne } from 'drizzle-orm';
import { OPERATING, type OperatingStatus, PROVISIONING } from '../../core/elb/states.ts';
import { healthMonitors, listeners, loadBalancers, members, pools } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { removeLoadBalancer } from './loadbalancers.ts';

const PENDING = [PROVISIONING.PENDING_CREATE, PROVISIONING.PENDING_UPDATE, PROVISIONING.PENDING_DELETE];

type Child = typeof listeners | typeof pools | typeof members | typeof healthMonitors;

/** Removes a child whose delete was applied, and what pointed at it. */
function removeChild(ctx: Ctx, table: Child, id: string): void {
  if (table === pools) {
    ctx.db.delete(members).where(eq(members.poolId, id)).run();
    ctx.db.delete(healthMonitors).where(eq(healthMonitors.poolId, id)).run();
    ctx.db.update(listeners).set({ defaultPoolId: null }).where(eq(listeners.defaultPoolId, id)).run();
  }
  if (table === listeners) ctx.db.update(pools).set({ listenerId: null }).where(eq(pools.listenerId, id)).run();
  ctx.db.delete(table).where(eq(table.id, id)).run();
}

/** Applies every pending change recorded at or before `cutoff` (ISO time). */
export function settle(ctx: Ctx, cutoff: string): void {
  const lbs = ctx.db.select().from(loadBalancers).where(inArray(loadBalancers.provisioningStatus, PENDING)).all();
  for (const lb of lbs.filter((l) => l.updatedAt <= cutoff && l.provisioningStatus === PROVISIONING.PENDING_DELETE))
    removeLoadBalancer(ctx, lb.id);
  for (const table of [healthMonitors, members, pools, listeners] as Child[]) {
    const due = ctx.db.select().from(table).where(inArray(table.provisioningStatus, PENDING)).all();
    for (const row of due.filter((r) => r.updatedAt <= cutoff)) {
      if (row.provisioningStatus === PROVISIONING.PENDING_DELETE) removeChild(ctx, table, row.id);
      else
        ctx.db
          .update(table)
          .set({ provisioningStatus: PROVISIONING.ACTIVE } as never)
          .where(eq(table.id, row.id))
          .run();
    }
  }
  const done = lbs.filter((l) => l.updatedAt <= cutoff && l.provisioningStatus !== PROVISIONING.PENDING_DELETE).map((l) => l.id);
  if (done.length)
    ctx.db.update(loadBalancers).set({ provisioningStatus: PROVISIONING.ACTIVE }).where(inArray(loadBalancers.id, done)).run();
  refreshOperating(ctx);
}

/** The earliest time (epoch ms) a pending object recorded now becomes due, or null when nothing is pending. */
export function pendingSince(ctx: Ctx): number | null {
  let first: string | null = null;
  for (const table of [loadBalancers, listeners, pools, members, healthMonitors]) {
    const rows = ctx.db.select({ at: table.updatedAt }).from(table).where(inArray(table.provisioningStatus, PENDING)).all();
    for (const r of rows) if (first === null || r.at < first) first = r.at;
  }
  return first === null ? null : Date.parse(first);
}

/** A pool's status from its members' health: ERROR when all are down, DEGRADED when some are. */
function poolStatus(adminUp: boolean, health: OperatingStatus[]): OperatingStatus {
  if (!adminUp) return OPERATING.OFFLINE;
  const down = health.filter((h) => h === OPERATING.ERROR).length;
  if (down && down === health.length) return OPERATING.ERROR;
  return down ? OPERATING.DEGRADED : OPERATING.ONLINE;
}

function setOperating(ctx: Ctx, table: Child | typeof loadBalancers, id: string, from: string, to: OperatingStatus): void {
  if (from !== to) ctx.db.update(table).set({ operatingStatus: to }).where(eq(table.id, id)).run();
}

/** Derives every operating status again: members from their admin state and monitor, then pools, listeners and load balancers. */
export function refreshOperating(ctx: Ctx): void {
  const monitored = new Set(
    ctx.db
      .select({ poolId: healthMonitors.poolId })
      .from(healthMonitors)
      .where(ne(healthMonitors.provisioningStatus, PROVISIONING.PENDING_CREATE))
      .all()
      .map((h) => h.poolId),
  );
  const health = new Map<string, OperatingStatus[]>();
  for (const m of ctx.db.select().from(members).all()) {
    let to = m.operatingStatus;
    if (!m.adminStateUp) to = OPERATING.OFFLINE;
    else if (!monitored.has(m.poolId)) to = OPERATING.NO_MONITOR;
    else if (to === OPERATING.OFFLINE || to === OPERATING.NO_MONITOR) to = OPERATING.ONLINE;
    setOperating(ctx, members, m.id, m.operatingStatus, to);
    if (m.adminStateUp) health.set(m.poolId, [...(health.get(m.poolId) ?? []), to]);
  }
  const poolHealth = new Map<string, OperatingStatus>();
  for (const p of ctx.db.select().from(pools).all()) {
    const to = poolStatus(p.adminStateUp, health.get(p.id) ?? []);
    poolHealth.set(p.id, to);
    setOperating(ctx, pools, p.id, p.operatingStatus, to);
  }
  const lbHealth = new Map<string, OperatingStatus>();
  for (const l of ctx.db.select().from(listeners).all()) {
    const pooled = l.defaultPoolId ? poolHealth.get(l.defaultPoolId) : undefined;
    const to = !l.adminStateUp
      ? OPERATING.OFFLINE
      : pooled === OPERATING.ERROR || pooled === OPERATING.DEGRADED
        ? OPERATING.DEGRADED
        : OPERATING.ONLINE;
    setOperating(ctx, listeners, l.id, l.operatingStatus, to);
    if (to === OPERATING.DEGRADED) lbHealth.set(l.loadbalancerId, OPERATING.DEGRADED);
  }
  for (const h of ctx.db.select().from(healthMonitors).all())
    setOperating(ctx, healthMonitors, h.id, h.operatingStatus, h.adminStateUp ? OPERATING.ONLINE : OPERATING.OFFLINE);
  for (const lb of ctx.db.select().from(loadBalancers).all()) {
    const created = lb.provisioningStatus !== PROVISIONING.PENDING_CREATE;
    const to = !created || !lb.adminStateUp ? OPERATING.OFFLINE : (lbHealth.get(lb.id) ?? OPERATING.ONLINE);
    setOperating(ctx, loadBalancers, lb.id, lb.operatingStatus, to);
  }
}

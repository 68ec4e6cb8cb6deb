/**
 * Load balancers, the tenant's side: the record with its VIP port (an address of the subnet, taken in the same
 * transaction as the record, like any port), Octavia's lock (a load balancer in a PENDING_* state refuses every
 * change to itself and its children with 409), and the removal that ends its usage. The alarm (alarm.ts) moves
 * pending objects on; every step is keyed by the object's id and safe to replay.
 */
import { eq, inArray } from 'drizzle-orm';
import { OPERATING, PROVISIONING } from '../../core/elb/states.ts';
import { DomainError } from '../../core/result.ts';
import { healthMonitors, type LoadBalancer, listeners, loadBalancers, members, pools, subnets } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { createPort, deletePortRow } from '../vpc/ports.ts';
import { startHeld, stopHeld } from '../vpc/usage.ts';

/** Octavia's 404 (`Load Balancer X not found.`), in its own words for each kind. */
export const missing = (kind: string, id: string) => new DomainError(404, `${kind.replace(/ /g, '')}NotFound`, `${kind} ${id} not found.`);

/** Octavia's 400 for a request it cannot carry out as asked. */
export const refused = (message: string) => new DomainError(400, 'ValidationException', message);

export interface LoadBalancerInput {
  id: string;
  name: string;
  description: string;
  vipSubnetId: string;
  vipAddress?: string;
  adminStateUp: boolean;
  flavorId?: string | null;
  availabilityZone?: string | null;
  tags: string[];
}

/** A patch without its unset fields (what an update writes). */
export const defined = (patch: object) => Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));

/** The fields every new object starts with: pending creation, offline until the alarm settles it. */
export function pendingRow(ctx: Ctx, input: { id: string; name: string; description: string; adminStateUp: boolean; tags: string[] }) {
  return {
    id: input.id,
    name: input.name,
    description: input.description,
    adminStateUp: input.adminStateUp,
    provisioningStatus: PROVISIONING.PENDING_CREATE,
    operatingStatus: OPERATING.OFFLINE,
    tags: input.tags,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  } as const;
}

export type LoadBalancerPatch = Partial<Pick<LoadBalancerInput, 'name' | 'description' | 'adminStateUp' | 'tags'>>;

/** A load balancer by id, or Octavia's 404. */
export function loadBalancer(ctx: Ctx, id: string): LoadBalancer {
  const row = ctx.db.select().from(loadBalancers).where(eq(loadBalancers.id, id)).get();
  if (!row) throw missing('Load Balancer', id);
  return row;
}

/** Refuses while a step is pending on the load balancer: Octavia's 409, word for word. */
export function requireMutable(lb: LoadBalancer): void {
  if (lb.provisioningStatus.startsWith('PENDING_'))
    throw new DomainError(409, 'ImmutableObject', `Load Balancer ${lb.id} is immutable and cannot be updated.`);
}

/**
 * Takes Octavia's lock for a change to the load balancer or one of its children: refused while it is pending,
 * then PENDING_UPDATE until the alarm has applied the change.
 */
export function lockForUpdate(ctx: Ctx, id: string): LoadBalancer {
  const lb = loadBalancer(ctx, id);
  requireMutable(lb);
  ctx.db
    .update(loadBalancers)
    .set({ provisioningStatus: PROVISIONING.PENDING_UPDATE, updatedAt: ctx.now })
    .where(eq(loadBalancers.id, id))
    .run();
  return { ...lb, provisioningStatus: PROVISIONING.PENDING_UPDATE };
}

/** Records a load balancer in PENDING_CREATE with its VIP port on the subnet, and starts its usage. */
export function createLoadBalancer(ctx: Ctx, input: LoadBalancerInput): LoadBalancer {
  const subnet = ctx.db.select().from(subnets).where(eq(subnets.id, input.vipSubnetId)).get();
  if (!subnet) throw refused(`Subnet ${input.vipSubnetId} not found.`);
  const port = createPort(ctx, {
    id: crypto.randomUUID(),
    networkId: subnet.networkId,
    name: `octavia-lb-${input.id}`,
    deviceOwner: 'Octavia',
    deviceId: input.id,
    fixedIps: [{ subnet_id: subnet.id, ...(input.vipAddress ? { ip_address: input.vipAddress } : {}) }],
  });
  const row: LoadBalancer = {
    ...pendingRow(ctx, input),
    vipAddress: port.fixedIps[0]!.ip_address,
    vipPortId: port.id,
    vipSubnetId: subnet.id,
    vipNetworkId: subnet.networkId,
    provider: 'vlb',
    flavorId: input.flavorId ?? null,
    availabilityZone: input.availabilityZone ?? null,
  };
  ctx.db.insert(loadBalancers).values(row).run();
  startHeld(ctx, 'elb.loadbalancer', row.id, 1, { type: 'shared' });
  return row;
}

/** Changes a load balancer's name, description, admin state or tags (it is PENDING_UPDATE meanwhile). */
export function updateLoadBalancer(ctx: Ctx, id: string, patch: LoadBalancerPatch): LoadBalancer {
  lockForUpdate(ctx, id);
  ctx.db
    .update(loadBalancers)
    .set({ ...defined(patch), updatedAt: ctx.now })
    .where(eq(loadBalancers.id, id))
    .run();
  return loadBalancer(ctx, id);
}

/** The ids of a load balancer's children, by kind. */
export function childrenOf(ctx: Ctx, lbId: string) {
  const ls = ctx.db.select({ id: listeners.id }).from(listeners).where(eq(listeners.loadbalancerId, lbId)).all();
  const ps = ctx.db.select({ id: pools.id }).from(pools).where(eq(pools.loadbalancerId, lbId)).all();
  const poolIds = ps.map((p) => p.id);
  const ms = poolIds.length ? ctx.db.select({ id: members.id }).from(members).where(inArray(members.poolId, poolIds)).all() : [];
  const hs = poolIds.length
    ? ctx.db.select({ id: healthMonitors.id }).from(healthMonitors).where(inArray(healthMonitors.poolId, poolIds)).all()
    : [];
  return { listeners: ls.map((l) => l.id), pools: poolIds, members: ms.map((m) => m.id), healthMonitors: hs.map((h) => h.id) };
}

/**
 * Starts deleting a load balancer: refused while pending, and while it has listeners or pools unless `cascade`,
 * which deletes them (and their members and monitors) with it.
 */
export function beginDeleteLoadBalancer(ctx: Ctx, id: string, cascade: boolean): LoadBalancer {
  const lb = loadBalancer(ctx, id);
  requireMutable(lb);
  const kids = childrenOf(ctx, id);
  if (!cascade && (kids.listeners.length || kids.pools.length)) throw refused(`Cannot delete Load Balancer ${id} - it has children`);
  const pending = { provisioningStatus: PROVISIONING.PENDING_DELETE, updatedAt: ctx.now };
  ctx.db.update(listeners).set(pending).where(eq(listeners.loadbalancerId, id)).run();
  ctx.db.update(pools).set(pending).where(eq(pools.loadbalancerId, id)).run();
  if (kids.members.length) ctx.db.update(members).set(pending).where(inArray(members.id, kids.members)).run();
  if (kids.healthMonitors.length) ctx.db.update(healthMonitors).set(pending).where(inArray(healthMonitors.id, kids.healthMonitors)).run();
  ctx.db.update(loadBalancers).set(pending).where(eq(loadBalancers.id, id)).run();
  return { ...lb, ...pending };
}

/** The last step of a delete: the load balancer, its children and its VIP port go, and its usage stops. */
export function removeLoadBalancer(ctx: Ctx, id: string): void {
  const lb = ctx.db.select().from(loadBalancers).where(eq(loadBalancers.id, id)).get();
  if (!lb || lb.provisioningStatus !== PROVISIONING.PENDING_DELETE) return;
  const kids = childrenOf(ctx, id);
  if (kids.pools.length) {
    ctx.db.delete(members).where(inArray(members.poolId, kids.pools)).run();
    ctx.db.delete(healthMonitors).where(inArray(healthMonitors.poolId, kids.pools)).run();
  }
  ctx.db.delete(pools).where(eq(pools.loadbalancerId, id)).run();
  ctx.db.delete(listeners).where(eq(listeners.loadbalancerId, id)).run();
  deletePortRow(ctx, lb.vipPortId);
  ctx.db.delete(loadBalancers).where(eq(loadBalancers.id, id)).run();
  stopHeld(ctx, 'elb.loadbalancer', id);
}

/**
 * Listeners and pools of a load balancer: each change takes the load balancer's lock (lockForUpdate) and leaves
 * the object pending for the alarm, as Octavia does. The checks are Octavia's: one listener per protocol port
 * (UDP apart), a pool protocol its listener can carry, one default pool per listener.
 */
import { and, eq } from 'drizzle-orm';
import { PROVISIONING, type SessionPersistence } from '../../core/elb/states.ts';
import { DomainError } from '../../core/result.ts';
import { healthMonitors, type Listener, listeners, members, type Pool, pools } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { defined, lockForUpdate, missing, pendingRow, refused } from './loadbalancers.ts';

export interface ListenerInput {
  id: string;
  loadbalancerId: string;
  name: string;
  description: string;
  protocol: string;
  protocolPort: number;
  adminStateUp: boolean;
  connectionLimit: number;
  defaultPoolId?: string | null;
  defaultTlsContainerRef?: string | null;
  sniContainerRefs: string[];
  insertHeaders: Record<string, string>;
  tags: string[];
}

export type ListenerPatch = Partial<
  Pick<
    ListenerInput,
    | 'name'
    | 'description'
    | 'adminStateUp'
    | 'connectionLimit'
    | 'defaultPoolId'
    | 'defaultTlsContainerRef'
    | 'sniContainerRefs'
    | 'insertHeaders'
    | 'tags'
  >
>;

export interface PoolInput {
  id: string;
  loadbalancerId?: string;
  listenerId?: string;
  name: string;
  description: string;
  protocol: string;
  lbAlgorithm: string;
  adminStateUp: boolean;
  sessionPersistence: SessionPersistence | null;
  tags: string[];
}

export type PoolPatch = Partial<Pick<PoolInput, 'name' | 'description' | 'adminStateUp' | 'lbAlgorithm' | 'sessionPersistence' | 'tags'>>;

/** The pool protocols each listener protocol can carry (Octavia's compatibility table). */
const CARRIES: Record<string, readonly string[]> = {
  HTTP: ['HTTP', 'PROXY'],
  HTTPS: ['HTTPS', 'TCP', 'PROXY'],
  TERMINATED_HTTPS: ['HTTP', 'PROXY'],
  TCP: ['TCP', 'HTTP', 'HTTPS', 'PROXY'],
  UDP: ['UDP'],
};

/** A listener by id, or Octavia's 404. */
export function listener(ctx: Ctx, id: string): Listener {
  const row = ctx.db.select().from(listeners).where(eq(listeners.id, id)).get();
  if (!row) throw missing('Listener', id);
  return row;
}

/** A pool by id, or Octavia's 404. */
export function pool(ctx: Ctx, id: string): Pool {
  const row = ctx.db.select().from(pools).where(eq(pools.id, id)).get();
  if (!row) throw missing('Pool', id);
  return row;
}

/** Marks a child pending (its load balancer is locked by the caller). */
export function pend<T extends typeof listeners | typeof pools | typeof members | typeof healthMonitors>(
  ctx: Ctx,
  table: T,
  id: string,
  status: string,
  changes: Record<string, unknown> = {},
): void {
  ctx.db
    .update(table)
    .set({ ...changes, provisioningStatus: status, updatedAt: ctx.now } as never)
    .where(eq(table.id, id))
    .run();
}

function requirePoolFor(ctx: Ctx, l: Pick<Listener, 'id' | 'loadbalancerId' | 'protocol'>, poolId: string): void {
  const p = pool(ctx, poolId);
  if (p.loadbalancerId !== l.loadbalancerId) throw refused(`Pool ${poolId} is not on the load balancer of listener ${l.id}.`);
  const user = ctx.db.select().from(listeners).where(eq(listeners.defaultPoolId, poolId)).get();
  if (user && user.id !== l.id)
    throw new DomainError(409, 'DuplicatePoolEntry', `Pool ${poolId} is already in use by listener ${user.id}.`);
  if (!CARRIES[l.protocol]?.includes(p.protocol))
    throw refused(`Validation failure: The pool protocol '${p.protocol}' is invalid while the listener protocol is '${l.protocol}'.`);
}

/** Records a listener (PENDING_CREATE) on an unused protocol port of the load balancer. */
export function createListener(ctx: Ctx, input: ListenerInput): Listener {
  lockForUpdate(ctx, input.loadbalancerId);
  const udp = input.protocol === 'UDP';
  const taken = ctx.db
    .select()
    .from(listeners)
    .where(and(eq(listeners.loadbalancerId, input.loadbalancerId), eq(listeners.protocolPort, input.protocolPort)))
    .all();
  if (taken.some((l) => (l.protocol === 'UDP') === udp))
    throw new DomainError(
      409,
      'DuplicateListenerEntry',
      `Another Listener on this Load Balancer is already using protocol ${input.protocol} and protocol_port ${input.protocolPort}`,
    );
  if (input.protocol === 'TERMINATED_HTTPS' && !input.defaultTlsContainerRef)
    throw refused('An SNI or default certificate container reference must be provided for TERMINATED_HTTPS listeners.');
  if (input.defaultPoolId) requirePoolFor(ctx, { ...input }, input.defaultPoolId);
  const row: Listener = {
    ...input,
    ...pendingRow(ctx, input),
    defaultPoolId: input.defaultPoolId ?? null,
    defaultTlsContainerRef: input.defaultTlsContainerRef ?? null,
  };
  ctx.db.insert(listeners).values(row).run();
  return row;
}

/** Changes a listener (PENDING_UPDATE until the alarm applies it). */
export function updateListener(ctx: Ctx, id: string, patch: ListenerPatch): Listener {
  const l = listener(ctx, id);
  lockForUpdate(ctx, l.loadbalancerId);
  if (patch.defaultPoolId) requirePoolFor(ctx, l, patch.defaultPoolId);
  pend(ctx, listeners, id, PROVISIONING.PENDING_UPDATE, defined(patch));
  return listener(ctx, id);
}

/** Starts deleting a listener; its default pool stays on the load balancer, as in Octavia. */
export function beginDeleteListener(ctx: Ctx, id: string): Listener {
  const l = listener(ctx, id);
  lockForUpdate(ctx, l.loadbalancerId);
  pend(ctx, listeners, id, PROVISIONING.PENDING_DELETE);
  return { ...l, provisioningStatus: PROVISIONING.PENDING_DELETE };
}

function checkPersistence(p: SessionPersistence | null | undefined): void {
  if (!p) return;
  if (p.type === 'APP_COOKIE' && !p.cookie_name)
    throw refused('Validation failure: Field `cookie_name` is required for APP_COOKIE session persistence.');
  if (p.type !== 'APP_COOKIE' && p.cookie_name)
    throw refused(`Validation failure: Field \`cookie_name\` can only be specified with session_persistence type APP_COOKIE.`);
}

/** Records a pool (PENDING_CREATE) on a load balancer, or as the default pool of a listener. */
export function createPool(ctx: Ctx, input: PoolInput): Pool {
  const l = input.listenerId ? listener(ctx, input.listenerId) : null;
  const lbId = l?.loadbalancerId ?? input.loadbalancerId ?? '';
  lockForUpdate(ctx, lbId);
  checkPersistence(input.sessionPersistence);
  if (l) {
    if (l.defaultPoolId) throw new DomainError(409, 'DuplicatePoolEntry', 'This listener already has a default pool');
    if (!CARRIES[l.protocol]?.includes(input.protocol))
      throw refused(`Validation failure: The pool protocol '${input.protocol}' is invalid while the listener protocol is '${l.protocol}'.`);
  }
  const row: Pool = {
    ...pendingRow(ctx, input),
    loadbalancerId: lbId,
    listenerId: l?.id ?? null,
    protocol: input.protocol,
    lbAlgorithm: input.lbAlgorithm,
    sessionPersistence: input.sessionPersistence,
    cursor: 0,
  };
  ctx.db.insert(pools).values(row).run();
  if (l) ctx.db.update(listeners).set({ defaultPoolId: row.id, updatedAt: ctx.now }).where(eq(listeners.id, l.id)).run();
  return row;
}

/** Changes a pool (PENDING_UPDATE until the alarm applies it). */
export function updatePool(ctx: Ctx, id: string, patch: PoolPatch): Pool {
  const p = pool(ctx, id);
  lockForUpdate(ctx, p.loadbalancerId);
  checkPersistence(patch.sessionPersistence);
  pend(ctx, pools, id, PROVISIONING.PENDING_UPDATE, defined(patch));
  return pool(ctx, id);
}

/** Starts deleting a pool with its members and health monitor. */
export function beginDeletePool(ctx: Ctx, id: string): Pool {
  const p = pool(ctx, id);
  lockForUpdate(ctx, p.loadbalancerId);
  const pending = { provisioningStatus: PROVISIONING.PENDING_DELETE, updatedAt: ctx.now };
  ctx.db.update(members).set(pending).where(eq(members.poolId, id)).run();
  ctx.db.update(healthMonitors).set(pending).where(eq(healthMonitors.poolId, id)).run();
  pend(ctx, pools, id, PROVISIONING.PENDING_DELETE);
  return { ...p, ...pending };
}

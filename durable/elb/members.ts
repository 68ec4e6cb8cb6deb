/**
 * A pool's members and its health monitor. Each change takes the load balancer's lock and leaves the object
 * pending for the alarm. A member's operating status is NO_MONITOR while its pool has no monitor; with one it is
 * what the probes saw (probes.ts), ONLINE until they say otherwise.
 */
import { and, eq } from 'drizzle-orm';
import { OPERATING, PROVISIONING } from '../../core/elb/states.ts';
import { parseIp } from '../../core/ipv4.ts';
import { DomainError } from '../../core/result.ts';
import { type HealthMonitor, healthMonitors, type Member, members, subnets } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { pend, pool } from './listeners.ts';
import { defined, lockForUpdate, missing, refused } from './loadbalancers.ts';

export interface MemberInput {
  id: string;
  poolId: string;
  name: string;
  address: string;
  protocolPort: number;
  weight: number;
  subnetId?: string | null;
  adminStateUp: boolean;
  backup: boolean;
  monitorAddress?: string | null;
  monitorPort?: number | null;
  tags: string[];
}

export type MemberPatch = Partial<
  Pick<MemberInput, 'name' | 'weight' | 'adminStateUp' | 'backup' | 'monitorAddress' | 'monitorPort' | 'tags'>
>;

export interface MonitorInput {
  id: string;
  poolId: string;
  name: string;
  type: string;
  delay: number;
  timeout: number;
  maxRetries: number;
  maxRetriesDown: number;
  httpMethod?: string | null;
  urlPath?: string | null;
  expectedCodes?: string | null;
  adminStateUp: boolean;
  tags: string[];
}

export type MonitorPatch = Partial<
  Pick<
    MonitorInput,
    'name' | 'delay' | 'timeout' | 'maxRetries' | 'maxRetriesDown' | 'httpMethod' | 'urlPath' | 'expectedCodes' | 'adminStateUp' | 'tags'
  >
>;

/** A member of a pool, or Octavia's 404 (a member of another pool is as missing). */
export function member(ctx: Ctx, poolId: string, id: string): Member {
  const row = ctx.db
    .select()
    .from(members)
    .where(and(eq(members.id, id), eq(members.poolId, poolId)))
    .get();
  if (!row) throw missing('Member', id);
  return row;
}

/** A health monitor by id, or Octavia's 404. */
export function healthMonitor(ctx: Ctx, id: string): HealthMonitor {
  const row = ctx.db.select().from(healthMonitors).where(eq(healthMonitors.id, id)).get();
  if (!row) throw missing('Health Monitor', id);
  return row;
}

const monitorOf = (ctx: Ctx, poolId: string) => ctx.db.select().from(healthMonitors).where(eq(healthMonitors.poolId, poolId)).get();

/** Records a member (PENDING_CREATE): one per address and port in a pool. */
export function createMember(ctx: Ctx, input: MemberInput): Member {
  const p = pool(ctx, input.poolId);
  lockForUpdate(ctx, p.loadbalancerId);
  if (parseIp(input.address) === null) throw refused(`Invalid input for field/attribute address. Value: '${input.address}'.`);
  if (input.subnetId && !ctx.db.select().from(subnets).where(eq(subnets.id, input.subnetId)).get())
    throw refused(`Subnet ${input.subnetId} not found.`);
  const twin = ctx.db
    .select()
    .from(members)
    .where(and(eq(members.poolId, p.id), eq(members.address, input.address), eq(members.protocolPort, input.protocolPort)))
    .get();
  if (twin)
    throw new DomainError(
      409,
      'DuplicateMemberEntry',
      `Another member on this pool is already using ip ${input.address} on protocol_port ${input.protocolPort}`,
    );
  const monitored = Boolean(monitorOf(ctx, p.id));
  const row: Member = {
    ...input,
    description: '',
    subnetId: input.subnetId ?? null,
    monitorAddress: input.monitorAddress ?? null,
    monitorPort: input.monitorPort ?? null,
    provisioningStatus: PROVISIONING.PENDING_CREATE,
    operatingStatus: !input.adminStateUp ? OPERATING.OFFLINE : monitored ? OPERATING.ONLINE : OPERATING.NO_MONITOR,
    failures: 0,
    successes: 0,
    active: 0,
    served: 0,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(members).values(row).run();
  return row;
}

/** Changes a member (PENDING_UPDATE until the alarm applies it). */
export function updateMember(ctx: Ctx, poolId: string, id: string, patch: MemberPatch): Member {
  const p = pool(ctx, poolId);
  member(ctx, poolId, id);
  lockForUpdate(ctx, p.loadbalancerId);
  pend(ctx, members, id, PROVISIONING.PENDING_UPDATE, defined(patch));
  return member(ctx, poolId, id);
}

/** Starts deleting a member. */
export function beginDeleteMember(ctx: Ctx, poolId: string, id: string): Member {
  const p = pool(ctx, poolId);
  const m = member(ctx, poolId, id);
  lockForUpdate(ctx, p.loadbalancerId);
  pend(ctx, members, id, PROVISIONING.PENDING_DELETE);
  return { ...m, provisioningStatus: PROVISIONING.PENDING_DELETE };
}

/** Records a pool's health monitor (one per pool); its first probe round is due at once. */
export function createHealthMonitor(ctx: Ctx, input: MonitorInput): HealthMonitor {
  const p = pool(ctx, input.poolId);
  lockForUpdate(ctx, p.loadbalancerId);
  if (monitorOf(ctx, p.id)) throw new DomainError(409, 'DuplicateHealthMonitor', 'This pool already has a health monitor');
  if (input.timeout > input.delay) throw refused('Validation failure: The HM timeout must be less than or equal to the HM delay.');
  const http = input.type === 'HTTP' || input.type === 'HTTPS';
  const row: HealthMonitor = {
    ...input,
    description: '',
    httpMethod: http ? (input.httpMethod ?? 'GET') : null,
    urlPath: http ? (input.urlPath ?? '/') : null,
    expectedCodes: http ? (input.expectedCodes ?? '200') : null,
    provisioningStatus: PROVISIONING.PENDING_CREATE,
    operatingStatus: OPERATING.ONLINE,
    nextProbeAt: 0,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(healthMonitors).values(row).run();
  // Monitored from now on: ONLINE until the probes say otherwise.
  ctx.db
    .update(members)
    .set({ operatingStatus: OPERATING.ONLINE, failures: 0, successes: 0 })
    .where(and(eq(members.poolId, p.id), eq(members.operatingStatus, OPERATING.NO_MONITOR)))
    .run();
  return row;
}

/** Changes a health monitor (PENDING_UPDATE until the alarm applies it). */
export function updateHealthMonitor(ctx: Ctx, id: string, patch: MonitorPatch): HealthMonitor {
  const h = healthMonitor(ctx, id);
  lockForUpdate(ctx, pool(ctx, h.poolId).loadbalancerId);
  if ((patch.timeout ?? h.timeout) > (patch.delay ?? h.delay))
    throw refused('Validation failure: The HM timeout must be less than or equal to the HM delay.');
  pend(ctx, healthMonitors, id, PROVISIONING.PENDING_UPDATE, defined(patch));
  return healthMonitor(ctx, id);
}

/** Starts deleting a health monitor; its pool's members go back to NO_MONITOR when it is gone. */
export function beginDeleteHealthMonitor(ctx: Ctx, id: string): HealthMonitor {
  const h = healthMonitor(ctx, id);
  lockForUpdate(ctx, pool(ctx, h.poolId).loadbalancerId);
  pend(ctx, healthMonitors, id, PROVISIONING.PENDING_DELETE);
  return { ...h, provisioningStatus: PROVISIONING.PENDING_DELETE };
}

/**
 * Elastic IPs and bandwidths, the tenant's side: a record moves PENDING_CREATE (reserved against the quota,
 * address being taken from the pool) -> DOWN (held, unbound) <-> ACTIVE (bound to a port) -> PENDING_DELETE
 * (address being returned) -> gone. The TenantDO drives the steps that talk to the pool.
 */
import { and, eq, ne } from 'drizzle-orm';
import { conflict, inUse, invalid, notFound } from '../../core/result.ts';
import { bandwidths, elasticIps, ports } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';
import { requireQuota } from './quotas.ts';
import { resizeBandwidth, startBandwidth, startHeld, stopHeld } from './usage.ts';

export interface BandwidthInput {
  id?: string;
  name?: string;
  size?: number;
  shareType?: 'PER' | 'WHOLE';
  chargeMode?: 'traffic' | 'bandwidth';
}

/** Bandwidth sizes Flexible Engine sells, in Mbit/s. */
export const BANDWIDTH_RANGE = { min: 1, max: 1000 };

/** An Elastic IP by id, or 404. */
export function eip(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(elasticIps).where(eq(elasticIps.id, id)).get();
  if (!row) throw notFound('FloatingIP', id);
  return row;
}

/** A bandwidth by id, or 404. */
export function bandwidth(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(bandwidths).where(eq(bandwidths.id, id)).get();
  if (!row) throw notFound('Bandwidth', id);
  return row;
}

function checkSize(size: number) {
  if (!Number.isInteger(size) || size < BANDWIDTH_RANGE.min || size > BANDWIDTH_RANGE.max) {
    throw invalid(`Invalid bandwidth size ${size}: from ${BANDWIDTH_RANGE.min} to ${BANDWIDTH_RANGE.max} Mbit/s.`, 'InvalidInput');
  }
}

/** Creates a bandwidth (a shared one, WHOLE, is created on its own; a dedicated one, PER, with its EIP). */
export function createBandwidth(ctx: Ctx, input: Required<Omit<BandwidthInput, 'id'>> & { id: string }) {
  checkSize(input.size);
  if (input.shareType === 'WHOLE') requireQuota(ctx, 'bandwidth');
  const row = { ...input, createdAt: ctx.now, updatedAt: ctx.now };
  ctx.db.insert(bandwidths).values(row).run();
  // A shared bandwidth is charged from its creation; a dedicated one from its EIP's allocation (completeEip).
  if (row.shareType === 'WHOLE') startBandwidth(ctx, row);
  return row;
}

/** Resizes or renames a bandwidth. */
export function updateBandwidth(ctx: Ctx, id: string, patch: { name?: string; size?: number }) {
  bandwidth(ctx, id);
  if (patch.size !== undefined) checkSize(patch.size);
  ctx.db
    .update(bandwidths)
    .set({ ...patch, updatedAt: ctx.now })
    .where(eq(bandwidths.id, id))
    .run();
  const row = bandwidth(ctx, id);
  resizeBandwidth(ctx, row);
  return row;
}

/** Deletes a shared bandwidth that no EIP uses. */
export function deleteBandwidth(ctx: Ctx, id: string): void {
  const b = bandwidth(ctx, id);
  if (b.shareType === 'PER') throw conflict('BandwidthInUse', `Bandwidth ${id} is dedicated to an Elastic IP: release the EIP instead.`);
  if (ctx.db.select().from(elasticIps).where(eq(elasticIps.bandwidthId, id)).get())
    throw inUse('Bandwidth', `Bandwidth ${id} is used by Elastic IPs.`);
  ctx.db.delete(bandwidths).where(eq(bandwidths.id, id)).run();
  stopHeld(ctx, 'vpc.bandwidth', id);
}

export interface EipInput {
  id: string;
  region: string;
  type?: string;
  description?: string;
  bandwidth: BandwidthInput;
}

/** Step 1: records an EIP as PENDING_CREATE with its bandwidth, against the quotas; a retried id finds its record. */
export function reserveEip(ctx: Ctx, input: EipInput) {
  // A redelivered request goes on from the record it already made (the pool keys its address by the same id).
  const existing = ctx.db.select().from(elasticIps).where(eq(elasticIps.id, input.id)).get();
  if (existing) return existing;
  requireQuota(ctx, 'floatingip');
  if ((input.type ?? '5_bgp') !== '5_bgp') throw invalid(`Unsupported EIP type ${input.type}: 5_bgp is offered.`, 'InvalidInput');
  let bandwidthId: string;
  if (input.bandwidth.shareType === 'WHOLE' && !input.bandwidth.id)
    throw invalid('A shared (WHOLE) bandwidth is named by its id.', 'InvalidInput');
  if (input.bandwidth.shareType === 'WHOLE' && input.bandwidth.id) {
    const shared = bandwidth(ctx, input.bandwidth.id);
    if (shared.shareType !== 'WHOLE') throw invalid(`Bandwidth ${shared.id} is not a shared bandwidth.`, 'InvalidInput');
    bandwidthId = shared.id;
  } else {
    bandwidthId = createBandwidth(ctx, {
      id: crypto.randomUUID(),
      name: input.bandwidth.name ?? `bandwidth-${input.id.slice(0, 8)}`,
      size: input.bandwidth.size ?? 5,
      shareType: 'PER',
      chargeMode: input.bandwidth.chargeMode ?? 'traffic',
    }).id;
  }
  const row = {
    id: input.id,
    address: null,
    type: input.type ?? '5_bgp',
    status: 'PENDING_CREATE',
    portId: null,
    fixedIpAddress: null,
    bandwidthId,
    region: input.region,
    description: input.description ?? '',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(elasticIps).values(row).run();
  return row;
}

/** Step 2: the pool gave an address; the EIP is DOWN (or bound at once when a port was asked for). */
export function completeEip(ctx: Ctx, id: string, address: string) {
  const current = eip(ctx, id);
  if (current.status !== 'PENDING_CREATE') return current;
  ctx.db.update(elasticIps).set({ address, status: 'DOWN', updatedAt: ctx.now }).where(eq(elasticIps.id, id)).run();
  // Charged from here, when the tenant holds the address: not while the pool step may still fail.
  startHeld(ctx, 'vpc.eip', id, 1, { region: current.region });
  const b = bandwidth(ctx, current.bandwidthId);
  if (b.shareType === 'PER') startBandwidth(ctx, b);
  return eip(ctx, id);
}

/** Removes an EIP record and its dedicated bandwidth (its address is already back in the pool, or never left). */
export function dropEip(ctx: Ctx, id: string): void {
  const current = ctx.db.select().from(elasticIps).where(eq(elasticIps.id, id)).get();
  if (!current) return;
  ctx.db.delete(elasticIps).where(eq(elasticIps.id, id)).run();
  stopEip(ctx, current);
  const b = ctx.db.select().from(bandwidths).where(eq(bandwidths.id, current.bandwidthId)).get();
  if (b?.shareType === 'PER') ctx.db.delete(bandwidths).where(eq(bandwidths.id, b.id)).run();
}

/** The EIP is no longer the tenant's to use: its meter and its dedicated bandwidth's stop (a never-started one: nothing). */
function stopEip(ctx: Ctx, e: { id: string; bandwidthId: string }): void {
  stopHeld(ctx, 'vpc.eip', e.id);
  const b = ctx.db.select().from(bandwidths).where(eq(bandwidths.id, e.bandwidthId)).get();
  if (!b || b.shareType === 'PER') stopHeld(ctx, 'vpc.bandwidth', e.bandwidthId);
}

/** Binds an EIP to a port's fixed address (ACTIVE), or unbinds it (DOWN) when portId is null. */
export function bindEip(ctx: Ctx, id: string, portId: string | null, fixedIp?: string) {
  const current = eip(ctx, id);
  if (current.status === 'PENDING_CREATE' || current.status === 'PENDING_DELETE') {
    throw conflict('FloatingIPBusy', `Elastic IP ${id} is ${current.status}.`);
  }
  if (portId === null) {
    ctx.db
      .update(elasticIps)
      .set({ portId: null, fixedIpAddress: null, status: 'DOWN', updatedAt: ctx.now })
      .where(eq(elasticIps.id, id))
      .run();
    return eip(ctx, id);
  }
  const p = ctx.db.select().from(ports).where(eq(ports.id, portId)).get();
  if (!p) throw notFound('Port', portId);
  const address = fixedIp ?? p.fixedIps[0]?.ip_address;
  if (!address || !p.fixedIps.some((f) => f.ip_address === address)) {
    throw invalid(`Port ${portId} has no fixed IP ${fixedIp ?? ''} to bind the Elastic IP to.`, 'BadRequest');
  }
  const other = ctx.db
    .select()
    .from(elasticIps)
    .where(and(eq(elasticIps.portId, portId), ne(elasticIps.id, id)))
    .get();
  if (other) throw conflict('FloatingIPPortAlreadyAssociated', `Port ${portId} already has the Elastic IP ${other.address}.`);
  ctx.db
    .update(elasticIps)
    .set({ portId, fixedIpAddress: address, status: 'ACTIVE', updatedAt: ctx.now })
    .where(eq(elasticIps.id, id))
    .run();
  return eip(ctx, id);
}

/** Step 1 of release: unbinds and marks PENDING_DELETE, so the address is not used while it goes back. */
export function beginRelease(ctx: Ctx, id: string) {
  stopEip(ctx, eip(ctx, id));
  ctx.db
    .update(elasticIps)
    .set({ status: 'PENDING_DELETE', portId: null, fixedIpAddress: null, updatedAt: ctx.now })
    .where(eq(elasticIps.id, id))
    .run();
  return eip(ctx, id);
}

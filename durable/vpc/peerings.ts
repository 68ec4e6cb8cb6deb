/**
 * VPC peerings and the routes through them, one project's side. The TenantDO carries the calls between the two
 * projects; these functions keep each side's records and rules.
 */
import { and, eq } from 'drizzle-orm';
import { overlaps, parseCidr } from '../../core/ipv4.ts';
import { conflict, inUse, invalid, notFound } from '../../core/result.ts';
import { type PeeringSide, peerings, vpcRoutes } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';
import { vpc } from './lookups.ts';

/** The CIDR of a VPC that can be peered (a VPC made through Neutron without a CIDR cannot). */
export function peerableCidr(ctx: Ctx, vpcId: string): string {
  const v = vpc(ctx, vpcId);
  if (!v.cidr) throw invalid(`VPC ${vpcId} has no CIDR and cannot be peered.`, 'InvalidInput');
  return v.cidr;
}

/** Refuses peering two VPCs whose CIDRs overlap. */
export function requireDisjoint(a: string, b: string): void {
  if (overlaps(parseCidr(a)!, parseCidr(b)!))
    throw invalid(`The CIDRs ${a} and ${b} overlap: overlapping VPCs cannot be peered.`, 'InvalidInput');
}

/** A peering this project is part of, or 404. */
export function peering(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(peerings).where(eq(peerings.id, id)).get();
  if (!row) throw notFound('Peering', id);
  return row;
}

/** Refuses a second live peering between the same two VPCs. */
export function requireNoDuplicate(ctx: Ctx, a: PeeringSide, b: PeeringSide): void {
  const live = ctx.db
    .select()
    .from(peerings)
    .all()
    .filter((p) => p.status === 'ACTIVE' || p.status === 'PENDING_ACCEPTANCE');
  const same = live.find(
    (p) =>
      (p.requestVpc.vpc_id === a.vpc_id && p.acceptVpc.vpc_id === b.vpc_id) ||
      (p.requestVpc.vpc_id === b.vpc_id && p.acceptVpc.vpc_id === a.vpc_id),
  );
  if (same) throw conflict('PeeringExists', `A peering between these VPCs already exists: ${same.id}.`);
}

export interface PeeringRecord {
  id: string;
  role: 'requester' | 'accepter';
  name: string;
  description: string;
  status: string;
  requestVpc: PeeringSide;
  acceptVpc: PeeringSide;
  createdAt: string;
  updatedAt: string;
}

/** Writes this side's record (a second write of the same peering replaces it: the link is idempotent). */
export function savePeering(ctx: Ctx, row: PeeringRecord): PeeringRecord {
  ctx.db.insert(peerings).values(row).onConflictDoUpdate({ target: peerings.id, set: row }).run();
  return row;
}

/** Changes a peering's status on this side. */
export function setStatus(ctx: Ctx, id: string, status: string) {
  peering(ctx, id);
  ctx.db.update(peerings).set({ status, updatedAt: ctx.now }).where(eq(peerings.id, id)).run();
  return peering(ctx, id);
}

/** Forgets a peering on this side, with the routes through it. */
export function dropPeering(ctx: Ctx, id: string): void {
  ctx.db.delete(vpcRoutes).where(eq(vpcRoutes.nexthop, id)).run();
  ctx.db.delete(peerings).where(eq(peerings.id, id)).run();
}

/** Refuses deleting a VPC that still has peerings. */
export function requireNoPeerings(ctx: Ctx, vpcId: string): void {
  const any = ctx.db
    .select()
    .from(peerings)
    .all()
    .find((p) => (p.requestVpc.vpc_id === vpcId || p.acceptVpc.vpc_id === vpcId) && p.status !== 'REJECTED');
  if (any) throw inUse('Router', `VPC ${vpcId} still has the peering ${any.id}; delete it first.`);
}

/** Adds a route of one of this project's VPCs through an active peering. */
export function createRoute(ctx: Ctx, input: { id: string; vpcId: string; destination: string; nexthop: string }) {
  const p = peering(ctx, input.nexthop);
  if (p.status !== 'ACTIVE') throw conflict('PeeringNotActive', `Peering ${p.id} is ${p.status}, not ACTIVE.`);
  const own = p.role === 'requester' ? p.requestVpc : p.acceptVpc;
  const sameProject = p.requestVpc.tenant_id === p.acceptVpc.tenant_id;
  if (own.vpc_id !== input.vpcId && !(sameProject && [p.requestVpc.vpc_id, p.acceptVpc.vpc_id].includes(input.vpcId))) {
    throw invalid(`VPC ${input.vpcId} is not a side of peering ${p.id}.`, 'InvalidInput');
  }
  const dest = parseCidr(input.destination);
  if (!dest) throw invalid(`Invalid destination ${input.destination}.`, 'InvalidInput');
  const ownCidr = vpc(ctx, input.vpcId).cidr;
  if (ownCidr && overlaps(dest, parseCidr(ownCidr)!))
    throw invalid(`The destination ${dest.text} overlaps the VPC's own CIDR ${ownCidr}.`, 'InvalidInput');
  const clash = ctx.db
    .select()
    .from(vpcRoutes)
    .where(and(eq(vpcRoutes.vpcId, input.vpcId), eq(vpcRoutes.destination, dest.text)))
    .get();
  if (clash) throw conflict('RouteExists', `VPC ${input.vpcId} already has a route to ${dest.text}.`);
  const row = {
    id: input.id,
    vpcId: input.vpcId,
    type: 'peering' as const,
    destination: dest.text,
    nexthop: p.id,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(vpcRoutes).values(row).run();
  return row;
}

/** Deletes a route. */
export function deleteRoute(ctx: Ctx, id: string): void {
  const row = ctx.db.select().from(vpcRoutes).where(eq(vpcRoutes.id, id)).get();
  if (!row) throw notFound('Route', id);
  ctx.db.delete(vpcRoutes).where(eq(vpcRoutes.id, id)).run();
}

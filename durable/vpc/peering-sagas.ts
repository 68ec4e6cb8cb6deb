/**
 * VPC peerings across projects: each side keeps its own copy of the peering, in its own TenantDO, and tells
 * the other side (through its TenantDO's RPC methods) what changed.
 */
import { eq } from 'drizzle-orm';
import { DomainError } from '../../core/result.ts';
import * as t from '../../schema/tenant.ts';
import type { Saga } from './context.ts';
import * as peer from './peerings.ts';

const other = (s: Saga, projectId: string) => s.env.TENANT.getByName(projectId);

export interface PeeringRequest {
  id: string;
  name: string;
  description?: string;
  request: t.PeeringSide;
  accept: t.PeeringSide;
}

/**
 * Requests a peering from one of this project's VPCs. Within one project it is ACTIVE at once; to another
 * project it waits (PENDING_ACCEPTANCE) for that project to accept, and that project gets a link to it.
 */
export async function createPeering(s: Saga, input: PeeringRequest) {
  const local = input.request.tenant_id === input.accept.tenant_id;
  const remoteCidr = local ? undefined : await other(s, input.accept.tenant_id).peerableCidr(input.accept.vpc_id);
  if (remoteCidr && 'error' in remoteCidr) return remoteCidr;
  const row = s.run((ctx) => {
    const mine = peer.peerableCidr(ctx, input.request.vpc_id);
    peer.requireDisjoint(mine, remoteCidr ? remoteCidr.ok : peer.peerableCidr(ctx, input.accept.vpc_id));
    if (input.request.vpc_id === input.accept.vpc_id) throw new DomainError(400, 'InvalidInput', 'A VPC cannot be peered with itself.');
    peer.requireNoDuplicate(ctx, input.request, input.accept);
    return peer.savePeering(ctx, {
      id: input.id,
      role: 'requester',
      name: input.name,
      description: input.description ?? '',
      status: local ? 'ACTIVE' : 'PENDING_ACCEPTANCE',
      requestVpc: input.request,
      acceptVpc: input.accept,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
  });
  if ('error' in row || local) return row;
  const linked = await other(s, input.accept.tenant_id).linkPeering({ ...row.ok, role: 'accepter' });
  if ('error' in linked) s.run((ctx) => peer.dropPeering(ctx, input.id));
  return 'error' in linked ? linked : row;
}

/** The requesting side learns the answer of the accepting side (a step of answerPeering, run there). */
export function answered(s: Saga, id: string, status: 'ACTIVE' | 'REJECTED') {
  return s.run((ctx) => {
    const p = peer.peering(ctx, id);
    if (p.role !== 'requester' || p.status !== 'PENDING_ACCEPTANCE')
      throw new DomainError(409, 'PeeringNotPending', `Peering ${id} is ${p.status}.`);
    return peer.setStatus(ctx, id, status);
  });
}

/** Accepts (or rejects) a peering another project asked this one for. */
export async function answerPeering(s: Saga, id: string, accept: boolean) {
  const mine = s.run((ctx) => peer.peering(ctx, id));
  if ('error' in mine) return mine;
  if (mine.ok.role !== 'accepter')
    return { error: { status: 409, kind: 'PeeringNotPending', message: 'Only the accepting project answers a peering request.' } };
  const answer = await other(s, mine.ok.requestVpc.tenant_id).peeringAnswered(id, accept ? 'ACTIVE' : 'REJECTED');
  if ('error' in answer) {
    if (answer.error.status === 404) s.run((ctx) => peer.dropPeering(ctx, id));
    return answer;
  }
  return s.run((ctx) => peer.setStatus(ctx, id, answer.ok.status));
}

/** Deletes a peering from either side; the other side forgets it too, with the routes through it. */
export async function deletePeering(s: Saga, id: string) {
  const mine = s.run((ctx) => peer.peering(ctx, id));
  if ('error' in mine) return mine;
  const otherProject = mine.ok.role === 'requester' ? mine.ok.acceptVpc.tenant_id : mine.ok.requestVpc.tenant_id;
  if (otherProject !== (mine.ok.role === 'requester' ? mine.ok.requestVpc.tenant_id : mine.ok.acceptVpc.tenant_id)) {
    await other(s, otherProject).peeringGone(id);
  }
  return s.run((ctx) => peer.dropPeering(ctx, id));
}

/** Renames a peering, on both sides. */
export async function updatePeering(s: Saga, id: string, patch: { name?: string; description?: string }) {
  const r = s.run((ctx) => {
    peer.peering(ctx, id);
    ctx.db
      .update(t.peerings)
      .set({ ...patch, updatedAt: ctx.now })
      .where(eq(t.peerings.id, id))
      .run();
    return peer.peering(ctx, id) as peer.PeeringRecord;
  });
  if ('error' in r || r.ok.requestVpc.tenant_id === r.ok.acceptVpc.tenant_id) return r;
  const otherProject = r.ok.role === 'requester' ? r.ok.acceptVpc.tenant_id : r.ok.requestVpc.tenant_id;
  await other(s, otherProject).linkPeering({ ...r.ok, role: r.ok.role === 'requester' ? 'accepter' : 'requester' });
  return r;
}

/**
 * VPC peerings, the use cases behind the Neutron-style `/vpc/peerings` and the Console. A peering is requested
 * from one of the caller's VPCs; one to another project waits for that project to accept or reject it.
 */
import type { Peering } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { forbidden } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';

/** What a door asks of a new peering: the caller's VPC, and the VPC (of another project, if named) to peer with. */
export interface PeeringRequest {
  name: string;
  description?: string;
  requestVpcId: string;
  /** Must be the caller's own project when given: a peering is requested from the caller's side. */
  requestProjectId?: string;
  acceptVpcId: string;
  acceptProjectId?: string;
}

/** The project's peerings, as requester or accepter. */
export async function listPeerings(caller: Caller): Promise<Peering[]> {
  return (await tenantOf(caller).list(['peerings'])).peerings;
}

/** The caller's own VPC of a peering (its requesting or accepting side). */
export const ownVpcOf = (p: Peering): string => (p.role === 'requester' ? p.requestVpc.vpc_id : p.acceptVpc.vpc_id);

/** Requests a peering; within the project it is ACTIVE at once, to another it is PENDING_ACCEPTANCE. */
export async function createPeering(caller: Caller, req: PeeringRequest): Promise<Peering> {
  if (req.requestProjectId && req.requestProjectId !== caller.projectId)
    throw forbidden('A peering is requested from a VPC of the project of the token.');
  return unwrap(
    await tenantOf(caller).createPeering({
      id: crypto.randomUUID(),
      name: req.name,
      description: req.description,
      request: { vpc_id: req.requestVpcId, tenant_id: caller.projectId },
      accept: { vpc_id: req.acceptVpcId, tenant_id: req.acceptProjectId || caller.projectId },
    }),
  );
}

/** Accepts or rejects a peering another project asked the caller's for. */
export async function answerPeering(caller: Caller, id: string, accept: boolean): Promise<Peering> {
  return unwrap(await tenantOf(caller).answerPeering(id, accept));
}

/** Renames a peering, on both sides. */
export async function updatePeering(caller: Caller, id: string, patch: { name?: string; description?: string }): Promise<Peering> {
  return unwrap(await tenantOf(caller).updatePeering(id, patch));
}

/** Deletes a peering from either side, with the routes through it. */
export async function deletePeering(caller: Caller, id: string): Promise<void> {
  unwrap(await tenantOf(caller).deletePeering(id));
}

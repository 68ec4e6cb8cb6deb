/**
 * A pool's members, the use cases of the LBaaS door and of Auto Scaling (whose groups' servers join and leave
 * their pools): a member is recorded PENDING_CREATE under the load balancer's lock, and leaves PENDING_DELETE.
 */
import type { Member } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

export interface JoinRequest {
  /** Chosen by the caller, so that a join asked twice makes one member. */
  id: string;
  poolId: string;
  name: string;
  address: string;
  port: number;
  weight: number;
  subnetId?: string | null;
}

/** Adds a member to a pool (or finds the one with that id already there). */
export async function joinPool(caller: Caller, req: JoinRequest): Promise<Member> {
  const t = tenantOf(caller);
  const existing = (await t.list(['members'])).members.find((m) => m.id === req.id);
  if (existing) return existing;
  return unwrap(
    await t.createMember({
      id: req.id,
      poolId: req.poolId,
      name: req.name,
      address: req.address,
      protocolPort: req.port,
      weight: req.weight,
      subnetId: req.subnetId ?? null,
      adminStateUp: true,
      backup: false,
      tags: [],
    }),
  );
}

/** Starts removing a member from its pool; one already gone is nothing to do. */
export async function leavePool(caller: Caller, poolId: string, memberId: string): Promise<void> {
  const t = tenantOf(caller);
  if (!(await t.list(['members'])).members.some((m) => m.id === memberId)) return;
  unwrap(await t.deleteMember(poolId, memberId));
}

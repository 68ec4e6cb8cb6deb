/** What the compute steps share: starting a server's instance on a host, and what a claim counts. */

import type { AppliedProfile } from '../../core/ces/load-profile.ts';
import type { Env } from '../../core/env.ts';
import type { ClaimRequest } from '../../durable/zone.ts';
import type { Server } from '../../schema/tenant.ts';
import { unwrap } from '../lib/tenant.ts';

/** Host disk a server claims: none, since root and data disks are EVS volumes (Flexible Engine flavors have no local disk). */
export const HOST_DISK_GB = 0;

/** Whether a flavor is a bare-metal one (a whole bare-metal host). */
export const isBaremetal = (flavorId: string) => flavorId.startsWith('physical.');

/** A server group as its members' claims name it. */
export type ClaimGroup = ClaimRequest['group'];

/**
 * What a server claims in its zone: its size (the flavor it has, or one it is resized to), its kind, its
 * tenancy, and its server group, so that build, resize and recovery place it by the same rules.
 */
export function claimOf(
  projectId: string,
  s: Server,
  group: ClaimGroup,
  size: { flavorId: string; vcpus: number; ramMb: number } = s,
): ClaimRequest {
  return {
    serverId: s.id,
    projectId,
    vcpus: size.vcpus,
    ramMb: size.ramMb,
    diskGb: HOST_DISK_GB,
    baremetal: isBaremetal(size.flavorId),
    // A server named to a dedicated host is a dedicated one, whichever way it was asked.
    dedicated: s.hints.tenancy === 'dedicated' || s.hints.dedicatedHostId !== undefined,
    group: group ? { id: group.id, policy: group.policy } : undefined,
  };
}

/** What a server claims, its server group read from its project (resize and recovery; a build has it already). */
export async function claimRequest(
  env: Env,
  projectId: string,
  s: Server,
  size: { flavorId: string; vcpus: number; ramMb: number } = s,
): Promise<ClaimRequest> {
  const groups = s.serverGroupId ? (await env.TENANT.getByName(projectId).list(['server_groups'])).server_groups : [];
  return claimOf(
    projectId,
    s,
    groups.find((g) => g.id === s.serverGroupId),
    size,
  );
}

/**
 * Starts a server's instance on a host with the addresses of its ports (read from its project unless given) and
 * the workload its guest ran before (a move or a rebuild keeps it); idempotent per server on that host.
 */
export async function spawnOn(
  env: Env,
  projectId: string,
  s: Server,
  hostId: string,
  opts: { flavorId?: string; recovery?: boolean; addresses?: string[]; workload?: AppliedProfile | null } = {},
) {
  const addresses = opts.addresses ?? unwrap(await env.TENANT.getByName(projectId).serverAddresses(s.id));
  return env.HOST.getByName(hostId).spawn(hostId, {
    serverId: s.id,
    projectId,
    zone: s.zone,
    name: s.name,
    image: s.imageId,
    flavor: opts.flavorId ?? s.flavorId,
    addresses,
    hasUserData: Boolean(s.userData),
    keyName: s.keyName,
    recovery: opts.recovery,
    workload: opts.workload,
  });
}

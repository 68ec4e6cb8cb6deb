/**
 * Flexible Engine's Dedicated Host hint, `os:scheduler_hints.dedicated_host_id`: the named host must be a Dedicated
 * Cloud host the operator granted to the caller's project (workers/ecs/hosts.api.ts), checked before anything is
 * made. Such a server is dedicated (it lands on its project's hosts only, on a rebuild after a failure too) and
 * lives in the host's zone. Placement checks the grant again, since the operator may withdraw it meanwhile.
 */
import type { SchedulerHints } from '../../schema/tenant.ts';
import hostSeed from '../../seed/hosts.json';
import type { Caller } from '../lib/caller.ts';
import { badRequest } from '../lib/errors.ts';

/** The scheduler hints of a create request, as both APIs name them. */
export interface HintsAsked {
  tenancy?: 'dedicated' | 'shared';
  dedicated_host_id?: string;
}

/**
 * The hints to record and the zone the server must be in (undefined: any of `zones`). A host that does not exist,
 * is in another region, or is not granted to the project is refused alike (400), so that nothing is learnt of
 * other tenants' hosts.
 */
export async function placementHints(
  caller: Caller,
  asked: HintsAsked,
  zones: string[],
  zone: string | undefined,
): Promise<{ hints: SchedulerHints; zone: string | undefined }> {
  const hostId = asked.dedicated_host_id;
  if (hostId === undefined) return { hints: { tenancy: asked.tenancy }, zone };
  if (asked.tenancy === 'shared')
    throw badRequest(`A dedicated host [${hostId}] cannot take a server whose tenancy is shared.`, 'Ecs.0005');
  const { projectId } = caller;
  const hostZone = hostSeed.find((h) => h.id === hostId && zones.includes(h.zone))?.zone;
  const granted = hostZone !== undefined && (await caller.env.ZONE.getByName(hostZone).grantedTo(hostZone, hostId, projectId));
  if (!granted) throw badRequest(`Dedicated host [${hostId}] does not exist or is not allocated to this project.`, 'Ecs.0005');
  if (zone !== undefined && zone !== hostZone)
    throw badRequest(`Dedicated host [${hostId}] is in availability zone ${hostZone}, not ${zone}.`, 'Ecs.0005');
  return { hints: { tenancy: 'dedicated', dedicatedHostId: hostId }, zone: hostZone };
}

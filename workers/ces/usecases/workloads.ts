/**
 * The workload a simulated server's guest runs, the one use case behind the API's `load-profiles` routes and the
 * Console's workload form: the server is looked up in the caller's project, its host keeps the workload.
 */
import type { AppliedProfile, LoadProfile } from '../../../core/ces/load-profile.ts';
import type { Caller } from '../../lib/caller.ts';
import { conflict, notFound } from '../../lib/errors.ts';

/** The host of a server of the caller's project (404 for none there, 409 while it has no host yet). */
async function hostOf(caller: Caller, serverId: string) {
  const s = await caller.env.TENANT.getByName(caller.projectId).server(serverId);
  if (!s) throw notFound(`The server ${serverId} does not exist.`);
  if (!s.hostId) throw conflict(`The server ${serverId} is not on a host yet (status ${s.status}).`);
  return caller.env.HOST.getByName(s.hostId);
}

/** The workload the server's guest runs (null: idle). */
export async function workloadOf(caller: Caller, serverId: string): Promise<AppliedProfile | null> {
  return (await hostOf(caller, serverId)).workloadOf(serverId);
}

/** The workloads of servers the caller has listed with their hosts (one call to each host, none to the project). */
export function workloadsOf(caller: Caller, servers: readonly { id: string; hostId: string }[]): Promise<(AppliedProfile | null)[]> {
  return Promise.all(servers.map((s) => caller.env.HOST.getByName(s.hostId).workloadOf(s.id)));
}

/** Sets the guest's workload from now on (its offsets count from now), or with null makes it idle. */
export async function setWorkload(caller: Caller, serverId: string, profile: LoadProfile | null): Promise<AppliedProfile | null> {
  const host = await hostOf(caller, serverId);
  const applied = profile ? { profile, appliedAt: Date.now() } : null;
  if (!(await host.setWorkload(serverId, applied))) throw conflict(`The server ${serverId} is not running on its host.`);
  return applied;
}

/**
 * Auto Scaling's reads and changes behind the Console (the API's routes call the same AsDO methods): the project's
 * groups with their configurations' names, one group with its instances, policies and activity log, a new desired
 * count, and a policy run by hand.
 */
import type { Caller } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

const asOf = (caller: Caller) => caller.env.AS.getByName(caller.projectId);

/** The project's groups, each with its configuration's name. */
export async function scalingGroups(caller: Caller) {
  const store = asOf(caller);
  const [groups, configs] = await Promise.all([store.groups({}), store.configurations({})]);
  const names = new Map(unwrap(configs).map((c) => [c.id, c.name]));
  return unwrap(groups).map((g) => ({ group: g, configurationName: g.configurationId ? (names.get(g.configurationId) ?? null) : null }));
}

/** One group of the project with its instances, policies and activities (another project's is as missing). */
export async function scalingGroup(caller: Caller, id: string) {
  const store = asOf(caller);
  const group = unwrap(await store.group(id));
  const [instances, policies, activities] = await Promise.all([store.instances(id, {}), store.policies(id), store.activities(id, {})]);
  return { group, instances: unwrap(instances), policies: unwrap(policies), activities: unwrap(activities) };
}

/** Sets a group's desired count (within its bounds: the AsDO refuses otherwise). */
export async function setDesired(caller: Caller, id: string, desired: number): Promise<void> {
  unwrap(await asOf(caller).updateGroup(id, { desired }));
}

/** The group a policy of the project belongs to. */
export async function policyGroup(caller: Caller, id: string): Promise<string> {
  return unwrap(await asOf(caller).policy(id)).groupId;
}

/** Runs a policy now, as AS's `execute` action does; answers its group. */
export async function runPolicy(caller: Caller, id: string): Promise<string> {
  unwrap(await asOf(caller).policyAction(id, 'execute'));
  return policyGroup(caller, id);
}

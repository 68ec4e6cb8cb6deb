/**
 * A project's scaling groups inside its AsDO: their bounds and desired count (min <= desired <= max always), their
 * network and load balancer bindings, pause and resume, and deletion: refused while the group holds instances or
 * is scaling, unless forced, when the group goes DELETING, gives up every instance and then disappears.
 */
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { type Group, groups, instances, policies } from '../../schema/as.ts';
import { contains } from '../lib/contains.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { configuration, missing, refused } from './configurations.ts';

/** At most this many groups per project (AS's default quota). */
export const GROUP_QUOTA = 25;

export type GroupInput = Omit<Group, 'status' | 'lastScalingAt' | 'lastAuditAt' | 'retryAt' | 'createdAt'>;
export type GroupPatch = Partial<
  Pick<
    Group,
    | 'name'
    | 'configurationId'
    | 'desired'
    | 'min'
    | 'max'
    | 'coolDown'
    | 'networks'
    | 'securityGroups'
    | 'zones'
    | 'multiAzPolicy'
    | 'pools'
    | 'auditMethod'
    | 'auditMinutes'
    | 'auditGrace'
    | 'terminatePolicy'
    | 'deletePublicIp'
    | 'deleteVolume'
    | 'description'
  >
>;

function checkBounds(g: Pick<Group, 'min' | 'desired' | 'max'>): void {
  if (!(g.min <= g.desired && g.desired <= g.max))
    throw refused(
      `The expected number of instances (${g.desired}) must lie between the minimum (${g.min}) and the maximum (${g.max}).`,
      'AS.2009',
    );
}

function uniqueName(ctx: OpContext, name: string, except?: string): void {
  const twin = ctx.db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.name, name), except ? ne(groups.id, except) : undefined))
    .get();
  if (twin) throw refused(`A scaling group named ${name} already exists.`, 'AS.2001');
}

/** Records a group, INSERVICE: the driver launches its desired servers. */
export function createGroup(ctx: OpContext, input: GroupInput, now: number): Group {
  const used = ctx.db.select({ n: count() }).from(groups).get()?.n ?? 0;
  if (used >= GROUP_QUOTA) throw refused(`The quota of scaling groups (${GROUP_QUOTA}) is used up.`, 'AS.2002');
  if (input.configurationId) configuration(ctx, input.configurationId);
  checkBounds(input);
  uniqueName(ctx, input.name);
  return ctx.db
    .insert(groups)
    .values({ ...input, status: 'INSERVICE', createdAt: now })
    .returning()
    .get();
}

export function group(ctx: OpContext, id: string): Group {
  const row = ctx.db.select().from(groups).where(eq(groups.id, id)).get();
  if (!row) throw missing('scaling group', id);
  return row;
}

/** The groups matching the filters, in creation order. */
export function listGroups(ctx: OpContext, filter: { name?: string; configurationId?: string; status?: string }): Group[] {
  return ctx.db
    .select()
    .from(groups)
    .where(
      and(
        filter.name ? contains(groups.name, filter.name) : undefined,
        filter.configurationId ? eq(groups.configurationId, filter.configurationId) : undefined,
        filter.status ? eq(groups.status, filter.status as Group['status']) : undefined,
      ),
    )
    .orderBy(asc(groups.createdAt), asc(groups.id))
    .all();
}

const notDeleting = (g: Group) => {
  if (g.status === 'DELETING') throw refused(`The scaling group ${g.id} is being deleted.`, 'AS.2015');
};

/** Changes a group; bounds are checked on the result, and a new desired count is the driver's to reach. */
export function updateGroup(ctx: OpContext, id: string, patch: GroupPatch): Group {
  const g = group(ctx, id);
  notDeleting(g);
  if (patch.configurationId) configuration(ctx, patch.configurationId);
  if (patch.name) uniqueName(ctx, patch.name, id);
  checkBounds({ ...g, ...patch });
  return ctx.db.update(groups).set(patch).where(eq(groups.id, id)).returning().get();
}

/** Pauses (no scaling happens, not even to replace an instance) or resumes a group. */
export function setGroupPaused(ctx: OpContext, id: string, paused: boolean): Group {
  const g = group(ctx, id);
  notDeleting(g);
  if (!paused && !g.configurationId) throw refused(`The scaling group ${id} has no scaling configuration to resume with.`, 'AS.2016');
  return ctx.db
    .update(groups)
    .set({ status: paused ? 'PAUSED' : 'INSERVICE' })
    .where(eq(groups.id, id))
    .returning()
    .get();
}

/** How many instances a group holds. */
export const instanceCount = (ctx: OpContext, groupId: string) =>
  ctx.db.select({ n: count() }).from(instances).where(eq(instances.groupId, groupId)).get()?.n ?? 0;

/**
 * Deletes a group at once when it holds nothing; a forced delete of one that holds instances makes it DELETING
 * (the driver gives them up and then removes it); an unforced one is refused. Its policies go with it.
 */
export function deleteGroup(ctx: OpContext, id: string, force: boolean, scaling: boolean): 'deleted' | 'deleting' {
  const g = group(ctx, id);
  const held = instanceCount(ctx, id);
  if (!force && (held > 0 || scaling))
    throw refused(
      `The scaling group ${id} still has ${held} instance(s) or a scaling action in progress: delete it with force_delete=yes.`,
      'AS.2012',
    );
  if (held === 0) {
    removeGroup(ctx, g.id);
    return 'deleted';
  }
  ctx.db.update(groups).set({ status: 'DELETING', desired: 0, min: 0 }).where(eq(groups.id, id)).run();
  return 'deleting';
}

/** Removes a group's rows once it holds no instance. */
export function removeGroup(ctx: OpContext, id: string): void {
  ctx.db.delete(policies).where(eq(policies.groupId, id)).run();
  ctx.db.delete(groups).where(eq(groups.id, id)).run();
}

/** Sets or deletes a group's tags (AS's `tags/action`), keys unique, at most 10. */
export function tagGroup(ctx: OpContext, id: string, action: 'create' | 'delete', tags: { key: string; value?: string }[]): Group {
  const g = group(ctx, id);
  const next = { ...g.tags };
  for (const t of tags) {
    if (action === 'create') next[t.key] = t.value ?? '';
    else if (t.value === undefined || next[t.key] === t.value) delete next[t.key];
  }
  if (Object.keys(next).length > 10) throw refused('A scaling group has at most 10 tags.', 'AS.2023');
  return ctx.db.update(groups).set({ tags: next }).where(eq(groups.id, id)).returning().get();
}

/**
 * The instances of a project's scaling groups inside its AsDO: listing them, and what a tenant does to them by
 * hand: remove one (its server deleted or kept), add existing servers, protect them from scale-in, or put them in
 * standby. The driver (durable/as/plan.ts) moves their life-cycle states.
 */
import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import { groups, type Instance, instances } from '../../schema/as.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { noteServer, openActivity, openOf } from './activities.ts';
import { missing, refused } from './configurations.ts';
import { group } from './groups.ts';

/** The instances the group counts toward its desired number: all but those leaving it or standing by. */
export const activeCount = (ctx: OpContext, groupId: string) =>
  ctx.db
    .select({ n: count() })
    .from(instances)
    .where(and(eq(instances.groupId, groupId), ne(instances.state, 'REMOVING'), ne(instances.state, 'STANDBY')))
    .get()?.n ?? 0;

/** A group's instances, oldest first, filtered as AS's list is. */
export function listInstances(
  ctx: OpContext,
  groupId: string,
  filter: { state?: string; health?: string; protect?: boolean } = {},
): Instance[] {
  group(ctx, groupId);
  return ctx.db
    .select()
    .from(instances)
    .where(
      and(
        eq(instances.groupId, groupId),
        filter.state ? eq(instances.state, filter.state as Instance['state']) : undefined,
        filter.health ? eq(instances.health, filter.health as Instance['health']) : undefined,
        filter.protect !== undefined ? eq(instances.protect, filter.protect) : undefined,
      ),
    )
    .orderBy(asc(instances.createdAt), asc(instances.serverId))
    .all();
}

/** The project's instances across its groups (the Console and the metrics use it). */
export const allInstances = (ctx: OpContext) => ctx.db.select().from(instances).orderBy(asc(instances.createdAt)).all();

function instance(ctx: OpContext, serverId: string): Instance {
  const row = ctx.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
  if (!row) throw missing('scaling group instance', serverId);
  return row;
}

/** Starts removing instances by hand: the desired count drops with them unless the minimum forbids it. */
export function removeInstances(ctx: OpContext, groupId: string, serverIds: string[], deleteServer: boolean, now: number): void {
  const g = group(ctx, groupId);
  const rows = serverIds.map((id) => instance(ctx, id));
  if (rows.some((r) => r.groupId !== groupId)) throw refused(`Some of the instances are not in the scaling group ${groupId}.`, 'AS.4001');
  if (rows.some((r) => r.state !== 'INSERVICE' && r.state !== 'STANDBY'))
    throw refused('Only instances in service or standing by can be removed.', 'AS.4002');
  const counted = rows.filter((r) => r.state === 'INSERVICE').length;
  const desired = g.desired - counted;
  if (desired < g.min) throw refused(`Removing ${counted} instance(s) would leave fewer than the minimum (${g.min}).`, 'AS.4003');
  const activity =
    openOf(ctx, groupId) ??
    openActivity(ctx, groupId, {
      description: `${rows.length} instance(s) removed by hand.`,
      scalingValue: `-${counted}`,
      instanceValue: activeCount(ctx, groupId),
      desireValue: desired,
      now,
    });
  for (const r of rows) {
    ctx.db
      .update(instances)
      .set({ state: 'REMOVING', deleteServer, activityId: activity.id })
      .where(eq(instances.serverId, r.serverId))
      .run();
    noteServer(ctx, activity, 'removed', r.serverId);
  }
  setDesired(ctx, groupId, desired);
}

const setDesired = (ctx: OpContext, groupId: string, desired: number) =>
  ctx.db.update(groups).set({ desired }).where(eq(groups.id, groupId)).run();

/** Protects instances from scale-in, or lifts the protection. */
export function protectInstances(ctx: OpContext, groupId: string, serverIds: string[], protect: boolean): void {
  group(ctx, groupId);
  for (const id of serverIds) {
    const r = instance(ctx, id);
    if (r.groupId !== groupId) throw refused(`The instance ${id} is not in the scaling group ${groupId}.`, 'AS.4001');
    if (r.state !== 'INSERVICE') throw refused(`The instance ${id} is not in service.`, 'AS.4002');
  }
  ctx.db.update(instances).set({ protect }).where(inArray(instances.serverId, serverIds)).run();
}

/** Adds existing servers of the project to a group, in service (their servers are kept when they leave it). */
export function adoptInstances(ctx: OpContext, groupId: string, servers: { id: string; name: string }[], now: number): void {
  const g = group(ctx, groupId);
  const held = ctx.db.select({ n: count() }).from(instances).where(eq(instances.groupId, groupId)).get()?.n ?? 0;
  if (held + servers.length > g.max) throw refused(`Adding ${servers.length} instance(s) would exceed the maximum (${g.max}).`, 'AS.4004');
  for (const s of servers) {
    if (ctx.db.select().from(instances).where(eq(instances.serverId, s.id)).get())
      throw refused(`The instance ${s.id} is already in a scaling group.`, 'AS.4005');
  }
  for (const s of servers) {
    ctx.db
      .insert(instances)
      .values({
        serverId: s.id,
        groupId,
        name: s.name,
        configurationId: null,
        state: 'PENDING',
        health: 'INITIALIZING',
        protect: false,
        deleteServer: false,
        members: g.pools.map((p) => ({ poolId: p.pool_id, memberId: crypto.randomUUID() })),
        activityId: null,
        deleteAskedAt: null,
        createdAt: now,
      })
      .run();
  }
  setDesired(ctx, groupId, Math.max(g.desired, activeCount(ctx, groupId)));
}

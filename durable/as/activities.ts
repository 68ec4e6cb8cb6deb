/**
 * A group's scaling activities inside its AsDO: one is DOING while the group moves toward its desired count (a
 * policy opens it, or the driver when it replaces an instance or starts a new group), names the servers it added
 * and removed, and ends SUCCESS when the group holds its desired count in service, FAIL when a launch failed.
 */
import { and, desc, eq, gte, lte } from 'drizzle-orm';
import { type Activity, activities } from '../../schema/as.ts';
import type { OpContext } from '../lib/sqlite-object.ts';

/** The group's DOING activity, if any. */
export const openOf = (ctx: OpContext, groupId: string): Activity | undefined =>
  ctx.db
    .select()
    .from(activities)
    .where(and(eq(activities.groupId, groupId), eq(activities.status, 'DOING')))
    .get();

/** Whether the group is scaling (an activity is DOING). */
export const scalingNow = (ctx: OpContext, groupId: string) => openOf(ctx, groupId) !== undefined;

/** Opens an activity (closing as a success any one still open: the new change supersedes it). */
export function openActivity(
  ctx: OpContext,
  groupId: string,
  a: { description: string; scalingValue: string; instanceValue: number; desireValue: number; now: number },
): Activity {
  const open = openOf(ctx, groupId);
  if (open) closeActivity(ctx, open.id, 'SUCCESS', a.now);
  return ctx.db
    .insert(activities)
    .values({
      id: crypto.randomUUID(),
      groupId,
      status: 'DOING',
      description: a.description,
      added: [],
      removed: [],
      scalingValue: a.scalingValue,
      instanceValue: a.instanceValue,
      desireValue: a.desireValue,
      startedAt: a.now,
    })
    .returning()
    .get();
}

/** Records a server added to or removed from the group by an activity. */
export function noteServer(ctx: OpContext, activity: Activity, kind: 'added' | 'removed', serverId: string): void {
  const list = activity[kind];
  if (list.includes(serverId)) return;
  list.push(serverId);
  ctx.db
    .update(activities)
    .set({ [kind]: list })
    .where(eq(activities.id, activity.id))
    .run();
}

/** Ends an activity, with what went wrong when it failed. */
export function closeActivity(ctx: OpContext, id: string, status: 'SUCCESS' | 'FAIL', now: number, why?: string): void {
  const a = ctx.db.select().from(activities).where(eq(activities.id, id)).get();
  if (a?.status !== 'DOING') return;
  ctx.db
    .update(activities)
    .set({ status, endedAt: now, ...(why ? { description: `${a.description} ${why}` } : {}) })
    .where(eq(activities.id, id))
    .run();
}

/** A group's activities between two times, newest first. */
export function listActivities(ctx: OpContext, groupId: string, range: { from?: number; to?: number }): Activity[] {
  return ctx.db
    .select()
    .from(activities)
    .where(
      and(
        eq(activities.groupId, groupId),
        range.from !== undefined ? gte(activities.startedAt, range.from) : undefined,
        range.to !== undefined ? lte(activities.startedAt, range.to) : undefined,
      ),
    )
    .orderBy(desc(activities.startedAt), desc(activities.id))
    .all();
}

/**
 * A group's scaling policies inside its AsDO, and their execution: a policy changes the group's desired count
 * (ADD, REMOVE, SET; within min and max) and opens the activity the driver then carries out. An alarm's execution
 * is refused while the group or the policy cools down and while the group is scaling; a scheduled one is not held
 * by the cool-down; an execution by hand is refused with AS's reason instead of being skipped.
 */
import { and, asc, count, eq, isNotNull, lte } from 'drizzle-orm';
import { desiredAfter, nextRun } from '../../core/as/scaling.ts';
import { type Group, groups, type Policy, policies } from '../../schema/as.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { openActivity, scalingNow } from './activities.ts';
import { missing, refused } from './configurations.ts';
import { group } from './groups.ts';
import { activeCount } from './instances.ts';

/** At most this many policies per group (AS's default quota). */
export const POLICY_QUOTA = 50;

export type PolicyInput = Omit<Policy, 'status' | 'nextRunAt' | 'lastExecutedAt' | 'createdAt'>;
export type PolicyPatch = Partial<Pick<Policy, 'name' | 'type' | 'alarmId' | 'schedule' | 'action' | 'coolDown'>>;

function checkShape(p: Pick<Policy, 'type' | 'alarmId' | 'schedule'>): void {
  if (p.type === 'ALARM' && !p.alarmId) throw refused('An ALARM policy needs alarm_id.', 'AS.3001');
  if (p.type !== 'ALARM' && !p.schedule) throw refused(`A ${p.type} policy needs scheduled_policy.`, 'AS.3002');
}

const nextRunOf = (p: Pick<Policy, 'type' | 'schedule'>, now: number) =>
  p.type === 'ALARM' || !p.schedule ? null : nextRun(p.type, p.schedule, now);

export function createPolicy(ctx: OpContext, input: PolicyInput, now: number): Policy {
  group(ctx, input.groupId);
  const used = ctx.db.select({ n: count() }).from(policies).where(eq(policies.groupId, input.groupId)).get()?.n ?? 0;
  if (used >= POLICY_QUOTA) throw refused(`The quota of policies of a scaling group (${POLICY_QUOTA}) is used up.`, 'AS.3003');
  checkShape(input);
  const next = nextRunOf(input, now);
  if (input.type === 'SCHEDULED' && next === null) throw refused('The launch time of a SCHEDULED policy must be in the future.', 'AS.3004');
  return ctx.db
    .insert(policies)
    .values({ ...input, status: 'INSERVICE', nextRunAt: next, createdAt: now })
    .returning()
    .get();
}

export function policy(ctx: OpContext, id: string): Policy {
  const row = ctx.db.select().from(policies).where(eq(policies.id, id)).get();
  if (!row) throw missing('scaling policy', id);
  return row;
}

/** A group's policies, in creation order. */
export function listPolicies(ctx: OpContext, groupId: string): Policy[] {
  group(ctx, groupId);
  return ctx.db.select().from(policies).where(eq(policies.groupId, groupId)).orderBy(asc(policies.createdAt), asc(policies.id)).all();
}

export function updatePolicy(ctx: OpContext, id: string, patch: PolicyPatch, now: number): Policy {
  const merged = { ...policy(ctx, id), ...patch };
  checkShape(merged);
  return ctx.db
    .update(policies)
    .set({ ...patch, nextRunAt: nextRunOf(merged, now) })
    .where(eq(policies.id, id))
    .returning()
    .get();
}

export function deletePolicy(ctx: OpContext, id: string): void {
  policy(ctx, id);
  ctx.db.delete(policies).where(eq(policies.id, id)).run();
}

export function setPolicyPaused(ctx: OpContext, id: string, paused: boolean, now: number): Policy {
  const p = policy(ctx, id);
  return ctx.db
    .update(policies)
    .set({ status: paused ? 'PAUSED' : 'INSERVICE', nextRunAt: paused ? p.nextRunAt : nextRunOf(p, now) })
    .where(eq(policies.id, id))
    .returning()
    .get();
}

export type Trigger = 'manual' | 'alarm' | 'schedule';

/** Why a policy may not run now, or null when it may. */
function holdOf(ctx: OpContext, p: Policy, g: Group, trigger: Trigger, now: number): string | null {
  if (g.status !== 'INSERVICE') return `The scaling group ${g.id} is ${g.status}.`;
  if (trigger !== 'manual' && p.status !== 'INSERVICE') return `The scaling policy ${p.id} is paused.`;
  if (scalingNow(ctx, g.id)) return `The scaling group ${g.id} is scaling.`;
  if (trigger === 'alarm') {
    if (g.lastScalingAt !== null && now < g.lastScalingAt + g.coolDown * 1000) return `The scaling group ${g.id} is cooling down.`;
    if (p.lastExecutedAt !== null && now < p.lastExecutedAt + p.coolDown * 1000) return `The scaling policy ${p.id} is cooling down.`;
  }
  return null;
}

/**
 * Runs a policy: the group's desired count changes and an activity opens for the driver (none when the count
 * stays). A manual run that may not happen is refused; an alarm's or a schedule's is skipped (null).
 */
export function executePolicy(ctx: OpContext, id: string, trigger: Trigger, now: number): { desired: number } | null {
  const p = policy(ctx, id);
  const g = group(ctx, p.groupId);
  const hold = holdOf(ctx, p, g, trigger, now);
  if (hold && trigger === 'manual') throw refused(hold, 'AS.3010');
  if (trigger === 'schedule')
    ctx.db
      .update(policies)
      .set({ nextRunAt: nextRunOf(p, now) })
      .where(eq(policies.id, id))
      .run();
  if (hold) return null;
  const current = activeCount(ctx, g.id);
  const desired = desiredAfter(p.action, current, g);
  ctx.db.update(policies).set({ lastExecutedAt: now }).where(eq(policies.id, id)).run();
  if (desired === g.desired) return { desired };
  ctx.db.update(groups).set({ desired, lastScalingAt: now }).where(eq(groups.id, g.id)).run();
  const change = desired - current;
  openActivity(ctx, g.id, {
    description: `The policy ${p.name} (${trigger}) changed the expected number of instances from ${g.desired} to ${desired}.`,
    scalingValue: change >= 0 ? `+${change}` : `${change}`,
    instanceValue: current,
    desireValue: desired,
    now,
  });
  return { desired };
}

/** The INSERVICE ALARM policies bound to an alarm rule. */
export const alarmPolicies = (ctx: OpContext, alarmId: string) =>
  ctx.db
    .select()
    .from(policies)
    .where(and(eq(policies.alarmId, alarmId), eq(policies.type, 'ALARM'), eq(policies.status, 'INSERVICE')))
    .all();

/** The INSERVICE scheduled policies due at `now`. */
export const duePolicies = (ctx: OpContext, now: number) =>
  ctx.db
    .select()
    .from(policies)
    .where(and(isNotNull(policies.nextRunAt), lte(policies.nextRunAt, now), eq(policies.status, 'INSERVICE')))
    .all();

/** The earliest time a scheduled policy runs next, if any. */
export function nextScheduled(ctx: OpContext): number | null {
  const row = ctx.db
    .select({ at: policies.nextRunAt })
    .from(policies)
    .where(and(isNotNull(policies.nextRunAt), eq(policies.status, 'INSERVICE')))
    .orderBy(asc(policies.nextRunAt))
    .limit(1)
    .get();
  return row?.at ?? null;
}

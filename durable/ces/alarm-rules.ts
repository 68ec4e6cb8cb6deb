/**
 * A project's alarm rules inside its CesDO, and their evaluation: a rule watches one metric's statistic over its
 * period and is in `alarm` when the last `count` periods all breach its condition, `ok` when they do not, and
 * `insufficient_data` when none of them has data. Each change of state is written to the rule's history with the
 * datapoints that decided it, and the rule's actions for the new state are handed to whoever carries them out
 * (durable/ces.ts): while a rule stays in alarm, its actions repeat every `suppress_duration` (never when it is 0).
 */
import { asc, count, desc, eq, gt, lt } from 'drizzle-orm';
import { type Dimension, type Statistic, seriesKey } from '../../core/ces/metrics.ts';
import { DomainError } from '../../core/result.ts';
import { type AlarmRule, alarmHistory, alarmRules } from '../../schema/ces.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { datapoints, findSeries } from './store.ts';

export type AlarmState = 'ok' | 'alarm' | 'insufficient_data';
export type Comparison = '>' | '>=' | '<' | '<=' | '=';

export interface AlarmAction {
  type: 'notification' | 'autoscaling';
  notificationList: string[];
}

export interface AlarmRuleInput {
  name: string;
  description: string;
  metric: { namespace: string; metric_name: string; dimensions: Dimension[] };
  condition: {
    period: number;
    filter: Statistic;
    comparison_operator: Comparison;
    value: number;
    unit: string;
    count: number;
    suppress_duration: number;
  };
  enabled: boolean;
  actionEnabled: boolean;
  level: number;
  alarmActions: AlarmAction[];
  okActions: AlarmAction[];
  insufficientDataActions: AlarmAction[];
}

/** At most this many rules per project (Cloud Eye's default alarm quota). */
export const ALARM_QUOTA = 100;

/** How many rules the project has (only the enabled ones, when asked). */
export const countRules = (ctx: OpContext, enabledOnly = false) =>
  ctx.db
    .select({ n: count() })
    .from(alarmRules)
    .where(enabledOnly ? eq(alarmRules.enabled, true) : undefined)
    .get()?.n ?? 0;

/** A rule id as Cloud Eye makes them: `al`, the time in ms and random letters. */
function alarmId(now: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const random = crypto.getRandomValues(new Uint8Array(9));
  return `al${now}${[...random].map((b) => letters[b % letters.length]).join('')}`;
}

const notFound = (id: string) => new DomainError(404, 'ces.0016', `The alarm rule ${id} does not exist.`);

/** Creates a rule, in `insufficient_data` until it is first evaluated. */
export function createRule(ctx: OpContext, input: AlarmRuleInput, now: number): AlarmRule {
  const used = countRules(ctx);
  if (used >= ALARM_QUOTA) throw new DomainError(400, 'AlarmQuotaExceeded', `The alarm quota (${ALARM_QUOTA}) is used up.`);
  return ctx.db
    .insert(alarmRules)
    .values({ id: alarmId(now), ...input, state: 'insufficient_data', stateSince: now, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function getRule(ctx: OpContext, id: string): AlarmRule {
  const rule = ctx.db.select().from(alarmRules).where(eq(alarmRules.id, id)).get();
  if (!rule) throw notFound(id);
  return rule;
}

/** A page of rules in id order (ids grow with time), after the rule `start`. */
export function listRules(ctx: OpContext, start: string | undefined, limit: number, order: 'asc' | 'desc') {
  const after = start ? (order === 'asc' ? gt(alarmRules.id, start) : lt(alarmRules.id, start)) : undefined;
  const page = ctx.db
    .select()
    .from(alarmRules)
    .where(after)
    .orderBy(order === 'asc' ? asc(alarmRules.id) : desc(alarmRules.id))
    .limit(limit)
    .all();
  return { page, total: countRules(ctx) };
}

/** Changes a rule; a changed metric or condition is evaluated afresh. */
export function updateRule(ctx: OpContext, id: string, patch: Partial<AlarmRuleInput>, now: number): AlarmRule {
  getRule(ctx, id);
  const fresh = patch.metric || patch.condition ? { state: 'insufficient_data' as const, stateSince: now } : {};
  return ctx.db
    .update(alarmRules)
    .set({ ...patch, ...fresh, updatedAt: now })
    .where(eq(alarmRules.id, id))
    .returning()
    .get();
}

export function deleteRule(ctx: OpContext, id: string): void {
  getRule(ctx, id);
  ctx.db.delete(alarmRules).where(eq(alarmRules.id, id)).run();
  ctx.db.delete(alarmHistory).where(eq(alarmHistory.alarmId, id)).run();
}

const breaches = (op: Comparison, v: number, threshold: number) =>
  ({ '>': v > threshold, '>=': v >= threshold, '<': v < threshold, '<=': v <= threshold, '=': v === threshold })[op];

/** What a rule's last `count` complete periods say at `now`, and the datapoints that say it. */
export function judge(ctx: OpContext, rule: AlarmRule, now: number): { state: AlarmState; points: { timestamp: number; value: number }[] } {
  const c = rule.condition;
  const length = c.period * 1000;
  // The newest complete period ends at or before now; raw rules (period 1) look at the newest points themselves.
  const end = c.period === 1 ? now : now - (now % length) - 1;
  const from = c.period === 1 ? now - 5 * 60_000 : end + 1 - c.count * length;
  const s = findSeries(ctx, seriesKey(rule.metric));
  const all = s ? datapoints(ctx, s, { key: s.key, from, to: end, period: c.period, filter: c.filter }) : [];
  const points = (c.period === 1 ? all.slice(-c.count) : all.filter((p) => p.timestamp >= from)).slice(-c.count);
  if (points.length === 0) return { state: 'insufficient_data', points };
  const alarm = points.length === c.count && points.every((p) => breaches(c.comparison_operator, p.value, c.value));
  return { state: alarm ? 'alarm' : 'ok', points };
}

export interface Fired {
  alarmId: string;
  name: string;
  state: AlarmState;
  actions: AlarmAction[];
  reason: string;
  at: number;
}

/** Evaluates every enabled rule at `now`: the new states are written with their history, and what must act fires. */
export function evaluate(ctx: OpContext, now: number): Fired[] {
  const fired: Fired[] = [];
  for (const rule of ctx.db.select().from(alarmRules).where(eq(alarmRules.enabled, true)).all()) {
    const { state, points } = judge(ctx, rule, now);
    const changed = state !== rule.state;
    const c = rule.condition;
    const reason = `${c.filter} of ${rule.metric.metric_name} over ${c.period} s ${c.comparison_operator} ${c.value} ${c.unit}`.trim();
    const repeat =
      !changed &&
      state === 'alarm' &&
      c.suppress_duration > 0 &&
      now - (rule.lastActionAt ?? rule.stateSince) >= c.suppress_duration * 1000;
    if (changed) {
      ctx.db
        .insert(alarmHistory)
        .values({ alarmId: rule.id, fromState: rule.state, toState: state, at: now, reason, datapoints: points })
        .run();
    }
    const actions = { alarm: rule.alarmActions, ok: rule.okActions, insufficient_data: rule.insufficientDataActions }[state];
    const act = (changed || repeat) && rule.actionEnabled && actions.length > 0;
    ctx.db
      .update(alarmRules)
      .set({
        state,
        ...(changed ? { stateSince: now } : {}),
        ...(act ? { lastActionAt: now } : {}),
        lastEvaluatedAt: now,
      })
      .where(eq(alarmRules.id, rule.id))
      .run();
    if (act) fired.push({ alarmId: rule.id, name: rule.name, state, actions, reason, at: now });
  }
  return fired;
}

/** A rule's changes of state, newest first. */
export function historyOf(ctx: OpContext, id: string | undefined, limit: number) {
  return ctx.db
    .select()
    .from(alarmHistory)
    .where(id ? eq(alarmHistory.alarmId, id) : undefined)
    .orderBy(desc(alarmHistory.at), desc(alarmHistory.id))
    .limit(limit)
    .all();
}

/**
 * Cloud Eye v1's alarm rules (`/ces/V1.0/{project_id}/alarms`): create, list, show, update, enable or disable, delete;
 * their history of state changes; and the alarm quota. The project's CesDO keeps and evaluates them.
 */
import { z } from 'zod';
import { PERIODS, STATISTICS } from '../../core/ces/metrics.ts';
import { missingTopics } from '../../core/smn/notify.ts';
import type { AlarmRuleInput } from '../../durable/ces/alarm-rules.ts';
import type { AlarmRule } from '../../schema/ces.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { badRequest } from '../lib/errors.ts';
import { projectScope, unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { cesRouter } from './errors.ts';
import { cesOf, dimension, metricName, namespace } from './metrics.api.ts';

const SUPPRESS = [0, 300, 600, 900, 1800, 3600, 10800, 21600, 43200, 86400] as const;

const oneOf = <T extends readonly number[]>(values: T, what: string) =>
  z.number().refine((v) => values.includes(v), `${what} is one of ${values.join(', ')}`);

const condition = z
  .object({
    period: oneOf(PERIODS, 'period'),
    filter: z.enum(STATISTICS),
    comparison_operator: z.enum(['>', '>=', '<', '<=', '=']),
    value: z.number().min(0).finite(),
    unit: z.string().max(32).optional(),
    count: z.number().int().min(1).max(5),
    suppress_duration: oneOf(SUPPRESS, 'suppress_duration').optional(),
  })
  .strict();

const action = z
  .object({ type: z.enum(['notification', 'autoscaling']), notificationList: z.array(z.string().max(512)).max(5) })
  .strict()
  .refine((a) => a.type !== 'notification' || a.notificationList.length > 0, {
    error: 'A notification action names at least one SMN topic URN in its notificationList.',
  });
const actions = z.array(action).max(10);

type Actions = z.output<typeof actions>;

/** Refuses notification actions whose topics are not SMN topics of the caller's project (Cloud Eye checks them). */
async function checkTopics(c: AppContext, ...lists: (Actions | undefined)[]): Promise<void> {
  const urns = lists.flatMap((l) => l ?? []).flatMap((a) => (a.type === 'notification' ? a.notificationList : []));
  if (urns.length === 0) return;
  const missing = await missingTopics(c.env, projectScope(c).projectId, urns);
  if (missing.length) throw badRequest(`The SMN topic ${missing[0]} does not exist in this project.`, 'ces.0014');
}

const alarmName = z.string().regex(/^[\w-]{1,128}$/, 'an alarm name is 1 to 128 letters, digits, _ or -');
const alarmDescription = z.string().max(256);

const createBody = z
  .object({
    alarm_name: alarmName,
    alarm_description: alarmDescription.optional(),
    metric: z.object({ namespace, metric_name: metricName, dimensions: z.array(dimension).min(1).max(3) }).strict(),
    condition,
    alarm_enabled: z.boolean().optional(),
    alarm_action_enabled: z.boolean().optional(),
    alarm_level: z.number().int().min(1).max(4).optional(),
    alarm_type: z.string().optional(),
    alarm_actions: actions.optional(),
    ok_actions: actions.optional(),
    insufficientdata_actions: actions.optional(),
    enterprise_project_id: z.string().max(64).optional(),
  })
  .strict()
  .refine((b) => b.alarm_type === undefined, { error: 'Event alarms (alarm_type) are not offered yet: omit alarm_type.' });

const updateBody = z
  .object({
    alarm_name: alarmName.optional(),
    alarm_description: alarmDescription.optional(),
    condition: condition.optional(),
    alarm_enabled: z.boolean().optional(),
    alarm_action_enabled: z.boolean().optional(),
    alarm_level: z.number().int().min(1).max(4).optional(),
    alarm_actions: actions.optional(),
    ok_actions: actions.optional(),
    insufficientdata_actions: actions.optional(),
  })
  .strict();

const listQuery = z.object({
  start: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const historyQuery = z.object({
  alarm_id: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});

type Condition = z.output<typeof condition>;
const conditionOf = (c: Condition): AlarmRuleInput['condition'] => ({
  ...c,
  unit: c.unit ?? '',
  suppress_duration: c.suppress_duration ?? 0,
});

/** A rule as Cloud Eye v1 shows it. */
function ruleView(r: AlarmRule) {
  return {
    alarm_id: r.id,
    alarm_name: r.name,
    alarm_description: r.description,
    metric: r.metric,
    condition: r.condition,
    alarm_enabled: r.enabled,
    alarm_level: r.level,
    alarm_action_enabled: r.actionEnabled,
    alarm_actions: r.alarmActions,
    ok_actions: r.okActions,
    insufficientdata_actions: r.insufficientDataActions,
    alarm_state: r.state,
    update_time: r.updatedAt,
  };
}

const idOf = (c: AppContext) => c.req.param('alarm_id') ?? '';

export const alarmRoutes = cesRouter();

alarmRoutes.post('/alarms', act('ces:alarms:create'), async (c) => {
  const store = cesOf(c);
  const b = await jsonBody(c, createBody);
  await checkTopics(c, b.alarm_actions, b.ok_actions, b.insufficientdata_actions);
  const made = unwrap(
    await store.createAlarmRule({
      name: b.alarm_name,
      description: b.alarm_description ?? '',
      metric: b.metric,
      condition: conditionOf(b.condition),
      enabled: b.alarm_enabled ?? true,
      actionEnabled: b.alarm_action_enabled ?? true,
      level: b.alarm_level ?? 2,
      alarmActions: b.alarm_actions ?? [],
      okActions: b.ok_actions ?? [],
      insufficientDataActions: b.insufficientdata_actions ?? [],
    }),
  );
  return c.json({ alarm_id: made.id }, 201);
});

alarmRoutes.get('/alarms', act('ces:alarms:list'), async (c) => {
  const store = cesOf(c);
  const q = query(c, listQuery);
  const { page, total } = unwrap(await store.alarmRules(q.start, q.limit, q.order));
  return c.json({
    metric_alarms: page.map(ruleView),
    meta_data: { count: page.length, marker: page.at(-1)?.id ?? '', total },
  });
});

alarmRoutes.get('/alarms/:alarm_id', act('ces:alarms:get'), async (c) => {
  const rule = unwrap(await cesOf(c).alarmRule(idOf(c)));
  return c.json({ metric_alarms: [ruleView(rule)] });
});

alarmRoutes.put('/alarms/:alarm_id', act('ces:alarms:update'), async (c) => {
  const store = cesOf(c);
  const b = await jsonBody(c, updateBody);
  if (Object.keys(b).length === 0) throw badRequest('Nothing to change: give at least one field of the alarm rule.');
  await checkTopics(c, b.alarm_actions, b.ok_actions, b.insufficientdata_actions);
  unwrap(
    await store.updateAlarmRule(idOf(c), {
      ...(b.alarm_name !== undefined ? { name: b.alarm_name } : {}),
      ...(b.alarm_description !== undefined ? { description: b.alarm_description } : {}),
      ...(b.condition ? { condition: conditionOf(b.condition) } : {}),
      ...(b.alarm_enabled !== undefined ? { enabled: b.alarm_enabled } : {}),
      ...(b.alarm_action_enabled !== undefined ? { actionEnabled: b.alarm_action_enabled } : {}),
      ...(b.alarm_level !== undefined ? { level: b.alarm_level } : {}),
      ...(b.alarm_actions ? { alarmActions: b.alarm_actions } : {}),
      ...(b.ok_actions ? { okActions: b.ok_actions } : {}),
      ...(b.insufficientdata_actions ? { insufficientDataActions: b.insufficientdata_actions } : {}),
    }),
  );
  return c.body(null, 204);
});

alarmRoutes.put('/alarms/:alarm_id/action', act('ces:alarms:update'), async (c) => {
  const store = cesOf(c);
  const b = await jsonBody(c, z.object({ alarm_enabled: z.boolean() }).strict());
  unwrap(await store.updateAlarmRule(idOf(c), { enabled: b.alarm_enabled }));
  return c.body(null, 204);
});

alarmRoutes.delete('/alarms/:alarm_id', act('ces:alarms:delete'), async (c) => {
  unwrap(await cesOf(c).deleteAlarmRule(idOf(c)));
  return c.body(null, 204);
});

alarmRoutes.get('/alarm-histories', act('ces:alarms:list'), async (c) => {
  const store = cesOf(c);
  const q = query(c, historyQuery);
  const rows = unwrap(await store.alarmHistory(q.alarm_id, q.limit));
  return c.json({
    alarm_histories: rows.map((h) => ({
      alarm_id: h.alarmId,
      status: h.toState,
      previous_status: h.fromState,
      update_time: h.at,
      reason: h.reason,
      datapoints: h.datapoints,
    })),
    meta_data: { total: rows.length },
  });
});

alarmRoutes.get('/quotas', act('ces:quotas:get'), async (c) => {
  const q = unwrap(await cesOf(c).alarmQuota());
  return c.json({ quotas: { resources: [{ type: 'alarm', used: q.used, unit: '', quota: q.quota }] } });
});

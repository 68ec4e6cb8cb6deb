/**
 * AS v1's scaling policies (`/scaling_policy`): create, list a group's, show, update, delete, and run, pause or
 * resume one (`/action`). An ALARM policy names a Cloud Eye alarm rule of the project, whose autoscaling action
 * runs it when the rule enters `alarm`.
 */
import { z } from 'zod';
import { parseAsTime } from '../../core/as/scaling.ts';
import type { Schedule } from '../../schema/as.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { badRequest } from '../lib/errors.ts';
import { projectScope, unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { asOf } from './context.ts';
import { asRouter } from './errors.ts';
import { asPage, pageFields, policyView } from './views.ts';

const id = z.string().min(1).max(64);
const name = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a name is 1 to 64 letters, digits, _ or -');

const schedule = z
  .object({
    launch_time: z.string().regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z|\d{2}:\d{2})$/, 'launch_time is YYYY-MM-DDThh:mmZ or hh:mm'),
    recurrence_type: z.enum(['Daily', 'Weekly', 'Monthly']).optional(),
    recurrence_value: z.string().max(128).optional(),
    start_time: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/)
      .optional(),
    end_time: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/)
      .optional(),
  })
  .strict();
const action = z
  .object({
    operation: z.enum(['ADD', 'REMOVE', 'SET']),
    instance_number: z.number().int().min(0).max(300).optional(),
    instance_percentage: z.number().int().min(0).max(20000).optional(),
  })
  .strict()
  .refine(
    (a) => a.instance_number === undefined || a.instance_percentage === undefined,
    'give instance_number or instance_percentage, not both',
  );
const policyType = z.enum(['ALARM', 'SCHEDULED', 'RECURRENCE']);
const createBody = z
  .object({
    scaling_policy_name: name,
    scaling_group_id: id,
    scaling_policy_type: policyType,
    alarm_id: id.optional(),
    scheduled_policy: schedule.optional(),
    scaling_policy_action: action.optional(),
    cool_down_time: z.number().int().min(0).max(86400).optional(),
  })
  .strict();
const updateBody = z
  .object({
    scaling_policy_name: name.optional(),
    scaling_policy_type: policyType.optional(),
    alarm_id: id.optional(),
    scheduled_policy: schedule.optional(),
    scaling_policy_action: action.optional(),
    cool_down_time: z.number().int().min(0).max(86400).optional(),
  })
  .strict();
const listQuery = z.object({
  scaling_policy_name: z.string().max(64).optional(),
  scaling_policy_type: policyType.optional(),
  scaling_policy_id: id.optional(),
  ...pageFields,
});
const actionBody = z.object({ action: z.enum(['execute', 'pause', 'resume']) }).strict();

/** A schedule's recurrence checked against its type (the time format is the schema's). */
function checkSchedule(type: string | undefined, s: Schedule | undefined): void {
  if (!s || !type || type === 'ALARM') return;
  const absolute = s.launch_time.includes('T');
  if ((type === 'SCHEDULED') !== absolute)
    throw badRequest(`A ${type} policy's launch_time is ${type === 'SCHEDULED' ? 'YYYY-MM-DDThh:mmZ' : 'hh:mm'}.`, 'AS.3005');
  if (type !== 'RECURRENCE') return;
  if (!s.recurrence_type) throw badRequest('A RECURRENCE policy needs recurrence_type.', 'AS.3006');
  const values = (s.recurrence_value ?? '').split(',').filter(Boolean).map(Number);
  const range = { Daily: [0, 0], Weekly: [1, 7], Monthly: [1, 31] }[s.recurrence_type];
  if (s.recurrence_type !== 'Daily' && (!values.length || values.some((v) => !Number.isInteger(v) || v < range[0]! || v > range[1]!)))
    throw badRequest(`recurrence_value of a ${s.recurrence_type} policy is a list of ${range[0]} to ${range[1]}.`, 'AS.3007');
  if (s.start_time && s.end_time && parseAsTime(s.end_time) <= parseAsTime(s.start_time))
    throw badRequest('end_time must come after start_time.', 'AS.3008');
}

/** The alarm rule a policy names, which must be one of the project's. */
async function checkAlarm(c: AppContext, alarmId: string | undefined): Promise<void> {
  if (!alarmId) return;
  const rule = await c.env.CES.getByName(projectScope(c).projectId).alarmRule(alarmId);
  if (!('ok' in rule)) throw badRequest(`The alarm rule ${alarmId} does not exist.`, 'AS.3009');
}

export const policyRoutes = asRouter();

policyRoutes.post('/scaling_policy', act('as:policies:create'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, createBody);
  checkSchedule(b.scaling_policy_type, b.scheduled_policy);
  await checkAlarm(c, b.alarm_id);
  const made = unwrap(
    await store.createPolicy({
      id: crypto.randomUUID(),
      groupId: b.scaling_group_id,
      name: b.scaling_policy_name,
      type: b.scaling_policy_type,
      alarmId: b.alarm_id ?? null,
      schedule: b.scheduled_policy ?? null,
      action: b.scaling_policy_action ?? { operation: 'ADD', instance_number: 1 },
      coolDown: b.cool_down_time ?? 900,
    }),
  );
  return c.json({ scaling_policy_id: made.id });
});

policyRoutes.get('/scaling_policy/:scaling_group_id/list', act('as:policies:list'), async (c) => {
  const q = query(c, listQuery);
  const all = unwrap(await asOf(c).policies(c.req.param('scaling_group_id'))).filter(
    (p) =>
      (!q.scaling_policy_name || p.name.includes(q.scaling_policy_name)) &&
      (!q.scaling_policy_type || p.type === q.scaling_policy_type) &&
      (!q.scaling_policy_id || p.id === q.scaling_policy_id),
  );
  const { page, ...rest } = asPage(all, q);
  return c.json({ ...rest, scaling_policies: page.map(policyView) });
});

policyRoutes.get('/scaling_policy/:scaling_policy_id', act('as:policies:list'), async (c) => {
  return c.json({ scaling_policy: policyView(unwrap(await asOf(c).policy(c.req.param('scaling_policy_id')))) });
});

policyRoutes.put('/scaling_policy/:scaling_policy_id', act('as:policies:update'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, updateBody);
  const current = unwrap(await store.policy(c.req.param('scaling_policy_id')));
  checkSchedule(b.scaling_policy_type ?? current.type, b.scheduled_policy ?? current.schedule ?? undefined);
  await checkAlarm(c, b.alarm_id);
  const row = unwrap(
    await store.updatePolicy(current.id, {
      name: b.scaling_policy_name,
      type: b.scaling_policy_type,
      alarmId: b.alarm_id,
      schedule: b.scheduled_policy,
      action: b.scaling_policy_action,
      coolDown: b.cool_down_time,
    }),
  );
  return c.json({ scaling_policy_id: row.id });
});

policyRoutes.post('/scaling_policy/:scaling_policy_id/action', act('as:policies:execute'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, actionBody);
  unwrap(await store.policyAction(c.req.param('scaling_policy_id'), b.action));
  return c.body(null, 204);
});

policyRoutes.delete('/scaling_policy/:scaling_policy_id', act('as:policies:delete'), async (c) => {
  unwrap(await asOf(c).deletePolicy(c.req.param('scaling_policy_id')));
  return c.body(null, 204);
});

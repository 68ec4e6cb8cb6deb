/**
 * Native VBS backup policies (`/vbs/v2/{project_id}/backuppolicy`, with VBS's spelling `rentention_num` /
 * `rentention_day`): create, list, update, delete, bind and unbind volumes (`backuppolicyresources`), and run one
 * now. The TenantDO's alarm runs a policy that is ON at its start time.
 */
import { z } from 'zod';
import type { BackupPolicy, ScheduledPolicy } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { badRequest } from '../lib/errors.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { check, jsonBody } from '../lib/validate.ts';
import { vbsRouter } from './errors.ts';

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const policyName = z
  .string()
  .regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'a policy name is 1 to 64 letters, digits, dots, underscores or hyphens')
  .refine((n) => !n.startsWith('default'), 'a policy name may not start with default');

const scheduleFields = {
  start_time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'start_time is HH:mm (UTC)'),
  frequency: z.number().int().min(1).max(14),
  week_frequency: z
    .array(z.enum(WEEKDAYS))
    .min(1)
    .refine((d) => new Set(d).size === d.length, 'week_frequency names each day once'),
  rentention_num: z.number().int().min(2),
  rentention_day: z.number().int().min(2),
  remain_first_backup_of_curMonth: z.enum(['Y', 'N']),
  status: z.enum(['ON', 'OFF']),
};

const schedule = z
  .object({
    start_time: scheduleFields.start_time.optional(),
    frequency: scheduleFields.frequency.optional(),
    week_frequency: scheduleFields.week_frequency.optional(),
    rentention_num: scheduleFields.rentention_num.optional(),
    rentention_day: scheduleFields.rentention_day.optional(),
    remain_first_backup_of_curMonth: scheduleFields.remain_first_backup_of_curMonth.optional(),
    status: scheduleFields.status.optional(),
  })
  .strict()
  .refine((s) => s.frequency === undefined || s.week_frequency === undefined, 'give frequency or week_frequency, not both')
  .refine((s) => s.rentention_num === undefined || s.rentention_day === undefined, 'give rentention_num or rentention_day, not both');

const tags = z.array(z.object({ key: z.string().min(1).max(36), value: z.string().max(43) }).strict()).max(10);

const createBody = z
  .object({
    backup_policy_name: policyName,
    scheduled_policy: schedule
      .refine(
        (s) => s.start_time && s.remain_first_backup_of_curMonth && s.status,
        'start_time, remain_first_backup_of_curMonth and status are required',
      )
      .refine((s) => s.frequency !== undefined || s.week_frequency !== undefined, 'frequency or week_frequency is required')
      .refine((s) => s.rentention_num !== undefined || s.rentention_day !== undefined, 'rentention_num or rentention_day is required'),
    tags: tags.optional(),
  })
  .strict();

const updateBody = z.object({ backup_policy_name: policyName.optional(), scheduled_policy: schedule.optional() }).strict();

type WireSchedule = z.output<typeof schedule>;

/** The wire schedule as the TenantDO keeps it (only the fields given). */
function scheduleOf(s: WireSchedule): Partial<ScheduledPolicy> {
  return {
    ...(s.start_time !== undefined ? { startTime: s.start_time } : {}),
    ...(s.frequency !== undefined ? { frequency: s.frequency } : {}),
    ...(s.week_frequency !== undefined ? { weekFrequency: s.week_frequency } : {}),
    ...(s.rentention_num !== undefined ? { retentionNum: s.rentention_num } : {}),
    ...(s.rentention_day !== undefined ? { retentionDay: s.rentention_day } : {}),
    ...(s.remain_first_backup_of_curMonth !== undefined ? { remainFirstBackupOfCurMonth: s.remain_first_backup_of_curMonth === 'Y' } : {}),
    ...(s.status !== undefined ? { enabled: s.status === 'ON' } : {}),
  };
}

/** A policy as VBS shows it. */
export function policyView(p: BackupPolicy, count?: number) {
  const s = p.schedule;
  return {
    backup_policy_id: p.id,
    backup_policy_name: p.name,
    scheduled_policy: {
      start_time: s.startTime,
      ...(s.weekFrequency ? { week_frequency: s.weekFrequency } : { frequency: s.frequency ?? 1 }),
      ...(s.retentionDay ? { rentention_day: s.retentionDay } : { rentention_num: s.retentionNum }),
      remain_first_backup_of_curMonth: s.remainFirstBackupOfCurMonth ? 'Y' : 'N',
      status: s.enabled ? 'ON' : 'OFF',
    },
    ...(count !== undefined ? { policy_resource_count: count } : {}),
    tags: p.tags,
  };
}

export const policyRoutes = vbsRouter();

policyRoutes.post('/backuppolicy', act('vbs:policies:create'), async (c) => {
  const body = await jsonBody(c, createBody);
  const made = unwrap(
    await tenant(c).createBackupPolicy({
      id: crypto.randomUUID(),
      name: body.backup_policy_name,
      schedule: scheduleOf(body.scheduled_policy) as ScheduledPolicy,
      tags: body.tags ?? [],
    }),
  );
  return c.json(policyView(made));
});

policyRoutes.get('/backuppolicy', act('vbs:policies:list'), async (c) => {
  const { policies, counts } = unwrap(await tenant(c).backupPolicies());
  return c.json({ backup_policies: policies.map((p) => policyView(p, counts[p.id] ?? 0)) });
});

/** The policy the path names (VBS's 404 for another project's too). */
async function policyOfPath(c: AppContext) {
  return unwrap(await tenant(c).backupPolicy(c.req.param('backup_policy_id') ?? ''));
}

policyRoutes.put('/backuppolicy/:backup_policy_id', act('vbs:policies:update'), async (c) => {
  const { policy } = await policyOfPath(c);
  const body = await jsonBody(c, updateBody);
  if (!body.backup_policy_name && !body.scheduled_policy)
    throw badRequest('Nothing to change: give backup_policy_name or scheduled_policy.');
  const updated = unwrap(
    await tenant(c).updateBackupPolicy(policy.id, {
      ...(body.backup_policy_name ? { name: body.backup_policy_name } : {}),
      ...(body.scheduled_policy ? { schedule: scheduleOf(body.scheduled_policy) } : {}),
    }),
  );
  return c.json(policyView(updated));
});

policyRoutes.delete('/backuppolicy/:backup_policy_id', act('vbs:policies:delete'), async (c) => {
  const { policy } = await policyOfPath(c);
  unwrap(await tenant(c).deleteBackupPolicy(policy.id));
  return c.body(null, 204);
});

policyRoutes.post('/backuppolicy/:backup_policy_id/action', act('vbs:policies:execute'), async (c) => {
  const { policy } = await policyOfPath(c);
  const caller = callerOf(c);
  unwrap(await tenant(c).executeBackupPolicy(caller.projectId, policy.id, caller.userId));
  return c.body(null, 200);
});

const resources = z
  .array(z.object({ resource_id: z.string().min(1), resource_type: z.literal('volume').optional() }).strict())
  .min(1)
  .max(100);
const bindBody = z.object({ backup_policy_id: z.string().min(1), resources }).strict();
const unbindBody = z.object({ resources }).strict();

const bound = (r: { success: unknown[]; fail: unknown[] }) => ({ success_resources: r.success, fail_resources: r.fail });

policyRoutes.post('/backuppolicyresources', act('vbs:policies:bind'), async (c) => {
  const body = check(bindBody, await jsonBody(c, z.unknown()));
  const r = unwrap(
    await tenant(c).bindBackupPolicy(
      body.backup_policy_id,
      body.resources.map((x) => x.resource_id),
    ),
  );
  return c.json(bound(r));
});

policyRoutes.post('/backuppolicyresources/:backup_policy_id/deleted_resources', act('vbs:policies:unbind'), async (c) => {
  const { policy } = await policyOfPath(c);
  const body = await jsonBody(c, unbindBody);
  const r = unwrap(
    await tenant(c).unbindBackupPolicy(
      policy.id,
      body.resources.map((x) => x.resource_id),
    ),
  );
  return c.json(bound(r));
});

/**
 * AS v1's scaling groups (`/scaling_group`): create, list, show, update, pause and resume, delete (forced or not);
 * their tags and activity logs, and the project's AS quotas. The AsDO keeps them; rounds of the group's driver make
 * and remove its servers.
 */
import { z } from 'zod';
import { zonesOf } from '../../core/regions.ts';
import type { GroupView } from '../../durable/as.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { badRequest } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { asOf } from './context.ts';
import { asRouter } from './errors.ts';
import { checkGroupReferences } from './usecases/configurations.ts';
import { activityView, asPage, groupView, pageFields } from './views.ts';

const id = z.string().min(1).max(64);
const name = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a name is 1 to 64 letters, digits, _ or -');
const count = z.number().int().min(0).max(300);

const fields = {
  scaling_configuration_id: id.optional(),
  desire_instance_number: count.optional(),
  min_instance_number: count.optional(),
  max_instance_number: count.optional(),
  cool_down_time: z.number().int().min(0).max(86400).optional(),
  networks: z.array(z.object({ id }).passthrough()).min(1).max(5).optional(),
  security_groups: z.array(z.object({ id }).strict()).max(1).optional(),
  available_zones: z.array(id).max(5).optional(),
  lbaas_listeners: z
    .array(
      z
        .object({ pool_id: id, protocol_port: z.number().int().min(1).max(65535), weight: z.number().int().min(0).max(100).default(1) })
        .strict(),
    )
    .max(6)
    .optional(),
  lb_listener_id: z.never({ error: 'Classic load balancers (lb_listener_id) are not offered: use lbaas_listeners.' }).optional(),
  health_periodic_audit_method: z.enum(['NOVA_AUDIT', 'ELB_AUDIT']).optional(),
  health_periodic_audit_time: z.union([z.literal(5), z.literal(15), z.literal(60), z.literal(180)]).optional(),
  health_periodic_audit_grace_period: z.number().int().min(0).max(86400).optional(),
  instance_terminate_policy: z.enum(['OLD_CONFIG_OLD_INSTANCE', 'OLD_CONFIG_NEW_INSTANCE', 'OLD_INSTANCE', 'NEW_INSTANCE']).optional(),
  notifications: z.array(z.literal('EMAIL')).max(1).optional(),
  delete_publicip: z.boolean().optional(),
  delete_volume: z.boolean().optional(),
  multi_az_priority_policy: z.enum(['EQUILIBRIUM_DISTRIBUTE', 'PICK_FIRST']).optional(),
  description: z.string().max(256).optional(),
  enterprise_project_id: z.literal('0').optional(),
};
const createBody = z.object({ scaling_group_name: name, vpc_id: id, ...fields, networks: fields.networks.unwrap() }).strict();
const updateBody = z.object({ scaling_group_name: name.optional(), ...fields }).strict();
const listQuery = z.object({
  scaling_group_name: z.string().max(64).optional(),
  scaling_configuration_id: id.optional(),
  scaling_group_status: z.enum(['INSERVICE', 'PAUSED', 'ERROR', 'DELETING']).optional(),
  enterprise_project_id: z.string().optional(),
  ...pageFields,
});
const actionBody = z.object({ action: z.enum(['resume', 'pause']) }).strict();
const tagsBody = z
  .object({
    action: z.enum(['create', 'delete']),
    tags: z
      .array(z.object({ key: z.string().min(1).max(36), value: z.string().max(43).optional() }).strict())
      .min(1)
      .max(10),
  })
  .strict();
const logQuery = z.object({
  start_time: z.string().max(32).optional(),
  end_time: z.string().max(32).optional(),
  ...pageFields,
});

/** The zones a group asks for, each one of the region's (none asked: the region's first). */
function zonesAsked(c: AppContext, asked: string[] | undefined): string[] {
  const zones = zonesOf(callerOf(c).region);
  const bad = (asked ?? []).find((z) => !zones.includes(z));
  if (bad) throw badRequest(`The availability zone ${bad} is not one of the region's (${zones.join(', ')}).`, 'AS.2007');
  return asked?.length ? asked : zones.slice(0, 1);
}

async function viewOf(c: AppContext, g: GroupView) {
  const config = g.configurationId ? await asOf(c).configuration(g.configurationId) : null;
  return groupView(g, config && 'ok' in config ? config.ok.name : null);
}

export const groupRoutes = asRouter();

groupRoutes.post('/scaling_group', act('as:groups:create'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, createBody);
  const caller = callerOf(c);
  const networks = b.networks.map((n) => n.id);
  const securityGroups = (b.security_groups ?? []).map((s) => s.id);
  await checkGroupReferences(caller, { vpcId: b.vpc_id, networks, securityGroups, pools: b.lbaas_listeners });
  const min = b.min_instance_number ?? 0;
  const made = unwrap(
    await store.createGroup({
      id: crypto.randomUUID(),
      name: b.scaling_group_name,
      configurationId: b.scaling_configuration_id ?? null,
      desired: b.desire_instance_number ?? min,
      min,
      max: b.max_instance_number ?? 0,
      coolDown: b.cool_down_time ?? 300,
      vpcId: b.vpc_id,
      networks,
      securityGroups,
      zones: zonesAsked(c, b.available_zones),
      multiAzPolicy: b.multi_az_priority_policy ?? 'EQUILIBRIUM_DISTRIBUTE',
      pools: b.lbaas_listeners ?? [],
      auditMethod: b.health_periodic_audit_method ?? 'NOVA_AUDIT',
      auditMinutes: b.health_periodic_audit_time ?? 5,
      auditGrace: b.health_periodic_audit_grace_period ?? 600,
      terminatePolicy: b.instance_terminate_policy ?? 'OLD_CONFIG_OLD_INSTANCE',
      deletePublicIp: b.delete_publicip ?? false,
      deleteVolume: b.delete_volume ?? false,
      description: b.description ?? '',
      tags: {},
      region: caller.region,
      userId: caller.userId,
    }),
  );
  return c.json({ scaling_group_id: made.id });
});

groupRoutes.get('/scaling_group', act('as:groups:list'), async (c) => {
  const q = query(c, listQuery);
  const all = unwrap(
    await asOf(c).groups({ name: q.scaling_group_name, configurationId: q.scaling_configuration_id, status: q.scaling_group_status }),
  );
  const { page, ...rest } = asPage(all, q);
  return c.json({ ...rest, scaling_groups: await Promise.all(page.map((g) => viewOf(c, g))) });
});

groupRoutes.get('/scaling_group/:scaling_group_id', act('as:groups:list'), async (c) => {
  return c.json({ scaling_group: await viewOf(c, unwrap(await asOf(c).group(c.req.param('scaling_group_id')))) });
});

groupRoutes.put('/scaling_group/:scaling_group_id', act('as:groups:update'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, updateBody);
  const networks = b.networks?.map((n) => n.id);
  const securityGroups = b.security_groups?.map((s) => s.id);
  await checkGroupReferences(callerOf(c), { networks, securityGroups, pools: b.lbaas_listeners });
  const row = unwrap(
    await store.updateGroup(c.req.param('scaling_group_id'), {
      name: b.scaling_group_name,
      configurationId: b.scaling_configuration_id,
      desired: b.desire_instance_number,
      min: b.min_instance_number,
      max: b.max_instance_number,
      coolDown: b.cool_down_time,
      networks,
      securityGroups,
      zones: b.available_zones && zonesAsked(c, b.available_zones),
      multiAzPolicy: b.multi_az_priority_policy,
      pools: b.lbaas_listeners,
      auditMethod: b.health_periodic_audit_method,
      auditMinutes: b.health_periodic_audit_time,
      auditGrace: b.health_periodic_audit_grace_period,
      terminatePolicy: b.instance_terminate_policy,
      deletePublicIp: b.delete_publicip,
      deleteVolume: b.delete_volume,
      description: b.description,
    }),
  );
  return c.json({ scaling_group_id: row.id });
});

groupRoutes.post('/scaling_group/:scaling_group_id/action', act('as:groups:update'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, actionBody);
  unwrap(await store.pauseGroup(c.req.param('scaling_group_id'), b.action === 'pause'));
  return c.body(null, 204);
});

groupRoutes.delete('/scaling_group/:scaling_group_id', act('as:groups:delete'), async (c) => {
  const force = query(c, z.object({ force_delete: z.enum(['yes', 'no']).default('no') })).force_delete === 'yes';
  unwrap(await asOf(c).deleteGroup(c.req.param('scaling_group_id'), force));
  return c.body(null, 204);
});

groupRoutes.post('/scaling_group_tag/:scaling_group_id/tags/action', act('as:groups:update'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, tagsBody);
  unwrap(await store.tagGroup(c.req.param('scaling_group_id'), b.action, b.tags));
  return c.body(null, 204);
});

groupRoutes.get('/scaling_group_tag/:scaling_group_id/tags', act('as:groups:list'), async (c) => {
  const g = unwrap(await asOf(c).group(c.req.param('scaling_group_id')));
  return c.json({ tags: Object.entries(g.tags).map(([key, value]) => ({ key, value })) });
});

groupRoutes.get('/scaling_activity_log/:scaling_group_id', act('as:groups:list'), async (c) => {
  const q = query(c, logQuery);
  const at = (t: string | undefined, what: string) => {
    if (t === undefined) return undefined;
    const ms = Date.parse(t);
    if (Number.isNaN(ms)) throw badRequest(`${what} is not a time (YYYY-MM-DDThh:mm:ssZ).`, 'AS.0022');
    return ms;
  };
  const all = unwrap(
    await asOf(c).activities(c.req.param('scaling_group_id'), { from: at(q.start_time, 'start_time'), to: at(q.end_time, 'end_time') }),
  );
  const { page, ...rest } = asPage(all, q);
  return c.json({ ...rest, scaling_activity_log: page.map(activityView) });
});

groupRoutes.get('/quotas', act('as:groups:list'), async (c) => {
  const q = unwrap(await asOf(c).quotas());
  const row = (type: string, r: { used: number; quota: number }) => ({ type, used: r.used, quota: r.quota, max: r.quota });
  return c.json({
    quotas: {
      resources: [
        row('scaling_Group', q.groups),
        row('scaling_Config', q.configurations),
        row('scaling_Policy', q.policies),
        row('scaling_Instance', q.instances),
      ],
    },
  });
});

/** Nova `/os-availability-zone`, `/limits` and `/os-quota-sets`: what a project may use, and where. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { COMPUTE_QUOTA_DEFAULTS } from '../../durable/ecs/quotas.ts';
import { QUOTA_DEFAULTS } from '../../durable/vpc/quotas.ts';
import { projects } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { MAX_SERVER_META } from './metadata.ts';
import { availabilityZones } from './usecases/offer.ts';

export const limitRoutes = router();

limitRoutes.get('/os-availability-zone', act('ecs:availabilityZones:list'), (c) => {
  const zones = availabilityZones(callerOf(c));
  return c.json({ availabilityZoneInfo: zones.map((zoneName) => ({ zoneName, zoneState: { available: true }, hosts: null })) });
});

async function usage(c: AppContext, projectId?: string) {
  const stub = projectId ? c.env.TENANT.getByName(projectId) : tenant(c);
  const compute = unwrap(await stub.computeQuotas());
  const network = unwrap(await stub.quotas());
  return { compute, network };
}

limitRoutes.get('/limits', act('ecs:limits:get'), async (c) => {
  const { compute, network } = await usage(c);
  return c.json({
    limits: {
      rate: [],
      absolute: {
        maxTotalInstances: compute.limits.instances,
        maxTotalCores: compute.limits.cores,
        maxTotalRAMSize: compute.limits.ram,
        maxTotalKeypairs: compute.limits.key_pairs,
        maxServerMeta: MAX_SERVER_META,
        maxImageMeta: 128,
        maxPersonality: 5,
        maxPersonalitySize: 10240,
        maxServerGroups: compute.limits.server_groups,
        maxServerGroupMembers: compute.limits.server_group_members,
        maxTotalFloatingIps: network.limits.floatingip,
        maxSecurityGroups: network.limits.security_group,
        maxSecurityGroupRules: network.limits.security_group_rule,
        totalInstancesUsed: compute.usage.instances,
        totalCoresUsed: compute.usage.cores,
        totalRAMUsed: compute.usage.ram,
        totalServerGroupsUsed: compute.usage.server_groups,
        totalFloatingIpsUsed: network.usage.floatingip,
        totalSecurityGroupsUsed: network.usage.security_group,
      },
    },
  });
});

/** The project a quota call is about: one's own, or any existing one for the operator. */
async function quotaProject(c: AppContext): Promise<string> {
  const asked = c.req.param('tenant_id') ?? '';
  if (asked === projectScope(c).projectId) return asked;
  const exists =
    c.var.principal.operator &&
    (await (await directory(c.env)).select({ id: projects.id }).from(projects).where(eq(projects.id, asked)).get());
  if (!exists) throw notFound(`Project ${asked} could not be found.`);
  return asked;
}

type Counts = { compute: { limits: ComputeLimits; usage: ComputeLimits }; network: { limits: NetworkLimits; usage: NetworkLimits } };
type ComputeLimits = Record<keyof typeof COMPUTE_QUOTA_DEFAULTS, number>;
type NetworkLimits = Record<keyof typeof QUOTA_DEFAULTS, number>;

/** Nova's quota_set body: each limit, or with `detail` its limit, use and reservation. */
function quotaSetBody(id: string, { compute, network }: Counts, detail: boolean) {
  const v = (limit: number, used: number) => (detail ? { limit, in_use: used, reserved: 0 } : limit);
  return {
    quota_set: {
      id,
      instances: v(compute.limits.instances, compute.usage.instances),
      cores: v(compute.limits.cores, compute.usage.cores),
      ram: v(compute.limits.ram, compute.usage.ram),
      key_pairs: v(compute.limits.key_pairs, compute.usage.key_pairs),
      server_groups: v(compute.limits.server_groups, compute.usage.server_groups),
      server_group_members: v(compute.limits.server_group_members, 0),
      metadata_items: v(MAX_SERVER_META, 0),
      injected_files: v(5, 0),
      injected_file_content_bytes: v(10240, 0),
      injected_file_path_bytes: v(255, 0),
      floating_ips: v(network.limits.floatingip, network.usage.floatingip),
      fixed_ips: v(-1, 0),
      security_groups: v(network.limits.security_group, network.usage.security_group),
      security_group_rules: v(network.limits.security_group_rule, network.usage.security_group_rule),
    },
  };
}

async function quotaSet(c: AppContext, detail: boolean) {
  const asked = await quotaProject(c);
  return c.json(quotaSetBody(asked, await usage(c, asked), detail));
}

/** The cloud's default quotas, whatever the project's own (Nova `GET /os-quota-sets/{tenant_id}/defaults`). */
limitRoutes.get('/os-quota-sets/:tenant_id/defaults', act('ecs:defaultQuotas:get'), async (c) => {
  const asked = await quotaProject(c);
  const none = <T extends object>(o: T) => Object.fromEntries(Object.keys(o).map((k) => [k, 0])) as Record<keyof T, number>;
  const counts: Counts = {
    compute: { limits: { ...COMPUTE_QUOTA_DEFAULTS }, usage: none(COMPUTE_QUOTA_DEFAULTS) },
    network: { limits: { ...QUOTA_DEFAULTS }, usage: none(QUOTA_DEFAULTS) },
  };
  return c.json(quotaSetBody(asked, counts, false));
});

limitRoutes.get('/os-quota-sets/:tenant_id', act('ecs:quotas:get'), (c) => quotaSet(c, false));
limitRoutes.get('/os-quota-sets/:tenant_id/detail', act('ecs:quotas:get'), (c) => quotaSet(c, true));

const quotaBody = z
  .object({
    quota_set: z
      .object({
        instances: z.number().int().min(-1).optional(),
        cores: z.number().int().min(-1).optional(),
        ram: z.number().int().min(-1).optional(),
        key_pairs: z.number().int().min(-1).optional(),
        server_groups: z.number().int().min(-1).optional(),
        server_group_members: z.number().int().min(-1).optional(),
        force: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

limitRoutes.put('/os-quota-sets/:tenant_id', act('ecs:quotas:update'), async (c) => {
  const { quota_set } = await jsonBody(c, quotaBody);
  const asked = await quotaProject(c);
  const { force: _force, ...wanted } = quota_set;
  unwrap(await c.env.TENANT.getByName(asked).setComputeQuotas(wanted));
  return quotaSet(c, false);
});

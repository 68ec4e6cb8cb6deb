/** Neutron `/v2.0/quotas`: a project's network limits; only the cloud operator changes them. */

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { QUOTA_DEFAULTS } from '../../../durable/vpc/quotas.ts';
import { projects } from '../../../schema/global.ts';
import { act } from '../../auth/middleware.ts';
import { directory } from '../../directory/client.ts';
import { type AppContext, router } from '../../lib/app.ts';
import { notFound } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';

/** Neutron's quota names for our resources (routers are VPCs). */
const NAMES = {
  network: 'network',
  subnet: 'subnet',
  port: 'port',
  router: 'vpc',
  floatingip: 'floatingip',
  security_group: 'security_group',
  security_group_rule: 'security_group_rule',
} as const;

const updateBody = z.object({
  quota: z.object(Object.fromEntries(Object.keys(NAMES).map((k) => [k, z.number().int().min(-1).optional()]))).strict(),
});

/** The project a quota call is about: one's own, or any existing one for the operator. */
async function quotaProject(c: AppContext): Promise<string> {
  const p = c.var.principal;
  const own = p.scope.type === 'project' ? p.scope.projectId : undefined;
  const asked = c.req.param('project_id') ?? '';
  const exists =
    asked === own ||
    (p.operator && (await (await directory(c.env)).select({ id: projects.id }).from(projects).where(eq(projects.id, asked)).get()));
  if (!exists) throw notFound(`Project ${asked} could not be found.`, 'NotFound');
  return asked;
}

export const quotaRoutes = router();

async function show(c: AppContext, details: boolean) {
  const pid = await quotaProject(c);
  const q = unwrap(await c.env.TENANT.getByName(pid).quotas());
  const quota = Object.fromEntries(
    Object.entries(NAMES).map(([name, ours]) => [
      name,
      details ? { limit: q.limits[ours], used: q.usage[ours], reserved: 0 } : q.limits[ours],
    ]),
  );
  return c.json({ quota });
}

quotaRoutes.get('/quotas/:project_id', act('vpc:quotas:get'), (c) => show(c, false));
quotaRoutes.get('/quotas/:project_id/details', act('vpc:quotas:get'), (c) => show(c, true));
// The defaults, whatever the operator has set for the project since.
quotaRoutes.get('/quotas/:project_id/default', act('vpc:quotas:get'), async (c) => {
  await quotaProject(c);
  return c.json({ quota: Object.fromEntries(Object.entries(NAMES).map(([name, ours]) => [name, QUOTA_DEFAULTS[ours]])) });
});

quotaRoutes.put('/quotas/:project_id', act('vpc:quotas:update'), async (c) => {
  const { quota } = await jsonBody(c, updateBody);
  const pid = await quotaProject(c);
  const wanted = Object.fromEntries(Object.entries(quota).map(([k, v]) => [NAMES[k as keyof typeof NAMES], v]));
  unwrap(await c.env.TENANT.getByName(pid).setQuotas(wanted));
  return show(c, false);
});

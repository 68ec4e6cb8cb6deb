/**
 * Nova `/os-server-groups`: affinity and anti-affinity groups that the scheduler honours; 2.13 shows their project
 * and user, 2.15 adds the soft policies (best effort, never a refusal).
 */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { atLeast, minorOf } from './microversion.ts';
import { serverGroupView } from './views.ts';

const HARD = ['affinity', 'anti-affinity'] as const;
const SOFT = ['soft-affinity', 'soft-anti-affinity'] as const;
/** The create body: one policy, the soft ones only from 2.15. */
const createBody = (policies: z.ZodEnum) =>
  z
    .object({ server_group: z.object({ name: z.string().trim().min(1).max(255), policies: z.array(policies).length(1) }).strict() })
    .strict();
const createBody21 = createBody(z.enum(HARD));
const createBody215 = createBody(z.enum([...HARD, ...SOFT]));

async function groups(c: AppContext) {
  const { server_groups, servers } = await tenant(c).list(['server_groups', 'servers']);
  const { projectId } = projectScope(c);
  return server_groups.map((g) =>
    serverGroupView(
      g,
      servers.filter((s) => s.serverGroupId === g.id).map((s) => s.id),
      minorOf(c),
      projectId,
    ),
  );
}

export const serverGroupRoutes = router();

serverGroupRoutes.get('/os-server-groups', act('ecs:serverGroups:list'), async (c) => c.json({ server_groups: await groups(c) }));

serverGroupRoutes.post('/os-server-groups', act('ecs:serverGroups:create'), async (c) => {
  const { server_group: g } = await jsonBody(c, atLeast(c, '2.15') ? createBody215 : createBody21);
  const policy = g.policies[0] as (typeof HARD)[number] | (typeof SOFT)[number];
  const row = unwrap(await tenant(c).createServerGroup({ id: crypto.randomUUID(), name: g.name, policy, userId: c.var.principal.userId }));
  return c.json({ server_group: serverGroupView(row, [], minorOf(c), projectScope(c).projectId) });
});

serverGroupRoutes.get('/os-server-groups/:id', act('ecs:serverGroups:get'), async (c) => {
  const found = (await groups(c)).find((g) => g.id === c.req.param('id'));
  if (!found) throw notFound(`Server group ${c.req.param('id')} could not be found.`);
  return c.json({ server_group: found });
});

serverGroupRoutes.delete('/os-server-groups/:id', act('ecs:serverGroups:delete'), async (c) => {
  unwrap(await tenant(c).deleteServerGroup(c.req.param('id')));
  return c.body(null, 204);
});

/** Nova `/os-server-groups`: affinity and anti-affinity groups that the scheduler honours. */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { serverGroupView } from './views.ts';

const createBody = z
  .object({
    server_group: z
      .object({
        name: z.string().trim().min(1).max(255),
        policies: z.array(z.enum(['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'])).length(1),
      })
      .strict(),
  })
  .strict();

async function groups(c: AppContext) {
  const { server_groups, servers } = await tenant(c).list(['server_groups', 'servers']);
  return server_groups.map((g) =>
    serverGroupView(
      g,
      servers.filter((s) => s.serverGroupId === g.id).map((s) => s.id),
    ),
  );
}

export const serverGroupRoutes = router();

serverGroupRoutes.get('/os-server-groups', act('ecs:serverGroups:list'), async (c) => c.json({ server_groups: await groups(c) }));

serverGroupRoutes.post('/os-server-groups', act('ecs:serverGroups:create'), async (c) => {
  const { server_group: g } = await jsonBody(c, createBody);
  const row = unwrap(
    await tenant(c).createServerGroup({ id: crypto.randomUUID(), name: g.name, policy: g.policies[0]!, userId: c.var.principal.userId }),
  );
  return c.json({ server_group: serverGroupView(row, []) });
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

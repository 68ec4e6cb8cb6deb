/**
 * AS v1's group instances (`/scaling_group_instance`): a group's list with life-cycle states and health, removing
 * one (deleting its server or not), and batch actions: add existing servers, remove, protect or unprotect.
 */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { findServers } from '../ecs/usecases/servers.ts';
import { callerOf } from '../lib/caller.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { asOf } from './context.ts';
import { asRouter } from './errors.ts';
import { asPage, instanceView, pageFields } from './views.ts';

const yesNo = z.enum(['yes', 'no']);
const listQuery = z.object({
  life_cycle_state: z.enum(['INSERVICE', 'PENDING', 'REMOVING', 'STANDBY']).optional(),
  health_status: z.enum(['INITIALIZING', 'NORMAL', 'ERROR']).optional(),
  protect_from_scaling_down: z.enum(['true', 'false']).optional(),
  ...pageFields,
});
const actionBody = z
  .object({
    action: z.enum(['ADD', 'REMOVE', 'PROTECT', 'UNPROTECT']),
    instances_id: z.array(z.string().min(1).max(64)).min(1).max(10),
    instance_delete: yesNo.optional(),
  })
  .strict();

export const instanceRoutes = asRouter();

instanceRoutes.get('/scaling_group_instance/:scaling_group_id/list', act('as:instances:list'), async (c) => {
  const q = query(c, listQuery);
  const store = asOf(c);
  const g = unwrap(await store.group(c.req.param('scaling_group_id')));
  const all = unwrap(
    await store.instances(g.id, {
      state: q.life_cycle_state,
      health: q.health_status,
      protect: q.protect_from_scaling_down === undefined ? undefined : q.protect_from_scaling_down === 'true',
    }),
  );
  const configs = new Map(unwrap(await store.configurations({})).map((x) => [x.id, x.name]));
  const { page, ...rest } = asPage(all, q);
  return c.json({
    ...rest,
    scaling_group_instances: page.map((i) => instanceView(i, g.name, i.configurationId ? (configs.get(i.configurationId) ?? null) : null)),
  });
});

instanceRoutes.delete('/scaling_group_instance/:instance_id', act('as:instances:delete'), async (c) => {
  const del = query(c, z.object({ instance_delete: yesNo.default('no') })).instance_delete === 'yes';
  const store = asOf(c);
  const serverId = c.req.param('instance_id');
  const row = unwrap(await store.allInstances()).find((i) => i.serverId === serverId);
  if (!row) throw notFound(`The requested resource [scaling group instance ${serverId}] could not be found.`, 'AS.0007');
  unwrap(await store.removeInstances(row.groupId, [serverId], del));
  return c.body(null, 204);
});

instanceRoutes.post('/scaling_group_instance/:scaling_group_id/action', act('as:instances:update'), async (c) => {
  // The path's project is checked against the token before the body is read.
  const store = asOf(c);
  const b = await jsonBody(c, actionBody);
  const groupId = c.req.param('scaling_group_id');
  if (b.action === 'ADD') {
    const found = await findServers(callerOf(c), b.instances_id);
    const missing = b.instances_id.find((_, i) => !found.servers[i]);
    if (missing) throw badRequest(`The server ${missing} does not exist.`, 'AS.4006');
    unwrap(
      await store.adoptInstances(
        groupId,
        found.servers.map((s) => ({ id: s!.id, name: s!.name })),
      ),
    );
  } else if (b.action === 'REMOVE') unwrap(await store.removeInstances(groupId, b.instances_id, b.instance_delete === 'yes'));
  else unwrap(await store.protectInstances(groupId, b.instances_id, b.action === 'PROTECT'));
  return c.body(null, 204);
});

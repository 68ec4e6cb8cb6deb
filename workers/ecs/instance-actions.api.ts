/** Nova `/servers/{id}/os-instance-actions`: what happened to a server (creation, power actions, recovery). */
import type { ServerEvent } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope, tenant } from '../lib/tenant.ts';
import { oneServer } from './servers.api.ts';

function actionView(projectId: string, e: ServerEvent) {
  return {
    action: e.action,
    instance_uuid: e.serverId,
    message: e.message,
    project_id: projectId,
    request_id: e.requestId,
    start_time: e.at.replace('Z', '').slice(0, 26),
    user_id: e.userId,
  };
}

export const instanceActionRoutes = router();

instanceActionRoutes.get('/servers/:server_id/os-instance-actions', act('ecs:servers:get'), async (c) => {
  const { s } = await oneServer(c);
  const { server_events } = await tenant(c).list(['server_events']);
  const { projectId } = projectScope(c);
  const mine = server_events.filter((e) => e.serverId === s.id).sort((a, b) => b.id - a.id);
  return c.json({ instanceActions: mine.map((e) => actionView(projectId, e)) });
});

instanceActionRoutes.get('/servers/:server_id/os-instance-actions/:request_id', act('ecs:servers:get'), async (c) => {
  const { s } = await oneServer(c);
  const { server_events } = await tenant(c).list(['server_events']);
  const e = server_events.find((x) => x.serverId === s.id && x.requestId === c.req.param('request_id'));
  if (!e) throw notFound(`Action ${c.req.param('request_id')} on instance ${s.id} could not be found.`);
  return c.json({
    instanceAction: {
      ...actionView(projectScope(c).projectId, e),
      events: [
        {
          event: `compute_${e.action}`,
          start_time: e.at.replace('Z', '').slice(0, 26),
          finish_time: e.at.replace('Z', '').slice(0, 26),
          result: 'Success',
          traceback: null,
        },
      ],
    },
  });
});

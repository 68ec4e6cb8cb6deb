/**
 * Nova `/servers/{id}/os-instance-actions`: what happened to a server (creation, power actions, locks, recovery,
 * deletion). From 2.21 a deleted server's actions are shown too.
 */
import type { ServerEvent } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope } from '../lib/tenant.ts';
import { atLeast } from './microversion.ts';
import { serverActionLog } from './usecases/servers.ts';

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

/**
 * The actions recorded for the server the path names, newest first: a server of the caller's project, or from
 * 2.21 one it deleted (its actions outlive it); 404 otherwise.
 */
async function actionsOf(c: AppContext): Promise<{ id: string; events: ServerEvent[] }> {
  const id = c.req.param('server_id')!;
  const events = await serverActionLog(callerOf(c), id, { deleted: atLeast(c, '2.21') });
  if (!events) throw notFound(`Instance ${id} could not be found.`);
  return { id, events };
}

export const instanceActionRoutes = router();

instanceActionRoutes.get('/servers/:server_id/os-instance-actions', act('ecs:servers:get'), async (c) => {
  const { events } = await actionsOf(c);
  const { projectId } = projectScope(c);
  return c.json({ instanceActions: events.map((e) => actionView(projectId, e)) });
});

instanceActionRoutes.get('/servers/:server_id/os-instance-actions/:request_id', act('ecs:servers:get'), async (c) => {
  const { id, events } = await actionsOf(c);
  const e = events.find((x) => x.requestId === c.req.param('request_id'));
  if (!e) throw notFound(`Action ${c.req.param('request_id')} on instance ${id} could not be found.`);
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

/**
 * The operator's view of the host fleet, `/ecs/admin/hosts`: capacity and claims per host, the agent's
 * liveness, and the operator's actions: disable (drain new placements), fail on purpose, revive, and grant a
 * host to one tenant as a Dedicated Cloud host (the "specific Order" of clause 1.2.3.5).
 */
import { z } from 'zod';
import hostSeed from '../../seed/hosts.json';
import { act } from '../auth/middleware.ts';
import { type AppContext, family, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { jsonBody, query } from '../lib/validate.ts';

const updateBody = z
  .object({ host: z.object({ enabled: z.boolean().optional(), dedicated_project_id: z.string().nullable().optional() }).strict() })
  .strict();
const failBody = z.object({ immediate: z.boolean().optional() }).strict();

function zoneOf(hostId: string): string {
  const h = hostSeed.find((x) => x.id === hostId);
  if (!h) throw notFound(`Host ${hostId} could not be found.`);
  return h.zone;
}

/** One host as the operator's API shows it: capacity, use, liveness and its agent. */
export async function hostView(c: AppContext, zone: string, hostId: string) {
  const hosts = await c.env.ZONE.getByName(zone).hosts(zone);
  const h = hosts.find((x) => x.id === hostId);
  if (!h) throw notFound(`Host ${hostId} could not be found.`);
  const status = await c.env.HOST.getByName(hostId).status();
  return {
    id: h.id,
    zone,
    kind: h.kind,
    enabled: h.enabled,
    alive: h.alive,
    dedicated_project_id: h.dedicatedProject,
    capacity: { vcpus: h.vcpus * h.cpuRatio, ram_mb: h.ramMb * h.ramRatio, disk_gb: h.diskGb * h.diskRatio },
    used: { vcpus: h.used.vcpus, ram_mb: h.used.ramMb, disk_gb: h.used.diskGb, servers: h.used.count },
    agent: status.agent
      ? {
          last_heartbeat: new Date(status.agent.lastHeartbeat).toISOString(),
          stopped: status.agent.agentStopped,
          failed: status.agent.failed,
        }
      : null,
    instances: status.instances.length,
  };
}

// The host list filters on one zone; other parameters are ignored.
const listQuery = z.object({ zone: z.string().optional() });

export const hostRoutes = router();
hostRoutes.use(family('native'));

hostRoutes.get('/hosts', act('ecs:hosts:list'), async (c) => {
  const { zone } = query(c, listQuery);
  const ids = hostSeed.filter((h) => !zone || h.zone === zone);
  return c.json({ hosts: await Promise.all(ids.map((h) => hostView(c, h.zone, h.id))) });
});

hostRoutes.get('/hosts/:host_id', act('ecs:hosts:get'), async (c) => {
  const id = c.req.param('host_id');
  return c.json({ host: await hostView(c, zoneOf(id), id) });
});

hostRoutes.put('/hosts/:host_id', act('ecs:hosts:update'), async (c) => {
  const { host } = await jsonBody(c, updateBody);
  const id = c.req.param('host_id');
  const zone = zoneOf(id);
  // A body that names no field changes nothing (and the zone's update would have no value to set).
  if (host.enabled !== undefined || host.dedicated_project_id !== undefined)
    await c.env.ZONE.getByName(zone).setHost(zone, id, { enabled: host.enabled, dedicatedProject: host.dedicated_project_id });
  return c.json({ host: await hostView(c, zone, id) });
});

hostRoutes.post('/hosts/:host_id/fail', act('ecs:hosts:update'), async (c) => {
  const body = await jsonBody(c, failBody);
  const id = c.req.param('host_id');
  await c.env.HOST.getByName(id).fail(id, zoneOf(id), body.immediate ?? false);
  return c.json({ host: await hostView(c, zoneOf(id), id) }, 202);
});

hostRoutes.post('/hosts/:host_id/revive', act('ecs:hosts:update'), async (c) => {
  const id = c.req.param('host_id');
  await c.env.HOST.getByName(id).revive(id, zoneOf(id));
  return c.json({ host: await hostView(c, zoneOf(id), id) });
});

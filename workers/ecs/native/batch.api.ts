/**
 * Native batch operations: `POST /cloudservers/action` (os-start, os-stop, reboot) and `POST /cloudservers/delete`,
 * each answering a job over its servers. The batch is taken as a whole, as Flexible Engine does: every server must be
 * the caller's (404 otherwise) and in a state that allows the operation (409 otherwise), or none is touched; the
 * TenantDO applies it to all of them and records the job in one transaction.
 */
import { z } from 'zod';
import { act, actionNamed, actOn } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../../lib/tenant.ts';
import { jsonBody } from '../../lib/validate.ts';
import { actorOf } from '../server-context.ts';
import { ecsRouter } from './errors.ts';

const servers = z
  .array(z.object({ id: z.string().min(1) }).strict())
  .min(1)
  .max(1000)
  .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'each server is named once');
const powerType = z.enum(['SOFT', 'HARD']);
const actionBody = z
  .object({
    'os-start': z.object({ servers }).strict().optional(),
    'os-stop': z.object({ servers, type: powerType.optional() }).strict().optional(),
    reboot: z.object({ servers, type: powerType }).strict().optional(),
  })
  .strict();
const deleteBody = z.object({ servers, delete_publicip: z.boolean().optional(), delete_volume: z.boolean().optional() }).strict();

/** Each action's job type and the state its servers reach. */
const ACTIONS = {
  'os-start': { job: 'batchStartServer', until: 'ACTIVE' },
  'os-stop': { job: 'batchStopServer', until: 'SHUTOFF' },
  reboot: { job: 'batchRebootServer', until: 'ACTIVE' },
} as const;

/** The named servers with what the batch needs of the project; 404 names the first that is not the caller's. */
async function named(c: AppContext, refs: { id: string }[]) {
  const rows = await tenant(c).list(['servers', 'ports', 'elastic_ips']);
  const found = refs.map((r) => {
    const s = rows.servers.find((x) => x.id === r.id);
    if (!s) throw notFound(`ECS [${r.id}] could not be found.`, 'ServerNotFound');
    return s;
  });
  return { ...rows, servers: found };
}

export const batchRoutes = ecsRouter();

/** The policy action of each batch operation. */
const BATCH_ACTIONS = { 'os-start': 'ecs:servers:start', 'os-stop': 'ecs:servers:stop', reboot: 'ecs:servers:reboot' } as const;

batchRoutes.post('/cloudservers/action', actOn(Object.values(BATCH_ACTIONS), actionNamed(BATCH_ACTIONS)), async (c) => {
  const body = await jsonBody(c, actionBody);
  const given = (Object.keys(ACTIONS) as (keyof typeof ACTIONS)[]).filter((k) => body[k] !== undefined);
  if (given.length !== 1) throw badRequest('Exactly one of os-start, os-stop and reboot is expected.');
  const action = given[0]!;
  const spec = body[action]!;
  const { projectId } = projectScope(c);
  const { servers: list } = await named(c, spec.servers);
  const hard = 'type' in spec && spec.type === 'HARD';
  const job = { id: crypto.randomUUID(), type: ACTIONS[action].job, until: ACTIONS[action].until };
  const ids = list.map((s) => s.id);
  unwrap(await tenant(c).serverActions(projectId, ids, action, hard, actorOf(c), job));
  return c.json({ job_id: job.id });
});

batchRoutes.post('/cloudservers/delete', act('ecs:servers:delete'), async (c) => {
  const body = await jsonBody(c, deleteBody);
  const { projectId } = projectScope(c);
  const t = tenant(c);
  // The EIPs are found before the deletion: once a server is gone, its ports and their bindings go with it.
  const { servers: list, ports, elastic_ips } = await named(c, body.servers);
  const job = { id: crypto.randomUUID(), type: 'deleteServer', until: 'DELETED' } as const;
  const ids = list.map((s) => s.id);
  unwrap(await t.deleteServers(projectId, ids, actorOf(c), job));
  if (body.delete_publicip) {
    const nicPorts = new Set([
      ...list.flatMap((s) => s.nics.flatMap((n) => (n.portId ? [n.portId] : []))),
      ...ports.filter((p) => list.some((s) => s.id === p.deviceId)).map((p) => p.id),
    ]);
    for (const e of elastic_ips.filter((x) => x.portId && nicPorts.has(x.portId))) unwrap(await t.releaseEip(e.id));
  }
  return c.json({ job_id: job.id });
});

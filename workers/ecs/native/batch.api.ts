/**
 * Native batch operations: `POST /cloudservers/action` (os-start, os-stop, reboot) and `POST /cloudservers/delete`,
 * each answering a job over its servers. The batch is taken as a whole, as Flexible Engine does: every server must be
 * the caller's (404 otherwise) and in a state that allows the operation (409 otherwise), or none is touched; the
 * TenantDO applies it to all of them and records the job in one transaction.
 */
import { z } from 'zod';
import { STATUS } from '../../../core/ecs/states.ts';
import { act, actionNamed, actOn } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { jsonBody } from '../../lib/validate.ts';
import { deleteServers, eipsOf, findServers, powerServers } from '../usecases/servers.ts';
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
  'os-start': { job: 'batchStartServer', until: STATUS.ACTIVE },
  'os-stop': { job: 'batchStopServer', until: STATUS.SHUTOFF },
  reboot: { job: 'batchRebootServer', until: STATUS.ACTIVE },
} as const;

/** The named servers with what the batch needs of the project; 404 names the first that is not the caller's. */
async function named(c: AppContext, refs: { id: string }[]) {
  const found = await findServers(
    callerOf(c),
    refs.map((r) => r.id),
  );
  const servers = found.servers.map((s, i) => {
    if (!s) throw notFound(`ECS [${refs[i]!.id}] could not be found.`, 'ServerNotFound');
    return s;
  });
  return { ...found, servers };
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
  const { servers: list } = await named(c, spec.servers);
  const hard = 'type' in spec && spec.type === 'HARD';
  const job = { id: crypto.randomUUID(), type: ACTIONS[action].job, until: ACTIONS[action].until };
  await powerServers(
    callerOf(c),
    list.map((s) => s.id),
    action,
    hard,
    job,
  );
  return c.json({ job_id: job.id });
});

batchRoutes.post('/cloudservers/delete', act('ecs:servers:delete'), async (c) => {
  const body = await jsonBody(c, deleteBody);
  // The EIPs are found before the deletion: once a server is gone, its ports and their bindings go with it.
  const found = await named(c, body.servers);
  const job = { id: crypto.randomUUID(), type: 'deleteServer', until: STATUS.DELETED } as const;
  const ids = found.servers.map((s) => s.id);
  await deleteServers(callerOf(c), ids, {
    job,
    releaseEips: body.delete_publicip ? eipsOf(found, found.servers) : [],
    deleteVolumes: body.delete_volume ?? false,
  });
  return c.json({ job_id: job.id });
});

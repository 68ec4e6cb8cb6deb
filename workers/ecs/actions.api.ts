/** Nova `POST /servers/{id}/action`: os-start, os-stop, reboot (queued to the host), and the console log. */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { badRequest, conflict } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { oneServer } from './servers.api.ts';

const actionBody = z.union([
  z.object({ 'os-start': z.null() }).strict(),
  z.object({ 'os-stop': z.null() }).strict(),
  z.object({ reboot: z.object({ type: z.enum(['SOFT', 'HARD']) }).strict() }).strict(),
  z
    .object({
      'os-getConsoleOutput': z.object({ length: z.union([z.number().int(), z.string().regex(/^-?\d+$/), z.null()]).optional() }).strict(),
    })
    .strict(),
  z.record(z.string(), z.unknown()),
]);

/** Actions of later issues (resize, rebuild, createImage, ...) answer a clear 400 until they exist. */
const KNOWN = ['os-start', 'os-stop', 'reboot', 'os-getConsoleOutput'];

export const actionRoutes = router();

actionRoutes.post('/servers/:server_id/action', act('ecs:servers:action'), async (c) => {
  const body = (await jsonBody(c, actionBody)) as Record<string, unknown>;
  const [name, ...extra] = Object.keys(body);
  if (!name || extra.length) throw badRequest('Exactly one action is expected in the body.');
  if (!KNOWN.includes(name)) throw badRequest(`The action ${name} is not supported by this cloud yet.`);
  const { s } = await oneServer(c);
  const { projectId } = projectScope(c);
  if (name === 'os-getConsoleOutput') {
    if (!s.hostId || s.status === 'BUILD') throw conflict(`Instance ${s.id} has no console yet: it is still being built.`);
    const raw = (body[name] as { length?: number | string | null }).length;
    const lines = raw === undefined || raw === null || Number(raw) < 0 ? undefined : Number(raw);
    const output = await c.env.HOST.getByName(s.hostId).consoleLog(s.id, lines);
    return c.json({ output: output ?? '' });
  }
  const hard = name === 'reboot' && (body.reboot as { type: string }).type === 'HARD';
  unwrap(await tenant(c).serverAction(projectId, s.id, name as 'os-start' | 'os-stop' | 'reboot', hard));
  return c.body(null, 202);
});

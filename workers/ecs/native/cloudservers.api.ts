/**
 * Native `/v1/{project_id}/cloudservers` reads (one server, the detailed list paged by page number), the
 * auto-recovery switch, and resize (a later feature: refused, never faked).
 */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { jsonBody, query } from '../../lib/validate.ts';
import { serverContext, serverOfPath } from '../server-context.ts';
import { tagFilter } from '../server-list.ts';
import { setAutoRecovery } from '../usecases/servers.ts';
import { ecsRouter } from './errors.ts';
import { nativeServerView } from './views.ts';

/** One server of the caller's project, or 404 (another project's is as missing as a deleted one). */
export async function nativeServer(c: AppContext) {
  const found = await serverOfPath(c, { native: true });
  if (!found) throw notFound(`ECS [${c.req.param('server_id')}] could not be found.`, 'ServerNotFound');
  return found;
}

// `offset` is a page number (0 and 1 both mean the first page), `limit` the page size; `tags` keeps servers with
// all the (comma-separated) `key=value` tags, `not-tags` drops those with all of them; other filters are ignored.
const listQuery = z.object({
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  flavor: z.string().optional(),
  tags: z.string().optional(),
  'not-tags': z.string().optional(),
});
const autoRecoveryBody = z.object({ support_auto_recovery: z.enum(['true', 'false']) }).strict();

export const cloudServerRoutes = ecsRouter();

cloudServerRoutes.get('/cloudservers/detail', act('ecs:servers:list'), async (c) => {
  const q = query(c, listQuery);
  const ctx = await serverContext(c, { native: true });
  const tagged = tagFilter({ tags: q.tags, 'not-tags': q['not-tags'] });
  const rows = ctx.servers
    .filter((s) => (q.name === undefined || s.name.includes(q.name)) && (q.status === undefined || s.status === q.status))
    .filter((s) => (q.flavor === undefined || s.flavorId === q.flavor) && tagged(s))
    .sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
  const limit = q.limit ?? 25;
  const page = Math.max(q.offset ?? 1, 1);
  const servers = rows.slice((page - 1) * limit, page * limit).map((s) => nativeServerView(ctx, s));
  return c.json({ count: rows.length, servers });
});

cloudServerRoutes.get('/cloudservers/:server_id', act('ecs:servers:get'), async (c) => {
  const { ctx, s } = await nativeServer(c);
  return c.json({ server: nativeServerView(ctx, s) });
});

cloudServerRoutes.get('/cloudservers/:server_id/autorecovery', act('ecs:servers:get'), async (c) => {
  const { s } = await nativeServer(c);
  return c.json({ support_auto_recovery: String(s.autoRecovery) });
});

cloudServerRoutes.put('/cloudservers/:server_id/autorecovery', act('ecs:servers:update'), async (c) => {
  const body = await jsonBody(c, autoRecoveryBody);
  const { s } = await nativeServer(c);
  await setAutoRecovery(callerOf(c), s.id, body.support_auto_recovery === 'true');
  return c.body(null, 204);
});

cloudServerRoutes.post('/cloudservers/:server_id/resize', act('ecs:servers:resize'), async (c) => {
  const { s } = await nativeServer(c);
  throw badRequest(`Resizing ECS ${s.id} is not supported yet.`);
});

/**
 * Nova server tags (2.26): `/servers/{id}/tags` lists, replaces or clears a server's tags, `/tags/{tag}` checks,
 * adds or removes one. A tag is 1 to 60 characters without '/' or ','; a server has at most 50.
 */
import { z } from 'zod';
import { MAX_TAGS } from '../../durable/ecs/tags.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { check, jsonBody } from '../lib/validate.ts';
import { since } from './microversion.ts';
import { oneServer } from './server-context.ts';
import { serverLinks } from './views.ts';

/** Nova's tag: 1 to 60 characters, no '/' (it would not fit in a path) and no ',' (lists in filters use it). */
const tag = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[^,/]*$/, "must not contain '/' or ','");
const replaceBody = z.object({ tags: z.array(tag).max(MAX_TAGS) }).strict();

/** The tag named in the path, checked as Nova checks it. */
function pathTag(c: AppContext): string {
  const value = c.req.param('tag') ?? '';
  const r = tag.safeParse(value);
  if (!r.success)
    throw badRequest(
      `Tag '${value}' is invalid. It must be a non empty string without characters '/' and ','. ${r.error.issues[0]!.message}`,
    );
  return value;
}

/** A single-tag PUT has no body, or a JSON null. */
async function noBody(c: AppContext): Promise<void> {
  const text = await c.req.text();
  if (text.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('Malformed request body: the body is not valid JSON.');
  }
  check(z.null(), value);
}

export const serverTagRoutes = router();

serverTagRoutes.get('/servers/:server_id/tags', act('ecs:serverTags:list'), since('2.26'), async (c) => {
  const { s } = await oneServer(c);
  return c.json({ tags: s.tags });
});

serverTagRoutes.put('/servers/:server_id/tags', act('ecs:serverTags:update'), since('2.26'), async (c) => {
  const body = await jsonBody(c, replaceBody);
  const { s } = await oneServer(c);
  return c.json({ tags: unwrap(await tenant(c).replaceTags(s.id, body.tags)) });
});

serverTagRoutes.delete('/servers/:server_id/tags', act('ecs:serverTags:delete'), since('2.26'), async (c) => {
  const { s } = await oneServer(c);
  unwrap(await tenant(c).clearTags(s.id));
  return c.body(null, 204);
});

serverTagRoutes.get('/servers/:server_id/tags/:tag', act('ecs:serverTags:get'), since('2.26'), async (c) => {
  const { s } = await oneServer(c);
  const value = c.req.param('tag');
  if (!s.tags.includes(value)) throw notFound(`Server ${s.id} has no tag '${value}'`);
  return c.body(null, 204);
});

serverTagRoutes.put('/servers/:server_id/tags/:tag', act('ecs:serverTags:update'), since('2.26'), async (c) => {
  await noBody(c);
  const { ctx, s } = await oneServer(c);
  const value = pathTag(c);
  const created = unwrap(await tenant(c).addTag(s.id, value));
  if (!created) return c.body(null, 204);
  return c.body(null, 201, { Location: `${serverLinks(ctx, s.id)[0]!.href}/tags/${encodeURIComponent(value)}` });
});

serverTagRoutes.delete('/servers/:server_id/tags/:tag', act('ecs:serverTags:delete'), since('2.26'), async (c) => {
  const { s } = await oneServer(c);
  unwrap(await tenant(c).removeTag(s.id, c.req.param('tag')));
  return c.body(null, 204);
});

/**
 * Glance v2 images: list, create (201 with its Location), show, JSON-patch, delete, deactivate / reactivate,
 * tags. Private images live in the owner's TenantDO; who else sees them is the directory's member rows, which a
 * visibility change keeps in step.
 */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { catalogueImages } from '../directory/catalogue.ts';
import { type AppContext, router } from '../lib/app.ts';
import { ApiError, badRequest, conflict } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { imsCaller, listedImages, ownImage, ownTenant, ownView, viewOf, visibleImage } from './context.ts';
import { listPage, readListQuery } from './list.ts';
import { GLANCE_PATCH, readPatch } from './patch-body.ts';
import { deleteImage } from './usecases/images.ts';
import { seenByEveryone } from './usecases/members.ts';

export const imageRoutes = router();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keeps the directory's `*` row in step with an image's visibility (community and public are seen by all). */
async function followVisibility(c: AppContext, id: string, visibility: string): Promise<void> {
  await seenByEveryone(c.env, id, imsCaller(c).projectId, visibility === 'community' || visibility === 'public');
}

imageRoutes.get('/v2/images', act('ims:images:list'), async (c) => {
  const q = readListQuery([...new URL(c.req.url).searchParams]);
  const rows = await listedImages(c);
  const page = listPage(rows, q, new URL(c.req.url).searchParams);
  return c.json({ images: page.images, schema: '/v2/schemas/images', first: '/v2/images', ...(page.next ? { next: page.next } : {}) });
});

imageRoutes.post('/v2/images', act('ims:images:create'), async (c) => {
  const body = await jsonBody(c, z.record(z.string(), z.unknown()));
  const { id = crypto.randomUUID(), ...rest } = body as { id?: unknown } & Record<string, unknown>;
  if (typeof id !== 'string' || !UUID.test(id))
    throw badRequest(`Provided object does not match schema 'image': ${JSON.stringify(id)} is not a valid UUID (id)`);
  if ((await catalogueImages(c.env)).some((i) => i.id === id.toLowerCase())) throw conflict(`Image with identifier ${id} already exists!`);
  const caller = imsCaller(c);
  // An image is its project's: an owner naming another project is refused, for operators too.
  if ('owner' in rest && rest.owner !== caller.projectId) throw new ApiError(403, "Attribute 'owner' is read-only.");
  delete rest.owner;
  const input = {
    id: id.toLowerCase(),
    name: null,
    visibility: 'shared' as const,
    protected: false,
    osHidden: false,
    diskFormat: null,
    containerFormat: null,
    minDisk: 0,
    minRam: 0,
    tags: [],
    properties: {},
    userId: caller.userId,
  };
  const image = unwrap(await ownTenant(c).createImage(input, rest, caller.operator));
  if (image.visibility !== 'shared' && image.visibility !== 'private') await followVisibility(c, image.id, image.visibility);
  c.header('Location', `${new URL(c.req.url).origin}/ims/v2/images/${image.id}`);
  return c.json(ownView(c, image), 201);
});

imageRoutes.get('/v2/images/:image_id', act('ims:images:get'), async (c) => c.json(viewOf(c, await visibleImage(c))));

imageRoutes.patch('/v2/images/:image_id', act('ims:images:update'), async (c) => {
  const own = await ownImage(c);
  const ops = await readPatch(c, GLANCE_PATCH);
  const image = unwrap(await ownTenant(c).patchImage(own.id, ops, imsCaller(c).operator));
  if (image.visibility !== own.visibility) await followVisibility(c, image.id, image.visibility);
  return c.json(ownView(c, image));
});

imageRoutes.delete('/v2/images/:image_id', act('ims:images:delete'), async (c) => {
  await deleteImage(imsCaller(c), c.req.param('image_id')!);
  return c.body(null, 204);
});

imageRoutes.post('/v2/images/:image_id/actions/deactivate', act('ims:images:deactivate'), async (c) => {
  const own = await ownImage(c, 'deactivate');
  unwrap(await ownTenant(c).setImageActive(own.id, false));
  return c.body(null, 204);
});

imageRoutes.post('/v2/images/:image_id/actions/reactivate', act('ims:images:reactivate'), async (c) => {
  const own = await ownImage(c, 'reactivate');
  unwrap(await ownTenant(c).setImageActive(own.id, true));
  return c.body(null, 204);
});

/** A tag as Glance takes it: 1 to 255 characters, no comma or slash. */
function tagOf(c: AppContext): string {
  const tag = c.req.param('tag')!;
  if (tag.length === 0 || tag.length > 255) throw badRequest('Image tag must be 1 to 255 characters long.');
  return tag;
}

imageRoutes.put('/v2/images/:image_id/tags/:tag', act('ims:images:tag'), async (c) => {
  const own = await ownImage(c);
  unwrap(await ownTenant(c).tagImage(own.id, tagOf(c), true));
  return c.body(null, 204);
});

imageRoutes.delete('/v2/images/:image_id/tags/:tag', act('ims:images:tag'), async (c) => {
  const own = await ownImage(c);
  unwrap(await ownTenant(c).tagImage(own.id, tagOf(c), false));
  return c.body(null, 204);
});

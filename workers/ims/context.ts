/**
 * What an IMS route needs before it answers: the caller of the use cases, the image the path names as the
 * caller sees it (404 when it sees none, 403 when it sees it but may not change it, as Glance answers), and its
 * view.
 */
import type { Image } from '../../schema/tenant.ts';
import type { AppContext } from '../lib/app.ts';
import { projectScope } from '../lib/tenant.ts';
import type { Listed } from './list.ts';
import { type ImsCaller, type Located, locateImage, noImage, ownImageOf, reachableImages, tenantOfProject } from './usecases/images.ts';
import { catalogueView, type ImageView, privateView } from './views.ts';

/** The caller of the IMS use cases: the request's project and user, and whether the cloud's operator. */
export function imsCaller(c: AppContext): ImsCaller {
  return { env: c.env, projectId: projectScope(c).projectId, userId: c.var.principal.userId, operator: c.var.principal.operator };
}

/** The caller's TenantDO. */
export const ownTenant = (c: AppContext) => tenantOfProject(c.env, imsCaller(c).projectId);

/** The image of the path's `image_id` as the caller sees it, or a 404. */
export async function visibleImage(c: AppContext): Promise<Located> {
  const id = c.req.param('image_id')!;
  const found = await locateImage(imsCaller(c), id);
  if (!found) throw noImage(id);
  return found;
}

/** The path's image when it is the caller's own: 404 when unseen, 403 when another's. */
export async function ownImage(c: AppContext, what = 'modify'): Promise<Image> {
  return ownImageOf(imsCaller(c), c.req.param('image_id')!, what);
}

/** The view of an image the caller sees. */
export function viewOf(c: AppContext, found: Located): ImageView {
  const origin = new URL(c.req.url).origin;
  if (found.where === 'catalogue') return catalogueView(origin, found.row);
  return privateView(origin, found.image, found.owner, imsCaller(c).projectId);
}

/** The view of one of the caller's own images. */
export function ownView(c: AppContext, image: Image): ImageView {
  const caller = imsCaller(c);
  return privateView(new URL(c.req.url).origin, image, caller.projectId, caller.projectId);
}

/** Every image the caller may list, as list rows (views, where each lives, the caller's member status). */
export async function listedImages(c: AppContext): Promise<Listed[]> {
  return (await reachableImages(imsCaller(c))).map((found) => ({
    view: viewOf(c, found),
    from: found.where,
    memberStatus: found.where === 'shared' ? found.membership?.status : undefined,
  }));
}

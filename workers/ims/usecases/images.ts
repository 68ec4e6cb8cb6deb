/**
 * Which images a project sees, and the one lookup of an image by id that every door uses (Glance, native IMS,
 * and ECS when a server boots): the public catalogue, the project's own images (its TenantDO), images other
 * projects shared with it, and community images. The doors never look images up another way.
 */

import type { Env } from '../../../core/env.ts';
import { IMAGE } from '../../../core/ims/states.ts';
import type { ImageMember } from '../../../schema/global.ts';
import type { Image } from '../../../schema/tenant.ts';
import { catalogueImages, type ImageRow } from '../../directory/catalogue.ts';
import { ApiError, forbidden } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { EVERYONE, forgetImage, grantsOf, grantsTo } from './members.ts';

/** Who calls an IMS use case: the project it works in, who asks, and whether it is the cloud's operator. */
export interface ImsCaller {
  env: Env;
  projectId: string;
  userId: string;
  operator: boolean;
}

/** An image a project sees, and where it lives. */
export type Located =
  | { where: 'catalogue'; row: ImageRow }
  | { where: 'own'; image: Image; owner: string }
  | { where: 'shared'; image: Image; owner: string; membership: ImageMember | undefined };

/** A project's TenantDO. */
export const tenantOfProject = (env: Env, projectId: string) => env.TENANT.getByName(projectId);

/** Whether a row of the directory lets the project see another's image, given the image's visibility now. */
function grants(image: Image, row: ImageMember): boolean {
  if (row.memberProjectId === EVERYONE) return image.visibility === 'community' || image.visibility === 'public';
  return image.visibility === 'shared';
}

/** An image of another project, if it still exists there. */
async function foreignImage(env: Env, owner: string, id: string): Promise<Image | null> {
  const r = await tenantOfProject(env, owner).image(id);
  return 'ok' in r ? r.ok : null;
}

/** The image of that id the caller sees, wherever it lives; null when it sees none. */
export async function locateImage(caller: ImsCaller, id: string): Promise<Located | null> {
  const row = (await catalogueImages(caller.env)).find((i) => i.id === id);
  if (row) return { where: 'catalogue', row };
  const own = await tenantOfProject(caller.env, caller.projectId).image(id);
  if ('ok' in own) return { where: 'own', image: own.ok, owner: caller.projectId };
  for (const g of await grantsOf(caller.env, id, caller.projectId)) {
    const image = await foreignImage(caller.env, g.ownerProjectId, id);
    if (image && grants(image, g))
      return { where: 'shared', image, owner: g.ownerProjectId, membership: g.memberProjectId === EVERYONE ? undefined : g };
  }
  return null;
}

/** Glance's 404 for an image the caller does not see. */
export const noImage = (id: string) => new ApiError(404, `No image found with ID ${id}`);

/** The image of that id when it is the caller's own: 404 when it sees none, 403 when it sees another's (Glance's). */
export async function ownImageOf(caller: ImsCaller, id: string, what = 'modify'): Promise<Image> {
  const found = await locateImage(caller, id);
  if (!found) throw noImage(id);
  if (found.where !== 'own') throw forbidden(`You are not permitted to ${what} this image.`);
  return found.image;
}

/** The caller's own images, whatever their visibility and status. */
export async function ownImages(caller: ImsCaller): Promise<Image[]> {
  return unwrap(await tenantOfProject(caller.env, caller.projectId).images());
}

/** Deletes one of the caller's own images, then the directory's rows that shared it. */
export async function deleteImage(caller: ImsCaller, id: string): Promise<void> {
  const own = await ownImageOf(caller, id, 'delete');
  unwrap(await tenantOfProject(caller.env, caller.projectId).deleteImage(own.id));
  await forgetImage(caller.env, caller.projectId, own.id);
}

/** Every image the caller may list: the catalogue, its own, and others' it has a row for (filtered later). */
export async function reachableImages(caller: ImsCaller): Promise<Located[]> {
  const [catalogue, own, rows] = await Promise.all([
    catalogueImages(caller.env),
    tenantOfProject(caller.env, caller.projectId).images(),
    grantsTo(caller.env, caller.projectId),
  ]);
  const out: Located[] = catalogue.map((row) => ({ where: 'catalogue', row }));
  for (const image of unwrap(own)) out.push({ where: 'own', image, owner: caller.projectId });
  const byOwner = new Map<string, ImageMember[]>();
  for (const r of rows)
    if (r.ownerProjectId !== caller.projectId) byOwner.set(r.ownerProjectId, [...(byOwner.get(r.ownerProjectId) ?? []), r]);
  const fetched = await Promise.all(
    [...byOwner].map(async ([owner, list]) => {
      const images = unwrap(await tenantOfProject(caller.env, owner).images(list.map((r) => r.imageId)));
      return images.flatMap((image) => {
        const g = list.filter((r) => r.imageId === image.id).find((r) => grants(image, r));
        return g ? [{ where: 'shared' as const, image, owner, membership: g.memberProjectId === EVERYONE ? undefined : g }] : [];
      });
    }),
  );
  return [...out, ...fetched.flat()];
}

/** A private image as the catalogue's rows describe images to the compute service. */
function asBootRow(i: Image): ImageRow {
  return {
    id: i.id,
    name: i.name ?? i.id,
    osType: i.properties.__os_type ?? 'Linux',
    osVersion: i.properties.__os_version ?? '',
    platform: i.properties.__platform ?? '',
    minDiskGb: i.minDisk,
    minRamMb: i.minRam,
    sizeBytes: i.size ?? 0,
    diskFormat: i.diskFormat ?? 'qcow2',
    virtualEnvType: i.properties.virtual_env_type ?? 'FusionCompute',
    createdAt: i.createdAt,
  };
}

/** The image a located one boots as: catalogue, own or community ones active, shared ones once accepted; else null. */
function bootRowOf(found: Located): ImageRow | null {
  if (found.where === 'catalogue') return found.row;
  if (found.image.status !== IMAGE.ACTIVE) return null;
  if (found.where === 'shared' && found.membership && found.membership.status !== 'accepted') return null;
  return asBootRow(found.image);
}

/**
 * The image a server of the project boots from: a catalogue image, one of its own, one shared with it and
 * accepted, or a community one; active only. Null when there is none such.
 */
export async function bootImage(env: Env, projectId: string, id: string): Promise<ImageRow | null> {
  const found = await locateImage({ env, projectId, userId: '', operator: false }, id);
  return found ? bootRowOf(found) : null;
}

/** Every image a server of the project may boot from (what a create form offers), by the rule of `bootImage`. */
export async function bootableImages(env: Env, projectId: string): Promise<ImageRow[]> {
  const all = await reachableImages({ env, projectId, userId: '', operator: false });
  return all.flatMap((found) => bootRowOf(found) ?? []);
}

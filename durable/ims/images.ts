/**
 * Private images in the project's TenantDO: their records and the rules of Glance v2 over them (statuses
 * `queued -> saving -> active`, `deactivated`, `killed`; `protected`; read-only attributes), the project's image
 * quotas, and the usage events of stored bytes. Bytes live in R2 under `ims/<project>/<image id>`; the Worker
 * streams them and tells this module where an upload stands.
 */
import { count, eq, inArray, sql } from 'drizzle-orm';
import { IMAGE, type ImageStatus, type Visibility } from '../../core/ims/states.ts';
import { DomainError } from '../../core/result.ts';
import { type Image, type ImageOrigin, images, quotas } from '../../schema/tenant.ts';
import { recordUsage } from '../lib/usage.ts';
import type { Ctx } from '../vpc/context.ts';

/** What a new image record says (the columns a create sets). */
export interface ImageInput {
  id: string;
  name: string | null;
  visibility: Visibility;
  protected: boolean;
  osHidden: boolean;
  diskFormat: string | null;
  containerFormat: string | null;
  minDisk: number;
  minRam: number;
  tags: string[];
  properties: Record<string, string>;
  userId: string;
  origin?: ImageOrigin | null;
  status?: ImageStatus;
}

/** Glance's defaults for a project (keystone unified limits `image_count_total`, `image_size_total` in MiB). */
export const IMAGE_QUOTA_DEFAULTS = { image_count_total: 100, image_size_total: 1_048_576 } as const;
export type ImageQuota = keyof typeof IMAGE_QUOTA_DEFAULTS;

/** Glance answers a refused operation with a status and a sentence; this is one. */
export const refused = (status: number, message: string) => new DomainError(status, 'ImageRefused', message);

/** The image quotas in force: the project's own over the defaults. */
export function imageLimits(ctx: Ctx): Record<ImageQuota, number> {
  const out: Record<string, number> = { ...IMAGE_QUOTA_DEFAULTS };
  const rows = ctx.db
    .select()
    .from(quotas)
    .where(inArray(quotas.resource, Object.keys(IMAGE_QUOTA_DEFAULTS)))
    .all();
  for (const q of rows) out[q.resource] = q.limit;
  return out as Record<ImageQuota, number>;
}

/** What the project's images use: their number, and their bytes in MiB (rounded up), stored or being uploaded. */
export function imageUsage(ctx: Ctx): Record<ImageQuota, number> {
  const r = ctx.db
    .select({ n: count(), bytes: sql<number>`coalesce(sum(${images.size}), 0)` })
    .from(images)
    .get();
  return { image_count_total: r?.n ?? 0, image_size_total: Math.ceil((r?.bytes ?? 0) / 1_048_576) };
}

/** Refuses, as Glance's unified limits do (413), what would pass a limit. */
function requireImageQuota(ctx: Ctx, more: Partial<Record<ImageQuota, number>>): void {
  const limits = imageLimits(ctx);
  const used = imageUsage(ctx);
  for (const [k, n] of Object.entries(more) as [ImageQuota, number][])
    if (limits[k] >= 0 && used[k] + n > limits[k])
      throw refused(413, `Quota exceeded for ${k}: requested ${n}, already used ${used[k]} of ${limits[k]}.`);
}

/** Sets image limits (an operator's action). */
export function setImageLimits(ctx: Ctx, wanted: Partial<Record<ImageQuota, number>>): Record<ImageQuota, number> {
  for (const [resource, limit] of Object.entries(wanted))
    ctx.db.insert(quotas).values({ resource, limit }).onConflictDoUpdate({ target: quotas.resource, set: { limit } }).run();
  return imageLimits(ctx);
}

/** An image by id, or Glance's 404. */
export function image(ctx: Ctx, id: string): Image {
  const row = ctx.db.select().from(images).where(eq(images.id, id)).get();
  if (!row) throw refused(404, `No image found with ID ${id}`);
  return row;
}

/** Records a new image (queued unless told), within the project's image count. */
export function createImage(ctx: Ctx, input: ImageInput): Image {
  requireImageQuota(ctx, { image_count_total: 1 });
  if (ctx.db.select({ id: images.id }).from(images).where(eq(images.id, input.id)).get())
    throw refused(409, `Image with identifier ${input.id} already exists!`);
  const row = {
    ...input,
    origin: input.origin ?? null,
    status: input.status ?? IMAGE.QUEUED,
    size: null,
    virtualSize: null,
    checksum: null,
    hashAlgo: null,
    hashValue: null,
    blobKey: null,
    fault: null,
    activeAt: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(images).values(row).run();
  return image(ctx, input.id);
}

/** Changes an image's columns (the patch module decides what may change). */
export function saveImage(ctx: Ctx, id: string, set: Partial<Image>): Image {
  ctx.db
    .update(images)
    .set({ ...set, updatedAt: ctx.now })
    .where(eq(images.id, id))
    .run();
  return image(ctx, id);
}

/**
 * Starts an upload: only a queued image takes data (409 otherwise), and a declared length must fit the
 * project's bytes quota. The image is `saving` (or `importing`) until the upload ends either way.
 */
export function beginUpload(ctx: Ctx, id: string, blobKey: string, length: number | null, status: ImageStatus = IMAGE.SAVING): Image {
  const row = image(ctx, id);
  if (row.status !== IMAGE.QUEUED) throw refused(409, `Image status transition from ${row.status} to ${status} is not allowed`);
  if (!row.diskFormat || !row.containerFormat)
    throw refused(400, 'Properties disk_format, container_format must be set prior to saving data.');
  if (length !== null) requireImageQuota(ctx, { image_size_total: Math.ceil(length / 1_048_576) });
  // The declared length is held in `size` while the bytes stream (the views show no size until active), so that
  // uploads running side by side count against the quota together.
  return saveImage(ctx, id, { status, blobKey, size: length });
}

/** What the Worker measured while the bytes streamed into R2. */
export interface Uploaded {
  size: number;
  md5: string;
  sha512: string;
}

/** An upload completed: the image is active with its size and hashes, and its storage starts being metered. */
export function finishUpload(ctx: Ctx, id: string, done: Uploaded): Image {
  const row = image(ctx, id);
  if (row.status !== IMAGE.SAVING && row.status !== IMAGE.IMPORTING)
    throw refused(409, `Image ${id} is ${row.status}: its upload was not in progress.`);
  const saved = saveImage(ctx, id, {
    status: IMAGE.ACTIVE,
    size: done.size,
    virtualSize: null,
    checksum: done.md5,
    hashAlgo: 'sha512',
    hashValue: done.sha512,
    activeAt: ctx.now,
    fault: null,
  });
  meterStart(ctx, saved);
  return saved;
}

/** An upload failed: back to queued (the client may try again), or `killed` when the bytes cannot be trusted. */
export function abortUpload(ctx: Ctx, id: string, fault: string, kill = false): Image | null {
  const row = ctx.db.select().from(images).where(eq(images.id, id)).get();
  if (!row || (row.status !== IMAGE.SAVING && row.status !== IMAGE.IMPORTING)) return row ?? null;
  return saveImage(ctx, id, { status: kill ? IMAGE.KILLED : IMAGE.QUEUED, blobKey: null, size: null, fault });
}

const GB = 1024 ** 3;

/** The usage event of an image becoming active: its stored size in GB from now on. */
function meterStart(ctx: Ctx, row: Image): void {
  recordUsage(ctx, {
    id: `${row.id}:start`,
    meter: 'ims.image',
    resourceId: row.id,
    action: 'start',
    quantity: (row.size ?? 0) / GB,
    attributes: { os_type: row.properties.__os_type ?? '', disk_format: row.diskFormat ?? '' },
  });
}

/** Deletes an image (403 while protected); its storage stops being metered. Answers the R2 key to free. */
export function deleteImage(ctx: Ctx, id: string): { blobKey: string | null } {
  const row = image(ctx, id);
  if (row.protected) throw refused(403, `Image ${id} is protected and cannot be deleted.`);
  ctx.db.delete(images).where(eq(images.id, id)).run();
  if (row.activeAt) recordUsage(ctx, { id: `${id}:stop`, meter: 'ims.image', resourceId: id, action: 'stop', quantity: 0, attributes: {} });
  return { blobKey: row.blobKey };
}

/** Deactivates an active image (its data can no longer be read), or reactivates a deactivated one. */
export function setActive(ctx: Ctx, id: string, active: boolean): Image {
  const row = image(ctx, id);
  const from = active ? IMAGE.DEACTIVATED : IMAGE.ACTIVE;
  if (row.status === (active ? IMAGE.ACTIVE : IMAGE.DEACTIVATED)) return row;
  if (row.status !== from) throw refused(400, `Not allowed to ${active ? 'reactivate' : 'deactivate'} image in status '${row.status}'`);
  return saveImage(ctx, id, { status: active ? IMAGE.ACTIVE : IMAGE.DEACTIVATED });
}

/** Glance's limit of tags per image (`image_tag_quota`). */
export const TAG_QUOTA = 128;

/** Adds a tag (idempotent) or removes one (404 when absent). */
export function tag(ctx: Ctx, id: string, value: string, add: boolean): Image {
  const row = image(ctx, id);
  const has = row.tags.includes(value);
  if (add) {
    if (has) return row;
    if (row.tags.length >= TAG_QUOTA) throw refused(413, `Maximum number of tags exceeded: ${TAG_QUOTA}.`);
    return saveImage(ctx, id, { tags: [...row.tags, value] });
  }
  if (!has) throw refused(404, `Tag ${value} not found`);
  return saveImage(ctx, id, { tags: row.tags.filter((t) => t !== value) });
}

/** The images of the project, or those of the given ids. */
export function listImages(ctx: Ctx, ids?: string[]): Image[] {
  if (ids) return ids.length ? ctx.db.select().from(images).where(inArray(images.id, ids)).all() : [];
  return ctx.db.select().from(images).all();
}

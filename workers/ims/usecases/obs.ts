/**
 * Images and OBS objects: an image made from an object (`image_url` = `bucket:key`, which the caller must be
 * allowed to read by OBS's own rules: its IAM permissions, the bucket policy, the ACLs) and an image exported
 * to an object (`bucket_url`, a write the caller must be allowed). The bytes stream from blob to blob, hashed
 * on the way; the bucket's Durable Object decides and records, as it does for any S3 request.
 */
import { IMAGE } from '../../../core/ims/states.ts';
import type { Requester } from '../../../durable/obs/access.ts';
import type { Image } from '../../../schema/tenant.ts';
import { ApiError, badRequest } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { readBlobs, storeBlob } from '../../obs/blobs.ts';
import { readImageBytes, storeImageBytes } from './bytes.ts';
import type { ImsCaller } from './images.ts';
import { tenantOfProject } from './images.ts';

/** An object named the IMS way, `bucket:key`. */
export interface ObsRef {
  bucket: string;
  key: string;
}

/** Reads `bucket:key` (400 when it is not one). */
export function obsRef(url: string, field: string): ObsRef {
  const at = url.indexOf(':');
  const bucket = url.slice(0, at);
  const key = url.slice(at + 1);
  if (at < 3 || !key || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw badRequest(`The ${field} must name an OBS object as bucket:key.`, 'IMG.0001');
  return { bucket, key };
}

/** Fills a recorded (queued) image with the bytes of an OBS object the caller may read; the image ends active. */
export async function importFromObs(caller: ImsCaller, who: Requester, ref: ObsRef, imageId: string): Promise<Image> {
  const bucket = caller.env.BUCKET.getByName(ref.bucket);
  const t = tenantOfProject(caller.env, caller.projectId);
  // Importing from here on, so that whatever fails kills the image (and fails its job) instead of leaving it queued.
  const importing = unwrap(await t.beginImageUpload(imageId, null, IMAGE.IMPORTING));
  try {
    const read = await bucket.readObject(ref.bucket, who, ref.key);
    if ('error' in read || read.ok.status !== 'ok') {
      const why = 'error' in read ? read.error.message : 'it did not answer its bytes';
      throw new ApiError(
        'error' in read && read.error.status === 403 ? 403 : 400,
        `The image file ${ref.bucket}:${ref.key} cannot be read: ${why}`,
        'IMG.0001',
      );
    }
    const { version } = read.ok;
    const limits = unwrap(await t.imageQuotas());
    if (
      limits.limits.image_size_total >= 0 &&
      limits.usage.image_size_total + Math.ceil(version.size / 1_048_576) > limits.limits.image_size_total
    )
      throw new ApiError(413, `Quota exceeded for image_size_total: the file's ${version.size} bytes do not fit.`, 'IMG.0413');
    const done = await storeImageBytes(caller.env, importing.blobKey!, readBlobs(caller.env, version.blobs, 0, version.size), version.size);
    return unwrap(await t.finishImageUpload(imageId, done));
  } catch (err) {
    await t.abortImageUpload(imageId, err instanceof Error ? err.message : String(err), true);
    throw err;
  }
}

/** Writes an active image's bytes to an OBS object the caller may write. */
export async function exportToObs(caller: ImsCaller, who: Requester, image: Image, ref: ObsRef): Promise<void> {
  if (image.status !== IMAGE.ACTIVE || !image.blobKey || image.size === null)
    throw new ApiError(409, `Image ${image.id} is ${image.status}: only an active image with data can be exported.`, 'IMG.0409');
  const bucket = caller.env.BUCKET.getByName(ref.bucket);
  const { blob } = unwrap(await bucket.beginWrite(ref.bucket, who, ref.key));
  try {
    const source = await readImageBytes(caller.env, image.blobKey);
    if (!source) throw new Error(`the bytes of image ${image.id} are missing`);
    const { md5 } = await storeBlob(caller.env, blob, source.body, image.size);
    const version = {
      key: ref.key,
      size: image.size,
      etag: md5,
      contentType: 'application/octet-stream',
      meta: { user: {}, headers: {} },
      storageClass: null,
      blobs: [{ key: blob, size: image.size }],
      partsCount: 0,
      tags: null,
      acl: null,
    };
    unwrap(await bucket.commitObject(ref.bucket, version));
  } catch (err) {
    await bucket.abandon(ref.bucket, blob);
    throw err;
  }
}

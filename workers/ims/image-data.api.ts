/**
 * Glance v2 image data: `PUT /file` streams the body into R2 (queued -> saving -> active, with `checksum` and the
 * SHA-512 multihash computed on the way; 409 unless queued), `GET /file` streams it back with `Content-MD5` (hex,
 * which openstacksdk checks), 204 when the image has no data, 403 while it is deactivated.
 */
import { IMAGE } from '../../core/ims/states.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { ApiError, badRequest, forbidden } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { imsCaller, ownImage, ownTenant, visibleImage } from './context.ts';
import { readImageBytes, storeImageBytes } from './usecases/bytes.ts';

export const imageDataRoutes = router();

imageDataRoutes.put('/v2/images/:image_id/file', act('ims:data:upload'), async (c) => {
  const own = await ownImage(c, 'upload data to');
  const type = (c.req.header('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
  if (type !== 'application/octet-stream') throw new ApiError(415, `Unsupported Content-Type: ${type}`);
  const declared = c.req.header('content-length');
  if (declared !== undefined && !/^\d+$/.test(declared)) throw badRequest(`Invalid Content-Length: ${declared}`);
  const length = declared === undefined ? null : Number(declared);
  const t = ownTenant(c);
  const saving = unwrap(await t.beginImageUpload(own.id, length));
  try {
    const done = await storeImageBytes(
      c.env,
      saving.blobKey!,
      c.req.raw.body ?? new ReadableStream({ start: (ctl) => ctl.close() }),
      length,
    );
    const { limits, usage } = unwrap(await t.imageQuotas());
    if (
      length === null &&
      limits.image_size_total >= 0 &&
      usage.image_size_total + Math.ceil(done.size / 1_048_576) > limits.image_size_total
    )
      throw new ApiError(413, `Quota exceeded for image_size_total: the ${done.size} bytes uploaded do not fit.`);
    // Refused when the image went meanwhile (deleted during the upload): the catch then frees the bytes.
    unwrap(await t.finishImageUpload(own.id, done));
  } catch (err) {
    await t.abortImageUpload(own.id, String(err));
    if (err instanceof ApiError) throw err;
    throw badRequest(`The image data could not be read whole: ${err instanceof Error ? err.message : String(err)}`);
  }
  return c.body(null, 204);
});

imageDataRoutes.get('/v2/images/:image_id/file', act('ims:data:get'), async (c) => {
  const found = await visibleImage(c);
  if (found.where === 'catalogue') return c.body(null, 204);
  const image = found.image;
  if (image.status === IMAGE.DEACTIVATED && !imsCaller(c).operator)
    throw forbidden('The requested image has been deactivated. Image data download is forbidden.');
  if (image.status !== IMAGE.ACTIVE && image.status !== IMAGE.DEACTIVATED) return c.body(null, 204);
  const obj = image.blobKey ? await readImageBytes(c.env, image.blobKey) : null;
  if (!obj) return c.body(null, 204);
  return new Response(obj.body, {
    status: 200,
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(obj.size),
      ...(image.checksum ? { 'Content-MD5': image.checksum } : {}),
    },
  });
});

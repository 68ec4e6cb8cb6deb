/** The body of an image JSON-patch (Glance's `PATCH /v2/images/{id}`, native `PATCH /v2/cloudimages/{id}`): its shape. */
import { z } from 'zod';
import type { AppContext } from '../lib/app.ts';
import { ApiError, badRequest } from '../lib/errors.ts';
import { MAX_JSON_BYTES } from '../lib/validate.ts';

/** Glance's media types of a JSON-patch. */
export const GLANCE_PATCH = ['application/openstack-images-v2.1-json-patch', 'application/openstack-images-v2.0-json-patch'];

const patchOps = z.array(
  z.discriminatedUnion('op', [
    z.object({ op: z.enum(['add', 'replace']), path: z.string(), value: z.unknown() }).refine((o) => 'value' in o, {
      error: 'Unable to find `value` in JSON Schema change. It must be one of the following: add, replace.',
    }),
    z.object({ op: z.literal('remove'), path: z.string() }),
  ]),
);

/** Reads a JSON-patch body in Glance's media type (415 for another, 400 for what is not a patch). */
export async function readPatch(c: AppContext, types: string[]) {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
  if (!types.includes(type)) throw new ApiError(415, `Unsupported Content-Type: ${type || 'none'}`);
  if (Number(c.req.header('content-length') ?? 0) > MAX_JSON_BYTES) throw new ApiError(413, 'Request body too large.');
  let value: unknown;
  try {
    // Read as bytes: the body is JSON under a media type of Glance's own, which the runtime does not take for text.
    value = JSON.parse(new TextDecoder().decode(await c.req.arrayBuffer()));
  } catch {
    throw badRequest('Malformed JSON in request body.');
  }
  const parsed = patchOps.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest(
      issue.code === 'custom'
        ? issue.message
        : 'Invalid JSON-patch: a list of {"op": "add|replace|remove", "path": "/...", "value"} is expected.',
    );
  }
  return parsed.data;
}

/**
 * Nova's `createImage` server action: a private image of the server, made by the IMS use case (the image and its
 * bytes belong to IMS). 202 with the image's URL in `Location`, and from 2.45 the body `{"image_id"}` instead.
 */
import { z } from 'zod';
import type { Server } from '../../schema/tenant.ts';
import { imsCaller } from '../ims/context.ts';
import { imageFromServer } from '../ims/usecases/from-server.ts';
import type { AppContext } from '../lib/app.ts';
import { novaMetadata } from './metadata.ts';
import { atLeast } from './microversion.ts';

/** The body of `createImage`, as Nova's schema has it. */
export const createImageBody = z.object({ name: z.string().trim().min(1).max(255), metadata: novaMetadata.optional() }).strict();

/** Makes the image and answers Nova's 202. */
export async function createImageAction(c: AppContext, s: Server, body: z.output<typeof createImageBody>): Promise<Response> {
  const image = await imageFromServer(imsCaller(c), { serverId: s.id, name: body.name, properties: body.metadata });
  if (atLeast(c, '2.45')) return c.json({ image_id: image.id }, 202);
  return c.body(null, 202, { Location: `${new URL(c.req.url).origin}/ims/v2/images/${image.id}` });
}

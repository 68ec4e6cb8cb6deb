/**
 * Nova `/servers/{server_id}/os-volume_attachments`: list, show, attach (200 with the device chosen), detach (202)
 * and swap (PUT, an operator's). The attachment's id is the volume's, as in Nova. Below 2.49 the body takes no
 * `tag` and below 2.79 no `delete_on_termination` (this cloud's MAX_VERSION is 2.26), so both are refused as Nova
 * refuses an unknown property.
 */
import { z } from 'zod';
import type { VolumeAttachment } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { oneServer } from './server-context.ts';
import { attachVolume, detachVolume, serverAttachments, swapVolume } from './usecases/attachments.ts';

/** Nova's device pattern (nova/block_device.py match_device). */
const DEVICE = /(^\/dev\/x?[a-z]?d?)([a-z]+)[0-9]*$/;
const volumeId = z.string().uuid();
const createBody = z
  .object({
    volumeAttachment: z.object({ volumeId, device: z.string().regex(DEVICE, 'must be a device path like /dev/vdb').nullish() }).strict(),
  })
  .strict();
const updateBody = z.object({ volumeAttachment: z.object({ volumeId }).strict() }).strict();

/** An attachment as Nova's detail view shows it (2.70's tag and 2.79's delete_on_termination are past our maximum). */
export const attachmentView = (a: VolumeAttachment) => ({ id: a.volumeId, serverId: a.serverId, volumeId: a.volumeId, device: a.device });

export const volumeAttachmentRoutes = router();

/** Nova's paging of attachments: `limit` and `offset`, non-negative integers (anything else is a 400). */
const pageQuery = z.object({
  limit: z.string().regex(/^\d+$/, 'limit must be a non-negative integer').transform(Number).optional(),
  offset: z.string().regex(/^\d+$/, 'offset must be a non-negative integer').transform(Number).optional(),
});

volumeAttachmentRoutes.get('/servers/:server_id/os-volume_attachments', act('ecs:servers:getVolumeAttachments'), async (c) => {
  const { limit, offset = 0 } = query(c, pageQuery);
  const { s } = await oneServer(c);
  const all = (await serverAttachments(callerOf(c), s.id)).map(attachmentView);
  return c.json({ volumeAttachments: all.slice(offset, limit === undefined ? undefined : offset + limit) });
});

volumeAttachmentRoutes.get('/servers/:server_id/os-volume_attachments/:volume_id', act('ecs:servers:getVolumeAttachments'), async (c) => {
  const { s } = await oneServer(c);
  const volume = c.req.param('volume_id');
  const a = (await serverAttachments(callerOf(c), s.id)).find((x) => x.volumeId === volume);
  if (!a) throw notFound(`Instance ${s.id} is not attached to volume ${volume}`);
  return c.json({ volumeAttachment: attachmentView(a) });
});

volumeAttachmentRoutes.post('/servers/:server_id/os-volume_attachments', act('ecs:servers:attachVolume'), async (c) => {
  const { volumeAttachment: body } = await jsonBody(c, createBody);
  const { s } = await oneServer(c);
  const a = await attachVolume(callerOf(c), s.id, { volumeId: body.volumeId, device: body.device });
  return c.json({ volumeAttachment: attachmentView(a) });
});

volumeAttachmentRoutes.put('/servers/:server_id/os-volume_attachments/:volume_id', act('ecs:servers:swapVolume'), async (c) => {
  const { volumeAttachment: body } = await jsonBody(c, updateBody);
  const { s } = await oneServer(c);
  await swapVolume(callerOf(c), s.id, c.req.param('volume_id'), body.volumeId);
  return c.body(null, 202);
});

volumeAttachmentRoutes.delete('/servers/:server_id/os-volume_attachments/:volume_id', act('ecs:servers:detachVolume'), async (c) => {
  const { s } = await oneServer(c);
  await detachVolume(callerOf(c), s.id, c.req.param('volume_id'));
  return c.body(null, 202);
});

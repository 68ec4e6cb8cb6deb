/**
 * Native `POST /v1/{project_id}/cloudservers/{server_id}/attachvolume` and `DELETE .../detachvolume/{volume_id}`:
 * the attach and detach use cases Nova's os-volume_attachments calls, each with a job over the volume that
 * succeeds once it is `in-use` (attached) or no longer on this server (detached).
 */
import { z } from 'zod';
import { act } from '../../auth/middleware.ts';
import { callerOf } from '../../lib/caller.ts';
import { jsonBody, query } from '../../lib/validate.ts';
import { attachVolume, detachVolume } from '../usecases/attachments.ts';
import { nativeServer } from './cloudservers.api.ts';
import { ecsRouter } from './errors.ts';

const attachBody = z
  .object({
    volumeAttachment: z
      .object({
        volumeId: z.string().uuid(),
        device: z
          .string()
          .regex(/^\/dev\/(?:x?v|s)d[a-z]{1,2}$/, 'must be a device path like /dev/vdb')
          .nullish(),
        volume_type: z.string().optional(),
        count: z.number().int().optional(),
        'hw:passthrough': z.enum(['true', 'false']).optional(),
      })
      .strict(),
  })
  .strict();
const detachQuery = z.object({ delete_flag: z.enum(['0', '1']).optional() });

export const volumeRoutes = ecsRouter();

volumeRoutes.post('/cloudservers/:server_id/attachvolume', act('ecs:servers:attachVolume'), async (c) => {
  const { volumeAttachment: body } = await jsonBody(c, attachBody);
  const { s } = await nativeServer(c);
  const job = { id: crypto.randomUUID(), type: 'attachVolume', until: 'in-use' };
  await attachVolume(callerOf(c), s.id, { volumeId: body.volumeId, device: body.device }, job);
  return c.json({ job_id: job.id });
});

volumeRoutes.delete('/cloudservers/:server_id/detachvolume/:volume_id', act('ecs:servers:detachVolume'), async (c) => {
  query(c, detachQuery);
  const { s } = await nativeServer(c);
  const job = { id: crypto.randomUUID(), type: 'detachVolume', until: 'available' };
  await detachVolume(callerOf(c), s.id, c.req.param('volume_id'), job);
  return c.json({ job_id: job.id }, 202);
});

/**
 * The native cloud volumes API (what Terraform and the Huawei SDKs use): create in batches with a job, list with
 * Flexible Engine's filters, show, update, extend and delete with a job, tags. Its volumes are Cinder's: the same
 * use case and TenantDO calls, another view and error envelope. A route on a volume finds it before it reads the
 * body: a request on a volume that is not the caller's learns nothing from its body's refusal.
 */
import { z } from 'zod';
import { VOLUME_SIZE } from '../../../core/evs/states.ts';
import { GONE } from '../../../durable/ecs/jobs.ts';
import type { Volume } from '../../../schema/tenant.ts';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { badRequest } from '../../lib/errors.ts';
import { paginate } from '../../lib/pagination.ts';
import { tenant, unwrap } from '../../lib/tenant.ts';
import { check, jsonBody } from '../../lib/validate.ts';
import { restoreBackup } from '../../vbs/usecases/backups.ts';
import { createVolumes, deleteVolume, extendVolume } from '../usecases/volumes.ts';
import { volumeOfPath, volumeRows } from '../volume-context.ts';
import { evsRouter } from './errors.ts';
import { nativeVolumeView } from './views.ts';

const tagKey = z
  .string()
  .min(1)
  .max(36)
  .regex(/^[\w.\-\u4e00-\u9fa5]+$/);
const tagValue = z
  .string()
  .max(43)
  .regex(/^[\w.\-\u4e00-\u9fa5]*$/);

const createBody = z
  .object({
    volume: z
      .object({
        availability_zone: z.string().min(1),
        volume_type: z.string().min(1),
        size: z.number().int().min(10).max(VOLUME_SIZE.max).optional(),
        name: z.string().max(64).optional(),
        description: z.string().max(85).optional(),
        count: z.number().int().min(1).max(100).optional(),
        snapshot_id: z.string().optional(),
        imageRef: z.string().optional(),
        backup_id: z.string().optional(),
        multiattach: z.boolean().optional(),
        metadata: z.record(z.string(), z.string()).optional(),
        tags: z
          .record(tagKey, tagValue)
          .refine((t) => Object.keys(t).length <= 10, 'at most 10 tags')
          .optional(),
        enterprise_project_id: z.literal('0').optional(),
      })
      .strict(),
    bssParam: z
      .object({ chargingMode: z.literal('postPaid') })
      .passthrough()
      .optional(),
    'OS-SCH-HNT:scheduler_hints': z.object({ dedicated_storage_id: z.string().optional() }).strict().optional(),
    server_id: z.string().optional(),
  })
  .strict();

/** The native routes at `/evs/v2/{project_id}`; create and extend are also at `/evs/v2.1/{project_id}` (newer SDKs). */
export const cloudVolumeRoutes = evsRouter();
export const cloudVolumeV21Routes = evsRouter();

async function create(c: AppContext) {
  const caller = callerOf(c);
  const { volume: v, server_id } = await jsonBody(c, createBody);
  if (server_id)
    throw badRequest('server_id attaches a yearly/monthly volume on creation: attach a pay-per-use one with attachvolume.', 'EVS.2001');
  if (v.size === undefined && !v.snapshot_id && !v.imageRef && !v.backup_id) throw badRequest('size is required.', 'EVS.2001');
  const job = { id: crypto.randomUUID(), type: 'batchCreateVolumes', until: 'available' };
  if (v.backup_id) {
    // A volume from a backup is the backup restored onto a new volume of its type and zone (VBS's use case).
    if ((v.count ?? 1) > 1) throw badRequest('A volume made from a backup is made alone (count 1).', 'EVS.2001');
    const made = await restoreBackup(caller, v.backup_id, { name: v.name, description: v.description ?? null, size: v.size }, job);
    return c.json({ job_id: job.id, volume_ids: [made.volume.id] }, 202);
  }
  const made = await createVolumes(
    caller,
    {
      name: v.name ?? 'volume',
      description: v.description ?? null,
      size: v.size,
      volumeType: v.volume_type,
      availabilityZone: v.availability_zone,
      metadata: v.metadata ?? {},
      multiattach: v.multiattach ?? false,
      snapshotId: v.snapshot_id,
      imageRef: v.imageRef,
      tags: v.tags,
      count: v.count,
    },
    job,
  );
  return c.json({ job_id: job.id, volume_ids: made.map((m) => m.id) }, 202);
}

for (const r of [cloudVolumeRoutes, cloudVolumeV21Routes]) r.post('/cloudvolumes', act('evs:volumes:create'), create);

const listQuery = z.object({
  name: z.string().optional(),
  status: z.string().optional(),
  availability_zone: z.string().optional(),
  volume_type_id: z.string().optional(),
  multiattach: z.enum(['true', 'false']).optional(),
  service_type: z.string().optional(),
  server_id: z.string().optional(),
  ids: z.string().optional(),
  metadata: z.string().optional(),
  enterprise_project_id: z.string().optional(),
  sort_key: z.enum(['id', 'status', 'size', 'created_at']).optional(),
  sort_dir: z.enum(['asc', 'desc']).optional(),
  limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().max(1000)).optional(),
  offset: z.string().regex(/^\d+$/).transform(Number).optional(),
  marker: z.string().optional(),
});

async function listNative(c: AppContext) {
  const q = check(listQuery, c.req.query());
  const rows = await volumeRows(c);
  let ids: string[] | undefined;
  if (q.ids) {
    try {
      ids = z.array(z.string()).parse(JSON.parse(q.ids));
    } catch {
      throw badRequest('ids must be a JSON list of volume ids.', 'EVS.2001');
    }
  }
  let meta: Record<string, string> | undefined;
  if (q.metadata) {
    try {
      meta = JSON.parse(q.metadata);
    } catch {
      throw badRequest('metadata must be a JSON object.', 'EVS.2001');
    }
  }
  const attachedTo = (v: Volume) => rows.attachments.filter((a) => a.volumeId === v.id);
  let items = rows.volumes.filter(
    (v) =>
      (!q.name || v.name.includes(q.name)) &&
      (!q.status || v.status === q.status) &&
      (!q.availability_zone || v.zone === q.availability_zone) &&
      (!q.multiattach || String(v.multiattach) === q.multiattach) &&
      (!q.service_type || q.service_type === 'EVS') &&
      (!q.server_id || attachedTo(v).some((a) => a.serverId === q.server_id)) &&
      (!ids || ids.includes(v.id)) &&
      (!meta || Object.entries(meta).every(([k, want]) => v.metadata[k] === want)),
  );
  const key = q.sort_key ?? 'created_at';
  const field = (v: Volume) => (key === 'created_at' ? v.createdAt : key === 'size' ? v.size : key === 'status' ? v.status : v.id);
  const dir = q.sort_dir === 'asc' ? 1 : -1;
  items.sort((a, b) => (field(a) < field(b) ? -dir : field(a) > field(b) ? dir : a.id.localeCompare(b.id) * dir));
  const count = items.length;
  if (q.offset) items = items.slice(q.offset);
  const page = paginate(items, (v) => v.id, q.limit ?? 1000, q.marker);
  const { projectId } = callerOf(c);
  const url = new URL(c.req.url);
  if (page.next) url.searchParams.set('marker', page.next);
  return c.json({
    volumes: page.items.map((v) => nativeVolumeView(c, projectId, v, attachedTo(v))),
    count,
    ...(page.next ? { volumes_links: [{ rel: 'next', href: url.toString() }] } : {}),
  });
}

cloudVolumeRoutes.get('/cloudvolumes/detail', act('evs:volumes:list'), listNative);

cloudVolumeRoutes.get('/cloudvolumes/:volume_id', act('evs:volumes:get'), async (c) => {
  const v = await volumeOfPath(c);
  const attachments = (await volumeRows(c)).attachments.filter((a) => a.volumeId === v.id);
  return c.json({ volume: nativeVolumeView(c, callerOf(c).projectId, v, attachments) });
});

const updateBody = z
  .object({
    volume: z
      .object({
        name: z.string().max(64).optional(),
        description: z.string().max(85).optional(),
        metadata: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .refine((u) => Object.keys(u).length > 0, 'name, description or metadata is required'),
  })
  .strict();

cloudVolumeRoutes.put('/cloudvolumes/:volume_id', act('evs:volumes:update'), async (c) => {
  const v = await volumeOfPath(c);
  const { volume: u } = await jsonBody(c, updateBody);
  const updated = unwrap(await tenant(c).updateVolume(v.id, u));
  const attachments = (await volumeRows(c)).attachments.filter((a) => a.volumeId === v.id);
  return c.json({ volume: nativeVolumeView(c, callerOf(c).projectId, updated, attachments) });
});

const extendBody = z
  .object({
    'os-extend': z.object({ new_size: z.number().int() }).strict(),
    bssParam: z.object({ isAutoPay: z.string().optional() }).strict().optional(),
  })
  .strict();

async function extend(c: AppContext) {
  const v = await volumeOfPath(c);
  const body = await jsonBody(c, extendBody);
  const job = { id: crypto.randomUUID(), type: 'extendVolume', until: 'available' };
  // Flexible Engine extends attached volumes (Cinder 3.42's rule).
  await extendVolume(callerOf(c), v.id, body['os-extend'].new_size, true, job);
  return c.json({ job_id: job.id }, 202);
}

for (const r of [cloudVolumeRoutes, cloudVolumeV21Routes]) r.post('/cloudvolumes/:volume_id/action', act('evs:volumes:extend'), extend);

cloudVolumeRoutes.delete('/cloudvolumes/:volume_id', act('evs:volumes:delete'), async (c) => {
  const cascade = c.req.query('cascade') === 'true';
  const v = await volumeOfPath(c);
  const job = { id: crypto.randomUUID(), type: 'deleteVolume', until: GONE };
  await deleteVolume(callerOf(c), v.id, { cascade }, job);
  return c.json({ job_id: job.id }, 200);
});

// Tags: the vendor tags of a volume (whole), and the batch form (add or delete keys).

const tagsBody = z.object({ tags: z.record(tagKey, tagValue) }).strict();
const tagActionBody = z
  .object({
    action: z.enum(['create', 'delete']),
    tags: z
      .array(z.object({ key: tagKey, value: tagValue.optional() }).strict())
      .min(1)
      .max(10),
  })
  .strict();

cloudVolumeRoutes.get('/os-vendor-tags/volumes/:volume_id', act('evs:volumes:get'), async (c) =>
  c.json({ tags: (await volumeOfPath(c)).tags }),
);

cloudVolumeRoutes.put('/os-vendor-tags/volumes/:volume_id', act('evs:volumes:update'), async (c) => {
  const v = await volumeOfPath(c);
  const { tags } = await jsonBody(c, tagsBody);
  return c.json({ tags: unwrap(await tenant(c).setVolumeTags(v.id, { replace: tags })) });
});

cloudVolumeRoutes.post('/cloudvolumes/:volume_id/tags/action', act('evs:volumes:update'), async (c) => {
  const v = await volumeOfPath(c);
  const body = await jsonBody(c, tagActionBody);
  const change =
    body.action === 'create'
      ? { add: Object.fromEntries(body.tags.map((t) => [t.key, t.value ?? ''])) }
      : { remove: body.tags.map((t) => t.key) };
  unwrap(await tenant(c).setVolumeTags(v.id, change));
  return c.body(null, 204);
});

cloudVolumeRoutes.get('/cloudvolumes/:volume_id/tags', act('evs:volumes:get'), async (c) => {
  const v = await volumeOfPath(c);
  return c.json({ tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })) });
});

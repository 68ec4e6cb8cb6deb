/**
 * IMS's native API: `GET /v2/cloudimages` (Glance's list with IMS's filters), `POST /v2/cloudimages/action` (an
 * image from a server, `instance_id`, or from an OBS object, `image_url`; a job), `PATCH /v2/cloudimages/{id}`
 * (JSON-patch), `POST /v1/cloudimages/{id}/file` (export to OBS; a job), and the jobs at
 * `/v1/{project_id}/jobs/{job_id}`. Errors answer `{"error": {"message", "code": "IMG.xxxx"}}`.
 */
import { z } from 'zod';
import { type ObsAction, ACTIONS as S3 } from '../../core/obs/actions.ts';
import type { Requester } from '../../durable/obs/access.ts';
import { act, allowed } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { check, jsonBody } from '../lib/validate.ts';
import { imsCaller, listedImages, ownImage, ownTenant, ownView } from './context.ts';
import { listPage, readListQuery } from './list.ts';
import { GLANCE_PATCH, readPatch } from './patch-body.ts';
import { imageFromServer } from './usecases/from-server.ts';
import { exportToObs, importFromObs, obsRef } from './usecases/obs.ts';
import { imsJobView } from './views.ts';

export const cloudimageRoutes = router();

cloudimageRoutes.get('/v2/cloudimages', act('ims:cloudimages:list'), async (c) => {
  const q = readListQuery([...new URL(c.req.url).searchParams]);
  const rows = await listedImages(c);
  const page = listPage(rows, q, new URL(c.req.url).searchParams, '/v2/cloudimages');
  return c.json({ images: page.images, ...(page.next ? { next: page.next } : {}) });
});

const name = z
  .string()
  .regex(/^[\w\u4e00-\u9fa5 .-]{1,128}$/, { error: 'The image name must be 1 to 128 letters, digits, spaces, _ - or .' });
const common = {
  name,
  description: z.string().max(1024).optional(),
  tags: z.array(z.string().max(128)).max(10).optional(),
  image_tags: z
    .array(z.object({ key: z.string().min(1).max(36), value: z.string().max(43) }))
    .max(10)
    .optional(),
  max_ram: z.number().int().min(0).optional(),
  min_ram: z.number().int().min(0).optional(),
  enterprise_project_id: z.string().optional(),
};
const fromServer = z.object({ ...common, instance_id: z.string().min(1), data_images: z.array(z.unknown()).max(0).optional() }).strict();
const fromFile = z
  .object({
    ...common,
    image_url: z.string().min(1),
    min_disk: z.number().int().min(1).max(1024),
    os_version: z.string().max(255).optional(),
    os_type: z.enum(['Linux', 'Windows']).optional(),
    type: z.enum(['ECS', 'BMS', 'FusionCompute', 'Ironic']).optional(),
    architecture: z.enum(['x86', 'arm']).optional(),
    is_config: z.boolean().optional(),
    is_quick_import: z.boolean().optional(),
    cmk_id: z.string().optional(),
    disk_format: z.enum(['qcow2', 'vhd', 'zvhd', 'zvhd2', 'raw', 'vmdk', 'iso']).optional(),
  })
  .strict();

/** The properties and tags of a native create's common fields (IMS shows tags as `key.value`). */
function commonFields(b: z.output<typeof fromServer> | z.output<typeof fromFile>) {
  const properties: Record<string, string> = {};
  if (b.description !== undefined) properties.__description = b.description;
  if (b.max_ram !== undefined) properties.max_ram = String(b.max_ram);
  const tags = [...(b.tags ?? []), ...(b.image_tags ?? []).map((t) => `${t.key}.${t.value}`)];
  return { properties, tags };
}

/** The caller as a bucket sees it for one OBS action: its account, and whether its IAM permissions allow it. */
async function requester(c: AppContext, action: ObsAction): Promise<Requester> {
  const p = c.var.principal;
  const context = {
    'aws:principalaccount': [p.domainId],
    'aws:userid': [p.userId],
    'aws:username': [p.userName],
    'aws:currenttime': [new Date().toISOString()],
  };
  return { domainId: p.domainId, userId: p.userId, userName: p.userName, iamAllows: await allowed(c, p, action.iam), context };
}

cloudimageRoutes.post('/v2/cloudimages/action', act('ims:cloudimages:create'), async (c) => {
  const raw = await jsonBody(c, z.record(z.string(), z.unknown()));
  const job = { id: crypto.randomUUID(), type: 'instance_id' in raw ? 'createImageByInstance' : 'createImageByFile' };
  const caller = imsCaller(c);
  if ('instance_id' in raw || !('image_url' in raw)) {
    const b = check(fromServer, raw);
    const { properties, tags } = commonFields(b);
    const image = await imageFromServer(caller, { serverId: b.instance_id, name: b.name, properties, minRam: b.min_ram, job });
    if (tags.length) unwrap(await ownTenant(c).patchImage(image.id, [{ op: 'add', path: '/tags', value: tags }], false));
    return c.json({ job_id: job.id });
  }
  const b = check(fromFile, raw);
  const ref = obsRef(b.image_url, 'image_url');
  const { properties, tags } = commonFields(b);
  const input = {
    id: crypto.randomUUID(),
    name: b.name,
    visibility: 'private' as const,
    protected: false,
    osHidden: false,
    diskFormat: b.disk_format ?? (b.image_url.split('.').pop()?.toLowerCase() === 'vhd' ? 'vhd' : 'qcow2'),
    containerFormat: 'bare',
    minDisk: b.min_disk,
    minRam: b.min_ram ?? 0,
    tags,
    properties: {
      ...properties,
      __os_type: b.os_type ?? 'Linux',
      ...(b.os_version ? { __os_version: b.os_version } : {}),
      virtual_env_type: b.type === 'BMS' || b.type === 'Ironic' ? 'Ironic' : 'FusionCompute',
      __image_source_type: 'obs',
    },
    userId: caller.userId,
    origin: { kind: 'file' as const, ref: b.image_url },
  };
  const image = unwrap(await ownTenant(c).createImage(input, {}, false, job));
  try {
    await importFromObs(caller, await requester(c, S3.getObject), ref, image.id);
  } catch (err) {
    // The refusal is the answer (no job id is given out): the image it would have filled goes with it.
    await ownTenant(c).deleteImage(image.id);
    throw err;
  }
  return c.json({ job_id: job.id });
});

cloudimageRoutes.patch('/v2/cloudimages/:image_id', act('ims:cloudimages:update'), async (c) => {
  const own = await ownImage(c);
  const ops = await readPatch(c, ['application/json', ...GLANCE_PATCH]);
  return c.json(ownView(c, unwrap(await ownTenant(c).patchImage(own.id, ops, imsCaller(c).operator))));
});

cloudimageRoutes.post('/v1/cloudimages/:image_id/file', act('ims:cloudimages:export'), async (c) => {
  const own = await ownImage(c, 'export');
  const b = await jsonBody(
    c,
    z
      .object({
        bucket_url: z.string().min(1),
        file_format: z.enum(['qcow2', 'vhd', 'zvhd', 'vmdk']).optional(),
        is_quick_export: z.boolean().optional(),
      })
      .strict()
      .refine((x) => x.file_format !== undefined || x.is_quick_export, {
        error: 'file_format is required unless is_quick_export is true.',
      }),
  );
  await exportToObs(imsCaller(c), await requester(c, S3.putObject), own, obsRef(b.bucket_url, 'bucket_url'));
  const job = { id: crypto.randomUUID(), type: 'exportImage' };
  unwrap(await ownTenant(c).imageJob(job, own.id));
  return c.json({ job_id: job.id });
});

cloudimageRoutes.get('/v1/:project_id/jobs/:job_id', act('ims:jobs:get'), async (c) => {
  const r = await ownTenant(c).job(c.req.param('job_id'));
  const view = 'ok' in r ? r.ok : null;
  if (!view?.subJobs.some((s) => s.kind === 'image')) throw notFound(`No job ${c.req.param('job_id')} found.`, 'IMG.0404');
  return c.json(imsJobView(view));
});

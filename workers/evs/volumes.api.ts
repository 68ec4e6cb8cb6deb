/**
 * Cinder v3 volumes: create, list (summary and detail, with Cinder's filters, sorting and paging), show, update,
 * delete, and metadata. The actions (extend, flags, operator repairs) are in volume-actions.api.ts.
 */
import { z } from 'zod';
import type { Volume } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { paginate } from '../lib/pagination.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { check, jsonBody, pairs, queryPairs } from '../lib/validate.ts';
import { restoreBackup } from '../vbs/usecases/backups.ts';
import { atLeast } from './microversion.ts';
import { createVolumes, deleteVolume } from './usecases/volumes.ts';
import { cinderBase, volumeSummary } from './views.ts';
import { viewer, volumeDetail, volumeOfPath, volumeRows } from './volume-context.ts';

const text = (max: number) => z.string().max(max);
const metadata = z.record(z.string().min(1).max(255), z.string().max(255));

const createBody = z.object({
  volume: z
    .object({
      size: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).nullish(),
      name: text(255).nullish(),
      description: text(255).nullish(),
      volume_type: z.string().nullish(),
      availability_zone: z.string().nullish(),
      metadata: metadata.nullish(),
      snapshot_id: z.string().nullish(),
      source_volid: z.string().nullish(),
      imageRef: z.string().nullish(),
      backup_id: z.string().nullish(),
      consistencygroup_id: z.null().optional(),
      group_id: z.null().optional(),
      multiattach: z.boolean().nullish(),
      scheduler_hints: z.record(z.string(), z.unknown()).nullish(),
    })
    .strict(),
  'OS-SCH-HNT:scheduler_hints': z.record(z.string(), z.unknown()).nullish(),
});

export const volumeRoutes = router();

volumeRoutes.post('/volumes', act('evs:volumes:create'), async (c) => {
  const caller = callerOf(c);
  const { volume: v } = await jsonBody(c, createBody);
  if (v.backup_id && !atLeast(c, 47)) throw badRequest("Invalid input received: 'backup_id' needs microversion 3.47.");
  if (v.backup_id) {
    // A volume from a backup (3.47) is the backup restored onto a new volume of its type and zone (VBS's use case).
    const made = await restoreBackup(caller, v.backup_id, {
      name: v.name ?? '',
      description: v.description ?? null,
      size: v.size ?? undefined,
    });
    return c.json({ volume: await volumeDetail(c, made.volume.id) }, 202);
  }
  const [made] = await createVolumes(caller, {
    name: v.name ?? '',
    description: v.description ?? null,
    size: v.size ?? undefined,
    volumeType: v.volume_type,
    availabilityZone: v.availability_zone,
    metadata: v.metadata ?? {},
    multiattach: v.multiattach ?? false,
    snapshotId: v.snapshot_id,
    sourceVolid: v.source_volid,
    imageRef: v.imageRef,
  });
  return c.json({ volume: await volumeDetail(c, made!.id) }, 202);
});

/** Cinder's volume filters (resource_filters.json); others are refused. */
const FILTERS = new Set([
  'name',
  'status',
  'metadata',
  'bootable',
  'availability_zone',
  'migration_status',
  'group_id',
  'size',
  'volume_type',
]);
const SORT_KEYS = new Set(['id', 'name', 'status', 'size', 'availability_zone', 'created_at', 'updated_at', 'volume_type', 'bootable']);
/** Query keys that are not filters: paging, sorting, and what Cinder accepts and ignores for a customer. */
const CONTROLS = new Set(['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir', 'with_count', 'all_tenants', 'project_id']);

const listQuery = pairs.transform((q, ctx) => {
  const one = (k: string) => q.find(([key]) => key === k)?.[1];
  const bad = q.map(([k]) => k).filter((k) => !FILTERS.has(k) && !CONTROLS.has(k));
  if (bad.length)
    ctx.addIssue({
      code: 'custom',
      message: `Invalid filters ${[...new Set(bad)].join(',')} are found in query options.`,
      params: { verbatim: true },
    });
  const number = (k: string) => {
    const raw = one(k);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw))
      ctx.addIssue({ code: 'custom', message: `Invalid input received: ${k} must be an integer, not ${raw}.`, params: { verbatim: true } });
    return Number(raw);
  };
  const sort: [string, 'asc' | 'desc'][] = [];
  const rawSort = one('sort') ?? (one('sort_key') ? `${one('sort_key')}:${one('sort_dir') ?? 'desc'}` : 'created_at:desc');
  for (const part of rawSort.split(',')) {
    const [key = '', dir = 'desc'] = part.split(':');
    if (!SORT_KEYS.has(key) || (dir !== 'asc' && dir !== 'desc'))
      ctx.addIssue({
        code: 'custom',
        message: `Invalid input received: Invalid sort key or direction: ${part}.`,
        params: { verbatim: true },
      });
    sort.push([key, dir as 'asc' | 'desc']);
  }
  let meta: Record<string, string> | undefined;
  const rawMeta = one('metadata');
  if (rawMeta !== undefined) {
    try {
      // Cinder takes a Python-ish dict: {'k': 'v'} as well as JSON.
      meta = JSON.parse(rawMeta.replaceAll("'", '"'));
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `Invalid input received: metadata ${rawMeta} is not a dictionary.`,
        params: { verbatim: true },
      });
    }
  }
  const filters = q.filter(([k]) => FILTERS.has(k) && k !== 'metadata');
  return {
    filters,
    metadata: meta,
    sort,
    limit: number('limit'),
    offset: number('offset'),
    marker: one('marker'),
    withCount: ['true', '1', 'yes'].includes((one('with_count') ?? '').toLowerCase()),
  };
});

type Query = z.output<typeof listQuery>;

const field = (v: Volume, key: string): string | number | boolean =>
  key === 'availability_zone'
    ? v.zone
    : key === 'volume_type'
      ? v.volumeType
      : key === 'created_at'
        ? v.createdAt
        : key === 'updated_at'
          ? v.updatedAt
          : ((v as unknown as Record<string, string | number | boolean>)[key] ?? '');

/** Filters, sorts and pages the volumes as Cinder does. */
function select(volumes: Volume[], q: Query): { items: Volume[]; next?: string; count: number } {
  let items = volumes.filter((v) =>
    q.filters.every(([k, want]) => {
      if (k === 'bootable') return String(v.bootable) === String(['true', '1', 'yes'].includes(want.toLowerCase()));
      if (k === 'migration_status' || k === 'group_id') return false;
      return String(field(v, k)) === want;
    }),
  );
  if (q.metadata) items = items.filter((v) => Object.entries(q.metadata!).every(([k, want]) => v.metadata[k] === String(want)));
  items.sort((a, b) => {
    for (const [key, dir] of [...q.sort, ['id', 'desc'] as const]) {
      const x = field(a, key);
      const y = field(b, key);
      if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    }
    return 0;
  });
  const count = items.length;
  if (q.offset) items = items.slice(q.offset);
  const page = paginate(items, (v) => v.id, q.limit, q.marker);
  return { items: page.items, next: page.next, count };
}

/** The list answer: the page, the next link, and the count when asked (3.45). */
async function list(c: AppContext, detail: boolean) {
  const q = queryPairs(c, listQuery);
  const rows = await volumeRows(c);
  const { items, next, count } = select(rows.volumes, q);
  const base = cinderBase(c, c.req.param('project_id') ?? '');
  const render = detail ? viewer(c, rows) : (v: Volume) => volumeSummary(base, v);
  const url = new URL(c.req.url);
  if (next) url.searchParams.set('marker', next);
  return c.json({
    volumes: items.map(render),
    ...(next ? { volumes_links: [{ rel: 'next', href: url.toString() }] } : {}),
    ...(q.withCount && atLeast(c, 45) ? { count } : {}),
  });
}

volumeRoutes.get('/volumes', act('evs:volumes:list'), (c) => list(c, false));
volumeRoutes.get('/volumes/detail', act('evs:volumes:list'), (c) => list(c, true));

volumeRoutes.get('/volumes/:volume_id', act('evs:volumes:get'), async (c) => {
  const v = await volumeOfPath(c);
  return c.json({ volume: await volumeDetail(c, v.id) });
});

const updateBody = z.object({
  volume: z
    .object({
      name: text(255).nullish(),
      description: text(255).nullish(),
      display_name: text(255).nullish(),
      display_description: text(255).nullish(),
      metadata: metadata.nullish(),
    })
    .strict(),
});

volumeRoutes.put('/volumes/:volume_id', act('evs:volumes:update'), async (c) => {
  const { volume: u } = await jsonBody(c, updateBody);
  if (!Object.keys(u).length) throw badRequest('Invalid input received: Must specify name, description or metadata.');
  const v = await volumeOfPath(c);
  const name = u.name ?? u.display_name;
  const description = u.description ?? u.display_description;
  unwrap(
    await tenant(c).updateVolume(v.id, {
      ...(name !== undefined ? { name: name ?? '' } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(u.metadata ? { metadata: u.metadata } : {}),
    }),
  );
  return c.json({ volume: await volumeDetail(c, v.id) });
});

const deleteQuery = z.object({ cascade: z.string().optional(), force: z.string().optional() });

volumeRoutes.delete('/volumes/:volume_id', act('evs:volumes:delete'), async (c) => {
  const q = check(deleteQuery, c.req.query());
  const truth = (s?: string) => ['true', '1', 'yes', 'True'].includes(s ?? '');
  if (truth(q.force) && !c.var.principal.operator) throw notFound(`Policy doesn't allow volume:force_delete to be performed.`);
  const v = await volumeOfPath(c);
  await deleteVolume(callerOf(c), v.id, { cascade: truth(q.cascade), force: truth(q.force) });
  return c.body(null, 202);
});

// Metadata.

const metadataBody = z.object({ metadata: metadata }).strict();
const metaItemBody = z.object({ meta: metadata.refine((m) => Object.keys(m).length === 1, 'exactly one key is expected') }).strict();

volumeRoutes.get('/volumes/:volume_id/metadata', act('evs:volumes:get'), async (c) =>
  c.json({ metadata: (await volumeOfPath(c)).metadata }),
);

volumeRoutes.get('/volumes/:volume_id/metadata/:key', act('evs:volumes:get'), async (c) => {
  const v = await volumeOfPath(c);
  const key = c.req.param('key');
  if (!Object.hasOwn(v.metadata, key)) throw notFound(`Volume ${v.id} has no metadata with key ${key}.`);
  return c.json({ meta: { [key]: v.metadata[key] } });
});

for (const [method, replace] of [
  ['post', false],
  ['put', true],
] as const) {
  volumeRoutes[method]('/volumes/:volume_id/metadata', act('evs:volumes:update'), async (c) => {
    const { metadata: m } = await jsonBody(c, metadataBody);
    const v = await volumeOfPath(c);
    return c.json({ metadata: unwrap(await tenant(c).setVolumeMetadata(v.id, m, replace)) });
  });
}

volumeRoutes.put('/volumes/:volume_id/metadata/:key', act('evs:volumes:update'), async (c) => {
  const { meta } = await jsonBody(c, metaItemBody);
  const key = c.req.param('key');
  if (!Object.hasOwn(meta, key)) throw badRequest('Request body and URI mismatch');
  const v = await volumeOfPath(c);
  unwrap(await tenant(c).setVolumeMetadata(v.id, meta, false));
  return c.json({ meta });
});

volumeRoutes.delete('/volumes/:volume_id/metadata/:key', act('evs:volumes:update'), async (c) => {
  const v = await volumeOfPath(c);
  unwrap(await tenant(c).deleteVolumeMetadata(v.id, c.req.param('key')));
  return c.body(null, 200);
});

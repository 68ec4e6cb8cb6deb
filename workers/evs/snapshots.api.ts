/**
 * Cinder v3 snapshots: create (`force` for an attached volume), list (summary and detail, with Cinder's filters
 * and paging), show, update, delete, and metadata. A snapshot is made and deleted asynchronously by the storage
 * manager, which holds its GB in its volume type's pool.
 */
import { z } from 'zod';
import type { Snapshot } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { cinderList } from './cinder-list.ts';
import { atLeast } from './microversion.ts';
import { createSnapshot, deleteSnapshot } from './usecases/snapshots.ts';
import { cinderTime } from './views.ts';

const text = (max: number) => z.string().max(max);
const metadata = z.record(z.string().min(1).max(255), z.string().max(255));
/** Cinder's boolean: a JSON boolean or one of its strings. */
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False', '1', '0', 'yes', 'no']).transform((s) => ['true', 'True', '1', 'yes'].includes(s)),
]);

/** A snapshot as Cinder shows it (`user_id` from 3.41). */
export function snapshotView(c: AppContext, s: Snapshot) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    status: s.status,
    size: s.size,
    volume_id: s.volumeId,
    created_at: cinderTime(s.createdAt),
    updated_at: cinderTime(s.updatedAt),
    metadata: s.metadata,
    'os-extended-snapshot-attributes:project_id': projectScope(c).projectId,
    'os-extended-snapshot-attributes:progress': s.status === 'available' ? '100%' : '0%',
    ...(atLeast(c, 14) ? { group_snapshot_id: null } : {}),
    ...(atLeast(c, 41) ? { user_id: s.userId } : {}),
  };
}

/** The snapshot the path names, or Cinder's 404 (another project's is as missing as a deleted one). */
async function snapshotOfPath(c: AppContext): Promise<Snapshot> {
  const id = c.req.param('snapshot_id') ?? '';
  const s = await tenant(c).snapshot(id);
  if (!s) throw notFound(`Snapshot ${id} could not be found.`);
  return s;
}

const createBody = z
  .object({
    snapshot: z
      .object({
        volume_id: z.string().min(1),
        force: flag.nullish(),
        name: text(255).nullish(),
        display_name: text(255).nullish(),
        description: text(255).nullish(),
        display_description: text(255).nullish(),
        metadata: metadata.nullish(),
      })
      .strict(),
  })
  .strict();

export const snapshotRoutes = router();

snapshotRoutes.post('/snapshots', act('evs:snapshots:create'), async (c) => {
  const { snapshot: s } = await jsonBody(c, createBody);
  const made = await createSnapshot(callerOf(c), {
    volumeId: s.volume_id,
    name: s.name ?? s.display_name ?? '',
    description: s.description ?? s.display_description ?? null,
    metadata: s.metadata ?? {},
    force: s.force ?? false,
  });
  return c.json({ snapshot: snapshotView(c, made) }, 202);
});

const KEYS = new Set(['name', 'status', 'volume_id', 'size', 'updated_at']);
const field = (s: Snapshot, key: string) =>
  key === 'volume_id' ? s.volumeId : key === 'created_at' ? s.createdAt : key === 'updated_at' ? s.updatedAt : (s as never)[key];

async function list(c: AppContext, detail: boolean) {
  const { snapshots } = await tenant(c).list(['snapshots']);
  const { items, links } = cinderList(c, snapshots, KEYS, field);
  return c.json({
    snapshots: items.map((s) => {
      const view = snapshotView(c, s);
      if (detail) return view;
      const { 'os-extended-snapshot-attributes:project_id': _p, 'os-extended-snapshot-attributes:progress': _g, ...summary } = view;
      return summary;
    }),
    ...(links ? { snapshots_links: links } : {}),
  });
}

snapshotRoutes.get('/snapshots', act('evs:snapshots:list'), (c) => list(c, false));
snapshotRoutes.get('/snapshots/detail', act('evs:snapshots:list'), (c) => list(c, true));

snapshotRoutes.get('/snapshots/:snapshot_id', act('evs:snapshots:get'), async (c) =>
  c.json({ snapshot: snapshotView(c, await snapshotOfPath(c)) }),
);

const updateBody = z
  .object({
    snapshot: z
      .object({
        name: text(255).nullish(),
        description: text(255).nullish(),
        display_name: text(255).nullish(),
        display_description: text(255).nullish(),
      })
      .strict(),
  })
  .strict();

snapshotRoutes.put('/snapshots/:snapshot_id', act('evs:snapshots:update'), async (c) => {
  const s = await snapshotOfPath(c);
  const { snapshot: u } = await jsonBody(c, updateBody);
  if (!Object.keys(u).length) throw badRequest('Invalid input received: Must specify name or description.');
  const name = u.name ?? u.display_name;
  const description = u.description ?? u.display_description;
  const updated = unwrap(
    await tenant(c).updateSnapshot(s.id, {
      ...(name !== undefined ? { name: name ?? '' } : {}),
      ...(description !== undefined ? { description } : {}),
    }),
  );
  return c.json({ snapshot: snapshotView(c, updated) });
});

snapshotRoutes.delete('/snapshots/:snapshot_id', act('evs:snapshots:delete'), async (c) => {
  const s = await snapshotOfPath(c);
  await deleteSnapshot(callerOf(c), s.id);
  return c.body(null, 202);
});

// Metadata.

const metadataBody = z.object({ metadata }).strict();
const metaItemBody = z.object({ meta: metadata.refine((m) => Object.keys(m).length === 1, 'exactly one key is expected') }).strict();

snapshotRoutes.get('/snapshots/:snapshot_id/metadata', act('evs:snapshots:get'), async (c) =>
  c.json({ metadata: (await snapshotOfPath(c)).metadata }),
);

snapshotRoutes.get('/snapshots/:snapshot_id/metadata/:key', act('evs:snapshots:get'), async (c) => {
  const s = await snapshotOfPath(c);
  const key = c.req.param('key');
  if (!Object.hasOwn(s.metadata, key)) throw notFound(`Snapshot ${s.id} has no metadata with key ${key}.`);
  return c.json({ meta: { [key]: s.metadata[key] } });
});

for (const [method, replace] of [
  ['post', false],
  ['put', true],
] as const) {
  snapshotRoutes[method]('/snapshots/:snapshot_id/metadata', act('evs:snapshots:update'), async (c) => {
    const s = await snapshotOfPath(c);
    const { metadata: m } = await jsonBody(c, metadataBody);
    return c.json({ metadata: unwrap(await tenant(c).setSnapshotMetadata(s.id, m, replace)) });
  });
}

snapshotRoutes.put('/snapshots/:snapshot_id/metadata/:key', act('evs:snapshots:update'), async (c) => {
  const s = await snapshotOfPath(c);
  const { meta } = await jsonBody(c, metaItemBody);
  const key = c.req.param('key');
  if (!Object.hasOwn(meta, key)) throw badRequest('Request body and URI mismatch');
  unwrap(await tenant(c).setSnapshotMetadata(s.id, meta, false));
  return c.json({ meta });
});

snapshotRoutes.delete('/snapshots/:snapshot_id/metadata/:key', act('evs:snapshots:update'), async (c) => {
  const s = await snapshotOfPath(c);
  unwrap(await tenant(c).deleteSnapshotMetadata(s.id, c.req.param('key')));
  return c.body(null, 200);
});

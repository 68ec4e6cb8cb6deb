/**
 * The native EVS snapshots (`/evs/v2/{project_id}/cloudsnapshots`, Terraform's and the Huawei SDKs' path): create,
 * list with details, update, delete and rollback (a volume reverted to its latest snapshot). The same snapshots and
 * TenantDO calls as Cinder's, EVS's view and `{"error": {"code", "message"}}` envelope.
 */
import { z } from 'zod';
import type { Snapshot } from '../../../schema/tenant.ts';
import { act } from '../../auth/middleware.ts';
import type { AppContext } from '../../lib/app.ts';
import { callerOf } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { limitParam, paginate } from '../../lib/pagination.ts';
import { tenant, unwrap } from '../../lib/tenant.ts';
import { check, jsonBody } from '../../lib/validate.ts';
import { createSnapshot, deleteSnapshot } from '../usecases/snapshots.ts';
import { cinderTime } from '../views.ts';
import { evsRouter } from './errors.ts';

const metadata = z.record(z.string().min(1).max(255), z.string().max(255));

/** A snapshot as the native API shows it. */
function nativeSnapshotView(s: Snapshot) {
  return {
    id: s.id,
    name: s.name,
    description: s.description ?? '',
    status: s.status,
    size: s.size,
    volume_id: s.volumeId,
    metadata: s.metadata,
    created_at: cinderTime(s.createdAt),
    updated_at: cinderTime(s.updatedAt),
    service_type: 'EVS',
    'os-extended-snapshot-attributes:progress': s.status === 'available' ? '100%' : '0%',
  };
}

async function snapshotOfPath(c: AppContext): Promise<Snapshot> {
  const id = c.req.param('snapshot_id') ?? '';
  const s = await tenant(c).snapshot(id);
  if (!s) throw notFound(`Snapshot ${id} could not be found.`, 'SnapshotNotFound');
  return s;
}

const createBody = z.object({
  snapshot: z
    .object({
      volume_id: z.string().min(1),
      force: z.boolean().optional(),
      name: z.string().max(64).optional(),
      description: z.string().max(85).optional(),
      metadata: metadata.optional(),
    })
    .strict(),
});

export const cloudSnapshotRoutes = evsRouter();

cloudSnapshotRoutes.post('/cloudsnapshots', act('evs:snapshots:create'), async (c) => {
  const { snapshot: s } = await jsonBody(c, createBody);
  const made = await createSnapshot(callerOf(c), {
    volumeId: s.volume_id,
    name: s.name ?? '',
    description: s.description ?? null,
    metadata: s.metadata ?? {},
    force: s.force ?? false,
  });
  return c.json({ snapshot: nativeSnapshotView(made) });
});

const listQuery = z.object({
  name: z.string().optional(),
  status: z.string().optional(),
  volume_id: z.string().optional(),
  id: z.string().optional(),
  limit: limitParam(1000),
  offset: z.string().regex(/^\d+$/).transform(Number).optional(),
  marker: z.string().optional(),
});

cloudSnapshotRoutes.get('/cloudsnapshots/detail', act('evs:snapshots:list'), async (c) => {
  const q = check(listQuery, c.req.query());
  const { snapshots } = await tenant(c).list(['snapshots']);
  let items = snapshots
    .filter((s) => (q.name === undefined || s.name === q.name) && (q.status === undefined || s.status === q.status))
    .filter((s) => (q.volume_id === undefined || s.volumeId === q.volume_id) && (q.id === undefined || s.id === q.id))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  const count = items.length;
  if (q.offset) items = items.slice(q.offset);
  const page = paginate(items, (s) => s.id, q.limit, q.marker);
  const url = new URL(c.req.url);
  if (page.next) url.searchParams.set('marker', page.next);
  return c.json({
    snapshots: page.items.map(nativeSnapshotView),
    count,
    ...(page.next ? { snapshots_links: [{ rel: 'next', href: url.toString() }] } : {}),
  });
});

const updateBody = z.object({
  snapshot: z.object({ name: z.string().max(64).optional(), description: z.string().max(85).optional() }).strict(),
});

cloudSnapshotRoutes.put('/cloudsnapshots/:snapshot_id', act('evs:snapshots:update'), async (c) => {
  const s = await snapshotOfPath(c);
  const { snapshot: u } = await jsonBody(c, updateBody);
  if (u.name === undefined && u.description === undefined) throw badRequest('Give the name or the description to change.');
  return c.json({ snapshot: nativeSnapshotView(unwrap(await tenant(c).updateSnapshot(s.id, u))) });
});

cloudSnapshotRoutes.delete('/cloudsnapshots/:snapshot_id', act('evs:snapshots:delete'), async (c) => {
  const s = await snapshotOfPath(c);
  await deleteSnapshot(callerOf(c), s.id);
  return c.body(null, 202);
});

const rollbackBody = z.object({ rollback: z.object({ volume_id: z.string().min(1), name: z.string().max(64).optional() }).strict() });

cloudSnapshotRoutes.post('/cloudsnapshots/:snapshot_id/rollback', act('evs:volumes:revert'), async (c) => {
  const s = await snapshotOfPath(c);
  const { rollback } = await jsonBody(c, rollbackBody);
  unwrap(await tenant(c).revertToSnapshot(rollback.volume_id, s.id));
  const v = await tenant(c).volume(rollback.volume_id);
  return c.json({ rollback: { volume_id: rollback.volume_id, volume_name: v?.name ?? '' } }, 202);
});

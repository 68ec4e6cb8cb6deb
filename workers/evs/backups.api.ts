/**
 * Cinder v3 backups, as OSC's `volume backup create|list|show|restore|delete` use them: mounted on the EVS endpoint
 * (`/evs/v3/{project_id}/backups`) and on VBS's (`/vbs/v2/{project_id}/backups`), both calling the VBS use case.
 * Create answers Cinder's `{id, name, links}`; restore without a volume makes one of the backup's size, type and
 * metadata. VBS chains a volume's backups whatever the body says: the first is full, each later one incremental
 * (`incremental: true` for a volume with no backup yet is Cinder's 400).
 */
import { z } from 'zod';
import type { Backup } from '../../schema/tenant.ts';
import { act } from '../auth/middleware.ts';
import { type AppContext, router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { createBackup, deleteBackup, listBackups, restoreBackup } from '../vbs/usecases/backups.ts';
import { cinderList } from './cinder-list.ts';
import { atLeast } from './microversion.ts';
import { cinderTime } from './views.ts';

const text = (max: number) => z.string().max(max);
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False', '1', '0', 'yes', 'no']).transform((s) => ['true', 'True', '1', 'yes'].includes(s)),
]);

/** The API base the request came through (`/evs/v3/{pid}` or `/vbs/v2/{pid}`), for links. */
function base(c: AppContext): string {
  const url = new URL(c.req.url);
  const at = url.pathname.indexOf('/backups');
  return `${url.origin}${url.pathname.slice(0, at)}`;
}

const links = (c: AppContext, id: string) => [
  { rel: 'self', href: `${base(c)}/backups/${id}` },
  { rel: 'bookmark', href: `${base(c).replace(/\/v[23]\//, '/')}/backups/${id}` },
];

/** A backup as Cinder shows it in detail (`metadata` from 3.43, `user_id` from 3.56). */
export function backupView(c: AppContext, b: Backup, dependents: ReadonlySet<string>) {
  return {
    id: b.id,
    name: b.name,
    status: b.status,
    description: b.description,
    links: links(c, b.id),
    availability_zone: b.zone,
    volume_id: b.volumeId,
    fail_reason: b.fault,
    size: b.size,
    object_count: b.storedGb,
    container: 'vbs',
    created_at: cinderTime(b.createdAt),
    updated_at: cinderTime(b.updatedAt),
    data_timestamp: cinderTime(b.dataTimestamp),
    'os-bak-tenant-attr:tenant_id': projectScope(c).projectId,
    service_metadata: b.parentId,
    has_dependent_backups: dependents.has(b.id),
    snapshot_id: b.snapshotId,
    is_incremental: b.incremental,
    ...(atLeast(c, 43) ? { metadata: {} } : {}),
    ...(atLeast(c, 56) ? { user_id: b.userId } : {}),
  };
}

const summary = (c: AppContext, b: Pick<Backup, 'id' | 'name'>) => ({ id: b.id, name: b.name, links: links(c, b.id) });

/** The project's backups and which of them others build on. */
function backupRows(c: AppContext) {
  return listBackups(callerOf(c));
}

/** The backup the path names, or Cinder's 404 (another project's is as missing as a deleted one). */
async function backupOfPath(c: AppContext): Promise<Backup> {
  const id = c.req.param('backup_id') ?? '';
  const b = await tenant(c).backup(id);
  if (!b) throw notFound(`Backup ${id} could not be found.`);
  return b;
}

async function detailOf(c: AppContext, id: string) {
  const { backups, dependents } = await backupRows(c);
  const b = backups.find((x) => x.id === id);
  if (!b) throw notFound(`Backup ${id} could not be found.`);
  return backupView(c, b, dependents);
}

const createBody = z
  .object({
    backup: z
      .object({
        volume_id: z.string().min(1),
        container: text(255).nullish(),
        name: text(255).nullish(),
        description: text(255).nullish(),
        incremental: flag.nullish(),
        force: flag.nullish(),
        snapshot_id: z.string().nullish(),
        metadata: z.record(z.string(), z.string()).nullish(),
        availability_zone: z.string().nullish(),
      })
      .strict(),
  })
  .strict();

export const cinderBackupRoutes = router();

cinderBackupRoutes.post('/backups', act('vbs:backups:create'), async (c) => {
  const { backup: b } = await jsonBody(c, createBody);
  if (b.incremental) {
    const { backups } = await tenant(c).list(['backups']);
    if (!backups.some((x) => x.volumeId === b.volume_id && x.status === 'available'))
      throw badRequest('Invalid backup: No backups available to do an incremental backup.');
  }
  const made = await createBackup(callerOf(c), {
    volumeId: b.volume_id,
    name: b.name ?? '',
    description: b.description ?? null,
    snapshotId: b.snapshot_id,
    force: b.force ?? false,
  });
  return c.json({ backup: summary(c, made) }, 202);
});

const KEYS = new Set(['name', 'status', 'volume_id', 'size', 'availability_zone']);
const field = (b: Backup, key: string) =>
  key === 'volume_id' ? b.volumeId : key === 'availability_zone' ? b.zone : key === 'created_at' ? b.createdAt : (b as never)[key];

async function list(c: AppContext, detail: boolean) {
  const { backups, dependents } = await backupRows(c);
  const { items, links: next } = cinderList(c, backups, KEYS, field);
  return c.json({
    backups: items.map((b) => (detail ? backupView(c, b, dependents) : summary(c, b))),
    ...(next ? { backups_links: next } : {}),
  });
}

cinderBackupRoutes.get('/backups', act('vbs:backups:list'), (c) => list(c, false));
cinderBackupRoutes.get('/backups/detail', act('vbs:backups:list'), (c) => list(c, true));

cinderBackupRoutes.get('/backups/:backup_id', act('vbs:backups:get'), async (c) => {
  const b = await backupOfPath(c);
  return c.json({ backup: await detailOf(c, b.id) });
});

const updateBody = z.object({ backup: z.object({ name: text(255).nullish(), description: text(255).nullish() }).strict() }).strict();

cinderBackupRoutes.put('/backups/:backup_id', act('vbs:backups:update'), async (c) => {
  const b = await backupOfPath(c);
  const { backup: u } = await jsonBody(c, updateBody);
  if (!Object.keys(u).length) throw badRequest('Invalid input received: Must specify name or description.');
  unwrap(
    await tenant(c).updateBackup(b.id, {
      ...(u.name !== undefined ? { name: u.name ?? '' } : {}),
      ...(u.description !== undefined ? { description: u.description } : {}),
    }),
  );
  return c.json({ backup: await detailOf(c, b.id) });
});

cinderBackupRoutes.delete('/backups/:backup_id', act('vbs:backups:delete'), async (c) => {
  const b = await backupOfPath(c);
  await deleteBackup(callerOf(c), b.id);
  return c.body(null, 202);
});

// Cinder's schema: `restore` is required (null restores onto a new volume), nothing else beside it.
const restoreBody = z
  .object({
    restore: z
      .object({ volume_id: z.string().nullish(), name: text(255).nullish() })
      .strict()
      .nullable(),
  })
  .strict();

cinderBackupRoutes.post('/backups/:backup_id/restore', act('vbs:backups:restore'), async (c) => {
  const b = await backupOfPath(c);
  const { restore } = await jsonBody(c, restoreBody);
  const r = await restoreBackup(callerOf(c), b.id, { volumeId: restore?.volume_id, name: restore?.name });
  return c.json({ restore: { backup_id: b.id, volume_id: r.volume.id, volume_name: r.volume.name } }, 202);
});

/**
 * Native VBS backups (`/vbs/v2/{project_id}/cloudbackups`): create, restore and the deprecated delete, each
 * answering a job (`/vbs/v1/{project_id}/jobs/{job_id}`) whose status follows the backup (or, for a restore, the
 * volume restored). VBS backs up attached volumes too. Refusals in VBS's `{"error": {"code", "message"}}`.
 */
import { z } from 'zod';
import { GONE } from '../../durable/ecs/jobs.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { notFound } from '../lib/errors.ts';
import { tenant } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { vbsRouter } from './errors.ts';
import { createBackup, deleteBackup, restoreBackup } from './usecases/backups.ts';

const name = z
  .string()
  .regex(/^[\w-]{1,64}$/, 'a name is 1 to 64 letters, digits, underscores or hyphens')
  .refine((n) => !n.startsWith('autobk'), 'a name may not start with autobk (automatic backups are named so)');
const tag = z.object({ key: z.string().min(1).max(36), value: z.string().max(43) }).strict();

const createBody = z.object({
  backup: z
    .object({
      volume_id: z.string().min(1),
      snapshot_id: z.string().nullish(),
      name,
      description: z
        .string()
        .max(64)
        .refine((d) => !/[<>]/.test(d), 'a description may not contain < or >')
        .nullish(),
      tags: z.array(tag).max(10).nullish(),
    })
    .strict(),
});

const jobId = () => crypto.randomUUID();

export const cloudBackupRoutes = vbsRouter();

cloudBackupRoutes.post('/cloudbackups', act('vbs:backups:create'), async (c) => {
  const { backup: b } = await jsonBody(c, createBody);
  const id = jobId();
  await createBackup(
    callerOf(c),
    {
      volumeId: b.volume_id,
      name: b.name,
      description: b.description ?? null,
      snapshotId: b.snapshot_id,
      force: true,
      tags: b.tags ?? [],
    },
    { id, type: 'bksCreateBackup', until: 'available' },
  );
  return c.json({ job_id: id });
});

/** The backup the path names, or VBS's 404. */
async function backupOfPath(c: AppContext) {
  const id = c.req.param('backup_id') ?? '';
  const b = await tenant(c).backup(id);
  if (!b) throw notFound(`The backup ${id} does not exist.`, 'BackupNotFound');
  return b;
}

const restoreBody = z.object({ restore: z.object({ volume_id: z.string().min(1) }).strict() });

cloudBackupRoutes.post('/cloudbackups/:backup_id/restore', act('vbs:backups:restore'), async (c) => {
  const b = await backupOfPath(c);
  const { restore } = await jsonBody(c, restoreBody);
  const id = jobId();
  // A stopped server's disk goes back to in-use once written, any other volume to available.
  await restoreBackup(
    callerOf(c),
    b.id,
    { volumeId: restore.volume_id, ofStoppedServer: true },
    { id, type: 'bksRestoreBackup', until: 'available|in-use' },
  );
  return c.json({ job_id: id });
});

// The deprecated native delete: POST on the backup itself.
cloudBackupRoutes.post('/cloudbackups/:backup_id', act('vbs:backups:delete'), async (c) => {
  const b = await backupOfPath(c);
  const id = jobId();
  await deleteBackup(callerOf(c), b.id, { id, type: 'bksDeleteBackup', until: GONE });
  return c.json({ job_id: id });
});

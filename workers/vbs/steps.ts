/**
 * The backup steps of the storage manager (workers/evs/manager.ts dispatches them): a backup's data stored in the
 * backup vault, restored onto its target volume (which the target's zone pool must hold: a new volume takes its
 * hold here), or dropped. Each is idempotent, keyed by the backup, and leaves alone a backup not in its state.
 */
import type { Env } from '../../core/env.ts';
import type { BackupMessage } from '../../core/evs/messages.ts';
import { BACKUP } from '../../core/evs/states.ts';

const tenantOf = (env: Env, m: BackupMessage) => env.TENANT.getByName(m.projectId);

async function restore(env: Env, m: BackupMessage): Promise<void> {
  const tenant = tenantOf(env, m);
  const b = await tenant.backup(m.backupId);
  const target = b?.pending?.restoreTo;
  if (!b || b.status !== BACKUP.RESTORING || !target) return;
  const v = await tenant.volume(target);
  if (!v) {
    await tenant.backupFailed(b.id, `The volume ${target} to restore to no longer exists.`);
    return;
  }
  const held = await env.ZONE.getByName(v.zone).holdStorage(v.zone, {
    volumeId: v.id,
    projectId: m.projectId,
    volumeType: v.volumeType,
    sizeGb: v.size,
  });
  if ('error' in held) await tenant.backupFailed(b.id, held.error.message);
  else await tenant.backupRestored(b.id);
}

/** Runs one backup step. */
export async function handleBackup(env: Env, m: BackupMessage): Promise<void> {
  const tenant = tenantOf(env, m);
  if (m.kind === 'backup-create') await tenant.backupCreated(m.backupId);
  else if (m.kind === 'backup-restore') await restore(env, m);
  else await tenant.backupRemoved(m.backupId);
}

/** A backup step that failed for good: the backup (or its restore's target) ends in an error state. */
export async function handleDeadBackup(env: Env, m: BackupMessage): Promise<void> {
  await tenantOf(env, m).backupFailed(m.backupId, `The ${m.kind} of backup ${m.backupId} failed repeatedly and was given up.`);
}

/**
 * Backups, the one use case behind Cinder's `/backups` (on the EVS endpoint, OSC's path, and on VBS's) and the
 * native `/cloudbackups`: create, restore, delete. The doors parse and render; the rules are the TenantDO's.
 */
import type { JobSpec } from '../../../durable/ecs/jobs.ts';
import type { RestoreTarget } from '../../../durable/vbs/backups.ts';
import type { Backup, Volume } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

export interface BackupRequest {
  volumeId: string;
  name: string;
  description: string | null;
  snapshotId?: string | null;
  /** Take an in-use volume (Cinder's `force`; the native API always does). */
  force: boolean;
  tags?: { key: string; value: string }[];
}

/** Backs up a volume: recorded `creating` (full if it is the volume's first, else incremental), then stored. */
export async function createBackup(caller: Caller, req: BackupRequest, job?: JobSpec): Promise<Backup> {
  const input = { ...req, id: crypto.randomUUID(), userId: caller.userId };
  return unwrap(await tenantOf(caller).createBackup(caller.projectId, input, job));
}

/** Where a restore goes: a volume of the project, or (none named) a new one named `name`. */
export interface RestoreRequest {
  volumeId?: string | null;
  name?: string | null;
  /** The volume may be a stopped server's disk (VBS's native restore). */
  ofStoppedServer?: boolean;
  /** A new volume's description and size (at least the backup's; Cinder's create from a backup, 3.47). */
  description?: string | null;
  size?: number;
}

/** Restores a backup onto a volume, or onto a new one of its size, type, zone and metadata. */
export async function restoreBackup(
  caller: Caller,
  backupId: string,
  req: RestoreRequest,
  job?: JobSpec,
): Promise<{ backup: Backup; volume: Volume }> {
  const target: RestoreTarget = req.volumeId
    ? { volumeId: req.volumeId, ofStoppedServer: req.ofStoppedServer ?? false }
    : {
        newVolume: {
          id: crypto.randomUUID(),
          name: req.name ?? `restore_backup_${backupId}`,
          userId: caller.userId,
          description: req.description,
          size: req.size,
        },
      };
  return unwrap(await tenantOf(caller).restoreBackup(caller.projectId, backupId, target, job));
}

/** Deletes a backup (refused while others build on it). */
export async function deleteBackup(caller: Caller, backupId: string, job?: JobSpec): Promise<Backup> {
  return unwrap(await tenantOf(caller).deleteBackup(caller.projectId, backupId, job));
}

/** The project's backups, and the ids of those that later (incremental) ones build on. */
export async function listBackups(caller: Caller): Promise<{ backups: Backup[]; dependents: Set<string> }> {
  const { backups } = await tenantOf(caller).list(['backups']);
  return { backups, dependents: new Set(backups.flatMap((b) => (b.parentId ? [b.parentId] : []))) };
}

/**
 * Volume backups (VBS), the tenant's side: the record and its states (creating -> available, restoring, deleting),
 * the volume `backing-up` or `restoring-backup` meanwhile, and the transitions the storage manager drives. The
 * backups of a volume form a chain: the first is full, each later one incremental on the one before it, and a
 * backup others build on cannot be deleted before them (Cinder's has_dependent_backups).
 *
 * What an incremental stores is modelled, deterministically, as what changed on the volume since its parent: a
 * tenth of the parent's size (rounded up, at least 1 GB) plus every GB the volume grew by since, never more than the
 * volume. A full backup stores the volume's size. That is the `storedGb` its usage (`vbs.backup`) counts.
 */
import { and, desc, eq } from 'drizzle-orm';
import { STATUS } from '../../core/ecs/states.ts';
import { ATTACHMENT, BACKUP, type BackupStatus, SNAPSHOT, VOLUME, type VolumeStatus } from '../../core/evs/states.ts';
import { DomainError, invalid } from '../../core/result.ts';
import { type Backup, backups, servers, snapshots, type Volume, volumeAttachments, volumes } from '../../schema/tenant.ts';
import { requireStorageQuota } from '../evs/quotas.ts';
import { createVolumes, volume } from '../evs/volumes.ts';
import { recordUsage } from '../lib/usage.ts';
import type { Ctx } from '../vpc/context.ts';

/** The share of a volume an incremental backup is taken to store, of its parent's size. */
export const CHANGE_RATE = 0.1;

export interface BackupInput {
  id: string;
  volumeId: string;
  snapshotId?: string | null;
  name: string;
  description: string | null;
  /** Back up an attached (in-use) volume: Cinder's `force`; VBS backs up attached disks always. */
  force: boolean;
  tags?: { key: string; value: string }[];
  userId: string;
  /** The policy that makes it, for an automatic backup. */
  policyId?: string | null;
}

/** A backup by id, or 404 (Cinder's words). */
export function backup(ctx: Ctx, id: string): Backup {
  const row = ctx.db.select().from(backups).where(eq(backups.id, id)).get();
  if (!row) throw new DomainError(404, 'BackupNotFound', `Backup ${id} could not be found.`);
  return row;
}

function set(ctx: Ctx, id: string, patch: Partial<Backup>): void {
  ctx.db
    .update(backups)
    .set({ ...patch, updatedAt: ctx.now })
    .where(eq(backups.id, id))
    .run();
}

function setVolume(ctx: Ctx, id: string, patch: Partial<Volume>): void {
  ctx.db
    .update(volumes)
    .set({ ...patch, updatedAt: ctx.now })
    .where(eq(volumes.id, id))
    .run();
}

/** The GB an incremental on `parent` stores for a volume of `size` GB (the model above). */
export function changedGb(parent: Pick<Backup, 'size'>, size: number): number {
  return Math.min(size, Math.max(1, Math.ceil(parent.size * CHANGE_RATE)) + Math.max(0, size - parent.size));
}

/** The newest available backup of a volume: what the next one builds on. */
function lastOf(ctx: Ctx, volumeId: string): Backup | undefined {
  return ctx.db
    .select()
    .from(backups)
    .where(and(eq(backups.volumeId, volumeId), eq(backups.status, BACKUP.AVAILABLE)))
    .orderBy(desc(backups.createdAt), desc(backups.id))
    .limit(1)
    .get();
}

/**
 * Records a backup in `creating` and puts its volume `backing-up`: the volume available (or in use with `force`),
 * the snapshot named (if any) one of its own and available, within the backup quotas. Full when the volume has no
 * backup yet, else incremental on its newest.
 */
export function createBackup(ctx: Ctx, input: BackupInput): Backup {
  const v = volume(ctx, input.volumeId);
  const allowed: VolumeStatus[] = input.force ? [VOLUME.AVAILABLE, VOLUME.IN_USE] : [VOLUME.AVAILABLE];
  if (!allowed.includes(v.status))
    throw invalid(
      `Invalid volume: Volume to be backed up must be available${input.force ? ' or in-use' : ''}, but the current status is "${v.status}".`,
      'InvalidVolume',
    );
  if (input.snapshotId) {
    const s = ctx.db.select().from(snapshots).where(eq(snapshots.id, input.snapshotId)).get();
    if (!s || s.volumeId !== v.id) throw new DomainError(404, 'SnapshotNotFound', `Snapshot ${input.snapshotId} could not be found.`);
    if (s.status !== SNAPSHOT.AVAILABLE)
      throw invalid(
        `Invalid snapshot: Snapshot to be backed up must be available, but the current status is "${s.status}".`,
        'InvalidSnapshot',
      );
  }
  requireStorageQuota(ctx, { backups: 1, backup_gigabytes: v.size });
  const parent = lastOf(ctx, v.id);
  const row: Backup = {
    id: input.id,
    volumeId: v.id,
    snapshotId: input.snapshotId ?? null,
    name: input.name,
    description: input.description,
    size: v.size,
    storedGb: parent ? changedGb(parent, v.size) : v.size,
    status: BACKUP.CREATING,
    zone: v.zone,
    volumeType: v.volumeType,
    volumeMetadata: v.metadata,
    incremental: Boolean(parent),
    parentId: parent?.id ?? null,
    policyId: input.policyId ?? null,
    tags: input.tags ?? [],
    pending: null,
    fault: null,
    userId: input.userId,
    dataTimestamp: ctx.now,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(backups).values(row).run();
  setVolume(ctx, v.id, { status: VOLUME.BACKING_UP, pending: { restoreFrom: v.status } });
  return row;
}

/** A volume back in the state it was in before the backup or restore took it (available if unknown). */
function release(ctx: Ctx, volumeId: string, from: VolumeStatus, patch: Partial<Volume> = {}): Volume | undefined {
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, volumeId)).get();
  if (!v || v.status !== from) return v;
  const status = (v.pending?.restoreFrom as VolumeStatus | undefined) ?? VOLUME.AVAILABLE;
  setVolume(ctx, volumeId, { status, pending: null, ...patch });
  return { ...v, status, pending: null, ...patch };
}

const usageAttributes = (b: Backup) => ({ volume_type: b.volumeType, zone: b.zone, incremental: String(b.incremental) });

/** The backup's data is stored: it is available, its volume back as it was, and its usage starts. */
export function backupCreated(ctx: Ctx, id: string): Backup | null {
  const b = ctx.db.select().from(backups).where(eq(backups.id, id)).get();
  if (!b || b.status !== BACKUP.CREATING) return null;
  set(ctx, id, { status: BACKUP.AVAILABLE });
  release(ctx, b.volumeId, VOLUME.BACKING_UP);
  recordUsage(ctx, {
    id: `${id}:start`,
    meter: 'vbs.backup',
    resourceId: id,
    action: 'start',
    quantity: b.storedGb,
    attributes: usageAttributes(b),
  });
  return { ...b, status: BACKUP.AVAILABLE };
}

/**
 * A step failed for good: a creation ends in `error` (its volume back as it was); a restore leaves the backup
 * available and its target volume in `error_restoring`; a deletion ends in `error_deleting`.
 */
export function backupFailed(ctx: Ctx, id: string, reason: string): void {
  const b = ctx.db.select().from(backups).where(eq(backups.id, id)).get();
  if (!b) return;
  if (b.status === BACKUP.CREATING) {
    set(ctx, id, { status: BACKUP.ERROR, fault: reason });
    release(ctx, b.volumeId, VOLUME.BACKING_UP);
  } else if (b.status === BACKUP.RESTORING) {
    const target = b.pending?.restoreTo;
    set(ctx, id, { status: BACKUP.AVAILABLE, pending: null });
    if (target) setVolume(ctx, target, { status: VOLUME.ERROR_RESTORING, fault: reason, pending: null });
  } else if (b.status === BACKUP.DELETING) set(ctx, id, { status: BACKUP.ERROR_DELETING, fault: reason });
}

/**
 * Where a restore writes: an existing volume of the project, or a new one made from the backup. `ofStoppedServer`:
 * the volume may be attached to servers that are all stopped (VBS restores a stopped server's system and data
 * disks in place; Cinder wants the volume available).
 */
export type RestoreTarget =
  | { volumeId: string; ofStoppedServer?: boolean }
  | { newVolume: { id: string; name: string; userId: string; description?: string | null; size?: number } };

/** Whether every server the volume is attached to is stopped (and it is attached to one at least). */
function onStoppedServers(ctx: Ctx, volumeId: string): boolean {
  const rows = ctx.db
    .select({ status: servers.status, attachment: volumeAttachments.status })
    .from(volumeAttachments)
    .innerJoin(servers, eq(servers.id, volumeAttachments.serverId))
    .where(eq(volumeAttachments.volumeId, volumeId))
    .all();
  return rows.length > 0 && rows.every((r) => r.status === STATUS.SHUTOFF && r.attachment === ATTACHMENT.ATTACHED);
}

/**
 * Starts restoring a backup: onto an existing volume (available, at least the backup's size: Cinder refuses an
 * attached or smaller one with 400), or onto a new volume of the backup's size, type, zone and metadata, recorded
 * here within the volume quotas. The backup is `restoring` and the volume `restoring-backup` until the storage
 * manager has written it.
 */
export function beginRestore(ctx: Ctx, backupId: string, target: RestoreTarget): { backup: Backup; volume: Volume } {
  const b = backup(ctx, backupId);
  if (b.status !== BACKUP.AVAILABLE)
    throw invalid(`Invalid backup: Backup status must be available, but the current status is "${b.status}".`, 'InvalidBackup');
  let v: Volume;
  if ('volumeId' in target) {
    v = volume(ctx, target.volumeId);
    const stopped = target.ofStoppedServer && v.status === VOLUME.IN_USE && onStoppedServers(ctx, v.id);
    if (v.status !== VOLUME.AVAILABLE && !stopped)
      throw invalid(
        v.status === VOLUME.IN_USE && target.ofStoppedServer
          ? `Invalid volume: Volume ${v.id} is attached to a running server: stop the server before restoring its disk.`
          : `Invalid volume: Volume to be restored to must be available, but the current status is "${v.status}".`,
        'InvalidVolume',
      );
    if (v.size < b.size)
      throw invalid(
        `Invalid volume: volume size ${v.size} is smaller than backup size ${b.size}: restore to a volume at least as big.`,
        'InvalidVolume',
      );
  } else {
    if ((target.newVolume.size ?? b.size) < b.size)
      throw invalid(`Invalid input received: Volume size ${target.newVolume.size} GB cannot be smaller than the backup size ${b.size} GB.`);
    [v] = createVolumes(ctx, [
      {
        id: target.newVolume.id,
        name: target.newVolume.name,
        description: target.newVolume.description ?? `auto-created volume for restore from backup ${b.id}`,
        size: target.newVolume.size ?? b.size,
        volumeType: b.volumeType,
        zone: b.zone,
        userId: target.newVolume.userId,
        metadata: b.volumeMetadata,
        multiattach: false,
        source: { backupId: b.id },
      },
    ]) as [Volume];
  }
  // Back to what it was (a stopped server's disk: in-use); a new volume is available once written.
  const pending = { restoreFrom: v.status === VOLUME.IN_USE ? VOLUME.IN_USE : VOLUME.AVAILABLE };
  setVolume(ctx, v.id, { status: VOLUME.RESTORING_BACKUP, pending });
  set(ctx, b.id, { status: BACKUP.RESTORING, pending: { restoreTo: v.id } });
  return {
    backup: { ...b, status: BACKUP.RESTORING, pending: { restoreTo: v.id } },
    volume: { ...v, status: VOLUME.RESTORING_BACKUP, pending },
  };
}

/**
 * The backup's data is written to its target: the volume is available with the backup's metadata over its own
 * (a new one's usage starts now: its pool hold was taken by the restore), and the backup available again.
 */
export function restored(ctx: Ctx, backupId: string): Volume | null {
  const b = ctx.db.select().from(backups).where(eq(backups.id, backupId)).get();
  const target = b?.pending?.restoreTo;
  if (!b || b.status !== BACKUP.RESTORING || !target) return null;
  set(ctx, b.id, { status: BACKUP.AVAILABLE, pending: null });
  const before = ctx.db.select().from(volumes).where(eq(volumes.id, target)).get();
  if (!before) return null;
  const v = release(ctx, target, VOLUME.RESTORING_BACKUP, { metadata: { ...before.metadata, ...b.volumeMetadata } });
  if (!v) return null;
  // Written once per volume whatever the path (the event id names the transition).
  recordUsage(ctx, {
    id: `${v.id}:start`,
    meter: 'evs.volume',
    resourceId: v.id,
    action: 'start',
    quantity: v.size,
    attributes: { volume_type: v.volumeType, zone: v.zone },
  });
  return v;
}

const DELETABLE: readonly BackupStatus[] = [BACKUP.AVAILABLE, BACKUP.ERROR, BACKUP.ERROR_DELETING];

/** Starts deleting a backup: available or failed, and no incremental builds on it (400 as Cinder answers). */
export function beginDeleteBackup(ctx: Ctx, id: string): Backup {
  const b = backup(ctx, id);
  if (b.status === BACKUP.DELETING) return b;
  if (!DELETABLE.includes(b.status))
    throw invalid(`Invalid backup: Backup status must be available or error, but the current status is "${b.status}".`, 'InvalidBackup');
  const child = ctx.db.select({ id: backups.id }).from(backups).where(eq(backups.parentId, id)).limit(1).get();
  if (child)
    throw invalid(
      `Invalid backup: Incremental backups exist for this backup: delete backup ${child.id} (and any built on it) first.`,
      'InvalidBackup',
    );
  set(ctx, id, { status: BACKUP.DELETING, fault: null });
  return { ...b, status: BACKUP.DELETING };
}

/** The backup's data is gone: its record goes and its usage stops. */
export function backupRemoved(ctx: Ctx, id: string): boolean {
  const b = ctx.db.select().from(backups).where(eq(backups.id, id)).get();
  if (!b || b.status !== BACKUP.DELETING) return false;
  ctx.db.delete(backups).where(eq(backups.id, id)).run();
  recordUsage(ctx, { id: `${id}:stop`, meter: 'vbs.backup', resourceId: id, action: 'stop', quantity: 0, attributes: usageAttributes(b) });
  return true;
}

/** Renames or redescribes a backup. */
export function updateBackup(ctx: Ctx, id: string, patch: { name?: string; description?: string | null }): Backup {
  const b = backup(ctx, id);
  set(ctx, id, patch);
  return { ...b, ...patch, updatedAt: ctx.now };
}

/** Whether other backups build on it (Cinder's `has_dependent_backups`), for each backup of the project. */
export function dependents(rows: Pick<Backup, 'id' | 'parentId'>[]): Set<string> {
  return new Set(rows.flatMap((b) => (b.parentId ? [b.parentId] : [])));
}

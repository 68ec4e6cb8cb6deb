/**
 * Volume snapshots, the tenant's side: the record and its Cinder states (creating -> available, deleting), its
 * metadata, and the transitions the storage manager drives. A snapshot lives on the storage backend, so it holds
 * its GB in its volume type's pool of the zone (the hold keyed by the snapshot id) from creation to deletion; its
 * usage events (`evs.snapshot`) are written with the changes.
 */
import { eq } from 'drizzle-orm';
import { SNAPSHOT, type SnapshotStatus, VOLUME } from '../../core/evs/states.ts';
import { DomainError, invalid } from '../../core/result.ts';
import { type Snapshot, snapshots, volumes } from '../../schema/tenant.ts';
import { recordUsage } from '../lib/usage.ts';
import type { Ctx } from '../vpc/context.ts';
import { requireStorageQuota } from './quotas.ts';
import { volume } from './volumes.ts';

export interface SnapshotInput {
  id: string;
  volumeId: string;
  name: string;
  description: string | null;
  metadata: Record<string, string>;
  /** Take an attached (in-use) volume as it is (Cinder's `force`). */
  force: boolean;
  userId: string;
}

/** A snapshot by id, or 404 (Cinder's words). */
export function snapshot(ctx: Ctx, id: string): Snapshot {
  const row = ctx.db.select().from(snapshots).where(eq(snapshots.id, id)).get();
  if (!row) throw new DomainError(404, 'SnapshotNotFound', `Snapshot ${id} could not be found.`);
  return row;
}

function set(ctx: Ctx, id: string, patch: Partial<Snapshot>): void {
  ctx.db
    .update(snapshots)
    .set({ ...patch, updatedAt: ctx.now })
    .where(eq(snapshots.id, id))
    .run();
}

/**
 * Records a snapshot in `creating`: its volume available, or in use with `force` (Cinder refuses an attached
 * volume without it, 400), within the snapshot quotas (Cinder counts its GB in `gigabytes` too).
 */
export function createSnapshot(ctx: Ctx, input: SnapshotInput): Snapshot {
  const v = volume(ctx, input.volumeId);
  const allowed: string[] = input.force ? [VOLUME.AVAILABLE, VOLUME.IN_USE] : [VOLUME.AVAILABLE];
  if (!allowed.includes(v.status))
    throw invalid(
      v.status === VOLUME.IN_USE
        ? `Invalid volume: Volume ${v.id} status must be available, but current status is: in-use. (Use force to snapshot an attached volume.)`
        : `Invalid volume: Volume ${v.id} status must be available or in-use, but current status is: ${v.status}.`,
      'InvalidVolume',
    );
  requireStorageQuota(ctx, {
    snapshots: 1,
    [`snapshots_${v.volumeType}`]: 1,
    gigabytes: v.size,
    [`gigabytes_${v.volumeType}`]: v.size,
  });
  const row: Snapshot = {
    id: input.id,
    volumeId: v.id,
    name: input.name,
    description: input.description,
    size: v.size,
    status: SNAPSHOT.CREATING,
    metadata: input.metadata,
    fault: null,
    userId: input.userId,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(snapshots).values(row).run();
  return row;
}

/** The pool holds the snapshot: it is available and its usage starts. Anything but `creating` is left alone. */
export function snapshotCreated(ctx: Ctx, id: string): Snapshot | null {
  const s = ctx.db.select().from(snapshots).where(eq(snapshots.id, id)).get();
  if (!s || s.status !== SNAPSHOT.CREATING) return null;
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, s.volumeId)).get();
  set(ctx, id, { status: SNAPSHOT.AVAILABLE });
  recordUsage(ctx, {
    id: `${id}:start`,
    meter: 'evs.snapshot',
    resourceId: id,
    action: 'start',
    quantity: s.size,
    attributes: v ? { volume_type: v.volumeType, zone: v.zone } : {},
  });
  return { ...s, status: SNAPSHOT.AVAILABLE };
}

/** A step failed for good: `creating` ends in `error`, `deleting` in `error_deleting`, with the reason. */
export function snapshotFailed(ctx: Ctx, id: string, reason: string): void {
  const s = ctx.db.select().from(snapshots).where(eq(snapshots.id, id)).get();
  if (s?.status === SNAPSHOT.CREATING) set(ctx, id, { status: SNAPSHOT.ERROR, fault: reason });
  else if (s?.status === SNAPSHOT.DELETING) set(ctx, id, { status: SNAPSHOT.ERROR_DELETING, fault: reason });
}

const DELETABLE: readonly SnapshotStatus[] = [SNAPSHOT.AVAILABLE, SNAPSHOT.ERROR, SNAPSHOT.ERROR_DELETING];

/**
 * Starts deleting a snapshot: only when available or failed (Cinder's InvalidSnapshot, 400), and not while a volume
 * made from it is still being created from its data.
 */
export function beginDeleteSnapshot(ctx: Ctx, id: string): Snapshot {
  const s = snapshot(ctx, id);
  if (s.status === SNAPSHOT.DELETING) return s;
  if (!DELETABLE.includes(s.status))
    throw invalid(`Invalid snapshot: Snapshot status must be available or error, but current status is: ${s.status}.`, 'InvalidSnapshot');
  const making = ctx.db
    .select({ id: volumes.id, source: volumes.source })
    .from(volumes)
    .where(eq(volumes.status, VOLUME.CREATING))
    .all()
    .find((v) => v.source.snapshotId === id);
  if (making)
    throw invalid(
      `Invalid snapshot: Snapshot ${id} is in use: volume ${making.id} is being created from it; delete it once the volume is made.`,
      'InvalidSnapshot',
    );
  set(ctx, id, { status: SNAPSHOT.DELETING, fault: null });
  return { ...s, status: SNAPSHOT.DELETING };
}

/** The pool let go of the snapshot: its record goes and its usage stops. */
export function snapshotRemoved(ctx: Ctx, id: string): boolean {
  const s = ctx.db.select().from(snapshots).where(eq(snapshots.id, id)).get();
  if (!s || s.status !== SNAPSHOT.DELETING) return false;
  ctx.db.delete(snapshots).where(eq(snapshots.id, id)).run();
  recordUsage(ctx, { id: `${id}:stop`, meter: 'evs.snapshot', resourceId: id, action: 'stop', quantity: 0, attributes: {} });
  return true;
}

export interface SnapshotPatch {
  name?: string;
  description?: string | null;
  metadata?: Record<string, string>;
}

/** Renames or redescribes a snapshot. */
export function updateSnapshot(ctx: Ctx, id: string, patch: SnapshotPatch): Snapshot {
  const s = snapshot(ctx, id);
  set(ctx, id, patch);
  return { ...s, ...patch, updatedAt: ctx.now };
}

/** Sets metadata keys (`replace`: the whole metadata becomes these). */
export function setSnapshotMetadata(ctx: Ctx, id: string, metadata: Record<string, string>, replace: boolean): Record<string, string> {
  const s = snapshot(ctx, id);
  const next = replace ? metadata : { ...s.metadata, ...metadata };
  set(ctx, id, { metadata: next });
  return next;
}

/** Deletes one metadata key, 404 if absent. */
export function deleteSnapshotMetadataKey(ctx: Ctx, id: string, key: string): void {
  const s = snapshot(ctx, id);
  if (!Object.hasOwn(s.metadata, key)) throw new DomainError(404, 'MetadataNotFound', `Snapshot ${id} has no metadata with key ${key}.`);
  const { [key]: _gone, ...rest } = s.metadata;
  set(ctx, id, { metadata: rest });
}

/**
 * Reverts a volume to its latest snapshot (Cinder 3.40's `revert`, EVS's rollback): the volume available and of the
 * snapshot's size, the snapshot its own, available, and its newest. The simulated backend has no blocks to copy, so
 * the revert is done within the transaction: the volume stays available, its data (and its updated_at) the snapshot's.
 */
export function revertToSnapshot(ctx: Ctx, volumeId: string, snapshotId: string): Snapshot {
  const v = volume(ctx, volumeId);
  const s = snapshot(ctx, snapshotId);
  if (s.volumeId !== v.id)
    throw invalid(`Invalid input received: Snapshot ${s.id} is not a snapshot of volume ${v.id}.`, 'InvalidSnapshot');
  if (v.status !== VOLUME.AVAILABLE)
    throw invalid(
      `Invalid volume: Volume ${v.id} status must be available to be reverted, but current status is: ${v.status}.`,
      'InvalidVolume',
    );
  if (s.status !== SNAPSHOT.AVAILABLE)
    throw invalid(`Invalid snapshot: Snapshot ${s.id} status must be available, but current status is: ${s.status}.`, 'InvalidSnapshot');
  const latest = ctx.db
    .select()
    .from(snapshots)
    .where(eq(snapshots.volumeId, v.id))
    .all()
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))[0];
  if (latest?.id !== s.id)
    throw invalid(
      `Invalid snapshot: Volume ${v.id} revert only supports its latest snapshot, and snapshot ${s.id} is not the latest one.`,
      'InvalidSnapshot',
    );
  if (v.size !== s.size)
    throw invalid(`Invalid volume: Volume ${v.id} size ${v.size} GB does not match snapshot ${s.id}'s ${s.size} GB.`, 'InvalidVolume');
  ctx.db.update(volumes).set({ updatedAt: ctx.now }).where(eq(volumes.id, v.id)).run();
  return s;
}

/**
 * Volumes, the tenant's side: the record and its Cinder states, and the transitions of the create, extend and
 * delete pipelines. The steps that hold capacity in the zone's storage pool are driven by the storage manager
 * (workers/evs/manager.ts) through the queue; each step here is idempotent, keyed by the volume id, and writes
 * the volume's usage events with the change.
 */
import { eq, inArray } from 'drizzle-orm';
import { VOLUME, VOLUME_SIZE, type VolumeStatus } from '../../core/evs/states.ts';
import { DomainError, invalid } from '../../core/result.ts';
import { snapshots, type Volume, type VolumeSource, volumeAttachments, volumes } from '../../schema/tenant.ts';
import { recordUsage, usageStarted } from '../lib/usage.ts';
import type { Ctx } from '../vpc/context.ts';
import { requireStorageQuota } from './quotas.ts';

export interface VolumeInput {
  id: string;
  name: string;
  description: string | null;
  size: number;
  volumeType: string;
  zone: string;
  userId: string;
  metadata: Record<string, string>;
  multiattach: boolean;
  bootable?: boolean;
  source: VolumeSource;
  imageMetadata?: Record<string, string> | null;
  tags?: Record<string, string>;
  /** The server a create makes it for (its boot or data disk), if any. */
  createdFor?: string | null;
}

/** A volume by id, or 404 (Cinder's words). */
export function volume(ctx: Ctx, id: string): Volume {
  const row = ctx.db.select().from(volumes).where(eq(volumes.id, id)).get();
  if (!row) throw new DomainError(404, 'VolumeNotFound', `Volume ${id} could not be found.`);
  return row;
}

/** Refuses unless the volume is in one of `allowed` (Cinder's InvalidVolume, 400). */
export function requireStatus(v: Volume, allowed: readonly VolumeStatus[], doing: string): void {
  if (!allowed.includes(v.status))
    throw invalid(
      `Invalid volume: Volume ${v.id} status must be ${allowed.join(' or ')} to ${doing}, but current status is: ${v.status}.`,
      'InvalidVolume',
    );
}

/** The quota a set of new volumes takes: counts and gigabytes, overall and by type. */
function quotaOf(inputs: Pick<VolumeInput, 'size' | 'volumeType'>[]): Record<string, number> {
  const more: Record<string, number> = {};
  const add = (k: string, n: number) => {
    more[k] = (more[k] ?? 0) + n;
  };
  for (const i of inputs) {
    add('volumes', 1);
    add('gigabytes', i.size);
    add(`volumes_${i.volumeType}`, 1);
    add(`gigabytes_${i.volumeType}`, i.size);
  }
  return more;
}

/** A volume made from a snapshot or another volume needs it here, ready, and no bigger than itself. */
function checkSource(ctx: Ctx, input: VolumeInput): void {
  const { snapshotId, sourceVolid } = input.source;
  if (snapshotId) {
    const snap = ctx.db.select().from(snapshots).where(eq(snapshots.id, snapshotId)).get();
    if (!snap) throw new DomainError(404, 'SnapshotNotFound', `Snapshot ${snapshotId} could not be found.`);
    if (snap.status !== 'available')
      throw invalid(`Invalid snapshot: Originating snapshot status must be one of 'available' values`, 'InvalidSnapshot');
    if (input.size < snap.size)
      throw invalid(`Invalid input received: Volume size '${input.size}'GB cannot be smaller than the snapshot size ${snap.size}GB.`);
  }
  if (sourceVolid) {
    const src = volume(ctx, sourceVolid);
    if (input.size < src.size)
      throw invalid(`Invalid input received: Volume size '${input.size}'GB cannot be smaller than original volume size  ${src.size}GB.`);
  }
}

/** Records volumes in `creating`, all or none, within the project's quotas. */
export function createVolumes(ctx: Ctx, inputs: VolumeInput[]): Volume[] {
  for (const i of inputs) {
    if (i.size < VOLUME_SIZE.min || i.size > VOLUME_SIZE.max)
      throw invalid(`Invalid input received: Volume size ${i.size} must be an integer between ${VOLUME_SIZE.min} and ${VOLUME_SIZE.max}.`);
    checkSource(ctx, i);
  }
  requireStorageQuota(ctx, quotaOf(inputs));
  const rows = inputs.map(
    (i): Volume => ({
      id: i.id,
      name: i.name,
      description: i.description,
      size: i.size,
      status: VOLUME.CREATING,
      zone: i.zone,
      volumeType: i.volumeType,
      userId: i.userId,
      bootable: i.bootable ?? Boolean(i.source.imageId),
      readonly: false,
      multiattach: i.multiattach,
      encrypted: false,
      metadata: i.metadata,
      imageMetadata: i.imageMetadata ?? null,
      source: i.source,
      tags: i.tags ?? {},
      pending: null,
      fault: null,
      createdFor: i.createdFor ?? null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    }),
  );
  for (let at = 0; at < rows.length; at += 50)
    ctx.db
      .insert(volumes)
      .values(rows.slice(at, at + 50))
      .run();
  return rows;
}

function set(ctx: Ctx, id: string, patch: Partial<Volume>): void {
  ctx.db
    .update(volumes)
    .set({ ...patch, updatedAt: ctx.now })
    .where(eq(volumes.id, id))
    .run();
}

const usageAttributes = (v: Volume) => ({ volume_type: v.volumeType, zone: v.zone });

/**
 * The storage pool holds the volume's capacity: it is ready (`available`, or `in-use` if it was made attached to
 * a server), and its usage starts. Anything but `creating` (deleted meanwhile, done already) is left alone.
 */
export function created(ctx: Ctx, id: string): Volume | null {
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, id)).get();
  if (!v || v.status !== VOLUME.CREATING) return null;
  const attached = ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.volumeId, id)).all();
  // One made for a server being built is `attaching` until the server is ACTIVE.
  const status = attached.some((a) => a.status === 'attached') ? VOLUME.IN_USE : attached.length ? VOLUME.ATTACHING : VOLUME.AVAILABLE;
  set(ctx, id, { status });
  recordUsage(ctx, {
    id: `${id}:start`,
    meter: 'evs.volume',
    resourceId: id,
    action: 'start',
    quantity: v.size,
    attributes: usageAttributes(v),
  });
  return { ...v, status };
}

/** A step of the volume's pipeline failed for good: it ends in `error` (or `error_extending`) with the reason. */
export function failed(ctx: Ctx, id: string, reason: string): void {
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, id)).get();
  if (!v) return;
  if (v.status === VOLUME.CREATING) set(ctx, id, { status: VOLUME.ERROR, fault: reason });
  else if (v.status === VOLUME.EXTENDING) set(ctx, id, { status: VOLUME.ERROR_EXTENDING, fault: reason, pending: null });
  else if (v.status === VOLUME.DELETING) set(ctx, id, { status: VOLUME.ERROR_DELETING, fault: reason });
}

/** What Cinder lets be deleted: not attached, not in a transition (an error state may go). */
const DELETABLE: readonly VolumeStatus[] = [
  VOLUME.AVAILABLE,
  VOLUME.ERROR,
  VOLUME.ERROR_RESTORING,
  VOLUME.ERROR_EXTENDING,
  VOLUME.ERROR_DELETING,
];

/**
 * Starts deleting a volume: refused while attached or with snapshots (unless `cascade`, which deletes them with
 * it), or in a transition. `force` (an operator's) also takes a volume in a transition.
 */
export function beginDelete(ctx: Ctx, id: string, opts: { cascade?: boolean; force?: boolean } = {}): Volume {
  const v = volume(ctx, id);
  if (v.status === VOLUME.DELETING) return v;
  const attached = ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.volumeId, id)).all();
  if (attached.length || v.status === VOLUME.IN_USE)
    throw invalid(
      `Invalid volume: Volume ${id} is attached to server ${attached[0]?.serverId ?? '?'}: detach it before deleting it.`,
      'InvalidVolume',
    );
  if (!opts.force) requireStatus(v, DELETABLE, 'be deleted');
  const snaps = ctx.db.select().from(snapshots).where(eq(snapshots.volumeId, id)).all();
  if (snaps.length && !opts.cascade)
    throw invalid(
      `Invalid volume: Volume ${id} still has ${snaps.length} dependent snapshots: delete them first, or delete with cascade.`,
      'InvalidVolume',
    );
  if (snaps.length)
    ctx.db
      .update(snapshots)
      .set({ status: 'deleting', updatedAt: ctx.now })
      .where(inArray(snapshots.volumeId, [id]))
      .run();
  set(ctx, id, { status: VOLUME.DELETING, fault: null });
  return { ...v, status: VOLUME.DELETING };
}

/** The pool let go of the volume: its record (and a cascade's snapshots) go, and its usage stops. */
export function removed(ctx: Ctx, id: string): boolean {
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, id)).get();
  if (!v || v.status !== VOLUME.DELETING) return false;
  for (const s of ctx.db.select().from(snapshots).where(eq(snapshots.volumeId, id)).all()) {
    ctx.db.delete(snapshots).where(eq(snapshots.id, s.id)).run();
    recordUsage(ctx, { id: `${s.id}:stop`, meter: 'evs.snapshot', resourceId: s.id, action: 'stop', quantity: 0, attributes: {} });
  }
  ctx.db.delete(volumes).where(eq(volumes.id, id)).run();
  // A volume that never became available never started to count.
  if (usageStarted(ctx, id))
    recordUsage(ctx, {
      id: `${id}:stop`,
      meter: 'evs.volume',
      resourceId: id,
      action: 'stop',
      quantity: 0,
      attributes: usageAttributes(v),
    });
  return true;
}

/**
 * Starts extending a volume to `newSize` GB (bigger, within the quota); an attached one only from microversion
 * 3.42 (`inUse`), as Cinder allows.
 */
export function beginExtend(ctx: Ctx, id: string, newSize: number, inUse: boolean): Volume {
  const v = volume(ctx, id);
  requireStatus(v, inUse ? [VOLUME.AVAILABLE, VOLUME.IN_USE] : [VOLUME.AVAILABLE], 'be extended');
  if (!Number.isInteger(newSize) || newSize <= v.size)
    throw invalid(
      `Invalid input received: New size for extend must be greater than current size. (current: ${v.size}, extended: ${newSize}).`,
    );
  if (newSize > VOLUME_SIZE.max)
    throw invalid(`Invalid input received: New size ${newSize} exceeds the largest volume size ${VOLUME_SIZE.max}.`);
  requireStorageQuota(ctx, { gigabytes: newSize - v.size, [`gigabytes_${v.volumeType}`]: newSize - v.size });
  const pending = { newSize, restoreFrom: v.status };
  set(ctx, id, { status: VOLUME.EXTENDING, pending });
  return { ...v, status: VOLUME.EXTENDING, pending };
}

/** The pool holds the new size: the volume has it, back in the state it was in, and its usage changes. */
export function extended(ctx: Ctx, id: string): Volume | null {
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, id)).get();
  if (!v || v.status !== VOLUME.EXTENDING || !v.pending?.newSize) return null;
  const size = v.pending.newSize;
  const status = (v.pending.restoreFrom as VolumeStatus | undefined) ?? VOLUME.AVAILABLE;
  set(ctx, id, { size, status, pending: null });
  recordUsage(ctx, {
    id: `${id}:size:${size}`,
    meter: 'evs.volume',
    resourceId: id,
    action: 'change',
    quantity: size,
    attributes: usageAttributes(v),
  });
  return { ...v, size, status, pending: null };
}

export interface VolumePatch {
  name?: string;
  description?: string | null;
  metadata?: Record<string, string>;
}

/** Renames or redescribes a volume, or replaces its metadata. */
export function updateVolume(ctx: Ctx, id: string, patch: VolumePatch): Volume {
  const v = volume(ctx, id);
  set(ctx, id, patch);
  return { ...v, ...patch, updatedAt: ctx.now };
}

/** Sets metadata keys (`replace`: the whole metadata becomes these). */
export function setMetadata(ctx: Ctx, id: string, metadata: Record<string, string>, replace: boolean): Record<string, string> {
  const v = volume(ctx, id);
  const next = replace ? metadata : { ...v.metadata, ...metadata };
  set(ctx, id, { metadata: next });
  return next;
}

/** Deletes one metadata key, 404 if absent. */
export function deleteMetadataKey(ctx: Ctx, id: string, key: string): void {
  const v = volume(ctx, id);
  if (!Object.hasOwn(v.metadata, key)) throw new DomainError(404, 'MetadataNotFound', `Volume ${id} has no metadata with key ${key}.`);
  const { [key]: _gone, ...rest } = v.metadata;
  set(ctx, id, { metadata: rest });
}

/** Native tags: replaced whole, or keys added (at most 10 in all) or removed. */
export function setTags(
  ctx: Ctx,
  id: string,
  change: { replace?: Record<string, string>; add?: Record<string, string>; remove?: string[] },
): Record<string, string> {
  const v = volume(ctx, id);
  let tags = change.replace ?? { ...v.tags, ...change.add };
  if (change.remove) tags = Object.fromEntries(Object.entries(tags).filter(([k]) => !change.remove!.includes(k)));
  if (Object.keys(tags).length > 10) throw invalid(`A volume has at most 10 tags.`, 'EVS.2026');
  set(ctx, id, { tags });
  return tags;
}

/** The flags Cinder's actions set: bootable, read-only. */
export function setFlags(ctx: Ctx, id: string, flags: { bootable?: boolean; readonly?: boolean }): Volume {
  const v = volume(ctx, id);
  if (flags.readonly !== undefined) requireStatus(v, [VOLUME.AVAILABLE, VOLUME.IN_USE], 'change its read-only flag');
  set(ctx, id, flags);
  return { ...v, ...flags };
}

/** An operator sets a volume's status (Cinder's os-reset_status), to repair one stuck by a failure. */
export function resetStatus(ctx: Ctx, id: string, status: VolumeStatus): Volume {
  const v = volume(ctx, id);
  set(ctx, id, { status, pending: null, fault: null });
  return { ...v, status };
}

/**
 * Attaching volumes to servers, the tenant's side: both are rows of this TenantDO, so an attach is checked and
 * reserved in one transaction (the volume `attaching`, the attachment with its device), then the storage manager
 * has the server's host plug the disk in and the volume becomes `in-use`; a detach goes the other way through
 * `detaching` back to `available`. A multi-attach volume may be attached to several servers, each its own row.
 */
import { and, eq } from 'drizzle-orm';
import { STATUS } from '../../core/ecs/states.ts';
import { ATTACHMENT, VOLUME } from '../../core/evs/states.ts';
import { conflict, DomainError, invalid } from '../../core/result.ts';
import { type Volume, type VolumeAttachment, volumeAttachments, volumes } from '../../schema/tenant.ts';
import { requireUnlocked, server } from '../ecs/servers.ts';
import { recordUsage, usageStarted } from '../lib/usage.ts';
import type { Ctx } from '../vpc/context.ts';
import { beginDelete, created, requireStatus, type VolumeInput, volume } from './volumes.ts';

/** The server states a volume may be attached in or detached from (Nova's vm_states active, stopped, resized). */
const ATTACHABLE_SERVER = [STATUS.ACTIVE, STATUS.SHUTOFF, STATUS.VERIFY_RESIZE] as string[];

export interface AttachRequest {
  volumeId: string;
  serverId: string;
  /** The device asked (`/dev/vdb`); the next free one when not given. */
  device?: string | null;
  tag?: string | null;
  deleteOnTermination?: boolean;
  /** 0 for a boot disk made with its server. */
  bootIndex?: number | null;
  /** The cloud operator, whom a server's lock does not stop (Nova's admin). */
  admin?: boolean;
}

/**
 * A volume a server is created with: one made for it (`create`, its inputs), or an existing one by id; its boot
 * index (0 for the boot disk, at `/dev/vda`), its device, and whether it goes with the server.
 */
export interface BuildVolume {
  volumeId: string;
  create?: VolumeInput;
  bootIndex: number | null;
  device?: string | null;
  deleteOnTermination: boolean;
}

/** The server's devices in use: its attachments, and `vda` for a server booted from its image. */
function devicesOf(ctx: Ctx, serverId: string): Set<string> {
  const rows = ctx.db
    .select({ device: volumeAttachments.device })
    .from(volumeAttachments)
    .where(eq(volumeAttachments.serverId, serverId))
    .all();
  return new Set(['/dev/vda', ...rows.map((r) => r.device)]);
}

/** The first free `/dev/vdX` of a server. */
export function nextDevice(ctx: Ctx, serverId: string, taken = devicesOf(ctx, serverId)): string {
  for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const d = `/dev/vd${String.fromCharCode(c)}`;
    if (!taken.has(d)) return d;
  }
  throw new DomainError(400, 'BadRequest', `Server ${serverId} has no free device name left.`);
}

/** Nova's 404 for a volume the server does not have. */
const notAttached = (serverId: string, volumeId: string) =>
  new DomainError(404, 'VolumeAttachmentNotFound', `Instance ${serverId} is not attached to volume ${volumeId}`);

const DEVICE = /^\/dev\/(?:x?v|s|h)d[a-z]{1,2}$/;

/** The attachment of a volume to a server, or null. */
export function attachmentOf(ctx: Ctx, volumeId: string, serverId: string): VolumeAttachment | null {
  return (
    ctx.db
      .select()
      .from(volumeAttachments)
      .where(and(eq(volumeAttachments.volumeId, volumeId), eq(volumeAttachments.serverId, serverId)))
      .get() ?? null
  );
}

/**
 * Reserves an attach: the server is up or stopped, the volume is `available` (or a multi-attach one `in-use`) in
 * the server's zone and not on this server already; the device is free. The volume is then `attaching`.
 */
export function reserveAttach(ctx: Ctx, r: AttachRequest): VolumeAttachment {
  const s = server(ctx, r.serverId);
  const v = volume(ctx, r.volumeId);
  requireUnlocked(s, r.admin ?? false);
  if (!ATTACHABLE_SERVER.includes(s.status) || s.taskState)
    throw conflict('InstanceInvalidState', `Cannot 'attach_volume' instance ${s.id} while it is in vm_state ${s.vmState}`);
  if (attachmentOf(ctx, v.id, s.id))
    throw invalid(`Invalid volume: Volume ${v.id} is already attached to server ${s.id}.`, 'InvalidVolume');
  if (v.status === VOLUME.IN_USE && !v.multiattach)
    throw invalid(`Invalid volume: Volume ${v.id} is in-use and is not a multi-attach volume.`, 'InvalidVolume');
  requireStatus(v, v.multiattach ? [VOLUME.AVAILABLE, VOLUME.IN_USE] : [VOLUME.AVAILABLE], 'be attached');
  if (v.zone !== s.zone)
    throw invalid(
      `Invalid volume: Volume ${v.id} is in ${v.zone}, server ${s.id} in ${s.zone}: a volume attaches in its own zone.`,
      'InvalidVolume',
    );
  const taken = devicesOf(ctx, s.id);
  if (r.device && !DEVICE.test(r.device)) throw invalid(`The supplied device path (${r.device}) is invalid.`);
  if (r.device && taken.has(r.device)) throw conflict('DevicePathInUse', `The supplied device path (${r.device}) is in use.`);
  const row: VolumeAttachment = {
    id: crypto.randomUUID(),
    volumeId: v.id,
    serverId: s.id,
    device: r.device ?? nextDevice(ctx, s.id, taken),
    status: ATTACHMENT.ATTACHING,
    bootIndex: r.bootIndex ?? null,
    deleteOnTermination: r.deleteOnTermination ?? false,
    tag: r.tag ?? null,
    attachedAt: null,
    createdAt: ctx.now,
  };
  ctx.db.insert(volumeAttachments).values(row).run();
  if (v.status === VOLUME.AVAILABLE) setStatus(ctx, v.id, VOLUME.ATTACHING);
  return row;
}

function setStatus(ctx: Ctx, id: string, status: Volume['status']): void {
  ctx.db.update(volumes).set({ status, updatedAt: ctx.now }).where(eq(volumes.id, id)).run();
}

/** The host plugged the disk in: the attachment is attached and the volume `in-use`. Idempotent. */
export function attached(ctx: Ctx, volumeId: string, serverId: string): boolean {
  const a = attachmentOf(ctx, volumeId, serverId);
  if (!a || a.status !== ATTACHMENT.ATTACHING) return false;
  ctx.db.update(volumeAttachments).set({ status: ATTACHMENT.ATTACHED, attachedAt: ctx.now }).where(eq(volumeAttachments.id, a.id)).run();
  const v = volume(ctx, volumeId);
  if (v.status === VOLUME.ATTACHING) setStatus(ctx, volumeId, VOLUME.IN_USE);
  return true;
}

/**
 * Starts a detach: the volume is attached to this server (not its boot disk) and the server is up or stopped.
 * The attachment is `detaching`, and the volume too unless another server still has it.
 */
export function beginDetach(ctx: Ctx, volumeId: string, serverId: string, admin = false): VolumeAttachment {
  const s = server(ctx, serverId);
  volume(ctx, volumeId);
  const a = attachmentOf(ctx, volumeId, serverId);
  if (!a) throw notAttached(serverId, volumeId);
  requireUnlocked(s, admin);
  if (a.status === ATTACHMENT.DETACHING) return a;
  if (a.bootIndex === 0) throw invalid('Cannot detach a root device volume');
  if (a.status !== ATTACHMENT.ATTACHED)
    throw invalid(`Invalid volume: Volume ${volumeId} is still being attached to server ${serverId}.`, 'InvalidVolume');
  if (!ATTACHABLE_SERVER.includes(s.status) || s.taskState)
    throw conflict('InstanceInvalidState', `Cannot 'detach_volume' instance ${s.id} while it is in vm_state ${s.vmState}`);
  ctx.db.update(volumeAttachments).set({ status: ATTACHMENT.DETACHING }).where(eq(volumeAttachments.id, a.id)).run();
  const others = ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.volumeId, volumeId)).all();
  if (others.every((o) => o.id === a.id || o.status === ATTACHMENT.DETACHING)) setStatus(ctx, volumeId, VOLUME.DETACHING);
  return { ...a, status: ATTACHMENT.DETACHING };
}

/** The host let go of the disk: the attachment goes; the volume is `available` unless still attached elsewhere. */
export function detached(ctx: Ctx, volumeId: string, serverId: string): boolean {
  const a = attachmentOf(ctx, volumeId, serverId);
  if (!a || a.status !== ATTACHMENT.DETACHING) return false;
  ctx.db.delete(volumeAttachments).where(eq(volumeAttachments.id, a.id)).run();
  const rest = ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.volumeId, volumeId)).all();
  setStatus(ctx, volumeId, rest.length ? VOLUME.IN_USE : VOLUME.AVAILABLE);
  return true;
}

/**
 * An attach the storage manager gave up on (its message dead-lettered): the attachment goes and the volume is
 * `available` again (or still `in-use` where other servers have it), never left `attaching` without an owner.
 */
export function abandonAttach(ctx: Ctx, volumeId: string, serverId: string): boolean {
  const a = attachmentOf(ctx, volumeId, serverId);
  if (!a || a.status !== ATTACHMENT.ATTACHING) return false;
  ctx.db.delete(volumeAttachments).where(eq(volumeAttachments.id, a.id)).run();
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, volumeId)).get();
  if (v?.status === VOLUME.ATTACHING) setStatus(ctx, volumeId, restingStatus(ctx, volumeId));
  return true;
}

/** A detach given up on: the disk is still plugged in, so the attachment is attached again and the volume `in-use`. */
export function abandonDetach(ctx: Ctx, volumeId: string, serverId: string): boolean {
  const a = attachmentOf(ctx, volumeId, serverId);
  if (!a || a.status !== ATTACHMENT.DETACHING) return false;
  ctx.db.update(volumeAttachments).set({ status: ATTACHMENT.ATTACHED }).where(eq(volumeAttachments.id, a.id)).run();
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, volumeId)).get();
  if (v?.status === VOLUME.DETACHING) setStatus(ctx, volumeId, VOLUME.IN_USE);
  return true;
}

/** What a volume rests in given its attachments: `in-use` while one is attached, else `available`. */
function restingStatus(ctx: Ctx, volumeId: string): Volume['status'] {
  const rows = ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.volumeId, volumeId)).all();
  return rows.some((r) => r.status !== ATTACHMENT.ATTACHING) ? VOLUME.IN_USE : VOLUME.AVAILABLE;
}

/**
 * Starts swapping the volume a server has at a device for another (Nova's swap, an operator's): the old one is
 * attached here (and to no other server), the new one `available` in the server's zone and no smaller. The old
 * attachment is `detaching`, the new one `attaching` at the same device with the same boot index and deletion
 * flag; the storage manager then plugs one out and the other in.
 */
export function beginSwap(ctx: Ctx, serverId: string, oldId: string, newId: string, admin = false): VolumeAttachment {
  const s = server(ctx, serverId);
  const old = volume(ctx, oldId);
  const next = ctx.db.select().from(volumes).where(eq(volumes.id, newId)).get();
  if (!next) throw invalid(`Volume ${newId} could not be found.`, 'VolumeNotFound');
  const a = attachmentOf(ctx, oldId, serverId);
  if (!a) throw notAttached(serverId, oldId);
  requireUnlocked(s, admin);
  if (!ATTACHABLE_SERVER.includes(s.status) || s.taskState)
    throw conflict('InstanceInvalidState', `Cannot 'swap_volume' instance ${s.id} while it is in vm_state ${s.vmState}`);
  const holders = ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.volumeId, oldId)).all();
  if (holders.length > 1) throw invalid('Swapping multi-attach volumes with more than one read/write attachment is not supported.');
  if (a.status !== ATTACHMENT.ATTACHED || old.status !== VOLUME.IN_USE)
    throw invalid(
      `Invalid volume: Volume ${oldId} status must be in-use to be swapped, but current status is: ${old.status}.`,
      'InvalidVolume',
    );
  if (next.status !== VOLUME.AVAILABLE) throw invalid('Invalid volume: New volume must be detached in order to swap.', 'InvalidVolume');
  if (next.size < old.size) throw invalid('Invalid volume: New volume must be the same size or larger.', 'InvalidVolume');
  if (next.zone !== s.zone)
    throw invalid(
      `Invalid volume: Volume ${newId} is in ${next.zone}, server ${s.id} in ${s.zone}: a volume attaches in its own zone.`,
      'InvalidVolume',
    );
  ctx.db.update(volumeAttachments).set({ status: ATTACHMENT.DETACHING }).where(eq(volumeAttachments.id, a.id)).run();
  setStatus(ctx, oldId, VOLUME.DETACHING);
  const row: VolumeAttachment = {
    ...a,
    id: crypto.randomUUID(),
    volumeId: newId,
    status: ATTACHMENT.ATTACHING,
    attachedAt: null,
    createdAt: ctx.now,
  };
  ctx.db.insert(volumeAttachments).values(row).run();
  setStatus(ctx, newId, VOLUME.ATTACHING);
  return row;
}

/**
 * A server is being forgotten: each of its attachments goes. A volume marked delete_on_termination that no other
 * server has starts its deletion (forced: one made for the server may still be `creating`); one with snapshots
 * is kept, as Cinder refuses to delete it. The others rest `available` (or `in-use` on their other servers).
 * Answers the volumes whose deletion started, for the storage manager.
 */
export function releaseServerVolumes(ctx: Ctx, serverId: string): string[] {
  const doomed: string[] = [];
  for (const a of attachmentsOf(ctx, serverId)) {
    ctx.db.delete(volumeAttachments).where(eq(volumeAttachments.id, a.id)).run();
    const v = ctx.db.select().from(volumes).where(eq(volumes.id, a.volumeId)).get();
    if (!v) continue;
    const attachedStates: string[] = [VOLUME.ATTACHING, VOLUME.IN_USE, VOLUME.DETACHING];
    if (attachedStates.includes(v.status)) setStatus(ctx, v.id, restingStatus(ctx, v.id));
    if (!a.deleteOnTermination || attachmentsOfVolume(ctx, v.id).length) continue;
    try {
      beginDelete(ctx, v.id, { force: true });
      doomed.push(v.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (v.status === VOLUME.CREATING) setStatus(ctx, v.id, VOLUME.ERROR);
    }
  }
  return doomed;
}

/**
 * Reserves a volume for a server being created, in the transaction that records it: a new volume (recorded
 * `creating` by the caller) or an existing one, which must be `available` in the server's zone (and bootable,
 * to boot from), then `attaching`. The attachment is `attaching` until the server is ACTIVE.
 */
export function reserveForBuild(ctx: Ctx, serverId: string, zone: string, b: BuildVolume): VolumeAttachment {
  const v = ctx.db.select().from(volumes).where(eq(volumes.id, b.volumeId)).get();
  if (!v) throw invalid(`Block Device Mapping is Invalid: failed to get volume ${b.volumeId}.`, 'InvalidBDM');
  if (!b.create) {
    if (v.status !== VOLUME.AVAILABLE)
      throw invalid(
        `Invalid volume: Volume ${v.id} status must be available to be attached, but current status is: ${v.status}.`,
        'InvalidVolume',
      );
    if (v.zone !== zone)
      throw invalid(
        `Invalid volume: Volume ${v.id} is in ${v.zone}, the server in ${zone}: a volume attaches in its own zone.`,
        'InvalidVolume',
      );
    if (b.bootIndex === 0 && !v.bootable) throw invalid(`Block Device ${v.id} is not bootable.`, 'InvalidBDMVolumeNotBootable');
    setStatus(ctx, v.id, VOLUME.ATTACHING);
  }
  const taken = devicesOf(ctx, serverId);
  const device = b.bootIndex === 0 ? '/dev/vda' : (b.device ?? nextDevice(ctx, serverId, taken));
  if (b.bootIndex !== 0 && taken.has(device)) throw invalid(`The supplied device path (${device}) is in use.`, 'InvalidBDM');
  const row: VolumeAttachment = {
    id: crypto.randomUUID(),
    volumeId: v.id,
    serverId,
    device,
    status: ATTACHMENT.ATTACHING,
    bootIndex: b.bootIndex,
    deleteOnTermination: b.deleteOnTermination,
    tag: null,
    attachedAt: null,
    createdAt: ctx.now,
  };
  ctx.db.insert(volumeAttachments).values(row).run();
  return row;
}

/** The volumes made for a server that its build has still to hold in the zone's pools. */
export const volumesToHold = (ctx: Ctx, serverId: string): Volume[] =>
  ctx.db
    .select()
    .from(volumes)
    .where(and(eq(volumes.createdFor, serverId), eq(volumes.status, VOLUME.CREATING)))
    .all();

/** Every volume made for a server. */
export const volumesMadeFor = (ctx: Ctx, serverId: string): Volume[] =>
  ctx.db.select().from(volumes).where(eq(volumes.createdFor, serverId)).all();

/**
 * The build held the volumes made for a server: each still `creating` is `attaching` (its usage starts) until the
 * server is ACTIVE. Answers those of `held` that are no longer being made (deleted with their server meanwhile,
 * maybe before the hold existed), whose holds the build lets go of.
 */
export function volumesHeld(ctx: Ctx, serverId: string, held: string[]): string[] {
  const making = new Set(volumesToHold(ctx, serverId).map((v) => v.id));
  for (const id of making) created(ctx, id);
  return held.filter((id) => !making.has(id) && ctx.db.select().from(volumes).where(eq(volumes.id, id)).get()?.status !== VOLUME.ATTACHING);
}

/** The server is ACTIVE: its volumes being attached are attached, `in-use`. */
export function serverActive(ctx: Ctx, serverId: string): void {
  for (const a of attachmentsOf(ctx, serverId)) if (a.status === ATTACHMENT.ATTACHING) attached(ctx, a.volumeId, serverId);
}

/**
 * A server's build failed: the volumes made for it are in `error` (the manager releases their holds; they go with
 * the server when it is deleted, if marked so), and the existing ones it was to have are `available` again.
 */
export function buildFailed(ctx: Ctx, serverId: string, reason: string): void {
  for (const a of attachmentsOf(ctx, serverId)) {
    if (a.status !== ATTACHMENT.ATTACHING) continue;
    const v = ctx.db.select().from(volumes).where(eq(volumes.id, a.volumeId)).get();
    if (!v) continue;
    if (v.createdFor === serverId) {
      ctx.db.update(volumes).set({ status: VOLUME.ERROR, fault: reason, updatedAt: ctx.now }).where(eq(volumes.id, v.id)).run();
      // Its hold is let go of (the manager's), so it no longer counts.
      if (usageStarted(ctx, v.id))
        recordUsage(ctx, {
          id: `${v.id}:stop`,
          meter: 'evs.volume',
          resourceId: v.id,
          action: 'stop',
          quantity: 0,
          attributes: { volume_type: v.volumeType, zone: v.zone },
        });
      continue;
    }
    ctx.db.delete(volumeAttachments).where(eq(volumeAttachments.id, a.id)).run();
    if (v.status === VOLUME.ATTACHING) setStatus(ctx, v.id, restingStatus(ctx, v.id));
  }
}

/** Every volume of the server is to go with it (native `delete_volume`). */
export function deleteOnTermination(ctx: Ctx, serverId: string): void {
  ctx.db.update(volumeAttachments).set({ deleteOnTermination: true }).where(eq(volumeAttachments.serverId, serverId)).run();
}

/** A volume's attachments (one per server). */
export const attachmentsOfVolume = (ctx: Ctx, volumeId: string) =>
  ctx.db.select().from(volumeAttachments).where(eq(volumeAttachments.volumeId, volumeId)).all();

/** A server's attachments (its volumes, root first). */
export function attachmentsOf(ctx: Ctx, serverId: string): VolumeAttachment[] {
  return ctx.db
    .select()
    .from(volumeAttachments)
    .where(eq(volumeAttachments.serverId, serverId))
    .all()
    .sort((a, b) => (a.bootIndex ?? 99) - (b.bootIndex ?? 99) || a.device.localeCompare(b.device));
}

/**
 * Volumes attached to servers, the use cases behind Nova's `os-volume_attachments` and the native
 * `attachvolume` / `detachvolume`: each checks in one TenantDO transaction (server state and lock, volume state and
 * zone, device) and queues the storage manager, which has the host plug the disk in or out.
 */
import type { JobSpec } from '../../../durable/ecs/jobs.ts';
import type { VolumeAttachment } from '../../../schema/tenant.ts';
import { actorOf, type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

/** What an attach asks: the volume, and the device (`/dev/vdb`) when the caller chose one. */
export interface AttachInput {
  volumeId: string;
  device?: string | null;
}

/** A server's attachments, root first. */
export async function serverAttachments(caller: Caller, serverId: string): Promise<VolumeAttachment[]> {
  return unwrap(await tenantOf(caller).serverAttachments(serverId));
}

/** Attaches a volume to a server (the volume `attaching`, then `in-use`); answers the attachment with its device. */
export async function attachVolume(caller: Caller, serverId: string, input: AttachInput, job?: JobSpec): Promise<VolumeAttachment> {
  const request = { volumeId: input.volumeId, serverId, device: input.device ?? null };
  return unwrap(await tenantOf(caller).attachVolume(caller.projectId, request, actorOf(caller), job));
}

/** Detaches a volume from a server (the volume `detaching`, then `available`). */
export async function detachVolume(caller: Caller, serverId: string, volumeId: string, job?: JobSpec): Promise<VolumeAttachment> {
  return unwrap(await tenantOf(caller).detachVolume(caller.projectId, volumeId, serverId, actorOf(caller), job));
}

/** Swaps the volume a server has for another at the same device (an operator's). */
export async function swapVolume(caller: Caller, serverId: string, oldId: string, newId: string): Promise<VolumeAttachment> {
  return unwrap(await tenantOf(caller).swapVolume(caller.projectId, serverId, oldId, newId, actorOf(caller)));
}

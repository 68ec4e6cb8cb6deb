/** The TenantDO's block storage: volumes and their attachments (durable/evs/). */

import { type StorageMessage, storageQueue } from '../../core/evs/messages.ts';
import type { VolumeStatus } from '../../core/evs/states.ts';
import { GONE, type JobSpec, recordJob } from '../ecs/jobs.ts';
import * as srv from '../ecs/servers.ts';
import { type Actor, recordEvent } from '../ecs/servers.ts';
import * as att from '../evs/attachments.ts';
import * as sq from '../evs/quotas.ts';
import * as vol from '../evs/volumes.ts';
import { TenantCompute } from './compute.ts';

export abstract class TenantStorage extends TenantCompute {
  /** Queues storage steps once their records are committed (the alarm drives what the queue does not take). */
  protected enqueueStorage(messages: StorageMessage[]): Promise<void> {
    return this.enqueueOn(storageQueue(this.env), 'storage', messages);
  }

  /** Records volumes in `creating`, all or none within the quotas; then the storage manager creates them. */
  async createVolumes(projectId: string, inputs: vol.VolumeInput[], job?: JobSpec) {
    const r = this.run((ctx) => {
      const made = vol.createVolumes(ctx, inputs);
      if (job)
        recordJob(
          ctx,
          { ...job, kind: 'volume' },
          inputs.map((i) => i.id),
        );
      return made;
    });
    if ('ok' in r) await this.enqueueStorage(inputs.map((i) => ({ kind: 'create', projectId, volumeId: i.id })));
    return r;
  }
  /** One volume, or null. */
  volume(id: string) {
    const r = this.run((ctx) => vol.volume(ctx, id));
    return 'ok' in r ? r.ok : null;
  }
  /** The pool holds the volume: it is ready. */
  volumeCreated(id: string) {
    return this.run((ctx) => vol.created(ctx, id));
  }
  /** A step failed for good: the volume is in an error state with the reason. */
  volumeFailed(id: string, reason: string) {
    return this.run((ctx) => vol.failed(ctx, id, reason));
  }
  updateVolume(id: string, patch: vol.VolumePatch) {
    return this.run((ctx) => vol.updateVolume(ctx, id, patch));
  }
  setVolumeMetadata(id: string, metadata: Record<string, string>, replace: boolean) {
    return this.run((ctx) => vol.setMetadata(ctx, id, metadata, replace));
  }
  deleteVolumeMetadata(id: string, key: string) {
    return this.run((ctx) => vol.deleteMetadataKey(ctx, id, key));
  }
  setVolumeTags(id: string, change: Parameters<typeof vol.setTags>[2]) {
    return this.run((ctx) => vol.setTags(ctx, id, change));
  }
  setVolumeFlags(id: string, flags: { bootable?: boolean; readonly?: boolean }) {
    return this.run((ctx) => vol.setFlags(ctx, id, flags));
  }
  resetVolumeStatus(id: string, status: VolumeStatus) {
    return this.run((ctx) => vol.resetStatus(ctx, id, status));
  }
  /** Starts an extend; the storage manager grows its hold, then the volume has its new size. */
  async extendVolume(projectId: string, id: string, newSize: number, inUse: boolean, job?: JobSpec) {
    const r = this.run((ctx) => {
      const v = vol.beginExtend(ctx, id, newSize, inUse);
      if (job) recordJob(ctx, { ...job, kind: 'volume', until: v.pending?.restoreFrom ?? 'available' }, [id]);
      return v;
    });
    if ('ok' in r) await this.enqueueStorage([{ kind: 'extend', projectId, volumeId: id }]);
    return r;
  }
  volumeExtended(id: string) {
    return this.run((ctx) => vol.extended(ctx, id));
  }
  /** Starts deleting a volume; the storage manager lets go of its hold, then the record goes. */
  async deleteVolume(projectId: string, id: string, opts: { cascade?: boolean; force?: boolean } = {}, job?: JobSpec) {
    const r = this.run((ctx) => {
      const v = vol.beginDelete(ctx, id, opts);
      if (job) recordJob(ctx, { ...job, kind: 'volume', until: GONE }, [id]);
      return v;
    });
    if ('ok' in r) await this.enqueueStorage([{ kind: 'delete', projectId, volumeId: id }]);
    return r;
  }
  volumeRemoved(id: string) {
    return this.run((ctx) => vol.removed(ctx, id));
  }

  /** The build held them: `attaching` until the server is ACTIVE. */
  volumesHeld(serverId: string, held: string[]) {
    return this.run((ctx) => att.volumesHeld(ctx, serverId, held));
  }
  /** Every volume made for a server (what a failed build releases). */
  volumesMadeFor(serverId: string) {
    return this.run((ctx) => att.volumesMadeFor(ctx, serverId));
  }

  /**
   * Forgets a deleted server (its last step) and, in the same transaction, lets go of its volumes: those marked
   * delete_on_termination are deleted with it (the storage manager releases their holds, their usage stops), the
   * others are detached, `available` again.
   */
  async removeServer(projectId: string, id: string) {
    const r = this.run((ctx) => {
      const doomed = att.releaseServerVolumes(ctx, id);
      srv.remove(ctx, id);
      return doomed;
    });
    if ('ok' in r && r.ok.length) await this.enqueueStorage(r.ok.map((volumeId) => ({ kind: 'delete', projectId, volumeId })));
    return r;
  }

  /**
   * Reserves an attach (volume `attaching`), recorded in the server's actions when an actor is named; the storage
   * manager has the host plug it in.
   */
  async attachVolume(projectId: string, request: att.AttachRequest, actor?: Actor, job?: JobSpec) {
    const r = this.run((ctx) => {
      const a = att.reserveAttach(ctx, { ...request, admin: actor?.admin ?? request.admin });
      if (actor) recordEvent(ctx, request.serverId, 'attach_volume', actor.requestId, actor.userId);
      if (job) recordJob(ctx, { ...job, kind: 'volume', until: 'in-use' }, [request.volumeId]);
      return a;
    });
    if ('ok' in r) await this.enqueueStorage([{ kind: 'attach', projectId, volumeId: request.volumeId, serverId: request.serverId }]);
    return r;
  }
  /** A dead-lettered attach: the attachment goes, the volume is available again. */
  abandonAttach(volumeId: string, serverId: string) {
    return this.run((ctx) => att.abandonAttach(ctx, volumeId, serverId));
  }
  /** A dead-lettered detach: the disk stays plugged in, the volume `in-use`. */
  abandonDetach(volumeId: string, serverId: string) {
    return this.run((ctx) => att.abandonDetach(ctx, volumeId, serverId));
  }
  /** Starts swapping a server's volume for another (an operator's); the storage manager plugs one out, the other in. */
  async swapVolume(projectId: string, serverId: string, oldId: string, newId: string, actor: Actor) {
    const r = this.run((ctx) => {
      const a = att.beginSwap(ctx, serverId, oldId, newId, actor.admin);
      recordEvent(ctx, serverId, 'swap_volume', actor.requestId, actor.userId);
      return a;
    });
    if ('ok' in r)
      await this.enqueueStorage([
        { kind: 'detach', projectId, volumeId: oldId, serverId },
        { kind: 'attach', projectId, volumeId: newId, serverId },
      ]);
    return r;
  }
  volumeAttached(volumeId: string, serverId: string) {
    return this.run((ctx) => att.attached(ctx, volumeId, serverId));
  }
  /** Starts a detach (volume `detaching`); the storage manager has the host let go of it. */
  async detachVolume(projectId: string, volumeId: string, serverId: string, actor?: Actor, job?: JobSpec) {
    const r = this.run((ctx) => {
      const a = att.beginDetach(ctx, volumeId, serverId, actor?.admin ?? false);
      if (actor) recordEvent(ctx, serverId, 'detach_volume', actor.requestId, actor.userId);
      // Done when this server no longer has it: available, or still in-use on the others of a multi-attach one.
      if (job)
        recordJob(ctx, { ...job, kind: 'volume', until: att.attachmentsOfVolume(ctx, volumeId).length > 1 ? 'in-use' : 'available' }, [
          volumeId,
        ]);
      return a;
    });
    if ('ok' in r) await this.enqueueStorage([{ kind: 'detach', projectId, volumeId, serverId }]);
    return r;
  }
  volumeDetached(volumeId: string, serverId: string) {
    return this.run((ctx) => att.detached(ctx, volumeId, serverId));
  }
  /** One attachment, or null. */
  volumeAttachment(volumeId: string, serverId: string) {
    const r = this.run((ctx) => att.attachmentOf(ctx, volumeId, serverId));
    return 'ok' in r ? r.ok : null;
  }
  /** A server's attachments, root first. */
  serverAttachments(serverId: string) {
    return this.run((ctx) => att.attachmentsOf(ctx, serverId));
  }

  storageQuotas() {
    return this.run((ctx) => ({ limits: sq.storageLimits(ctx), usage: sq.storageUsage(ctx) }));
  }
  setStorageQuotas(wanted: Record<string, number>) {
    return this.run((ctx) => sq.setStorageLimits(ctx, wanted));
  }
}

/** The TenantDO's block storage: volumes and their attachments (durable/evs/). */

import { type StorageMessage, storageQueue } from '../../core/evs/messages.ts';
import type { VolumeStatus } from '../../core/evs/states.ts';
import { ATTACHMENT } from '../../core/evs/states.ts';
import { GONE, type JobSpec, recordJob } from '../ecs/jobs.ts';
import * as srv from '../ecs/servers.ts';
import { type Actor, recordEvent } from '../ecs/servers.ts';
import * as att from '../evs/attachments.ts';
import * as sq from '../evs/quotas.ts';
import * as snap from '../evs/snapshots.ts';
import * as vol from '../evs/volumes.ts';
import { policySteps } from '../vbs/alarm.ts';
import * as bk from '../vbs/backups.ts';
import * as pol from '../vbs/policies.ts';
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
      if (job) recordJob(ctx, { ...job, kind: 'attachment', onServer: request.serverId, until: ATTACHMENT.ATTACHED }, [request.volumeId]);
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
      // Done when this server no longer has it (a multi-attach volume may stay in-use on the others).
      if (job) recordJob(ctx, { ...job, kind: 'attachment', onServer: serverId, until: GONE }, [volumeId]);
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

  // Snapshots and backups

  /** Records a snapshot in `creating`; the storage manager has the zone's pool hold it. */
  async createSnapshot(projectId: string, input: snap.SnapshotInput) {
    const r = this.run((ctx) => snap.createSnapshot(ctx, input));
    if ('ok' in r) await this.enqueueStorage([{ kind: 'snapshot-create', projectId, snapshotId: input.id }]);
    return r;
  }
  /** One snapshot, or null. */
  snapshot(id: string) {
    const r = this.run((ctx) => snap.snapshot(ctx, id));
    return 'ok' in r ? r.ok : null;
  }
  snapshotCreated(id: string) {
    return this.run((ctx) => snap.snapshotCreated(ctx, id));
  }
  snapshotFailed(id: string, reason: string) {
    return this.run((ctx) => snap.snapshotFailed(ctx, id, reason));
  }
  updateSnapshot(id: string, patch: snap.SnapshotPatch) {
    return this.run((ctx) => snap.updateSnapshot(ctx, id, patch));
  }
  setSnapshotMetadata(id: string, metadata: Record<string, string>, replace: boolean) {
    return this.run((ctx) => snap.setSnapshotMetadata(ctx, id, metadata, replace));
  }
  deleteSnapshotMetadata(id: string, key: string) {
    return this.run((ctx) => snap.deleteSnapshotMetadataKey(ctx, id, key));
  }
  /** Starts deleting a snapshot; the storage manager lets go of its hold, then the record goes. */
  async deleteSnapshot(projectId: string, id: string) {
    const r = this.run((ctx) => snap.beginDeleteSnapshot(ctx, id));
    if ('ok' in r) await this.enqueueStorage([{ kind: 'snapshot-delete', projectId, snapshotId: id }]);
    return r;
  }
  /** Reverts a volume to its latest snapshot. */
  revertToSnapshot(volumeId: string, snapshotId: string) {
    return this.run((ctx) => snap.revertToSnapshot(ctx, volumeId, snapshotId));
  }
  snapshotRemoved(id: string) {
    return this.run((ctx) => snap.snapshotRemoved(ctx, id));
  }

  /** Records a backup (and its job, for the native API) with its volume `backing-up`; the storage manager stores it. */
  async createBackup(projectId: string, input: bk.BackupInput, job?: JobSpec) {
    const r = this.run((ctx) => {
      const b = bk.createBackup(ctx, input);
      if (job) recordJob(ctx, { ...job, kind: 'backup' }, [b.id]);
      return b;
    });
    if ('ok' in r) await this.enqueueStorage([{ kind: 'backup-create', projectId, backupId: input.id }]);
    return r;
  }
  /** One backup, or null. */
  backup(id: string) {
    const r = this.run((ctx) => bk.backup(ctx, id));
    return 'ok' in r ? r.ok : null;
  }
  updateBackup(id: string, patch: { name?: string; description?: string | null }) {
    return this.run((ctx) => bk.updateBackup(ctx, id, patch));
  }
  backupCreated(id: string) {
    return this.run((ctx) => bk.backupCreated(ctx, id));
  }
  backupFailed(id: string, reason: string) {
    return this.run((ctx) => bk.backupFailed(ctx, id, reason));
  }
  /** Starts a restore onto a volume (made here if new), with its job over the volume; the storage manager writes it. */
  async restoreBackup(projectId: string, id: string, target: bk.RestoreTarget, job?: JobSpec) {
    const r = this.run((ctx) => {
      const out = bk.beginRestore(ctx, id, target);
      if (job) recordJob(ctx, { ...job, kind: 'volume' }, [out.volume.id]);
      return out;
    });
    if ('ok' in r) await this.enqueueStorage([{ kind: 'backup-restore', projectId, backupId: id }]);
    return r;
  }
  backupRestored(id: string) {
    return this.run((ctx) => bk.restored(ctx, id));
  }
  /** Starts deleting a backup (and records its job, for the native API); the storage manager drops its data. */
  async deleteBackup(projectId: string, id: string, job?: JobSpec) {
    const r = this.run((ctx) => {
      const b = bk.beginDeleteBackup(ctx, id);
      if (job) recordJob(ctx, { ...job, kind: 'backup' }, [b.id]);
      return b;
    });
    if ('ok' in r) await this.enqueueStorage([{ kind: 'backup-delete', projectId, backupId: id }]);
    return r;
  }
  backupRemoved(id: string) {
    return this.run((ctx) => bk.backupRemoved(ctx, id));
  }

  /** Records a backup policy; the alarm comes when it is due. */
  async createBackupPolicy(input: pol.PolicyInput) {
    const r = this.run((ctx) => pol.createPolicy(ctx, input));
    if ('ok' in r && r.ok.nextRunAt) await this.alarmBy(Date.parse(r.ok.nextRunAt));
    return r;
  }
  backupPolicy(id: string) {
    return this.run((ctx) => ({ policy: pol.policy(ctx, id), volumes: pol.policyCounts(ctx)[id] ?? 0 }));
  }
  backupPolicies() {
    return this.run((ctx) => ({ policies: pol.policies(ctx), counts: pol.policyCounts(ctx) }));
  }
  async updateBackupPolicy(id: string, patch: Parameters<typeof pol.updatePolicy>[2]) {
    const r = this.run((ctx) => pol.updatePolicy(ctx, id, patch));
    if ('ok' in r && r.ok.nextRunAt) await this.alarmBy(Date.parse(r.ok.nextRunAt));
    return r;
  }
  deleteBackupPolicy(id: string) {
    return this.run((ctx) => pol.deletePolicy(ctx, id));
  }
  bindBackupPolicy(id: string, volumeIds: string[]) {
    return this.run((ctx) => pol.bindVolumes(ctx, id, volumeIds));
  }
  unbindBackupPolicy(id: string, volumeIds: string[]) {
    return this.run((ctx) => pol.unbindVolumes(ctx, id, volumeIds));
  }
  /** Runs a policy now (its backups, then its retention); its schedule is unchanged. */
  async executeBackupPolicy(projectId: string, id: string, userId: string) {
    const r = this.run((ctx) => pol.runPolicy(ctx, id, userId));
    if ('ok' in r) await this.enqueueStorage(policySteps(projectId, [r.ok]));
    return r;
  }
}

/** Messages of the storage queue: each names a step of a volume's (or its snapshot's, backup's) pipeline. */

export type StorageMessage =
  | { kind: 'create'; projectId: string; volumeId: string }
  | { kind: 'extend'; projectId: string; volumeId: string }
  | { kind: 'delete'; projectId: string; volumeId: string }
  | { kind: 'attach'; projectId: string; volumeId: string; serverId: string }
  | { kind: 'detach'; projectId: string; volumeId: string; serverId: string }
  | SnapshotMessage
  | BackupMessage;

/** A step of a snapshot's pipeline: the zone's pool holds it, or lets go of it. */
export type SnapshotMessage =
  | { kind: 'snapshot-create'; projectId: string; snapshotId: string }
  | { kind: 'snapshot-delete'; projectId: string; snapshotId: string };

/** A step of a backup's pipeline (VBS): its data stored, restored onto its target volume, or deleted. */
export type BackupMessage =
  | { kind: 'backup-create'; projectId: string; backupId: string }
  | { kind: 'backup-restore'; projectId: string; backupId: string }
  | { kind: 'backup-delete'; projectId: string; backupId: string };

/** The storage queue, typed by its messages. */
export const storageQueue = (env: { STORAGE_QUEUE: Queue }) => env.STORAGE_QUEUE as Queue<StorageMessage>;

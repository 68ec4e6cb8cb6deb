/** Messages of the storage queue: each names a step of a volume's (or its snapshot's, backup's) pipeline. */

export type StorageMessage =
  | { kind: 'create'; projectId: string; volumeId: string }
  | { kind: 'extend'; projectId: string; volumeId: string }
  | { kind: 'delete'; projectId: string; volumeId: string }
  | { kind: 'attach'; projectId: string; volumeId: string; serverId: string }
  | { kind: 'detach'; projectId: string; volumeId: string; serverId: string };

/** The storage queue, typed by its messages. */
export const storageQueue = (env: { STORAGE_QUEUE: Queue }) => env.STORAGE_QUEUE as Queue<StorageMessage>;

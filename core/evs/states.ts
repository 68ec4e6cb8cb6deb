/**
 * The states of block storage as Cinder names them: volumes, snapshots and backups. Every transition in
 * durable/evs and every check in workers/evs names them through these constants.
 */

/** A volume's `status`. */
export const VOLUME = {
  CREATING: 'creating',
  AVAILABLE: 'available',
  RESERVED: 'reserved',
  ATTACHING: 'attaching',
  DETACHING: 'detaching',
  IN_USE: 'in-use',
  EXTENDING: 'extending',
  DELETING: 'deleting',
  BACKING_UP: 'backing-up',
  RESTORING_BACKUP: 'restoring-backup',
  DOWNLOADING: 'downloading',
  UPLOADING: 'uploading',
  RETYPING: 'retyping',
  MAINTENANCE: 'maintenance',
  ERROR: 'error',
  ERROR_DELETING: 'error_deleting',
  ERROR_EXTENDING: 'error_extending',
  ERROR_RESTORING: 'error_restoring',
} as const;
export type VolumeStatus = (typeof VOLUME)[keyof typeof VOLUME];

/** A snapshot's `status`. */
export const SNAPSHOT = {
  CREATING: 'creating',
  AVAILABLE: 'available',
  BACKING_UP: 'backing-up',
  RESTORING: 'restoring',
  DELETING: 'deleting',
  ERROR: 'error',
  ERROR_DELETING: 'error_deleting',
} as const;
export type SnapshotStatus = (typeof SNAPSHOT)[keyof typeof SNAPSHOT];

/** A backup's `status`. */
export const BACKUP = {
  CREATING: 'creating',
  AVAILABLE: 'available',
  RESTORING: 'restoring',
  DELETING: 'deleting',
  ERROR: 'error',
  ERROR_RESTORING: 'error_restoring',
  ERROR_DELETING: 'error_deleting',
} as const;
export type BackupStatus = (typeof BACKUP)[keyof typeof BACKUP];

/** An attachment's own state: reserved while the host plugs it in, attached, then detaching. */
export const ATTACHMENT = { ATTACHING: 'attaching', ATTACHED: 'attached', DETACHING: 'detaching' } as const;
export type AttachmentStatus = (typeof ATTACHMENT)[keyof typeof ATTACHMENT];

/**
 * The disk types of Flexible Engine's EVS (Cinder volume types): the ones the price list prices (a type is offered
 * only with its price published, clause 1.4).
 */
export const VOLUME_TYPES = ['SATA', 'SAS', 'SSD'] as const;
export type VolumeType = (typeof VOLUME_TYPES)[number];

/** A volume's size in GB: 1 to 32,768 (a system disk at most 1,024). */
export const VOLUME_SIZE = { min: 1, max: 32_768, systemMax: 1_024 } as const;

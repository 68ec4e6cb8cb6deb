/** An image's `status`, as Glance names them. */
export const IMAGE = {
  QUEUED: 'queued',
  SAVING: 'saving',
  UPLOADING: 'uploading',
  IMPORTING: 'importing',
  ACTIVE: 'active',
  DEACTIVATED: 'deactivated',
  KILLED: 'killed',
  DELETED: 'deleted',
  PENDING_DELETE: 'pending_delete',
} as const;
export type ImageStatus = (typeof IMAGE)[keyof typeof IMAGE];

/** Who sees an image besides its owner. */
export const VISIBILITIES = ['public', 'private', 'shared', 'community'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

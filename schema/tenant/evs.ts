/**
 * Block storage in the project's TenantDO: volumes and their attachments to servers (rows that change in one
 * transaction with the servers they belong to), snapshots, backups and backup policies.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AttachmentStatus, BackupStatus, SnapshotStatus, VolumeStatus } from '../../core/evs/states.ts';

const timestamps = {
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
};

/** What a volume was made from, when not blank. */
export interface VolumeSource {
  snapshotId?: string;
  sourceVolid?: string;
  imageId?: string;
  backupId?: string;
}

/**
 * An EVS volume. `size` is in GB; `pending` holds what the operation in progress needs (an extend's new size), so
 * that a redelivered step finds it here; `fault` says why it is in an error state.
 */
export const volumes = sqliteTable(
  'volumes',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull().default(''),
    description: text('description'),
    size: integer('size').notNull(),
    status: text('status').$type<VolumeStatus>().notNull(),
    zone: text('zone').notNull(),
    volumeType: text('volume_type').notNull(),
    userId: text('user_id').notNull(),
    bootable: integer('bootable', { mode: 'boolean' }).notNull().default(false),
    readonly: integer('readonly', { mode: 'boolean' }).notNull().default(false),
    multiattach: integer('multiattach', { mode: 'boolean' }).notNull().default(false),
    encrypted: integer('encrypted', { mode: 'boolean' }).notNull().default(false),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    /** The image's properties, for a volume made from one (Cinder's `volume_image_metadata`). */
    imageMetadata: text('image_metadata', { mode: 'json' }).$type<Record<string, string> | null>(),
    source: text('source', { mode: 'json' }).$type<VolumeSource>().notNull().default({}),
    /** Native tags (`key: value`). */
    tags: text('tags', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    pending: text('pending', { mode: 'json' }).$type<{ newSize?: number; restoreFrom?: string } | null>(),
    fault: text('fault'),
    /** The server this volume was made for at its creation (a boot or data disk of a create), if any. */
    createdFor: text('created_for'),
    ...timestamps,
  },
  (t) => [index('volumes_status').on(t.status)],
);

/**
 * A volume attached to a server (one row per server; several for a multi-attach volume). The attachment id is
 * Cinder's `attachment_id`; Nova's attachment `id` is the volume id.
 */
export const volumeAttachments = sqliteTable(
  'volume_attachments',
  {
    id: text('id').primaryKey(),
    volumeId: text('volume_id').notNull(),
    serverId: text('server_id').notNull(),
    device: text('device').notNull(),
    status: text('status').$type<AttachmentStatus>().notNull(),
    /** 0 for the boot disk, null for a data disk. */
    bootIndex: integer('boot_index'),
    deleteOnTermination: integer('delete_on_termination', { mode: 'boolean' }).notNull().default(false),
    tag: text('tag'),
    attachedAt: text('attached_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('volume_attachments_pair').on(t.volumeId, t.serverId), index('volume_attachments_server').on(t.serverId)],
);

/** A volume snapshot. */
export const snapshots = sqliteTable(
  'snapshots',
  {
    id: text('id').primaryKey(),
    volumeId: text('volume_id').notNull(),
    name: text('name').notNull().default(''),
    description: text('description'),
    size: integer('size').notNull(),
    status: text('status').$type<SnapshotStatus>().notNull(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    fault: text('fault'),
    userId: text('user_id').notNull(),
    ...timestamps,
  },
  (t) => [index('snapshots_volume').on(t.volumeId)],
);

/**
 * A volume backup (VBS). The first of a volume is full, the later ones incremental: `parentId` names the one it
 * builds on and `storedGb` is what it adds. What a restore needs of the source (size, type, metadata) is kept here.
 */
export const backups = sqliteTable(
  'backups',
  {
    id: text('id').primaryKey(),
    volumeId: text('volume_id').notNull(),
    snapshotId: text('snapshot_id'),
    name: text('name').notNull().default(''),
    description: text('description'),
    size: integer('size').notNull(),
    storedGb: integer('stored_gb').notNull().default(0),
    status: text('status').$type<BackupStatus>().notNull(),
    zone: text('zone').notNull(),
    volumeType: text('volume_type').notNull(),
    volumeMetadata: text('volume_metadata', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    incremental: integer('incremental', { mode: 'boolean' }).notNull().default(false),
    parentId: text('parent_id'),
    /** The policy that made it, for an automatic backup. */
    policyId: text('policy_id'),
    tags: text('tags', { mode: 'json' }).$type<{ key: string; value: string }[]>().notNull().default([]),
    pending: text('pending', { mode: 'json' }).$type<{ restoreTo?: string } | null>(),
    fault: text('fault'),
    userId: text('user_id').notNull(),
    dataTimestamp: text('data_timestamp').notNull(),
    ...timestamps,
  },
  (t) => [index('backups_volume').on(t.volumeId)],
);

/** A backup policy's schedule and retention (VBS's field names). */
export interface ScheduledPolicy {
  startTime: string;
  frequency?: number;
  weekFrequency?: string[];
  retentionNum?: number;
  retentionDay?: number;
  remainFirstBackupOfCurMonth: boolean;
  enabled: boolean;
}

/** A backup policy; its alarm runs it. */
export const backupPolicies = sqliteTable('backup_policies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  schedule: text('schedule', { mode: 'json' }).$type<ScheduledPolicy>().notNull(),
  tags: text('tags', { mode: 'json' }).$type<{ key: string; value: string }[]>().notNull().default([]),
  /** When it runs next (ISO), null when off. */
  nextRunAt: text('next_run_at'),
  ...timestamps,
});

/** A volume bound to a backup policy (a volume has at most one). */
export const backupPolicyVolumes = sqliteTable('backup_policy_volumes', {
  volumeId: text('volume_id').primaryKey(),
  policyId: text('policy_id').notNull(),
  createdAt: text('created_at').notNull(),
});

export type Volume = typeof volumes.$inferSelect;
export type VolumeAttachment = typeof volumeAttachments.$inferSelect;
export type Snapshot = typeof snapshots.$inferSelect;
export type Backup = typeof backups.$inferSelect;
export type BackupPolicy = typeof backupPolicies.$inferSelect;

/** State of an availability zone's ZoneDO: the placement inventory of its hosts and the claims on them. */
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const zoneHosts = sqliteTable('hosts', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['general', 'baremetal'] }).notNull(),
  vcpus: integer('vcpus').notNull(),
  ramMb: integer('ram_mb').notNull(),
  diskGb: integer('disk_gb').notNull(),
  cpuRatio: real('cpu_ratio').notNull().default(1),
  ramRatio: real('ram_ratio').notNull().default(1),
  diskRatio: real('disk_ratio').notNull().default(1),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  alive: integer('alive', { mode: 'boolean' }).notNull().default(true),
  /** A Dedicated Cloud host: only this project's servers land here. */
  dedicatedProject: text('dedicated_project'),
});

/** Resources held on a host for one server; keyed by server, so a retried claim finds the first one. */
export const claims = sqliteTable(
  'claims',
  {
    serverId: text('server_id').primaryKey(),
    hostId: text('host_id').notNull(),
    projectId: text('project_id').notNull(),
    vcpus: integer('vcpus').notNull(),
    ramMb: integer('ram_mb').notNull(),
    diskGb: integer('disk_gb').notNull(),
    groupId: text('group_id'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('claims_host').on(t.hostId), index('claims_group').on(t.groupId)],
);

export type ZoneHost = typeof zoneHosts.$inferSelect;
export type Claim = typeof claims.$inferSelect;

/** A zone's block storage capacity for one volume type (GB). */
export const storagePools = sqliteTable('storage_pools', {
  volumeType: text('volume_type').primaryKey(),
  capacityGb: integer('capacity_gb').notNull(),
  /** Taken out of service by an operator: no new volume lands here. */
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
});

/** What a volume holds of its zone's pool, keyed by the volume (a retried claim finds the first one). */
export const storageClaims = sqliteTable(
  'storage_claims',
  {
    volumeId: text('volume_id').primaryKey(),
    volumeType: text('volume_type').notNull(),
    projectId: text('project_id').notNull(),
    sizeGb: integer('size_gb').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('storage_claims_type').on(t.volumeType)],
);

export type StoragePool = typeof storagePools.$inferSelect;
export type StorageClaim = typeof storageClaims.$inferSelect;

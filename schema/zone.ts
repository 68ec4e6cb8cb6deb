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

/** State of a compute host's HostDO: the instances its agent runs, and what the agent reported. */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { AppliedProfile } from '../core/ces/load-profile.ts';

export const instances = sqliteTable('instances', {
  serverId: text('server_id').primaryKey(),
  projectId: text('project_id').notNull(),
  zone: text('zone').notNull().default(''),
  name: text('name').notNull(),
  powerState: integer('power_state').notNull(),
  consoleLog: text('console_log').notNull().default(''),
  spawnedAt: text('spawned_at').notNull(),
  /** The guest's workload (core/ces/load-profile.ts); null: idle. It moves with the server to a new host. */
  workload: text('workload', { mode: 'json' }).$type<AppliedProfile>(),
  /** Epoch ms up to which the agent has reported the guest's metrics (aligned to the collection period). */
  collectedUntil: integer('collected_until').notNull().default(0),
});

/** The host's agent as the control plane sees it (one row). */
export const agentState = sqliteTable('agent_state', {
  id: integer('id').primaryKey(),
  hostId: text('host_id').notNull().default(''),
  zone: text('zone').notNull(),
  /** Epoch ms of the last heartbeat the agent sent. */
  lastHeartbeat: integer('last_heartbeat').notNull(),
  /** The simulated agent stopped (an operator failed the host on purpose): it sends no more heartbeats. */
  agentStopped: integer('agent_stopped', { mode: 'boolean' }).notNull().default(false),
  /** Declared failed after missed heartbeats; its instances were handed to recovery. */
  failed: integer('failed', { mode: 'boolean' }).notNull().default(false),
});

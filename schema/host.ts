/** State of a compute host's HostDO: the instances its agent runs, and what the agent reported. */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const instances = sqliteTable('instances', {
  serverId: text('server_id').primaryKey(),
  projectId: text('project_id').notNull(),
  name: text('name').notNull(),
  powerState: integer('power_state').notNull(),
  consoleLog: text('console_log').notNull().default(''),
  spawnedAt: text('spawned_at').notNull(),
});

export const agentState = sqliteTable('agent_state', {
  id: integer('id').primaryKey(),
  zone: text('zone').notNull(),
  lastHeartbeat: integer('last_heartbeat').notNull(),
  failed: integer('failed', { mode: 'boolean' }).notNull().default(false),
});

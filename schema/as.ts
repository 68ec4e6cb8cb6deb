/**
 * State of a project's AsDO (Auto Scaling): its scaling configurations, groups, policies, the instances each group
 * holds with their life-cycle states, and the activity log of what scaling did. The servers themselves belong to
 * the project's TenantDO; an instance row is the group's claim on one.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** What a configuration launches (AS v1's `instance_config`, kept as the API took it). */
export interface InstanceConfig {
  flavorRef: string;
  imageRef: string;
  disk: { size: number; volume_type: string; disk_type: 'SYS' | 'DATA' }[];
  key_name?: string;
  adminPass?: string;
  security_groups?: { id: string }[];
  public_ip?: {
    eip: {
      ip_type: string;
      bandwidth: { share_type: 'PER' | 'WHOLE'; size?: number; charging_mode?: 'traffic' | 'bandwidth'; id?: string };
    };
  };
  user_data?: string;
  metadata?: Record<string, string>;
  /** A Dedicated Cloud server (`dedicated`), on a given host or any of the project's. */
  tenancy?: 'dedicated';
  dedicated_host_id?: string;
  /** The server the configuration was made from, when it was (AS's `instance_id`). */
  instance_id?: string;
}

/** A scaling configuration: the template of the servers a group launches. It cannot be changed, only replaced. */
export const configurations = sqliteTable('configurations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  instanceConfig: text('instance_config', { mode: 'json' }).$type<InstanceConfig>().notNull(),
  createdAt: integer('created_at').notNull(),
});

export type GroupStatus = 'INSERVICE' | 'PAUSED' | 'ERROR' | 'DELETING';
export type TerminatePolicy = 'OLD_CONFIG_OLD_INSTANCE' | 'OLD_CONFIG_NEW_INSTANCE' | 'OLD_INSTANCE' | 'NEW_INSTANCE';

/** A load balancer pool the group's members join, on the port and with the weight given. */
export interface PoolBinding {
  pool_id: string;
  protocol_port: number;
  weight: number;
}

/** A scaling group: between min and max servers of one configuration, `desired` of them wanted now. */
export const groups = sqliteTable('groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status').$type<GroupStatus>().notNull(),
  configurationId: text('configuration_id'),
  desired: integer('desired').notNull(),
  min: integer('min').notNull(),
  max: integer('max').notNull(),
  /** Seconds after a scaling action during which alarm policies are refused. */
  coolDown: integer('cool_down').notNull(),
  vpcId: text('vpc_id').notNull(),
  /** Subnets (native network ids) the servers' NICs are on; the first is the primary NIC. */
  networks: text('networks', { mode: 'json' }).$type<string[]>().notNull(),
  securityGroups: text('security_groups', { mode: 'json' }).$type<string[]>().notNull(),
  zones: text('zones', { mode: 'json' }).$type<string[]>().notNull(),
  multiAzPolicy: text('multi_az_policy').$type<'EQUILIBRIUM_DISTRIBUTE' | 'PICK_FIRST'>().notNull(),
  pools: text('pools', { mode: 'json' }).$type<PoolBinding[]>().notNull(),
  auditMethod: text('audit_method').$type<'NOVA_AUDIT' | 'ELB_AUDIT'>().notNull(),
  /** Minutes between two health audits. */
  auditMinutes: integer('audit_minutes').notNull(),
  /** Seconds a new instance is left alone by the audit. */
  auditGrace: integer('audit_grace').notNull(),
  terminatePolicy: text('terminate_policy').$type<TerminatePolicy>().notNull(),
  deletePublicIp: integer('delete_public_ip', { mode: 'boolean' }).notNull(),
  deleteVolume: integer('delete_volume', { mode: 'boolean' }).notNull(),
  description: text('description').notNull(),
  tags: text('tags', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  /** The region, and the user the group acts for when it creates and deletes servers. */
  region: text('region').notNull(),
  userId: text('user_id').notNull(),
  /** Epoch ms of the last scaling action (the cool-down counts from it) and of the last health audit. */
  lastScalingAt: integer('last_scaling_at'),
  lastAuditAt: integer('last_audit_at'),
  /** Epoch ms before which a failed launch is not tried again. */
  retryAt: integer('retry_at'),
  createdAt: integer('created_at').notNull(),
});

export type PolicyType = 'ALARM' | 'SCHEDULED' | 'RECURRENCE';

/** When a SCHEDULED or RECURRENCE policy runs (AS v1's `scheduled_policy`). */
export interface Schedule {
  launch_time: string;
  recurrence_type?: 'Daily' | 'Weekly' | 'Monthly';
  recurrence_value?: string;
  start_time?: string;
  end_time?: string;
}

/** What a policy does to the group's desired count. */
export interface PolicyAction {
  operation: 'ADD' | 'REMOVE' | 'SET';
  instance_number?: number;
  instance_percentage?: number;
}

/** A scaling policy: an alarm, a time or a recurrence that changes a group's desired count. */
export const policies = sqliteTable(
  'policies',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull(),
    name: text('name').notNull(),
    type: text('type').$type<PolicyType>().notNull(),
    alarmId: text('alarm_id'),
    schedule: text('schedule', { mode: 'json' }).$type<Schedule>(),
    action: text('action', { mode: 'json' }).$type<PolicyAction>().notNull(),
    coolDown: integer('cool_down').notNull(),
    status: text('status').$type<'INSERVICE' | 'PAUSED'>().notNull(),
    /** Epoch ms of the next scheduled run (null: an alarm policy, or a schedule that has ended). */
    nextRunAt: integer('next_run_at'),
    lastExecutedAt: integer('last_executed_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('policies_group').on(t.groupId), index('policies_alarm').on(t.alarmId)],
);

export type LifeCycleState = 'PENDING' | 'INSERVICE' | 'REMOVING' | 'STANDBY';
export type HealthStatus = 'INITIALIZING' | 'NORMAL' | 'ERROR';

/** One server of a group, from its launch (or adoption) until it is gone. */
export const instances = sqliteTable(
  'instances',
  {
    serverId: text('server_id').primaryKey(),
    groupId: text('group_id').notNull(),
    name: text('name').notNull(),
    /** Null for a server added to the group by hand. */
    configurationId: text('configuration_id'),
    state: text('state').$type<LifeCycleState>().notNull(),
    health: text('health').$type<HealthStatus>().notNull(),
    protect: integer('protect', { mode: 'boolean' }).notNull(),
    /** Whether removing the instance deletes its server (false for one added by hand, unless asked). */
    deleteServer: integer('delete_server', { mode: 'boolean' }).notNull(),
    /** The pool members made for it, to be removed with it. */
    members: text('members', { mode: 'json' }).$type<{ poolId: string; memberId: string }[]>().notNull(),
    /** The activity that launched or is removing it. */
    activityId: text('activity_id'),
    /** Epoch ms the server's delete was asked (once). */
    deleteAskedAt: integer('delete_asked_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('instances_group').on(t.groupId)],
);

export type ActivityStatus = 'DOING' | 'SUCCESS' | 'FAIL';

/** One scaling activity: servers launched or removed, and the desired counts around it. */
export const activities = sqliteTable(
  'activities',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull(),
    status: text('status').$type<ActivityStatus>().notNull(),
    description: text('description').notNull(),
    added: text('added', { mode: 'json' }).$type<string[]>().notNull(),
    removed: text('removed', { mode: 'json' }).$type<string[]>().notNull(),
    /** The change asked (`+2`, `-1`), the count when it began and the desired count it works toward. */
    scalingValue: text('scaling_value').notNull(),
    instanceValue: integer('instance_value').notNull(),
    desireValue: integer('desire_value').notNull(),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [index('activities_group').on(t.groupId, t.startedAt)],
);

export type Configuration = typeof configurations.$inferSelect;
export type Group = typeof groups.$inferSelect;
export type Policy = typeof policies.$inferSelect;
export type Instance = typeof instances.$inferSelect;
export type Activity = typeof activities.$inferSelect;

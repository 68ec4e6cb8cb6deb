/**
 * State of a project's CesDO (Cloud Eye): its metric series, their raw points and rollups, and its alarm rules with
 * their history. Raw points and rollups expire by Cloud Eye's retention (durable/ces/retention.ts).
 */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Dimension, Statistic } from '../core/ces/metrics.ts';

/** One metric of one resource: a namespace, a name and its dimensions. */
export const series = sqliteTable(
  'series',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** core/ces/metrics.ts seriesKey: what a query names. */
    key: text('key').notNull().unique(),
    namespace: text('namespace').notNull(),
    metricName: text('metric_name').notNull(),
    dimensions: text('dimensions', { mode: 'json' }).$type<Dimension[]>().notNull(),
    unit: text('unit').notNull(),
    type: text('type', { enum: ['int', 'float'] }).notNull(),
    /** Epoch ms of the newest point: a metric no longer reported leaves the list an hour later. */
    lastAt: integer('last_at').notNull(),
  },
  (t) => [index('series_namespace').on(t.namespace, t.metricName)],
);

/** Raw points (period 1), each kept until `expires_at` (two days, or a custom point's ttl). */
export const points = sqliteTable(
  'points',
  {
    seriesId: integer('series_id').notNull(),
    at: integer('at').notNull(),
    value: real('value').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.at] }), index('points_expiry').on(t.expiresAt)],
);

/** A rollup bucket: the aggregates of the raw points of one period starting at `start` (epoch ms). */
export const rollups = sqliteTable(
  'rollups',
  {
    seriesId: integer('series_id').notNull(),
    /** 300, 1200, 3600, 14400 or 86400 seconds. */
    period: integer('period').notNull(),
    start: integer('start').notNull(),
    count: integer('count').notNull(),
    sum: real('sum').notNull(),
    min: real('min').notNull(),
    max: real('max').notNull(),
    /** The sum of squares, for the variance. */
    sumSquares: real('sum_squares').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.period, t.start] }), index('rollups_age').on(t.period, t.start)],
);

export type Series = typeof series.$inferSelect;
export type Rollup = typeof rollups.$inferSelect;

/** An alarm rule (Cloud Eye v1): one metric's statistic over its period against a threshold. */
export const alarmRules = sqliteTable('alarm_rules', {
  /** `al` + the creation time in ms + random letters, as Cloud Eye makes them. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  metric: text('metric', { mode: 'json' }).$type<{ namespace: string; metric_name: string; dimensions: Dimension[] }>().notNull(),
  condition: text('condition', { mode: 'json' })
    .$type<{
      period: number;
      filter: Statistic;
      comparison_operator: '>' | '>=' | '<' | '<=' | '=';
      value: number;
      unit: string;
      count: number;
      suppress_duration: number;
    }>()
    .notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  actionEnabled: integer('action_enabled', { mode: 'boolean' }).notNull(),
  /** 1 critical, 2 major, 3 minor, 4 informational. */
  level: integer('level').notNull(),
  alarmActions: text('alarm_actions', { mode: 'json' }).$type<AlarmActionRow[]>().notNull(),
  okActions: text('ok_actions', { mode: 'json' }).$type<AlarmActionRow[]>().notNull(),
  insufficientDataActions: text('insufficient_data_actions', { mode: 'json' }).$type<AlarmActionRow[]>().notNull(),
  state: text('state', { enum: ['ok', 'alarm', 'insufficient_data'] }).notNull(),
  /** Epoch ms of the last change of state, of the last evaluation, and of the last time its actions fired. */
  stateSince: integer('state_since').notNull(),
  lastEvaluatedAt: integer('last_evaluated_at'),
  lastActionAt: integer('last_action_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** What an alarm does in a state: notify SMN topics, or scale (the scaling policies bound to the alarm). */
export interface AlarmActionRow {
  type: 'notification' | 'autoscaling';
  notificationList: string[];
}

/** A rule's changes of state, with the datapoints that decided each. */
export const alarmHistory = sqliteTable(
  'alarm_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    alarmId: text('alarm_id').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    at: integer('at').notNull(),
    reason: text('reason').notNull(),
    datapoints: text('datapoints', { mode: 'json' }).$type<{ timestamp: number; value: number }[]>().notNull(),
  },
  (t) => [index('alarm_history_alarm').on(t.alarmId, t.at)],
);

export type AlarmRule = typeof alarmRules.$inferSelect;

/**
 * State of a project's CesDO (Cloud Eye): its metric series, their raw points and rollups, and later its alarm
 * rules. Raw points and rollups expire by Cloud Eye's retention (durable/ces/retention.ts).
 */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Dimension } from '../core/ces/metrics.ts';

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

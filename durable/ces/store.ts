/**
 * A project's metric store inside its CesDO: points in, each written once (a point of a series at a time it already
 * has is left as it was, so a redelivered report counts once), rolled up as it arrives into Cloud Eye's periods, and
 * read back as Cloud Eye answers: raw points for period 1, a rollup's statistic for the others.
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { type MetricPoint, markerOf, ROLLUP_PERIODS, type Statistic, seriesKey } from '../../core/ces/metrics.ts';
import { points, type Rollup, rollups, type Series, series } from '../../schema/ces.ts';
import type { OpContext } from '../lib/sqlite-object.ts';

/** How long each of Cloud Eye's rollup periods (seconds) is kept, in ms. */
export const ROLLUP_RETENTION_MS: Record<(typeof ROLLUP_PERIODS)[number], number> = {
  300: 10 * 86_400_000,
  1200: 20 * 86_400_000,
  3600: 155 * 86_400_000,
  14400: 300 * 86_400_000,
  86400: 5 * 365 * 86_400_000,
};
/** Raw data is kept two days unless a custom point asks for less. */
export const RAW_RETENTION_MS = 2 * 86_400_000;

/** The series of a point, made on its first point. */
function seriesOf(ctx: OpContext, p: MetricPoint, known: Map<string, Series>): Series {
  const key = seriesKey(p);
  const cached = known.get(key);
  if (cached) return cached;
  const row =
    ctx.db.select().from(series).where(eq(series.key, key)).get() ??
    ctx.db
      .insert(series)
      .values({
        key,
        namespace: p.namespace,
        metricName: p.metric_name,
        dimensions: p.dimensions,
        unit: p.unit,
        type: p.type,
        lastAt: p.collect_time,
      })
      .returning()
      .get();
  known.set(key, row);
  return row;
}

/** A rollup bucket's aggregates from one batch, added to the stored ones in one statement. */
interface Bucket {
  seriesId: number;
  period: number;
  start: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  sumSquares: number;
}

/**
 * Writes points (each once) and their rollups; the number of points that were new. The hot path of Cloud Eye's
 * intake, so it is written in SQL directly: one insert per point, and the batch's points summed in memory per
 * rollup bucket first, so that a bucket is written once per batch rather than once per point.
 */
export function ingest(ctx: OpContext, sqlite: SqlStorage, batch: MetricPoint[]): number {
  const known = new Map<string, Series>();
  const newest = new Map<number, number>();
  const buckets = new Map<string, Bucket>();
  let added = 0;
  for (const p of batch) {
    const s = seriesOf(ctx, p, known);
    const ttl = p.ttl !== undefined ? Math.min(p.ttl * 1000, RAW_RETENTION_MS) : RAW_RETENTION_MS;
    const inserted = sqlite
      .exec(
        'INSERT INTO points (series_id, at, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING at',
        s.id,
        p.collect_time,
        p.value,
        p.collect_time + ttl,
      )
      .toArray();
    if (inserted.length === 0) continue;
    added++;
    newest.set(s.id, Math.max(newest.get(s.id) ?? 0, p.collect_time));
    for (const period of ROLLUP_PERIODS) addTo(buckets, s.id, period, p.collect_time, p.value);
  }
  for (const b of buckets.values()) {
    sqlite.exec(
      `INSERT INTO rollups (series_id, period, start, count, sum, min, max, sum_squares) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, period, start) DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
       min = min(min, excluded.min), max = max(max, excluded.max), sum_squares = sum_squares + excluded.sum_squares`,
      b.seriesId,
      b.period,
      b.start,
      b.count,
      b.sum,
      b.min,
      b.max,
      b.sumSquares,
    );
  }
  for (const [id, at] of newest) sqlite.exec('UPDATE series SET last_at = max(last_at, ?) WHERE id = ?', at, id);
  return added;
}

function addTo(buckets: Map<string, Bucket>, seriesId: number, period: number, at: number, value: number): void {
  const start = at - (at % (period * 1000));
  const key = `${seriesId}/${period}/${start}`;
  const b = buckets.get(key);
  if (!b) {
    buckets.set(key, { seriesId, period, start, count: 1, sum: value, min: value, max: value, sumSquares: value * value });
    return;
  }
  b.count++;
  b.sum += value;
  b.min = Math.min(b.min, value);
  b.max = Math.max(b.max, value);
  b.sumSquares += value * value;
}

/** A rollup's statistic, as Cloud Eye rounds it: integers to whole numbers ((1 + 4) / 2 is 2), decimals cut after the second place. */
export function statisticOf(
  r: Pick<Rollup, 'count' | 'sum' | 'min' | 'max' | 'sumSquares'>,
  stat: Statistic,
  type: 'int' | 'float',
): number {
  const mean = r.sum / r.count;
  const raw = {
    average: mean,
    max: r.max,
    min: r.min,
    sum: r.sum,
    variance: Math.max(0, r.sumSquares / r.count - mean * mean),
  }[stat];
  return type === 'int' ? Math.trunc(raw) : Math.trunc(Number((raw * 100).toFixed(6))) / 100;
}

export interface DataQuery {
  key: string;
  from: number;
  to: number;
  /** 1 (raw) or a rollup period in seconds. */
  period: number;
  filter: Statistic;
}

export interface Datapoint {
  timestamp: number;
  value: number;
}

/** The series a query names, or null when it has never been reported. */
export function findSeries(ctx: OpContext, key: string): Series | null {
  return ctx.db.select().from(series).where(eq(series.key, key)).get() ?? null;
}

/** The datapoints of one series over [from, to]: raw points, or the rollups that overlap the range. */
export function datapoints(ctx: OpContext, s: Series, q: DataQuery): Datapoint[] {
  if (q.period === 1) {
    return ctx.db
      .select({ timestamp: points.at, value: points.value })
      .from(points)
      .where(and(eq(points.seriesId, s.id), gte(points.at, q.from), lte(points.at, q.to)))
      .orderBy(asc(points.at))
      .all();
  }
  const length = q.period * 1000;
  return ctx.db
    .select()
    .from(rollups)
    .where(and(eq(rollups.seriesId, s.id), eq(rollups.period, q.period), gte(rollups.start, q.from - length + 1), lte(rollups.start, q.to)))
    .orderBy(asc(rollups.start))
    .all()
    .map((r) => ({ timestamp: r.start, value: statisticOf(r, q.filter, s.type) }));
}

/** Drops what Cloud Eye no longer keeps: expired raw points, rollups past their period's retention. */
export function sweep(ctx: OpContext, now: number): void {
  ctx.db.delete(points).where(lte(points.expiresAt, now)).run();
  for (const period of ROLLUP_PERIODS) {
    ctx.db
      .delete(rollups)
      .where(and(eq(rollups.period, period), lte(rollups.start, now - ROLLUP_RETENTION_MS[period]!)))
      .run();
  }
}

export interface SeriesFilter {
  namespace?: string;
  metricName?: string;
  /** Each must be among the series' dimensions. */
  dimensions: { name: string; value: string }[];
  /** The marker (core/ces/metrics.ts markerOf) of the last metric of the previous page. */
  marker?: string;
  limit: number;
  order: 'asc' | 'desc';
}

/** A metric that has not been reported for an hour leaves the list (its data stays readable until it expires). */
export const LISTED_FOR_MS = 3_600_000;

/** The series reported within the last hour that match, a page of them, and how many match in all. */
export function listSeries(ctx: OpContext, f: SeriesFilter, now: number): { page: Series[]; total: number } {
  const conditions = [gte(series.lastAt, now - LISTED_FOR_MS)];
  if (f.namespace) conditions.push(eq(series.namespace, f.namespace));
  if (f.metricName) conditions.push(eq(series.metricName, f.metricName));
  const matching = ctx.db
    .select()
    .from(series)
    .where(and(...conditions))
    .orderBy(asc(series.key))
    .all()
    .filter((s) => f.dimensions.every((d) => s.dimensions.some((x) => x.name === d.name && x.value === d.value)));
  const ordered = f.order === 'desc' ? matching.reverse() : matching;
  const after = f.marker ? ordered.findIndex((s) => markerOf(s) === f.marker) + 1 : 0;
  return { page: ordered.slice(after, after + f.limit), total: matching.length };
}

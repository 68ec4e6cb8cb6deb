/**
 * Cloud Eye's metric routes (`/ces/V1.0/{project_id}`): the metrics a project reports, their data (raw or rolled up,
 * one metric or a batch), and custom metrics reported by the tenant. Every query is checked here; the project's
 * CesDO answers it.
 */
import { z } from 'zod';
import { type Dimension, isSystemNamespace, type MetricPoint, markerOf, PERIODS, STATISTICS, seriesKey } from '../../core/ces/metrics.ts';
import type { Series } from '../../schema/ces.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { ApiError, badRequest } from '../lib/errors.ts';
import { projectScope, unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { cesRouter } from './errors.ts';

/** The project's Cloud Eye store (taken before a request is read: another project's caller is refused first). */
export const cesOf = (c: AppContext) => c.env.CES.getByName(projectScope(c).projectId);

/** Query periods are text in the query, and in the batch body too (`"period": "300"`). */
const periodText = z.enum(PERIODS.map(String) as [string, ...string[]]);

export const namespace = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}\.[A-Za-z0-9_]{1,32}$/, 'a namespace is service.item (letters, digits, _)');
export const metricName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a metric name is 1 to 64 letters, digits or _');
const dimName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'a dimension name is 1 to 32 letters, digits, _ or -');
const dimValue = z.string().regex(/^[A-Za-z0-9_.:/-]{1,256}$/, 'a dimension value is 1 to 256 letters, digits or _ . : / -');
export const dimension = z.object({ name: dimName, value: dimValue }).strict();

/** A query's `dim.N=name,value`. */
const dimParam = z
  .string()
  .transform((raw, ctx) => {
    const at = raw.indexOf(',');
    const parsed = dimension.safeParse({ name: raw.slice(0, at), value: raw.slice(at + 1) });
    if (at < 0 || !parsed.success) {
      ctx.addIssue({ code: 'custom', message: `${raw} is not name,value` });
      return z.NEVER;
    }
    return parsed.data;
  })
  .optional();

const dimsOf = (q: { 'dim.0'?: Dimension; 'dim.1'?: Dimension; 'dim.2'?: Dimension }) =>
  [q['dim.0'], q['dim.1'], q['dim.2']].filter((d): d is Dimension => d !== undefined);

const epochMs = z.coerce.number().int().min(0);

const dataQuery = z
  .object({
    namespace,
    metric_name: metricName,
    'dim.0': dimParam,
    'dim.1': dimParam,
    'dim.2': dimParam,
    from: epochMs,
    to: epochMs,
    period: periodText,
    filter: z.enum(STATISTICS),
  })
  .refine((q) => q.from < q.to, 'from must be before to')
  .refine((q) => q['dim.0'] !== undefined, 'dim.0 is required');

const listQuery = z.object({
  namespace: namespace.optional(),
  metric_name: metricName.optional(),
  'dim.0': dimParam,
  'dim.1': dimParam,
  'dim.2': dimParam,
  start: z.string().max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const batchBody = z
  .object({
    metrics: z
      .array(z.object({ namespace, metric_name: metricName, dimensions: z.array(dimension).min(1).max(3) }).strict())
      .min(1)
      .max(10),
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    period: periodText,
    filter: z.enum(STATISTICS),
  })
  .strict()
  .refine((b) => b.from < b.to, 'from must be before to');

/** How far from now a custom point may be: no older than the raw data Cloud Eye keeps, at most 10 minutes ahead. */
const OLDEST_MS = 2 * 86_400_000;
const AHEAD_MS = 10 * 60_000;

const customPoint = z
  .object({
    metric: z.object({ namespace, metric_name: metricName, dimensions: z.array(dimension).min(1).max(3) }).strict(),
    ttl: z.number().int().min(1).max(604_800),
    collect_time: z.number().int().min(0),
    value: z.number().finite(),
    unit: z.string().max(32).optional(),
    type: z.enum(['int', 'float']).optional(),
  })
  .strict();
const customBody = z.array(customPoint).min(1).max(10_000);

const metricView = (s: Series) => ({ namespace: s.namespace, metric_name: s.metricName, unit: s.unit, dimensions: s.dimensions });

export const metricRoutes = cesRouter();

metricRoutes.get('/metrics', act('ces:metrics:list'), async (c) => {
  const store = cesOf(c);
  const q = query(c, listQuery);
  const r = unwrap(
    await store.metrics({
      namespace: q.namespace,
      metricName: q.metric_name,
      dimensions: dimsOf(q),
      marker: q.start,
      limit: q.limit,
      order: q.order,
    }),
  );
  const last = r.page[r.page.length - 1];
  return c.json({
    metrics: r.page.map(metricView),
    meta_data: { count: r.page.length, marker: last ? markerOf(last) : '', total: r.total },
  });
});

metricRoutes.get('/metric-data', act('ces:metricData:list'), async (c) => {
  const store = cesOf(c);
  const q = query(c, dataQuery);
  const dimensions = dimsOf(q);
  const [answer] = unwrap(
    await store.metricData([
      {
        key: seriesKey({ namespace: q.namespace, metric_name: q.metric_name, dimensions }),
        from: q.from,
        to: q.to,
        period: Number(q.period),
        filter: q.filter,
      },
    ]),
  );
  const unit = answer?.series?.unit ?? '';
  return c.json({
    datapoints: (answer?.datapoints ?? []).map((d) => ({ [q.filter]: d.value, timestamp: d.timestamp, unit })),
    metric_name: q.metric_name,
  });
});

metricRoutes.post('/batch-query-metric-data', act('ces:metricData:list'), async (c) => {
  const store = cesOf(c);
  const b = await jsonBody(c, batchBody);
  const answers = unwrap(
    await store.metricData(
      b.metrics.map((m) => ({ key: seriesKey(m), from: b.from, to: b.to, period: Number(b.period), filter: b.filter })),
    ),
  );
  return c.json({
    metrics: b.metrics.map((m, i) => ({
      namespace: m.namespace,
      metric_name: m.metric_name,
      dimensions: m.dimensions,
      datapoints: (answers[i]?.datapoints ?? []).map((d) => ({ [b.filter]: d.value, timestamp: d.timestamp })),
      unit: answers[i]?.series?.unit ?? '',
    })),
  });
});

metricRoutes.post('/metric-data', act('ces:metricData:create'), async (c) => {
  const store = cesOf(c);
  const body = await jsonBody(c, customBody);
  const now = Date.now();
  const points: MetricPoint[] = body.map((p, i) => {
    if (isSystemNamespace(p.metric.namespace)) throw new ApiError(403, 'Adding SYS metric is not allowed', 'ces.0009');
    if (p.collect_time < now - OLDEST_MS || p.collect_time > now + AHEAD_MS)
      throw badRequest(`Invalid input for field '${i}.collect_time': it must be within the last two days and at most 10 minutes ahead.`);
    return {
      namespace: p.metric.namespace,
      metric_name: p.metric.metric_name,
      dimensions: p.metric.dimensions,
      unit: p.unit ?? '',
      type: p.type ?? (Number.isInteger(p.value) ? 'int' : 'float'),
      value: p.value,
      collect_time: p.collect_time,
      ttl: p.ttl,
    };
  });
  unwrap(await store.ingest(points));
  return c.body(null, 201);
});

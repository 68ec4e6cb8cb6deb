/**
 * The Console's Cloud Eye section, mounted at `/console/ces`: the metrics the project reports, any one of them charted
 * over a chosen window (raw points or a rollup, by a statistic), the alarm rules with their states, and the workload
 * each simulated server runs (web/console/ces/workloads.page.tsx). Each route is
 * guarded by the action of its API route and reads the project's CesDO, as the API does.
 */
import { z } from 'zod';
import { markerOf, STATISTICS, seriesKey } from '../../../core/ces/metrics.ts';
import type { Series } from '../../../schema/ces.ts';
import { act } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { unwrap } from '../../../workers/lib/tenant.ts';
import { check, query } from '../../../workers/lib/validate.ts';
import { ConsolePage, consoleRouter, done, Empty, form, Status, Table, Tabs } from '../kit.tsx';
import { MetricChart } from './metric-chart.tsx';
import { renderWorkloads, submitWorkload, workloadForm } from './workloads.page.tsx';

export const cesConsole = consoleRouter();

const store = (c: AppContext) => c.env.CES.getByName(callerOf(c).projectId);

/** The windows a chart offers, and the period that suits each (raw for the short ones, as Cloud Eye's console does). */
const WINDOWS = {
  '1h': { ms: 3_600_000, period: 1, label: 'Last hour' },
  '6h': { ms: 6 * 3_600_000, period: 300, label: 'Last 6 hours' },
  '1d': { ms: 86_400_000, period: 1200, label: 'Last day' },
  '7d': { ms: 7 * 86_400_000, period: 3600, label: 'Last 7 days' },
} as const;
type Window = keyof typeof WINDOWS;

const dimsText = (s: Pick<Series, 'dimensions'>) => s.dimensions.map((d) => `${d.name}=${d.value}`).join(', ');

/** The link to a metric's chart. */
function chartHref(s: Pick<Series, 'namespace' | 'metricName' | 'dimensions'>, window: Window = '1h', filter = 'average') {
  const q = new URLSearchParams({ namespace: s.namespace, metric_name: s.metricName, window, filter });
  for (const d of s.dimensions) q.append('dim', `${d.name},${d.value}`);
  return `/console/ces/metrics/chart?${q}`;
}

function SectionTabs({ current }: { current: 'metrics' | 'alarms' | 'workloads' }) {
  return (
    <Tabs
      label="Cloud Eye"
      current={current}
      tabs={[
        { key: 'metrics', href: '/console/ces/metrics', label: 'Metrics' },
        { key: 'alarms', href: '/console/ces/alarms', label: 'Alarm rules' },
        { key: 'workloads', href: '/console/ces/workloads', label: 'Workloads' },
      ]}
    />
  );
}

cesConsole.get('/', act('ces:metrics:list'), (c) => c.redirect('/console/ces/metrics', 303));

cesConsole.get('/metrics', act('ces:metrics:list'), async (c) => {
  const { page } = unwrap(await store(c).metrics({ dimensions: [], limit: 1000, order: 'asc' }));
  const head = ['Namespace', 'Metric', 'Dimensions', 'Unit'];
  return c.html(
    <ConsolePage c={c} title="Cloud Eye metrics" section="ces">
      <h1>Cloud Eye</h1>
      <SectionTabs current="metrics" />
      <Table caption="Metrics reported in the last hour" head={head}>
        <tbody>
          {page.length === 0 ? (
            <Empty cols={head.length}>No metrics reported in the last hour.</Empty>
          ) : (
            page.map((s) => (
              <tr data-metric={markerOf(s)}>
                <td>{s.namespace}</td>
                <td>
                  <a href={chartHref(s)}>{s.metricName}</a>
                </td>
                <td>{dimsText(s)}</td>
                <td>{s.unit}</td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
    </ConsolePage>,
  );
});

const dim = z.string().regex(/^[A-Za-z][\w-]{0,31},[\w.:/-]{1,256}$/, 'a dimension is name,value');
const chartQuery = z.object({
  namespace: z.string().min(1).max(64),
  metric_name: z.string().min(1).max(64),
  window: z.enum(Object.keys(WINDOWS) as [Window, ...Window[]]).default('1h'),
  filter: z.enum(STATISTICS).default('average'),
});

cesConsole.get('/metrics/chart', act('ces:metricData:list'), async (c) => {
  const q = query(c, chartQuery);
  const dimensions = c.req.queries('dim')?.map((raw) => {
    const parsed = check(dim, raw);
    const at = parsed.indexOf(',');
    return { name: parsed.slice(0, at), value: parsed.slice(at + 1) };
  });
  const s = { namespace: q.namespace, metricName: q.metric_name, dimensions: dimensions ?? [] };
  const w = WINDOWS[q.window];
  const to = Date.now();
  const from = to - w.ms;
  const [answer] = unwrap(
    await store(c).metricData([
      {
        key: seriesKey({ namespace: s.namespace, metric_name: s.metricName, dimensions: s.dimensions }),
        from,
        to,
        period: w.period,
        filter: q.filter,
      },
    ]),
  );
  const title = `${q.metric_name} of ${dimsText(s) || q.namespace}, ${q.filter} ${w.period === 1 ? 'of raw data' : `per ${w.period / 60} min`}`;
  return c.html(
    <ConsolePage c={c} title={`${q.metric_name} — Cloud Eye`} section="ces">
      <h1>{q.metric_name}</h1>
      <SectionTabs current="metrics" />
      <p>
        {q.namespace} · {dimsText(s)}
      </p>
      <nav aria-label="Window">
        <ul class="tabs">
          {(Object.keys(WINDOWS) as Window[]).map((k) => (
            <li>
              <a href={chartHref(s, k, q.filter)} aria-current={k === q.window ? 'page' : undefined}>
                {WINDOWS[k].label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <MetricChart series={{ title, unit: answer?.series?.unit ?? '', from, to, points: answer?.datapoints ?? [] }} />
    </ConsolePage>,
  );
});

cesConsole.get('/alarms', act('ces:alarms:list'), async (c) => {
  const { page } = unwrap(await store(c).alarmRules(undefined, 100, 'asc'));
  const head = ['Name', 'State', 'Metric', 'Condition', 'Enabled'];
  return c.html(
    <ConsolePage c={c} title="Cloud Eye alarm rules" section="ces">
      <h1>Cloud Eye</h1>
      <SectionTabs current="alarms" />
      <Table caption="Alarm rules" head={head}>
        <tbody>
          {page.length === 0 ? (
            <Empty cols={head.length}>No alarm rules yet.</Empty>
          ) : (
            page.map((r) => {
              const k = r.condition;
              const metric = { namespace: r.metric.namespace, metricName: r.metric.metric_name, dimensions: r.metric.dimensions };
              return (
                <tr data-alarm={r.id}>
                  <td>{r.name}</td>
                  <td>
                    <Status value={r.state === 'alarm' ? 'ALARM' : r.state === 'ok' ? 'OK' : 'INSUFFICIENT_DATA'} />
                  </td>
                  <td>
                    <a href={chartHref(metric, '1h', k.filter)}>{`${r.metric.namespace} ${r.metric.metric_name}`}</a>
                  </td>
                  <td>{`${k.filter} over ${k.period} s ${k.comparison_operator} ${k.value} ${k.unit}, ${k.count} period${k.count > 1 ? 's' : ''}`}</td>
                  <td>{r.enabled ? 'yes' : 'no'}</td>
                </tr>
              );
            })
          )}
        </tbody>
      </Table>
    </ConsolePage>,
  );
});

cesConsole.get('/workloads', act('ces:loadProfiles:get'), (c) => renderWorkloads(c, <SectionTabs current="workloads" />));

cesConsole.post(
  '/workloads',
  act('ces:loadProfiles:put'),
  form(
    workloadForm,
    async (c, v) => {
      await submitWorkload(c, v);
      return done(c, '/console/ces/workloads', 'The workload is set: the next samples follow it.');
    },
    (c, failure) => renderWorkloads(c, <SectionTabs current="workloads" />, failure),
  ),
);

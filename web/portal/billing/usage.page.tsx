/**
 * The usage explorer: a GET form (a window of days, what to group by), a bar chart per meter of the window by
 * day, the same figures in a table in unit-hours, and the CSV of the question as the billing API writes it.
 */
import type { Hono } from 'hono';
import type { Meter } from '../../../core/usage.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { type Dimension, type UsageLine, usageCsv, usageOf } from '../../../workers/bss/usecases/usage.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { badRequest } from '../../../workers/lib/errors.ts';
import { Empty, Table } from '../../console/kit.tsx';
import { BILLING, billingPage } from './shell.tsx';
import { type MeterSeries, UsageChart } from './usage-chart.tsx';
import { displayText, displayUnit } from './usage-figures.ts';
import { daysOf, GROUPS, type QueryRefusal, queryString, type UsageQuery, usageQuery } from './usage-query.ts';

/** Registers the explorer and its CSV under the billing router. */
export function usageRoutes(r: Hono<AppEnv>): void {
  r.get('/usage', act('bss:usage:list'), async (c) => {
    const { query, refusal } = usageQuery(c);
    if (refusal) {
      c.status(400);
      return explorer(c, query, [], refusal);
    }
    // One reading for chart and table: by day always (the chart's), summed again for the table's grouping.
    const lines = await usageOf(identityOf(c), query.from, query.to, [...new Set<Dimension>([...query.by, 'day'])]);
    return explorer(c, query, lines);
  });

  r.get('/usage.csv', act('bss:usage:list'), async (c) => {
    const { query, refusal } = usageQuery(c);
    if (refusal) throw badRequest(refusal.message);
    const lines = await usageOf(identityOf(c), query.from, query.to, query.by);
    return c.body(usageCsv(lines, query.by), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="usage-${query.from.toISOString().slice(0, 10)}.csv"`,
    });
  });
}

function explorer(c: AppContext, q: UsageQuery, byDay: UsageLine[], refusal?: QueryRefusal) {
  const lines = regroup(byDay, q.by);
  return billingPage(
    c,
    'usage',
    'Usage',
    <>
      <QueryForm q={q} refusal={refusal} />
      {!refusal && (
        <>
          <p>
            <a href={`${BILLING}/usage.csv?${queryString(q)}`} download>
              Download CSV
            </a>
          </p>
          <section aria-label="Usage by day">
            <h2>By day</h2>
            {chartSeries(byDay, daysOf(q)).map((s) => (
              <UsageChart series={s} />
            ))}
          </section>
          <UsageTable lines={lines} by={q.by} />
        </>
      )}
    </>,
  );
}

function QueryForm({ q, refusal }: { q: UsageQuery; refusal?: QueryRefusal | undefined }) {
  const error = (field: QueryRefusal['field']) =>
    refusal?.field === field && (
      <p class="error" id={`${field}-error`} role="alert">
        {refusal.message}
      </p>
    );
  const aria = (field: QueryRefusal['field']) =>
    refusal?.field === field ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-error` } : {};
  return (
    <form method="get" action={`${BILLING}/usage`} class="stack" aria-label="Usage to show">
      <div>
        <label for="from">First day (UTC)</label>
        <input id="from" name="from" type="date" value={q.fromDay} required {...aria('from')} />
        {error('from')}
      </div>
      <div>
        <label for="to">Last day (UTC)</label>
        <input id="to" name="to" type="date" value={q.toDay} required {...aria('to')} />
        {error('to')}
      </div>
      <fieldset {...aria('group_by')}>
        <legend>Group by</legend>
        {GROUPS.map((g) => (
          <div>
            <input type="checkbox" id={`group-by-${g}`} name="group_by" value={g} checked={q.by.includes(g)} />{' '}
            <label for={`group-by-${g}`}>{g}</label>
          </div>
        ))}
        {error('group_by')}
      </fieldset>
      <div>
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

function UsageTable({ lines, by }: { lines: UsageLine[]; by: Dimension[] }) {
  const dims = GROUPS.filter((g) => g !== 'service' && by.includes(g));
  const head = ['Meter', 'Service', ...dims.map((d) => d[0]!.toUpperCase() + d.slice(1)), 'Quantity', 'Unit'];
  return (
    <Table caption="Usage in the window" head={head}>
      <tbody>
        {lines.length === 0 && <Empty cols={head.length}>No usage in this window.</Empty>}
        {lines.map((l) => (
          <tr>
            <th scope="row">{l.meter}</th>
            <td>{l.service}</td>
            {dims.map((d) => (
              <td>{d === 'resource' ? <code>{l.resourceId}</code> : d === 'region' ? l.region : l.day}</td>
            ))}
            <td>{displayText(l.meter, l.quantity)}</td>
            <td>{displayUnit(l.meter)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Lines read by day (and more) summed again along the dimensions asked, in the API's order. */
export function regroup(lines: readonly UsageLine[], by: readonly Dimension[]): UsageLine[] {
  const sums = new Map<string, UsageLine>();
  for (const l of lines) {
    const line: UsageLine = { meter: l.meter, service: l.service, quantity: 0, unit: l.unit };
    if (by.includes('region')) line.region = l.region;
    if (by.includes('resource')) Object.assign(line, { resourceId: l.resourceId, attributes: l.attributes });
    if (by.includes('day')) line.day = l.day;
    const key = JSON.stringify(line);
    const sum = sums.get(key) ?? line;
    sum.quantity += l.quantity;
    sums.set(key, sum);
  }
  return [...sums.values()].sort((a, b) => (a.day ?? '').localeCompare(b.day ?? '') || a.meter.localeCompare(b.meter));
}

/** Each meter used in the window, with every day of it (0 where none). */
export function chartSeries(lines: readonly UsageLine[], days: readonly string[]): MeterSeries[] {
  const byMeter = new Map<Meter, Map<string, number>>();
  for (const l of lines) {
    const perDay = byMeter.get(l.meter) ?? new Map<string, number>();
    perDay.set(l.day!, (perDay.get(l.day!) ?? 0) + l.quantity);
    byMeter.set(l.meter, perDay);
  }
  return [...byMeter.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([meter, perDay]) => ({ meter, days: days.map((day) => ({ day, quantity: perDay.get(day) ?? 0 })) }));
}

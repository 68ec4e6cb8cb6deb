/**
 * The usage explorer's question, read from its GET form (or the CSV link, which carries the same query): a
 * window of whole UTC days, this month so far by default, never past now (a held meter would count the future),
 * at most 92 days as the API allows, and the dimensions to group by.
 */
import type { Dimension } from '../../../workers/bss/usecases/usage.ts';
import type { AppContext } from '../../../workers/lib/app.ts';

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The dimensions the explorer offers (the API's `hour` is for scripts, too fine for a page). */
export const GROUPS = ['service', 'region', 'resource', 'day'] as const satisfies readonly Dimension[];

export interface UsageQuery {
  /** The form's dates as typed (or their defaults). */
  fromDay: string;
  toDay: string;
  by: Dimension[];
  /** The window: [from, to), `to` at most now. */
  from: Date;
  to: Date;
}

/** Why a question cannot be answered, and the field it is about. */
export interface QueryRefusal {
  field: 'from' | 'to' | 'group_by';
  message: string;
}

/** Reads the explorer's query; answers the question or what is wrong with it (with the defaults filled in). */
export function usageQuery(c: AppContext, now = new Date()): { query: UsageQuery; refusal?: QueryRefusal } {
  const today = now.toISOString().slice(0, 10);
  const fromDay = c.req.query('from') || `${today.slice(0, 7)}-01`;
  const toDay = c.req.query('to') || today;
  const asked = c.req.queries('group_by') ?? [];
  const by = GROUPS.filter((g) => asked.includes(g));
  const from = new Date(DATE.test(fromDay) ? Date.parse(`${fromDay}T00:00:00Z`) : Number.NaN);
  const end = DATE.test(toDay) ? Date.parse(`${toDay}T00:00:00Z`) + DAY_MS : Number.NaN;
  const to = new Date(Math.min(end, now.getTime()));
  const query = { fromDay, toDay, by: by.length ? by : ['service' as const], from, to };
  const refusal = refusalOf(query, asked, end);
  return refusal ? { query, refusal } : { query };
}

function refusalOf(q: UsageQuery, asked: string[], end: number): QueryRefusal | undefined {
  if (Number.isNaN(q.from.getTime())) return { field: 'from', message: 'Enter the first day as a date (YYYY-MM-DD).' };
  if (Number.isNaN(end)) return { field: 'to', message: 'Enter the last day as a date (YYYY-MM-DD).' };
  if (asked.some((g) => !(GROUPS as readonly string[]).includes(g)))
    return { field: 'group_by', message: `Group by ${GROUPS.join(', ')}.` };
  if (q.from >= q.to) return { field: 'to', message: 'The last day is on or after the first, and the first is not in the future.' };
  if (q.to.getTime() - q.from.getTime() > 92 * DAY_MS) return { field: 'to', message: 'A window is at most 92 days.' };
  return undefined;
}

/** Every day (`YYYY-MM-DD`) the window touches, in order. */
export function daysOf(q: UsageQuery): string[] {
  const days: string[] = [];
  for (let t = q.from.getTime(); t < q.to.getTime(); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The query string of a question, for the CSV link (the same fields as the form). */
export function queryString(q: UsageQuery): string {
  const params = new URLSearchParams({ from: q.fromDay, to: q.toDay });
  for (const g of q.by) params.append('group_by', g);
  return params.toString();
}

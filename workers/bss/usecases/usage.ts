/**
 * An account's usage: its projects' outboxes taken into the ledger first (so a figure is never behind what the
 * resources did), then the window's whole finished hours read from the hourly rollup where it is exact for them
 * (rolled up once from the ledger where it is not), the hour in progress and any cut hour from the ledger, and
 * all of it summed along the dimensions asked.
 */
import type { Env } from '../../../core/env.ts';
import { METERS, type Meter } from '../../../core/usage.ts';
import { directory } from '../../directory/client.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { splitWindow, storedHours } from '../hourly.ts';
import { ledgerRows, rollUp, takeAll } from '../ledger.ts';
import type { HourRow } from '../rollup.ts';

/** The dimensions usage can be summed along (the meter is always one: units do not add across meters). */
export const DIMENSIONS = ['service', 'region', 'resource', 'day', 'hour'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface UsageLine {
  meter: Meter;
  service: string;
  region?: string;
  resourceId?: string;
  day?: string;
  hour?: string;
  attributes?: string;
  /** In the meter's base unit, x seconds for a held meter: exact. */
  quantity: number;
  /** What `quantity` counts: `GB-second`, `server-second`, `byte`. */
  unit: string;
}

/** The usage of the caller's account in [from, to), summed by `by`. */
export async function usageOf(caller: IdentityCaller, from: Date, to: Date, by: readonly Dimension[]): Promise<UsageLine[]> {
  const domainId = caller.principal.domainId;
  await takeAll(caller.env, domainId);
  const rows = await usageRows(caller.env, domainId, from, to);
  const lines = new Map<string, UsageLine>();
  for (const r of rows) {
    const spec = METERS[r.meter];
    const line: UsageLine = {
      meter: r.meter,
      service: r.meter.split('.')[0]!,
      quantity: 0,
      unit: spec.kind === 'held' ? `${spec.unit}-second` : spec.unit,
    };
    if (by.includes('region')) line.region = r.regionId;
    if (by.includes('resource')) {
      line.resourceId = r.resourceId;
      line.attributes = r.attributes;
    }
    if (by.includes('day')) line.day = r.hour.slice(0, 10);
    if (by.includes('hour')) line.hour = `${r.hour}:00:00Z`;
    const key = JSON.stringify(line);
    const sum = lines.get(key) ?? line;
    sum.quantity += r.quantity;
    lines.set(key, sum);
  }
  return [...lines.values()].sort((a, b) => (a.hour ?? a.day ?? '').localeCompare(b.hour ?? b.day ?? '') || a.meter.localeCompare(b.meter));
}

/** The account's hourly rows of [from, to): stored where exact, else from the ledger (whole hours then stored). */
export async function usageRows(env: Env, domainId: string, from: Date, to: Date, now = new Date()): Promise<HourRow[]> {
  const { whole, edges } = splitWindow(from, to, now);
  const rows: HourRow[] = [];
  if (whole) {
    const db = await directory(env);
    rows.push(...((await storedHours(db, domainId, ...whole)) ?? (await rollUp(env, domainId, ...whole, now))));
  }
  for (const [f, t] of edges) rows.push(...(await ledgerRows(env, domainId, f, t)));
  return rows;
}

/** Usage as CSV (RFC 4180: a field with a comma, quote or newline is quoted, quotes doubled) the same from the API and the Portal. */
export function usageCsv(lines: readonly UsageLine[], by: readonly Dimension[]): string {
  const cols = [
    'meter',
    'service',
    ...by.filter((d) => d !== 'service'),
    ...(by.includes('resource') ? ['attributes'] : []),
    'quantity',
    'unit',
  ];
  const key = (col: string) => (col === 'resource' ? 'resourceId' : col) as keyof UsageLine;
  const cell = (v: unknown) => {
    const s = v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[cols.join(','), ...lines.map((l) => cols.map((col) => cell(l[key(col)])).join(','))].join('\r\n')}\r\n`;
}

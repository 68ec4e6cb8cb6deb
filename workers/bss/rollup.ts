/**
 * The hourly rollup: the ledger's events turned into what each resource used within each hour, per meter and
 * per set of rating attributes. A held meter (core/usage.ts) contributes its base units x seconds, counted on
 * whole seconds (an event's time is taken to its second, the same way every time); a counted meter contributes
 * the sum of its events in the hour. Pure, so a rerun over the same ledger gives the same rows.
 */
import { METERS } from '../../core/usage.ts';
import type { LedgerEntry } from '../../schema/global.ts';

const HOUR_S = 3600;

/** One hour of one resource's use under one set of attributes. */
export interface HourRow {
  domainId: string;
  projectId: string;
  regionId: string;
  meter: LedgerEntry['meter'];
  resourceId: string;
  attributes: string;
  hour: string;
  quantity: number;
}

/** An event's time in whole seconds since the epoch. */
const secondOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const hourNames = new Map<number, string>();
/** The hour (`YYYY-MM-DDTHH`) a second falls in (names are kept: a month has 744 of them, asked for over and over). */
export function hourOf(second: number): string {
  const h = Math.floor(second / HOUR_S);
  let name = hourNames.get(h);
  if (name === undefined) {
    name = new Date(h * HOUR_S * 1000).toISOString().slice(0, 13);
    if (hourNames.size > 100_000) hourNames.clear();
    hourNames.set(h, name);
  }
  return name;
}

/** Attributes as canonical JSON (sorted keys), so equal attributes make one key. */
export function canonical(attributes: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * The rows for the seconds [from, to) of every resource in `events` (a held resource's events from its start,
 * including those before `from`, so that what it held when the window opens is known). Events are ordered by
 * time, then by id, so ties are broken the same way on every run.
 */
export function rollup(events: readonly LedgerEntry[], from: number, to: number): HourRow[] {
  const rows = new Map<string, Map<number, HourRow>>();
  const add = (e: LedgerEntry, attributes: string, start: number, end: number, perSecond: number) => {
    const key = `${e.projectId}\u0000${e.meter}\u0000${e.resourceId}\u0000${attributes}`;
    let hours = rows.get(key);
    if (!hours) {
      hours = new Map();
      rows.set(key, hours);
    }
    for (let s = Math.max(start, from); s < Math.min(end, to); ) {
      const hour = Math.floor(s / HOUR_S);
      const until = Math.min((hour + 1) * HOUR_S, end, to);
      let row = hours.get(hour);
      if (!row) {
        row = { ...pick(e), attributes, hour: hourOf(s), quantity: 0 };
        hours.set(hour, row);
      }
      row.quantity += perSecond * (until - s);
      s = until;
    }
  };
  for (const series of byResource(events)) {
    let held: { since: number; quantity: number; attributes: string; event: LedgerEntry } | undefined;
    for (const e of series) {
      const at = secondOf(e.at);
      if (METERS[e.meter].kind === 'count') {
        if (at >= from && at < to) add(e, canonical(e.attributes), at, at + 1, e.quantity);
        continue;
      }
      if (held) add(held.event, held.attributes, held.since, at, held.quantity);
      // A change without attributes keeps the ones the resource had (a resize names its new size only).
      const attributes = e.action === 'change' && !Object.keys(e.attributes).length && held ? held.attributes : canonical(e.attributes);
      held = e.action === 'stop' || e.quantity === 0 ? undefined : { since: at, quantity: e.quantity, attributes, event: e };
    }
    if (held) add(held.event, held.attributes, held.since, to, held.quantity);
  }
  return [...rows.values()].flatMap((hours) => [...hours.values()]).filter((r) => r.quantity !== 0);
}

function pick(e: LedgerEntry) {
  return { domainId: e.domainId, projectId: e.projectId, regionId: e.regionId, meter: e.meter, resourceId: e.resourceId };
}

/** The events of each resource and meter, in time order then id order. */
function byResource(events: readonly LedgerEntry[]): LedgerEntry[][] {
  const groups = new Map<string, LedgerEntry[]>();
  for (const e of events) {
    const key = `${e.projectId}\u0000${e.meter}\u0000${e.resourceId}`;
    const list = groups.get(key) ?? [];
    list.push(e);
    groups.set(key, list);
  }
  const order = (a: LedgerEntry, b: LedgerEntry) =>
    secondOf(a.at) - secondOf(b.at) || a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId);
  return [...groups.values()].map((list) => list.sort(order));
}

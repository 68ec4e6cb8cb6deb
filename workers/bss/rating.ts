/**
 * Rating: an account's hourly usage priced by the list in effect at each hour (so a price change mid-month
 * splits a resource's line at that hour). Which price line rates which meter is written down in `RATES`; usage
 * with no published price is not charged and is listed apart, never guessed at. Pure, so a rerun over the same
 * rollup and list gives the same lines to the cent.
 */
import { lineAmount, type Minor, type UnitPrice } from '../../core/money.ts';
import type { Meter } from '../../core/usage.ts';
import type { PriceRevision } from '../../schema/global.ts';
import type { PriceLineRow } from '../directory/prices.ts';
import { revisionAt } from './price-list.ts';
import type { HourRow } from './rollup.ts';

const HOUR_S = 3600n;
/** A month of storage is 730 hours, as the price list's GB-month is. */
const MONTH_S = 730n * HOUR_S;
const GIB = 2n ** 30n;

/** The price line a meter's usage is rated on: its service, product and billing mode, and base units per priced unit. */
interface Rate {
  service: string;
  product: string;
  per: bigint;
  label: string;
}

/** The rates of each meter, given a row's attributes; an empty list means the usage is free (clause 1.2.3.22 and the like). */
export const RATES: Record<Meter, (a: Record<string, string>) => Rate[]> = {
  'ecs.server': (a) => [
    { service: 'ecs', product: a.flavor ?? '', per: HOUR_S, label: `Server ${a.flavor}, pay per use` },
    // Clause 1.2.3.11: a chargeable OS costs extra for every hour its server runs.
    ...(a.licence ? [{ service: 'ims', product: a.licence, per: HOUR_S, label: `${a.licence} licence` }] : []),
  ],
  'evs.volume': (a) => [{ service: 'evs', product: a.volume_type ?? '', per: MONTH_S, label: `Volume ${a.volume_type}` }],
  'evs.snapshot': () => [{ service: 'evs', product: 'snapshot', per: MONTH_S, label: 'Volume snapshot' }],
  'vbs.backup': () => [{ service: 'vbs', product: 'backup', per: MONTH_S, label: 'Volume backup' }],
  'ims.image': () => [{ service: 'ims', product: 'private_image', per: MONTH_S * GIB, label: 'Private image storage' }],
  'vpc.eip': () => [{ service: 'eip', product: '5_bgp', per: HOUR_S, label: 'Elastic IP' }],
  // An EIP charged by traffic pays for the bytes it sends, not for its bandwidth.
  'vpc.bandwidth': (a) =>
    a.charge_mode === 'traffic' ? [] : [{ service: 'eip', product: 'bandwidth', per: HOUR_S, label: 'EIP bandwidth' }],
  // ... and one charged by bandwidth pays nothing for the bytes (they are metered all the same).
  'vpc.traffic': (a) =>
    a.charge_mode === 'bandwidth' ? [] : [{ service: 'eip', product: 'traffic', per: GIB, label: 'Outbound Internet traffic' }],
  'vpc.vpn': () => [{ service: 'vpc', product: 'vpn_connection', per: HOUR_S, label: 'VPN connection' }],
  'elb.loadbalancer': () => [{ service: 'elb', product: 'shared', per: HOUR_S, label: 'Shared load balancer' }],
  'obs.storage': (a) => [
    { service: 'obs', product: a.storage_class ?? 'STANDARD', per: MONTH_S * GIB, label: `OBS ${a.storage_class} storage` },
  ],
  'obs.requests': () => [{ service: 'obs', product: 'requests', per: 10_000n, label: 'OBS requests' }],
  'obs.egress': () => [{ service: 'obs', product: 'egress', per: GIB, label: 'OBS outbound data' }],
  'smn.notification': (a) => [
    { service: 'smn', product: a.protocol ?? 'http', per: 1_000_000n, label: `SMN notifications (${a.protocol})` },
  ],
};

/** One line of charges: a resource's usage under one revision of one price line. */
export interface ChargeLine {
  service: string;
  product: string;
  regionId: string;
  resourceId: string;
  meter: Meter;
  label: string;
  lineId: string;
  revisionId: string;
  unitPrice: UnitPrice;
  unit: string;
  /** Base units (x seconds for a held meter), and how many of them make one priced unit. */
  quantity: bigint;
  per: bigint;
  amount: Minor;
  fromHour: string;
  toHour: string;
}

/** Usage nothing in the list prices: shown on the invoice, not charged. */
export interface Unpriced {
  meter: Meter;
  service: string;
  product: string;
  regionId: string;
  resourceId: string;
  quantity: bigint;
}

/** The price book rating reads: lines and each line's revisions. */
export interface PriceBook {
  lines: readonly PriceLineRow[];
  history: ReadonlyMap<string, readonly PriceRevision[]>;
}

/**
 * Rates hourly rows. `covered` answers, for an `ecs.server` row, how many of its seconds a reservation covers
 * (clause 1.2.3.2: reserved usage is not charged per use); the rest is on demand.
 */
export function rate(rows: readonly HourRow[], book: PriceBook, covered: (row: HourRow) => number = () => 0) {
  const index = new Map(book.lines.map((l) => [`${l.service}|${l.product}|${l.regionId}|${l.billingMode}`, l]));
  const lines = new Map<string, ChargeLine>();
  const unpriced = new Map<string, Unpriced>();
  // A month has hundreds of rows per resource under one attribute set and one revision per line: both are memoised.
  const parsed = new Map<string, Record<string, string>>();
  const resolutions = new Map<string, { r: Rate; line: PriceLineRow | undefined }[]>();
  const revisions = new Map<string, PriceRevision | undefined>();
  const revisionFor = (lineId: string, hour: string) => {
    const key = `${lineId}|${hour}`;
    if (!revisions.has(key)) revisions.set(key, revisionAt(book.history.get(lineId) ?? [], `${hour}:00:00.000Z`));
    return revisions.get(key);
  };
  for (const row of [...rows].sort((a, b) =>
    a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0,
  )) {
    let attributes = parsed.get(row.attributes);
    if (!attributes) {
      attributes = JSON.parse(row.attributes) as Record<string, string>;
      parsed.set(row.attributes, attributes);
    }
    const onDemand = BigInt(row.quantity - (row.meter === 'ecs.server' ? covered(row) : 0));
    if (onDemand <= 0n) continue;
    const resolvedKey = `${row.meter}|${row.regionId}|${row.attributes}`;
    let resolved = resolutions.get(resolvedKey);
    if (!resolved) {
      resolved = RATES[row.meter](attributes).map((r) => ({ r, line: index.get(`${r.service}|${r.product}|${row.regionId}|on_demand`) }));
      resolutions.set(resolvedKey, resolved);
    }
    for (const { r, line } of resolved) {
      const revision = line && revisionFor(line.id, row.hour);
      if (!line || !revision) {
        const key = `${row.meter}|${r.product}|${row.regionId}|${row.resourceId}`;
        const u = unpriced.get(key) ?? {
          meter: row.meter,
          service: r.service,
          product: r.product,
          regionId: row.regionId,
          resourceId: row.resourceId,
          quantity: 0n,
        };
        u.quantity += onDemand;
        unpriced.set(key, u);
        continue;
      }
      const key = `${line.id}|${revision.id}|${row.resourceId}`;
      const c = lines.get(key) ?? {
        service: r.service,
        product: r.product,
        regionId: row.regionId,
        resourceId: row.resourceId,
        meter: row.meter,
        label: r.label,
        lineId: line.id,
        revisionId: revision.id,
        unitPrice: BigInt(revision.unitPrice),
        unit: line.unit,
        quantity: 0n,
        per: r.per,
        amount: 0,
        fromHour: row.hour,
        toHour: row.hour,
      };
      c.quantity += onDemand;
      c.toHour = row.hour;
      lines.set(key, c);
    }
  }
  // Each line is rounded once, on its whole quantity (core/money.ts).
  const charged = [...lines.values()].map((c) => ({ ...c, amount: lineAmount(c.quantity, c.per, c.unitPrice) }));
  return { lines: charged, unpriced: [...unpriced.values()] };
}

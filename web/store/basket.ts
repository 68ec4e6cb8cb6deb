/**
 * The calculator's basket and the price lines it makes, for one region. It imports nothing at run time, so that
 * its source is also the calculator's script in the browser (with core/pricing.ts): one arithmetic, two places.
 */
import type { PriceLine } from '../../core/pricing.ts';

export interface Basket {
  region: string;
  servers: { flavor: string; count: number; hours: number; term: 'on_demand' | 'reserved_1y' | 'reserved_2y' | 'reserved_3y' }[];
  volumes: { type: string; sizeGb: number; count: number }[];
  eip: { count: number; bandwidthMbit: number; hours: number };
  obsGb: number;
  support: string;
}

/** A price line of the list, as much of it as the calculator needs. */
export interface ListPrice {
  service: string;
  product: string;
  regionId: string;
  billingMode: string;
  unit: string;
  priceEur: number;
}

/** The monthly lines of a basket; a product without a price in its region is named in `missing`. */
export function basketLines(b: Basket, prices: ListPrice[]): { lines: PriceLine[]; missing: string[] } {
  const lines: PriceLine[] = [];
  const missing: string[] = [];
  const find = (service: string, product: string, mode: string, region: string) =>
    prices.find((p) => p.service === service && p.product === product && p.billingMode === mode && p.regionId === region);
  const add = (label: string, quantity: number, service: string, product: string, mode: string, region = b.region) => {
    if (quantity <= 0) return;
    const p = find(service, product, mode, region);
    if (!p) missing.push(`${service} ${product} (${mode}) in ${region}`);
    else lines.push({ label, quantity, unit: p.unit, unitPriceEur: p.priceEur });
  };
  for (const s of b.servers) {
    if (!s.flavor || s.count <= 0) continue;
    if (s.term === 'on_demand') add(`${s.count} x ${s.flavor}, pay per use`, s.count * s.hours, 'ecs', s.flavor, 'on_demand');
    else add(`${s.count} x ${s.flavor}, reserved ${s.term.slice(9)}`, s.count, 'ecs', s.flavor, s.term);
  }
  for (const v of b.volumes)
    if (v.type && v.count > 0) add(`${v.count} x ${v.sizeGb} GB ${v.type} volume`, v.count * v.sizeGb, 'evs', v.type, 'on_demand');
  if (b.eip.count > 0) {
    add(`${b.eip.count} x Elastic IP`, b.eip.count * b.eip.hours, 'eip', '5_bgp', 'on_demand');
    add(
      `${b.eip.count} x ${b.eip.bandwidthMbit} Mbit/s bandwidth`,
      b.eip.count * b.eip.bandwidthMbit * b.eip.hours,
      'eip',
      'bandwidth',
      'on_demand',
    );
  }
  add(`${b.obsGb} GB of OBS standard storage`, b.obsGb, 'obs', 'STANDARD', 'on_demand');
  if (b.support) add(`${b.support} support plan`, 1, 'support', b.support, 'monthly', 'global');
  return { lines, missing };
}

/** How many rows of servers and of volumes the form has. */
export const ROWS = 3;

/**
 * The basket a calculator form states (its fields by name, as a browser or a form post sends them). Numbers that
 * are not whole and non-negative (hours, sizes, counts) count as 0; an unknown term is pay per use.
 */
export function basketOf(form: Record<string, string | undefined>): Basket {
  const num = (k: string, fallback = 0) => {
    const n = Number(form[k] ?? fallback);
    return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
  };
  const terms = ['on_demand', 'reserved_1y', 'reserved_2y', 'reserved_3y'] as const;
  const rows = [0, 1, 2]; // ROWS of each (a literal: this source also runs alone in the browser)
  return {
    region: form.region ?? 'eu-west-0',
    servers: rows.map((i) => ({
      flavor: form[`server${i}_flavor`] ?? '',
      count: num(`server${i}_count`),
      hours: Math.min(744, num(`server${i}_hours`, 730)),
      term: terms.find((t) => t === form[`server${i}_term`]) ?? 'on_demand',
    })),
    volumes: rows.map((i) => ({ type: form[`volume${i}_type`] ?? '', sizeGb: num(`volume${i}_size`), count: num(`volume${i}_count`) })),
    eip: { count: num('eip_count'), bandwidthMbit: num('eip_bandwidth'), hours: Math.min(744, num('eip_hours', 730)) },
    obsGb: num('obs_gb'),
    support: form.support ?? '',
  };
}

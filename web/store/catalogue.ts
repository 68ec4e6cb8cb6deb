/**
 * What the Cloud Store presents: each service feature of the Service Description (clause 1.2.3) and its support
 * plans (1.3), from `seed/features.json`, with where this cloud serves it (a registered service) and which price
 * lines price it.
 */
import features from '../../seed/features.json';
import type { PriceRow } from '../../workers/directory/prices.ts';
import { SERVICES } from '../../workers/services.ts';

export interface Feature {
  clause: string;
  slug: string;
  name: string;
  abbreviation: string | null;
  text: string[];
  /** The registered service that serves it here, if one does (`*`: every one, the platform's APIs). */
  service: string | null;
  /** The price list's services that price it. */
  prices: string[];
}

export const FEATURES: readonly Feature[] = features.features;
export const SUPPORT = features.supportPlans;

const served = new Set<string>(SERVICES.map((s) => s.name));

/** Whether this cloud serves the feature today (its service is registered). */
export const isServed = (f: Feature) => f.service === '*' || (f.service !== null && served.has(f.service));

/** The feature of a slug. */
export const featureOf = (slug: string) => FEATURES.find((f) => f.slug === slug);

/** The title of a registered service (`Elastic Cloud Server`). */
export const serviceTitle = (name: string) => (name === '*' ? 'every service' : SERVICES.find((s) => s.name === name)?.title);

/** The price lines of a feature, by region. */
export function pricesOf(f: Feature, rows: PriceRow[]): Map<string, PriceRow[]> {
  const out = new Map<string, PriceRow[]>();
  for (const r of rows.filter((x) => f.prices.includes(x.service))) out.set(r.regionId, [...(out.get(r.regionId) ?? []), r]);
  return out;
}

/**
 * The price list read from the directory: its lines and their revisions (workers/bss/price-list.ts), cached per
 * isolate for a minute (it changes by publication, rarely; a publication here drops the cache at once).
 */
import { asc } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { type UnitPrice, unitPriceMajor } from '../../core/money.ts';
import { type PriceRevision, priceRevisions, prices } from '../../schema/global.ts';
import { revisionAt } from '../bss/price-list.ts';
import { directory } from './client.ts';

export type PriceLineRow = typeof prices.$inferSelect;

/** A line with the revision in effect at the date asked: its price exactly, and as a float for display. */
export interface PriceRow extends PriceLineRow {
  unitPrice: UnitPrice;
  revision: PriceRevision;
}

const CACHE_MS = 60_000;
let cache: { at: number; lines: PriceLineRow[]; history: Map<string, PriceRevision[]> } | undefined;

/** Every line with its revisions, by service, product, region and billing mode. */
export async function priceBook(env: Env): Promise<{ lines: PriceLineRow[]; history: Map<string, PriceRevision[]> }> {
  if (!cache || Date.now() - cache.at > CACHE_MS) {
    const db = await directory(env);
    const [lines, revisions] = await db.batch([
      db.select().from(prices).orderBy(asc(prices.service), asc(prices.product), asc(prices.regionId), asc(prices.billingMode)),
      db.select().from(priceRevisions),
    ]);
    const history = new Map<string, PriceRevision[]>();
    for (const r of revisions) history.set(r.lineId, [...(history.get(r.lineId) ?? []), r]);
    // An empty list (a directory not yet seeded) is not kept: the next request reads again.
    if (!lines.length) return { lines, history };
    cache = { at: Date.now(), lines, history };
  }
  return cache;
}

/** Drops this isolate's cache (after a publication). */
export function forgetPrices(): void {
  cache = undefined;
}

/** Every line priced at `at` (default now), its `priceEur` the revision in effect then; unpriced lines are left out. */
export async function priceList(env: Env, at = new Date().toISOString()): Promise<PriceRow[]> {
  const { lines, history } = await priceBook(env);
  return lines.flatMap((line) => {
    const revision = revisionAt(history.get(line.id) ?? [], at);
    if (!revision) return [];
    const unitPrice = BigInt(revision.unitPrice);
    return [{ ...line, priceEur: unitPriceMajor(unitPrice), effectiveFrom: revision.effectiveFrom, unitPrice, revision }];
  });
}

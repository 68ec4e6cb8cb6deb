/** The price list read from the directory, cached per isolate for a minute (it changes by publication, rarely). */
import { asc } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { prices } from '../../schema/global.ts';
import { directory } from './client.ts';

export type PriceRow = typeof prices.$inferSelect;

const CACHE_MS = 60_000;
let cache: { at: number; rows: PriceRow[] } | undefined;

/** Every price line, by service, product, region and billing mode. */
export async function priceList(env: Env): Promise<PriceRow[]> {
  if (!cache || Date.now() - cache.at > CACHE_MS) {
    const db = await directory(env);
    const rows = await db
      .select()
      .from(prices)
      .orderBy(asc(prices.service), asc(prices.product), asc(prices.regionId), asc(prices.billingMode));
    // An empty list (a directory not yet seeded) is not kept: the next request reads again.
    if (!rows.length) return rows;
    cache = { at: Date.now(), rows };
  }
  return cache.rows;
}

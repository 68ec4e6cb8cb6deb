/** Native list semantics: equality filters the real API offers, then `limit` and `marker` (an id), in id order. */
import { z } from 'zod';
import type { AppContext } from '../../lib/app.ts';
import { limitParam, paginate } from '../../lib/pagination.ts';
import { query } from '../../lib/validate.ts';

/** The query of a native list: the equality filters it offers, `limit` (capped at 1000) and `marker`; others are ignored. */
export function nativeQuery(filters: string[]) {
  const equal = Object.fromEntries(filters.map((f) => [f, z.string().optional()]));
  return z.object({ ...equal, limit: limitParam(), marker: z.string().optional() });
}

/** One page of already-shaped items; `filters` name the query parameters (item fields) this list accepts. */
export function nativeList<T extends { id: string }>(c: AppContext, items: T[], filters: (keyof T & string)[] = []): T[] {
  const q: Record<string, unknown> & { limit?: number; marker?: string } = query(c, nativeQuery(filters));
  const kept = items.filter((item) => filters.every((f) => q[f] === undefined || String(item[f]) === q[f]));
  // Ids give a stable order, so a marker means the same place whatever was created or deleted since.
  kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return paginate(kept, (item) => item.id, q.limit, q.marker || undefined).items;
}

/** Native list semantics: equality filters the real API offers, then `limit` and `marker` (an id), in id order. */
import type { AppContext } from '../../lib/app.ts';
import { paginate, parseLimit } from '../../lib/pagination.ts';

/** One page of already-shaped items; `filters` name the query parameters (item fields) this list accepts. */
export function nativeList<T extends { id: string }>(c: AppContext, items: T[], filters: (keyof T & string)[] = []): T[] {
  const q = c.req.query();
  const kept = items.filter((item) => filters.every((f) => q[f] === undefined || String(item[f]) === q[f]));
  // Ids give a stable order, so a marker means the same place whatever was created or deleted since.
  kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return paginate(kept, (item) => item.id, parseLimit(q.limit), q.marker || undefined).items;
}

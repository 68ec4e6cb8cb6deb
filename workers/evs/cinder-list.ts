/**
 * Cinder's list queries for snapshots and backups: equality filters on named fields (others refused, as its
 * resource_filters.json does), `sort` / `sort_key` + `sort_dir`, `offset`, `limit` and `marker`; `all_tenants` and
 * `project_id` accepted and ignored for a customer (cinderclient sends `all_tenants=1` on every name lookup).
 */
import type { AppContext } from '../lib/app.ts';
import { paginate } from '../lib/pagination.ts';
import { pairs, queryPairs, refuse } from '../lib/validate.ts';

const CONTROLS = new Set(['limit', 'marker', 'offset', 'sort', 'sort_key', 'sort_dir', 'with_count', 'all_tenants', 'project_id']);

/** How a list reads its items: the value of each filter or sort key, by its Cinder name. */
export type Field<T> = (item: T, key: string) => string | number | boolean | null | undefined;

export interface CinderList<T> {
  items: T[];
  /** The next page's link, when there may be one. */
  links?: { rel: 'next'; href: string }[];
  count: number;
}

/** Filters, sorts and pages `rows` as the query asks; a filter or sort key not in `keys` is a 400. */
export function cinderList<T extends { id: string }>(c: AppContext, rows: T[], keys: ReadonlySet<string>, field: Field<T>): CinderList<T> {
  const q = queryPairs(
    c,
    pairs.transform((q, ctx) => {
      const bad = [...new Set(q.map(([k]) => k).filter((k) => !keys.has(k) && !CONTROLS.has(k)))];
      if (bad.length) refuse(ctx, `Invalid filters ${bad.join(',')} are found in query options.`);
      const one = (k: string) => q.find(([key]) => key === k)?.[1];
      const number = (k: string) => {
        const raw = one(k);
        if (raw !== undefined && !/^\d+$/.test(raw)) refuse(ctx, `Invalid input received: ${k} must be an integer, not ${raw}.`);
        return raw === undefined ? undefined : Number(raw);
      };
      const rawSort = one('sort') ?? (one('sort_key') ? `${one('sort_key')}:${one('sort_dir') ?? 'desc'}` : 'created_at:desc');
      const sort = rawSort.split(',').map((part) => {
        const [key = '', dir = 'desc'] = part.split(':');
        if (!(keys.has(key) || key === 'id' || key === 'created_at') || (dir !== 'asc' && dir !== 'desc'))
          refuse(ctx, `Invalid input received: Invalid sort key or direction: ${part}.`);
        return [key, dir] as const;
      });
      return { filters: q.filter(([k]) => keys.has(k)), sort, limit: number('limit'), offset: number('offset'), marker: one('marker') };
    }),
  );
  let items = rows.filter((r) => q.filters.every(([k, want]) => String(field(r, k) ?? '') === want));
  items.sort((a, b) => {
    for (const [key, dir] of [...q.sort, ['id', 'desc'] as const]) {
      const x = field(a, key) ?? '';
      const y = field(b, key) ?? '';
      if (x !== y) return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    }
    return 0;
  });
  const count = items.length;
  if (q.offset) items = items.slice(q.offset);
  const page = paginate(items, (r) => r.id, q.limit, q.marker);
  const url = new URL(c.req.url);
  if (page.next) url.searchParams.set('marker', page.next);
  return { items: page.items, count, ...(page.next ? { links: [{ rel: 'next' as const, href: url.toString() }] } : {}) };
}

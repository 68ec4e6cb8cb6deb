/**
 * Neutron list semantics over already-shaped items: filters on any attribute (repeated keys mean any of),
 * `fields`, `sort_key`/`sort_dir`, `limit`/`marker`/`page_reverse`, and the `<collection>_links` next/previous.
 */
import type { AppContext } from '../../lib/app.ts';
import { badRequest } from '../../lib/errors.ts';
import { pairs, queryPairs, refuse } from '../../lib/validate.ts';
import { ATTRIBUTES } from './views.ts';

type Item = Record<string, unknown>;

const CONTROL = new Set([
  'fields',
  'limit',
  'marker',
  'page_reverse',
  'sort_key',
  'sort_dir',
  'tags',
  'tags-any',
  'not-tags',
  'not-tags-any',
]);

function matches(value: unknown, wanted: string): boolean {
  if (Array.isArray(value)) {
    return value.some((v) => {
      if (v && typeof v === 'object') {
        const [k, val] = wanted.split('=', 2);
        return val !== undefined && String((v as Item)[k!]) === val;
      }
      return String(v) === wanted;
    });
  }
  if (typeof value === 'boolean') return String(value) === wanted.toLowerCase();
  if (value === null || value === undefined) return wanted === '' || wanted.toLowerCase() === 'none';
  return String(value) === wanted;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

/**
 * The query of a Neutron list whose items have the attributes `known` (none known: any filter passes), checked in
 * Neutron's order: unknown filters, unpaired sort keys and directions, the limit, then the sort keys.
 */
export function neutronQuery(known: Set<string>) {
  return pairs.transform((q, ctx) => {
    const all = (key: string) => q.filter(([k]) => k === key).map(([, v]) => v);
    const first = (key: string) => q.find(([k]) => k === key)?.[1];
    const filters = new Map<string, string[]>();
    for (const [key, value] of q) {
      if (CONTROL.has(key)) continue;
      if (known.size && !known.has(key)) return refuse(ctx, `[${key}] is invalid attribute for filtering`);
      filters.set(key, [...(filters.get(key) ?? []), value]);
    }
    const sortKeys = all('sort_key');
    const sortDirs = all('sort_dir');
    // As Neutron: a direction for every key, and only asc or desc.
    if (sortKeys.length !== sortDirs.length) return refuse(ctx, 'The number of sort_keys and sort_dirs must be same');
    const invalidDirs = sortDirs.filter((d) => d !== 'asc' && d !== 'desc');
    if (invalidDirs.length) return refuse(ctx, `${invalidDirs.join(', ')} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`);
    const rawLimit = first('limit');
    const limit = rawLimit ? Number(rawLimit) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
      return refuse(ctx, `Bad limit request: limit must be a non-negative integer, got ${rawLimit}.`);
    const sorted = sortKeys.length > 0 || limit !== undefined || first('marker') !== undefined;
    const order = sortKeys.length ? sortKeys : ['id'];
    if (sorted) for (const k of order) if (known.size && !known.has(k)) return refuse(ctx, `${k} is an invalid attribute for sort_key`);
    return {
      filters,
      /** Tag filters match nothing: no resource here has tags. */
      tagged: first('tags') !== undefined || first('tags-any') !== undefined,
      /** The sort order, when the list is sorted or paged (by id unless told). */
      order: sorted ? order.map((key, i) => ({ key, desc: sortDirs[i] === 'desc' })) : undefined,
      limit,
      marker: first('marker'),
      reverse: first('page_reverse') === 'true',
      fields: all('fields'),
    };
  });
}

/** Applies a Neutron list query to items and answers `{[collection]: [...], [collection_links]?: [...]}`. */
export function neutronList(c: AppContext, collection: string, items: Item[]) {
  // The collection's attributes, else those of its first item (then an empty list has nothing to check against).
  const q = queryPairs(c, neutronQuery(new Set(ATTRIBUTES[collection] ?? Object.keys(items[0] ?? {}))));
  let out = items;
  for (const [key, wanted] of q.filters) out = out.filter((item) => wanted.some((w) => matches(item[key], w)));
  if (q.tagged) out = [];
  const order = q.order;
  if (order) {
    out = [...out].sort((a, b) => {
      for (const { key, desc } of order) {
        const d = compare(a[key], b[key]) * (desc ? -1 : 1);
        if (d) return d;
      }
      return 0;
    });
  }
  if (q.reverse) out = [...out].reverse();
  if (q.marker) {
    const at = out.findIndex((i) => i.id === q.marker);
    if (at < 0) throw badRequest(`Marker ${q.marker} could not be found.`);
    out = out.slice(at + 1);
  }
  const links: { rel: string; href: string }[] = [];
  if (q.limit !== undefined && q.limit > 0 && out.length > q.limit) {
    out = out.slice(0, q.limit);
    const next = new URL(c.req.url);
    next.searchParams.set('marker', String(out.at(-1)?.id));
    links.push({ rel: 'next', href: next.toString() });
  }
  if (q.reverse) out = [...out].reverse();
  const shaped = q.fields.length ? out.map((i) => Object.fromEntries(q.fields.filter((f) => f in i).map((f) => [f, i[f]]))) : out;
  return { [collection]: shaped, ...(links.length ? { [`${collection}_links`]: links } : {}) };
}

/** Applies `fields=` to a single item. */
export function neutronFields(c: AppContext, item: Item): Item {
  const fields = new URL(c.req.url).searchParams.getAll('fields');
  return fields.length ? Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])) : item;
}

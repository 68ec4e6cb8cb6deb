/**
 * Neutron list semantics over already-shaped items: filters on any attribute (repeated keys mean any of),
 * `fields`, `sort_key`/`sort_dir`, `limit`/`marker`/`page_reverse`, and the `<collection>_links` next/previous.
 */
import type { AppContext } from '../../lib/app.ts';
import { badRequest } from '../../lib/errors.ts';
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

/** Applies a Neutron list query to items and answers `{[collection]: [...], [collection_links]?: [...]}`. */
export function neutronList(c: AppContext, collection: string, items: Item[]) {
  const url = new URL(c.req.url);
  const q = url.searchParams;
  // The collection's attributes, else those of its first item (then an empty list has nothing to check against).
  const known = new Set(ATTRIBUTES[collection] ?? Object.keys(items[0] ?? {}));
  let out = items;
  for (const key of new Set(q.keys())) {
    if (CONTROL.has(key)) continue;
    if (known.size && !known.has(key)) throw badRequest(`[${key}] is invalid attribute for filtering`);
    const wanted = q.getAll(key);
    out = out.filter((item) => wanted.some((w) => matches(item[key], w)));
  }
  if (q.has('tags') || q.has('tags-any')) out = [];
  const keys = q.getAll('sort_key');
  const dirs = q.getAll('sort_dir');
  // As Neutron: a direction for every key, and only asc or desc.
  if (keys.length !== dirs.length) throw badRequest('The number of sort_keys and sort_dirs must be same');
  const invalidDirs = dirs.filter((d) => d !== 'asc' && d !== 'desc');
  if (invalidDirs.length) throw badRequest(`${invalidDirs.join(', ')} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`);
  const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    throw badRequest(`Bad limit request: limit must be a non-negative integer, got ${q.get('limit')}.`);
  if (keys.length || limit !== undefined || q.has('marker')) {
    const order = keys.length ? keys : ['id'];
    for (const k of order) if (known.size && !known.has(k)) throw badRequest(`${k} is an invalid attribute for sort_key`);
    out = [...out].sort((a, b) => {
      for (const [i, k] of order.entries()) {
        const d = compare(a[k], b[k]) * (dirs[i] === 'desc' ? -1 : 1);
        if (d) return d;
      }
      return 0;
    });
  }
  const reverse = q.get('page_reverse') === 'true';
  if (reverse) out = [...out].reverse();
  const marker = q.get('marker');
  if (marker) {
    const at = out.findIndex((i) => i.id === marker);
    if (at < 0) throw badRequest(`Marker ${marker} could not be found.`);
    out = out.slice(at + 1);
  }
  const links: { rel: string; href: string }[] = [];
  if (limit !== undefined && limit > 0 && out.length > limit) {
    out = out.slice(0, limit);
    const next = new URL(url);
    next.searchParams.set('marker', String(out.at(-1)?.id));
    links.push({ rel: 'next', href: next.toString() });
  }
  if (reverse) out = [...out].reverse();
  const fields = q.getAll('fields');
  const shaped = fields.length ? out.map((i) => Object.fromEntries(fields.filter((f) => f in i).map((f) => [f, i[f]]))) : out;
  return { [collection]: shaped, ...(links.length ? { [`${collection}_links`]: links } : {}) };
}

/** Applies `fields=` to a single item. */
export function neutronFields(c: AppContext, item: Item): Item {
  const fields = new URL(c.req.url).searchParams.getAll('fields');
  return fields.length ? Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])) : item;
}

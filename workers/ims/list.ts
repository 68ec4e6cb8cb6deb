/**
 * Glance's image list over every image a project reaches: which images a `visibility` and `member_status` take
 * in (community images only when asked for, others' shared images once accepted), field and property filters
 * (`in:a,b` or a repeated key mean any of; `tag` repeated means all of; `size_min`, `size_max`, `created_at` and
 * `updated_at` with `gt:`/`gte:`/`lt:`/`lte:`/`eq:`/`neq:`), sorting (`sort_key`/`sort_dir` or `sort=k:d,...`),
 * and paging by marker and limit with Glance's `next` link (relative to the version, as openstacksdk follows it).
 */
import { badRequest } from '../lib/errors.ts';
import type { Located } from './usecases/images.ts';
import type { ImageView } from './views.ts';

/** What a list row is: its view, where it lives, and (for others' shared images) the caller's member status. */
export interface Listed {
  view: ImageView;
  from: Located['where'];
  memberStatus?: string;
}

const SORT_KEYS = [
  'name',
  'status',
  'container_format',
  'disk_format',
  'size',
  'id',
  'created_at',
  'updated_at',
  'visibility',
  'min_disk',
  'min_ram',
];
const VISIBILITY_FILTERS = ['public', 'private', 'shared', 'community', 'all'];
const MEMBER_STATUSES = ['accepted', 'pending', 'rejected', 'all'];
/** Parameters that are not filters on a field. */
const CONTROL = new Set([
  // IMS's native list takes these and this cloud has nothing to filter by them (one enterprise project, x86).
  'flavor_id',
  'enterprise_project_id',
  'architecture',
  'limit',
  'marker',
  'sort_key',
  'sort_dir',
  'sort',
  'member_status',
  'visibility',
  'tag',
  'size_min',
  'size_max',
  'os_hidden',
]);
const TIME_FILTERS = new Set(['created_at', 'updated_at']);
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

export interface ListQuery {
  visibility?: string;
  memberStatus: string;
  filters: Map<string, string[]>;
  tags: string[];
  sizeMin?: number;
  sizeMax?: number;
  osHidden: boolean;
  times: { key: string; op: string; at: number }[];
  sort: { key: string; dir: 'asc' | 'desc' }[];
  limit: number;
  marker?: string;
}

function integer(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw badRequest(`${name} param must be a non-negative integer`);
  return Number(raw);
}

/** Reads a time filter (`gte:2024-01-01T00:00:00Z`, or a bare time meaning `eq:`). */
function timeFilter(key: string, raw: string) {
  const m = /^(gt|gte|lt|lte|eq|neq):(.+)$/.exec(raw);
  const [op, time] = m ? [m[1]!, m[2]!] : ['eq', raw];
  const at = Date.parse(time);
  if (Number.isNaN(at)) throw badRequest(`Unable to filter on a range with a nonsensical value: ${raw}`);
  return { key, op, at };
}

function sortOrder(pairs: [string, string][]): ListQuery['sort'] {
  const sort = pairs.filter(([k]) => k === 'sort').map(([, v]) => v);
  const keys = pairs.filter(([k]) => k === 'sort_key').map(([, v]) => v);
  const dirs = pairs.filter(([k]) => k === 'sort_dir').map(([, v]) => v);
  if (sort.length && (keys.length || dirs.length))
    throw badRequest('The "sort" parameter cannot be combined with "sort_key" or "sort_dir".');
  const entries = sort.length
    ? sort.flatMap((s) => s.split(',')).map((s) => s.split(':') as [string, string?])
    : (keys.length ? keys : dirs.length ? ['created_at'] : []).map((k, i) => [k, dirs[i] ?? dirs[0]] as [string, string?]);
  if (!sort.length && dirs.length > Math.max(keys.length, 1))
    throw badRequest('Number of sort dirs does not match the number of sort keys');
  const order = entries.map(([key, dir]) => {
    if (!SORT_KEYS.includes(key)) throw badRequest(`Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(', ')}.`);
    if (dir !== undefined && dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`);
    return { key, dir: (dir ?? 'desc') as 'asc' | 'desc' };
  });
  if (!order.length) order.push({ key: 'created_at', dir: 'desc' });
  if (!order.some((o) => o.key === 'id')) order.push({ key: 'id', dir: order[0]!.dir });
  return order;
}

/** Reads a list query, refusing (400) what Glance refuses. */
export function readListQuery(pairs: [string, string][]): ListQuery {
  const first = (key: string) => pairs.find(([k]) => k === key)?.[1];
  const visibility = first('visibility');
  if (visibility !== undefined && !VISIBILITY_FILTERS.includes(visibility)) throw badRequest(`Invalid visibility value: ${visibility}`);
  const memberStatus = first('member_status') ?? 'accepted';
  if (!MEMBER_STATUSES.includes(memberStatus)) throw badRequest(`Invalid status value: ${memberStatus}`);
  const filters = new Map<string, string[]>();
  const times: ListQuery['times'] = [];
  for (const [key, value] of pairs) {
    if (CONTROL.has(key)) continue;
    if (TIME_FILTERS.has(key)) times.push(timeFilter(key, value));
    else filters.set(key, [...(filters.get(key) ?? []), ...(value.startsWith('in:') ? value.slice(3).split(',') : [value])]);
  }
  const limit = first('limit');
  const hidden = first('os_hidden');
  if (hidden !== undefined && hidden !== 'true' && hidden !== 'false') throw badRequest(`Invalid value for os_hidden: ${hidden}`);
  const sizeMin = first('size_min');
  const sizeMax = first('size_max');
  return {
    visibility,
    memberStatus,
    filters,
    tags: pairs.filter(([k]) => k === 'tag').map(([, v]) => v),
    sizeMin: sizeMin === undefined ? undefined : integer('size_min', sizeMin),
    sizeMax: sizeMax === undefined ? undefined : integer('size_max', sizeMax),
    osHidden: hidden === 'true',
    times,
    sort: sortOrder(pairs),
    limit: limit === undefined || limit === '' ? DEFAULT_LIMIT : Math.min(integer('limit', limit), MAX_LIMIT),
    marker: first('marker'),
  };
}

/** Whether a row is in the list the visibility and member status ask for. */
function inScope(row: Listed, q: ListQuery): boolean {
  const v = row.view.visibility;
  if (row.from === 'shared' && v === 'shared' && q.memberStatus !== 'all' && row.memberStatus !== q.memberStatus) return false;
  if (q.visibility === undefined) return v !== 'community' || row.from === 'own';
  return q.visibility === 'all' || v === q.visibility;
}

const compare = (a: unknown, b: unknown) =>
  a === b ? 0 : a === null || a === undefined ? -1 : b === null || b === undefined ? 1 : a < b ? -1 : 1;

function matches(row: Listed, q: ListQuery): boolean {
  const v = row.view as unknown as Record<string, unknown>;
  for (const [key, wanted] of q.filters) if (!wanted.includes(String(v[key]))) return false;
  const tags = v.tags as string[];
  if (!q.tags.every((t) => tags.includes(t))) return false;
  const size = (v.size as number | null) ?? 0;
  if ((q.sizeMin !== undefined && size < q.sizeMin) || (q.sizeMax !== undefined && size > q.sizeMax)) return false;
  if (Boolean(v.os_hidden) !== q.osHidden) return false;
  for (const t of q.times) {
    const at = Date.parse(String(v[t.key]));
    const ok = { gt: at > t.at, gte: at >= t.at, lt: at < t.at, lte: at <= t.at, eq: at === t.at, neq: at !== t.at }[t.op];
    if (!ok) return false;
  }
  return true;
}

/** Filters, sorts and pages the rows; the page and Glance's `next` link when there are more. */
export function listPage(
  rows: Listed[],
  q: ListQuery,
  search: URLSearchParams,
  base = '/v2/images',
): { images: ImageView[]; next?: string } {
  const kept = rows.filter((r) => inScope(r, q) && matches(r, q)).map((r) => r.view);
  kept.sort((a, b) => {
    for (const { key, dir } of q.sort) {
      const c = compare((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
      if (c) return dir === 'asc' ? c : -c;
    }
    return 0;
  });
  let from = 0;
  if (q.marker !== undefined) {
    const at = kept.findIndex((i) => i.id === q.marker);
    if (at < 0) throw badRequest(`Invalid marker. Image ${q.marker} could not be found.`);
    from = at + 1;
  }
  const images = kept.slice(from, from + q.limit);
  if (from + q.limit >= kept.length || !images.length) return { images };
  const next = new URLSearchParams(search);
  next.set('marker', images.at(-1)!.id);
  next.set('limit', String(q.limit));
  return { images, next: `${base}?${next}` };
}

/**
 * Nova's server list filters (as a non-admin may use them), newest first, paged with limit and marker. Filters of
 * later microversions are ignored before them, as Nova strips them: `ip6` from 2.5, the tag filters from 2.26.
 */
import { z } from 'zod';
import type { Server } from '../../schema/tenant.ts';
import type { AppContext } from '../lib/app.ts';
import { countParam, paginate } from '../lib/pagination.ts';
import { param, query } from '../lib/validate.ts';
import { atLeast } from './microversion.ts';
import type { serverContext } from './server-context.ts';
import { addresses } from './views.ts';

type Context = Awaited<ReturnType<typeof serverContext>>;

const isRegex = (raw: string) => {
  try {
    new RegExp(raw);
    return true;
  } catch {
    return false;
  }
};

/** A filter's regular expression (Nova matches name and ip6 as expressions); 400 when it is not one. */
const pattern = (field: string) =>
  param(isRegex, (raw) => `Invalid ${field} filter ${raw}.`)
    .optional()
    .transform((raw) => (raw ? new RegExp(raw) : undefined));
const text = z.string().optional();
/** `changes-since`, a date and time as ISO 8601 writes it; Nova refuses anything else with its schema's words. */
const since = param(
  (raw) => !Number.isNaN(Date.parse(raw)),
  (raw) => `Invalid input for field/attribute changes-since. Value: ${raw}. '${raw}' is not a 'date-time'`,
)
  .optional()
  .transform((raw) => (raw === undefined ? undefined : new Date(raw).toISOString()));

/** The query of a server list at the request's microversion: filters, then limit and marker; others are ignored. */
function listQuery(c: AppContext) {
  return z.object({
    name: pattern('name'),
    status: text,
    flavor: text,
    image: text,
    reservation_id: text,
    'changes-since': since,
    ip: text,
    ip6: atLeast(c, '2.5') ? pattern('ip6') : text.transform(() => undefined),
    tags: text,
    'tags-any': text,
    'not-tags': text,
    'not-tags-any': text,
    marker: text,
    limit: countParam((raw) => `Invalid limit ${raw}.`),
  });
}

/**
 * The tag filters: `tags` keeps servers with all the tags, `tags-any` with at least one, `not-tags` drops those
 * with all of them, `not-tags-any` those with any of them. Each takes a comma-separated list.
 */
export function tagFilter(
  q: Partial<Record<'tags' | 'tags-any' | 'not-tags' | 'not-tags-any', string>>,
): (s: Pick<Server, 'tags'>) => boolean {
  const list = (key: keyof typeof q) => q[key]?.split(',');
  const [all, any, notAll, notAny] = (['tags', 'tags-any', 'not-tags', 'not-tags-any'] as const).map(list);
  return (s) => {
    const has = (t: string) => s.tags.includes(t);
    if (all && !all.every(has)) return false;
    if (any && !any.some(has)) return false;
    if (notAll?.every(has)) return false;
    if (notAny?.some(has)) return false;
    return true;
  };
}

/** The servers a list request asks for, and the link to the next page when one was cut off. */
export function listed(c: AppContext, ctx: Context) {
  const q = query(c, listQuery(c));
  let rows = [...ctx.servers].sort((a, b) =>
    a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt),
  );
  const { name, ip6 } = q;
  if (name) rows = rows.filter((s) => name.test(s.name));
  if (q.status) rows = rows.filter((s) => s.status === q.status!.toUpperCase());
  if (q.flavor) rows = rows.filter((s) => s.flavorId === q.flavor);
  if (q.image) rows = rows.filter((s) => s.imageId === q.image);
  if (q.reservation_id) rows = rows.filter((s) => s.reservationId === q.reservation_id);
  const changedSince = q['changes-since'];
  if (changedSince) rows = rows.filter((s) => s.updatedAt >= changedSince);
  if (q.ip) rows = rows.filter((s) => JSON.stringify(addresses(ctx, s)).includes(q.ip!));
  if (ip6)
    rows = rows.filter((s) => Object.values(addresses(ctx, s)).some((list) => list.some((a) => a.version === 6 && ip6.test(a.addr))));
  if (atLeast(c, '2.26')) rows = rows.filter(tagFilter(q));
  return page(c, rows, q);
}

/** One page of servers after `marker`, at most `limit` of them (none for 0, as Nova, with no next link). */
function page(c: AppContext, all: Server[], q: { marker?: string; limit?: number }) {
  const { items, next } = paginate(all, (s) => s.id, q.limit, q.marker);
  if (!next) return { rows: items, links: {} };
  const url = new URL(c.req.url);
  url.searchParams.set('marker', next);
  return { rows: items, links: { servers_links: [{ rel: 'next', href: url.toString() }] } };
}

/**
 * Nova's server list filters (as a non-admin may use them), newest first, paged with limit and marker. Filters of
 * later microversions are ignored before them, as Nova strips them: `ip6` from 2.5, the tag filters from 2.26.
 */
import type { Server } from '../../schema/tenant.ts';
import type { AppContext } from '../lib/app.ts';
import { badRequest } from '../lib/errors.ts';
import { atLeast } from './microversion.ts';
import type { serverContext } from './server-context.ts';
import { addresses } from './views.ts';

type Context = Awaited<ReturnType<typeof serverContext>>;

/** A filter's regular expression (Nova matches name, ip and ip6 as expressions); 400 when it is not one. */
function regex(field: string, value: string): RegExp {
  try {
    return new RegExp(value);
  } catch {
    throw badRequest(`Invalid ${field} filter ${value}.`);
  }
}

/**
 * The tag filters: `tags` keeps servers with all the tags, `tags-any` with at least one, `not-tags` drops those
 * with all of them, `not-tags-any` those with any of them. Each takes a comma-separated list.
 */
export function tagFilter(q: Record<string, string | undefined>): (s: Pick<Server, 'tags'>) => boolean {
  const list = (key: string) => (q[key] === undefined ? undefined : q[key]!.split(','));
  const [all, any, notAll, notAny] = ['tags', 'tags-any', 'not-tags', 'not-tags-any'].map(list);
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
  const q = c.req.query();
  let rows = [...ctx.servers].sort((a, b) =>
    a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt),
  );
  if (q.name) {
    const re = regex('name', q.name);
    rows = rows.filter((s) => re.test(s.name));
  }
  if (q.status) rows = rows.filter((s) => s.status === q.status!.toUpperCase());
  if (q.flavor) rows = rows.filter((s) => s.flavorId === q.flavor);
  if (q.image) rows = rows.filter((s) => s.imageId === q.image);
  if (q.reservation_id) rows = rows.filter((s) => s.reservationId === q.reservation_id);
  if (q['changes-since']) rows = rows.filter((s) => s.updatedAt >= new Date(q['changes-since']!).toISOString());
  if (q.ip) rows = rows.filter((s) => JSON.stringify(addresses(ctx, s)).includes(q.ip!));
  if (q.ip6 && atLeast(c, '2.5')) {
    const re = regex('ip6', q.ip6);
    rows = rows.filter((s) => Object.values(addresses(ctx, s)).some((list) => list.some((a) => a.version === 6 && re.test(a.addr))));
  }
  if (atLeast(c, '2.26')) rows = rows.filter(tagFilter(q));
  return page(c, rows);
}

/** One page of servers after `marker`, at most `limit` of them. */
function page(c: AppContext, all: Server[]) {
  const q = c.req.query();
  let rows = all;
  if (q.marker) {
    const at = rows.findIndex((s) => s.id === q.marker);
    if (at < 0) throw badRequest(`marker [${q.marker}] not found`);
    rows = rows.slice(at + 1);
  }
  let next: string | undefined;
  if (q.limit !== undefined) {
    const limit = Number(q.limit);
    if (!Number.isInteger(limit) || limit < 0) throw badRequest(`Invalid limit ${q.limit}.`);
    if (rows.length > limit) {
      rows = rows.slice(0, limit);
      const url = new URL(c.req.url);
      url.searchParams.set('marker', rows.at(-1)!.id);
      next = url.toString();
    }
  }
  return { rows, links: next ? { servers_links: [{ rel: 'next', href: next }] } : {} };
}

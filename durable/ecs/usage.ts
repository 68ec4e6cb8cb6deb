/**
 * The `ecs.server` meter (core/usage.ts): quantity 1 while a server runs, so that a stopped pay-per-use server is
 * not charged for compute. Rather than an event written by each transition, the meter is reconciled with the
 * server row after every change to it (servers.ts `set` and `remove`): whatever path led to the new state (build,
 * power action, resize, rebuild, recovery, host down, delete), the outbox ends up saying what the row says.
 *
 * Event ids carry the run's sequence, derived from the outbox itself: run n is open when `<id>:run:<n>` exists and
 * `<id>:halt:<n>` does not. A replayed step finds the outbox already agreeing with the row and writes nothing, so
 * it can never make a new n; a new n only comes from a real stop followed by a real start.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { STATUS } from '../../core/ecs/states.ts';
import { stableId } from '../../core/ids.ts';
import { images, servers, usageEvents } from '../../schema/tenant.ts';
import imageSeed from '../../seed/images.json';
import { recordUsage } from '../lib/usage.ts';
import type { Ctx } from '../vpc/context.ts';

type Row = typeof servers.$inferSelect;

/** The public images whose OS carries a chargeable licence (their ids are made from their names at bootstrap). */
const WINDOWS_IMAGES = new Set(
  imageSeed.filter((i) => i.osType === 'Windows' || i.platform === 'Windows').map((i) => stableId(`image:${i.name}`)),
);

/**
 * Whether a server runs now: powered on, or paused (its memory and vCPUs still held on the host; guest.ts), and not
 * in ERROR (a host down, a failed build). A suspended server, saved to disk, is charged as a stopped one.
 */
const runs = (s: Row | undefined): s is Row =>
  Boolean(s && (s.powerState === 1 || s.status === STATUS.PAUSED) && s.status !== STATUS.ERROR);

/** `windows` when the server's image is a Windows one (public by id, private by its `__os_type`), else ''. */
function licenceOf(ctx: Ctx, s: Row): string {
  if (WINDOWS_IMAGES.has(s.imageId)) return 'windows';
  const image = ctx.db.select({ properties: images.properties }).from(images).where(eq(images.id, s.imageId)).get();
  return image?.properties.__os_type?.toLowerCase() === 'windows' ? 'windows' : '';
}

/** What rates a run: the flavor (ids are the price list's flavor names), the licence and the zone. */
const attributesOf = (ctx: Ctx, s: Row): Record<string, string> => ({ flavor: s.flavorId, licence: licenceOf(ctx, s), zone: s.zone });

/** The server's last `ecs.server` event, in the order written (rowid), with the number of runs it has started. */
function meterState(ctx: Ctx, id: string) {
  const where = and(eq(usageEvents.resourceId, id), eq(usageEvents.meter, 'ecs.server'));
  const last = ctx.db.select().from(usageEvents).where(where).orderBy(desc(sql`rowid`)).limit(1).get();
  const runsStarted = ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(usageEvents)
    .where(and(where, eq(usageEvents.action, 'start')))
    .get()!.n;
  return { open: Boolean(last && last.action !== 'stop'), attributes: last?.attributes ?? {}, runsStarted };
}

/** Brings the server's meter in line with its row: a start, a stop, or a change of what rates it (a resize). */
export function meterServer(ctx: Ctx, id: string): void {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  const state = meterState(ctx, id);
  const n = state.runsStarted;
  const base = { meter: 'ecs.server', resourceId: id } as const;
  if (!runs(s)) {
    if (state.open) recordUsage(ctx, { ...base, id: `${id}:halt:${n}`, action: 'stop', quantity: 0, attributes: state.attributes });
    return;
  }
  const attributes = attributesOf(ctx, s);
  if (!state.open) {
    recordUsage(ctx, { ...base, id: `${id}:run:${n + 1}`, action: 'start', quantity: 1, attributes });
    return;
  }
  if (JSON.stringify(attributes) === JSON.stringify(state.attributes)) return;
  // A resize (or its revert) within run n: the k-th change of that run, so reverting to a flavor is a new event.
  // (A prefix compare, not LIKE: workerd refuses LIKE patterns as long as these ids.)
  const prefix = `${id}:run:${n}:change:`;
  const changes = ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(usageEvents)
    .where(
      and(
        eq(usageEvents.resourceId, id),
        eq(usageEvents.action, 'change'),
        sql`substr(${usageEvents.id}, 1, ${prefix.length}) = ${prefix}`,
      ),
    )
    .get()!.n;
  recordUsage(ctx, { ...base, id: `${id}:run:${n}:change:${changes + 1}`, action: 'change', quantity: 1, attributes });
}

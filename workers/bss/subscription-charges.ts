/**
 * A month's subscription charges for one account, from the rules (workers/bss/rules): its support plan, its
 * Reserved Instances (and the server-seconds they cover, which the usage rating then skips), its Bare Metal
 * Servers, WorkSpace desktops and Direct Connects. Prices are the ones their orders kept; the support plan's is the list's at the month's start.
 */
import type { UnitPrice } from '../../core/money.ts';
import type { Subscription } from '../../schema/global.ts';
import { revisionAt } from './price-list.ts';
import type { PriceBook } from './rating.ts';
import type { HourRow } from './rollup.ts';
import { bareMetalCharges } from './rules/bare-metal.ts';
import { monthStart } from './rules/calendar.ts';
import { directConnectCharges } from './rules/direct-connect.ts';
import type { ChargeLine } from './rules/lines.ts';
import { coveredSeconds, type Reservation, reservationEnd, reservedInstanceCharges } from './rules/reserved-instance.ts';
import { type Election, planAt, type SupportPlan, supportCharges } from './rules/support-plan.ts';
import { workspaceCharges } from './rules/workspace.ts';

/** A Reserved Instance subscription as the rules see it. */
export const reservationOf = (s: Subscription): Reservation => ({
  flavor: s.product,
  region: s.regionId,
  term: s.termYears as 1 | 2 | 3,
  startedAt: s.startedAt,
  count: s.count,
});

/** When a subscription ends: a reservation at its term's end, bare metal when unsubscribed (null while it runs). */
export function subscriptionEnd(s: Subscription): string | null {
  return s.kind === 'reserved_instance' ? reservationEnd(reservationOf(s)).toISOString() : s.endedAt;
}

/** A subscription's charge line with what it is for: the price list's service and product, and the region. */
export interface SubscriptionCharge extends ChargeLine {
  service: string;
  product: string;
  regionId: string;
  resourceId: string;
}

/** The month's charge lines of the account's subscriptions and support plan, each with its clause. */
export function subscriptionCharges(
  month: string,
  subs: readonly Subscription[],
  elections: readonly Election[],
  book: PriceBook,
): SubscriptionCharge[] {
  const lines: SubscriptionCharge[] = [];
  for (const s of subs) {
    const of = { product: s.product, regionId: s.regionId, resourceId: s.id };
    lines.push(...chargesOf(s, month).map((c) => ({ ...c, ...of, service: SERVICE[s.kind] })));
  }
  const at = monthStart(month).toISOString();
  const plan = planAt(elections, at);
  const support = supportCharges(elections, month, (p: SupportPlan) => supportPrice(book, p, at));
  lines.push(...support.map((c) => ({ ...c, service: 'support', product: plan, regionId: 'global', resourceId: '' })));
  return lines;
}

/** The price list's service each kind of subscription is charged under. */
const SERVICE: Record<Subscription['kind'], string> = {
  reserved_instance: 'ecs',
  bare_metal: 'bms',
  workspace: 'workspace',
  direct_connect: 'dc',
};

/** One subscription's lines for the month, by its clause's rule, at the prices its order kept. */
function chargesOf(s: Subscription, month: string): ChargeLine[] {
  const monthly = BigInt(s.monthlyPrice);
  const span = { startedAt: s.startedAt, endedAt: s.endedAt ?? undefined };
  const times = s.count > 1 ? ` x ${s.count}` : '';
  switch (s.kind) {
    case 'reserved_instance':
      return reservedInstanceCharges(reservationOf(s), month, { oneTime: BigInt(s.oneTimePrice), monthly });
    case 'bare_metal':
      return bareMetalCharges(
        { ...span, description: `Bare metal ${s.product} in ${s.regionId}${times}` },
        month,
        monthly * BigInt(s.count),
      );
    case 'workspace':
      // Clause 1.2.3.25's fixed basis: `count` desktops for unlimited use, each at the monthly price.
      return workspaceCharges({ ...span, name: `${s.id.slice(0, 8)}${times}`, basis: 'unlimited' }, month, {
        monthly: monthly * BigInt(s.count),
        hourly: 0n,
      });
    case 'direct_connect':
      return directConnectCharges({ ...span, name: s.id.slice(0, 8), bandwidthMbps: s.bandwidthMbps ?? 0 }, month, {
        per: 'Mbit/s',
        pricePerMbpsMonth: monthly,
      });
  }
}

function supportPrice(book: PriceBook, plan: SupportPlan, at: string): UnitPrice {
  const line = book.lines.find((l) => l.service === 'support' && l.product === plan && l.regionId === 'global');
  const revision = line && revisionAt(book.history.get(line.id) ?? [], at);
  return revision ? BigInt(revision.unitPrice) : 0n;
}

/**
 * The covering function the usage rating asks for each server-hour (clause 1.2.3.2): the reservations of a flavor
 * and region give a pool of server-seconds per hour, handed to that hour's servers in the rating's order (by
 * resource id), each taking at most the seconds it ran.
 */
export function reservationCover(subs: readonly Subscription[]): (row: HourRow) => number {
  const reservations = subs.filter((s) => s.kind === 'reserved_instance').map(reservationOf);
  const pools = new Map<string, bigint>();
  const flavors = new Map<string, string>();
  return (row) => {
    if (!reservations.length) return 0;
    let flavor = flavors.get(row.attributes);
    if (flavor === undefined) {
      flavor = (JSON.parse(row.attributes) as { flavor?: string }).flavor ?? '';
      flavors.set(row.attributes, flavor);
    }
    const key = `${flavor}|${row.regionId}|${row.hour}`;
    const from = `${row.hour}:00:00.000Z`;
    const to = new Date(Date.parse(from) + 3_600_000).toISOString();
    const left = pools.get(key) ?? coveredSeconds(reservations, flavor, row.regionId, from, to);
    const taken = left < BigInt(row.quantity) ? left : BigInt(row.quantity);
    pools.set(key, left - taken);
    return Number(taken);
  };
}

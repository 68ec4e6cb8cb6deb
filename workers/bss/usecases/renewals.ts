/**
 * Renewals of Reserved Instances (clause 1.2.3.2: a term of 1, 2 or 3 years), as orders in BSS v2's shape: a renewal
 * is an order for a new term of the same servers that starts where the renewed term ends, priced by the list in
 * effect at that start (clause 1.4.1, so a revision published for the renewal date applies to it). A term renewed
 * by nobody ends and its servers' usage is on demand again. Auto-renewal is a flag the hourly job reads, renewing a
 * term in its last day. A renewal's order id is made from the subscription it renews, so a retried request, a
 * retried job or both at once make one order and one subscription.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import { orders, type Subscription, subscriptions } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { subscriptionEnd } from '../subscription-charges.ts';
import { completeOrder, ORDER, orderPrices } from './subscriptions.ts';

/** How long before a term's end the hourly job renews an auto-renewing one. */
export const RENEW_AHEAD_MS = 24 * 3_600_000;

/** The order id of the renewal of a subscription: one per subscription, whoever asks and however often. */
export const renewalOrderId = (subscriptionId: string) => `renew-${subscriptionId}`;

/** The account's subscription, or 404 as if another account's did not exist. */
async function ownSubscription(env: Env, domainId: string, id: string): Promise<Subscription> {
  const db = await directory(env);
  const s = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.domainId, domainId)))
    .get();
  if (!s) throw notFound(`Resource ${id} could not be found.`, 'CBC.0104');
  return s;
}

/** The latest term of a chain of renewals: a renewal of a renewed term renews the newest one. */
async function latestTerm(env: Env, s: Subscription): Promise<Subscription> {
  const db = await directory(env);
  let term = s;
  for (;;) {
    const next = await db.select().from(subscriptions).where(eq(subscriptions.renewalOf, term.id)).get();
    if (!next) return term;
    term = next;
  }
}

/**
 * Renews subscriptions for `years` more (their own term when omitted); answers the renewal orders' ids. Paid at
 * once with `autoPay`, else pending payment as any order. Only a Reserved Instance has a term to renew.
 */
export async function renewSubscriptions(
  env: Env,
  domainId: string,
  ids: readonly string[],
  options: { years?: 1 | 2 | 3; autoPay: boolean },
  now = new Date(),
): Promise<string[]> {
  const terms = [];
  for (const id of ids) {
    const s = await ownSubscription(env, domainId, id);
    if (s.kind !== 'reserved_instance')
      throw conflict(`Resource ${id} is monthly until unsubscribed and has no term to renew.`, 'CBC.0159');
    terms.push(await latestTerm(env, s));
  }
  const placed = [];
  for (const term of terms) placed.push(await placeRenewal(env, term, options.years ?? (term.termYears as 1 | 2 | 3), now));
  if (options.autoPay) for (const id of placed) await completeOrder(env, id, now);
  return placed;
}

/** Places the renewal order of one term, priced at its start; an existing one is answered as it is. */
async function placeRenewal(env: Env, term: Subscription, years: 1 | 2 | 3, now: Date): Promise<string> {
  const db = await directory(env);
  const id = renewalOrderId(term.id);
  const existing = await db.select().from(orders).where(eq(orders.id, id)).get();
  if (existing && existing.status !== ORDER.CANCELLED) return id;
  const startsAt = subscriptionEnd(term)!;
  const input = { kind: term.kind, regionId: term.regionId, product: term.product, termYears: years };
  const { oneTime, monthly } = await orderPrices(env, input, new Date(startsAt));
  const order = {
    id,
    domainId: term.domainId,
    clientToken: null,
    ...input,
    count: term.count,
    oneTimePrice: Number(oneTime),
    monthlyPrice: Number(monthly),
    status: ORDER.PENDING_PAYMENT,
    bandwidthMbps: null,
    renewalOf: term.id,
    startsAt,
    autoRenew: term.autoRenew,
    createdAt: now.toISOString(),
    paidAt: null,
  };
  // A cancelled renewal may be asked for again: the same id, priced again.
  await db
    .insert(orders)
    .values(order)
    .onConflictDoUpdate({ target: orders.id, set: order, setWhere: eq(orders.status, ORDER.CANCELLED) });
  return id;
}

/** Sets or clears auto-renewal of a subscription (BSS's autorenew), on its latest term. */
export async function setAutoRenew(env: Env, domainId: string, id: string, on: boolean): Promise<void> {
  const s = await ownSubscription(env, domainId, id);
  if (s.kind !== 'reserved_instance') throw conflict(`Resource ${id} is monthly until unsubscribed and has no term to renew.`, 'CBC.0159');
  const db = await directory(env);
  await db
    .update(subscriptions)
    .set({ autoRenew: on })
    .where(eq(subscriptions.id, (await latestTerm(env, s)).id));
}

/**
 * The hourly job's renewals: every auto-renewing term that ends within `RENEW_AHEAD_MS` of `now` (or has ended
 * unrenewed, after a missed run) and has no renewal yet is renewed and paid, in `scope`'s accounts if given.
 * Answers how many were renewed.
 */
export async function renewDue(env: Env, now: Date, scope?: readonly string[]): Promise<number> {
  const db = await directory(env);
  const all = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.autoRenew, true), eq(subscriptions.kind, 'reserved_instance'), isNull(subscriptions.endedAt)))
    .all();
  const due = scope ? all.filter((s) => scope.includes(s.domainId)) : all;
  let renewed = 0;
  for (const term of due) {
    const end = Date.parse(subscriptionEnd(term)!);
    if (end - now.getTime() > RENEW_AHEAD_MS) continue;
    if (await db.select().from(subscriptions).where(eq(subscriptions.renewalOf, term.id)).get()) continue;
    await completeOrder(env, await placeRenewal(env, term, term.termYears as 1 | 2 | 3, now), now);
    renewed += 1;
  }
  return renewed;
}

/**
 * Subscriptions and orders: support plan elections (clause 1.3), Reserved Instances (1.2.3.2), Bare Metal
 * Servers (1.2.3.20), WorkSpace desktops (1.2.3.25) and Direct Connect (1.2.3.24). An order is priced from the list in effect when it is placed and keeps those prices
 * (clause 1.4.1); paying it makes its subscription, once, whatever the number of retries.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import { billingAccounts, type Order, orders, type SubscriptionKind, subscriptions } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { priceList } from '../../directory/prices.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { ApiError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { type Election, effectiveAt, electionInEffect, electSupportPlan, planAt, type SupportPlan } from '../rules/support-plan.ts';

/** BSS order statuses. */
export const ORDER = { CANCELLED: 3, COMPLETED: 4, PENDING_PAYMENT: 5 } as const;

/** The account's support plan: the one in effect, a pending change, and every election. */
export async function supportPlanOf(caller: IdentityCaller, now = new Date()) {
  const history = (await accountRow(caller)).supportElections as Election[];
  const inEffect = electionInEffect(history, now);
  const latest = history.at(-1);
  // A change takes effect at the next month's start: until then it is pending.
  const pending = latest && effectiveAt(latest) > now ? latest : undefined;
  return {
    plan: planAt(history, now),
    since: inEffect ? effectiveAt(inEffect).toISOString() : null,
    pending: pending ? { ...pending, effectiveFrom: effectiveAt(pending).toISOString() } : null,
    history,
  };
}

/** Elects a plan under clause 1.3; a refusal names the rule. Concurrent elections: one wins, the other is refused. */
export async function electPlan(caller: IdentityCaller, plan: SupportPlan, now = new Date()) {
  const db = await directory(caller.env);
  const row = await accountRow(caller);
  const result = electSupportPlan(row.supportElections as Election[], plan, now);
  if ('error' in result) throw new ApiError(409, `Clause ${result.clause}: ${result.error}`, 'CBC.0155');
  const written = await db
    .insert(billingAccounts)
    .values({ domainId: row.domainId, supportElections: result.history, version: row.version + 1, updatedAt: now.toISOString() })
    .onConflictDoUpdate({
      target: billingAccounts.domainId,
      set: { supportElections: result.history, version: row.version + 1, updatedAt: now.toISOString() },
      setWhere: eq(billingAccounts.version, row.version),
    })
    .returning({ version: billingAccounts.version });
  if (!written.length) throw conflict('The support plan was changed at the same time; read it again and retry.', 'CBC.0156');
  return supportPlanOf(caller, now);
}

async function accountRow(caller: IdentityCaller) {
  const db = await directory(caller.env);
  const domainId = caller.principal.domainId;
  const row = await db.select().from(billingAccounts).where(eq(billingAccounts.domainId, domainId)).get();
  return row ?? { domainId, supportElections: [], version: 0, updatedAt: '' };
}

/** What an order asks for. */
export interface OrderInput {
  kind: SubscriptionKind;
  regionId: string;
  product: string;
  termYears?: 1 | 2 | 3;
  count: number;
  /** Direct Connect's subscribed bandwidth. */
  bandwidthMbps?: number;
  clientToken?: string;
  autoPay?: boolean;
}

/** Places an order priced from the list in effect now; the same client token answers the same order. */
export async function placeOrder(caller: IdentityCaller, input: OrderInput, now = new Date()): Promise<Order> {
  const db = await directory(caller.env);
  const domainId = caller.principal.domainId;
  if (input.clientToken) {
    const again = await db
      .select()
      .from(orders)
      .where(and(eq(orders.domainId, domainId), eq(orders.clientToken, input.clientToken)))
      .get();
    if (again) return again;
  }
  const { oneTime, monthly } = await orderPrices(caller.env, input, now);
  const order = {
    id: crypto.randomUUID(),
    domainId,
    clientToken: input.clientToken ?? null,
    kind: input.kind,
    regionId: input.regionId,
    product: input.product,
    termYears: input.kind === 'reserved_instance' ? (input.termYears ?? null) : null,
    count: input.count,
    oneTimePrice: Number(oneTime),
    monthlyPrice: Number(monthly),
    status: ORDER.PENDING_PAYMENT,
    bandwidthMbps: input.kind === 'direct_connect' ? (input.bandwidthMbps ?? null) : null,
    renewalOf: null,
    startsAt: null,
    autoRenew: false,
    createdAt: now.toISOString(),
    paidAt: null,
  };
  await db.insert(orders).values(order).onConflictDoNothing();
  const placed = await db
    .select()
    .from(orders)
    .where(input.clientToken ? and(eq(orders.domainId, domainId), eq(orders.clientToken, input.clientToken)) : eq(orders.id, order.id))
    .get();
  if (input.autoPay) return payOrder(caller, placed!.id, now);
  return placed!;
}

/** What the list in effect at `at` charges for an order: once, and monthly per unit (clause 1.4.1). */
export async function orderPrices(env: Env, input: Omit<OrderInput, 'count'>, at: Date) {
  const list = await priceList(env, at.toISOString());
  const find = (service: string, mode: string) =>
    list.find((p) => p.service === service && p.product === input.product && p.regionId === input.regionId && p.billingMode === mode)
      ?.unitPrice;
  if (input.kind === 'reserved_instance') {
    if (!input.termYears) throw badRequest('Invalid input: a Reserved Instance needs term_years 1, 2 or 3.', 'CBC.0100');
    const oneTime = find('ecs', `reserved_${input.termYears}y_upfront`);
    const monthly = find('ecs', `reserved_${input.termYears}y`);
    if (oneTime === undefined || monthly === undefined) {
      throw badRequest(
        `Clause 1.4.1: no Reserved Instance price is listed for ${input.product} in ${input.regionId} for ${input.termYears} years.`,
        'CBC.0100',
      );
    }
    return { oneTime, monthly };
  }
  const [service, what] = MONTHLY[input.kind];
  if (input.kind === 'direct_connect' && !input.bandwidthMbps)
    throw badRequest('Invalid input: a Direct Connect needs bandwidth_mbps.', 'CBC.0100');
  const monthly = find(service, 'monthly');
  if (monthly === undefined)
    throw badRequest(`Clause 1.4.1: no ${what} price is listed for ${input.product} in ${input.regionId}.`, 'CBC.0100');
  return { oneTime: 0n, monthly };
}

/** The price list's service of each monthly subscription, and its name in a refusal. */
const MONTHLY: Record<Exclude<SubscriptionKind, 'reserved_instance'>, [string, string]> = {
  bare_metal: ['bms', 'Bare Metal'],
  workspace: ['workspace', 'WorkSpace'],
  direct_connect: ['dc', 'Direct Connect'],
};

/** Pays an order: it is completed and its subscription starts now, once, however often it is paid. */
export async function payOrder(caller: IdentityCaller, orderId: string, now = new Date()): Promise<Order> {
  await orderOf(caller, orderId);
  await completeOrder(caller.env, orderId, now);
  return orderOf(caller, orderId);
}

/**
 * Completes an order the account owns (the caller checked) and makes its subscription from the completed row,
 * keyed by the order's id, so a second payment inserts nothing. A renewal starts where the term it renews ends.
 */
export async function completeOrder(env: Env, orderId: string, now: Date): Promise<void> {
  const db = await directory(env);
  const order = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (order?.status === ORDER.CANCELLED) throw conflict(`Order ${orderId} was cancelled.`, 'CBC.0157');
  const paidAt = now.toISOString();
  await db.batch([
    db
      .update(orders)
      .set({ status: ORDER.COMPLETED, paidAt })
      .where(and(eq(orders.id, orderId), eq(orders.status, ORDER.PENDING_PAYMENT))),
    db.run(sql`INSERT OR IGNORE INTO ${subscriptions}
      (id, domain_id, order_id, kind, region_id, product, term_years, count, one_time_price, monthly_price, started_at,
       bandwidth_mbps, renewal_of, auto_renew)
      SELECT id, domain_id, id, kind, region_id, product, term_years, count, one_time_price, monthly_price,
       coalesce(starts_at, paid_at), bandwidth_mbps, renewal_of, auto_renew
      FROM ${orders} WHERE id = ${orderId} AND status = ${ORDER.COMPLETED}`),
  ]);
}

/** Cancels an order not yet paid. */
export async function cancelOrder(caller: IdentityCaller, orderId: string): Promise<Order> {
  const db = await directory(caller.env);
  const order = await orderOf(caller, orderId);
  if (order.status === ORDER.COMPLETED) throw conflict(`Order ${orderId} is paid; unsubscribe its resource instead.`, 'CBC.0157');
  await db
    .update(orders)
    .set({ status: ORDER.CANCELLED })
    .where(and(eq(orders.id, orderId), eq(orders.status, ORDER.PENDING_PAYMENT)));
  return orderOf(caller, orderId);
}

/** One of the account's orders (another account's is not found). */
export async function orderOf(caller: IdentityCaller, orderId: string): Promise<Order> {
  const db = await directory(caller.env);
  const order = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.domainId, caller.principal.domainId)))
    .get();
  if (!order) throw notFound(`Order ${orderId} could not be found.`, 'CBC.0104');
  return order;
}

/** The account's subscriptions, optionally some by id. */
export async function subscriptionsOf(caller: IdentityCaller) {
  const db = await directory(caller.env);
  return db.select().from(subscriptions).where(eq(subscriptions.domainId, caller.principal.domainId)).all();
}

/**
 * Ends subscriptions now. A Bare Metal Server may end at any time (its month is charged in full); a Reserved
 * Instance is a commitment for its term (clause 1.2.3.2) and cannot be ended early.
 */
export async function unsubscribe(caller: IdentityCaller, ids: readonly string[], now = new Date()): Promise<string[]> {
  const db = await directory(caller.env);
  const mine = (await subscriptionsOf(caller)).filter((s) => ids.includes(s.id));
  const missing = ids.filter((id) => !mine.some((s) => s.id === id));
  if (missing.length) throw notFound(`Resource ${missing[0]} could not be found.`, 'CBC.0104');
  const reserved = mine.find((s) => s.kind === 'reserved_instance');
  if (reserved)
    throw conflict(`Clause 1.2.3.2: Reserved Instance ${reserved.id} is committed for its term and cannot be unsubscribed.`, 'CBC.0158');
  for (const s of mine) {
    if (!s.endedAt) await db.update(subscriptions).set({ endedAt: now.toISOString() }).where(eq(subscriptions.id, s.id));
  }
  return mine.map((s) => s.orderId);
}

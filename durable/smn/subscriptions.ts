/**
 * A topic's subscriptions inside the project's SmnDO. An HTTP(S), email or SMS endpoint starts unconfirmed (0) and
 * is sent a confirmation request; visiting its subscribe URL confirms it (1), its unsubscribe URL cancels it (3).
 * Only confirmed endpoints receive notifications.
 */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { DomainError } from '../../core/result.ts';
import { endpointFits } from '../../core/smn/endpoints.ts';
import { deliveries, type Protocol, type Subscription, subscriptions } from '../../schema/smn.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { invalid, QUOTAS, quotaUsed, SMN_CODES, smnId, subscriptionNotFound } from './rules.ts';
import { getTopic } from './topics.ts';

export interface SubscriptionInput {
  topicUrn: string;
  protocol: Protocol;
  endpoint: string;
  remark: string;
}

/** What a new subscription will be, checked before its confirmation is signed; or the one that exists already. */
export function planSubscription(ctx: OpContext, input: SubscriptionInput) {
  const topic = getTopic(ctx, input.topicUrn);
  if (!endpointFits(input.protocol, input.endpoint))
    throw invalid(`The endpoint ${input.endpoint} does not fit the protocol ${input.protocol}.`);
  const same = ctx.db
    .select()
    .from(subscriptions)
    .where(
      and(eq(subscriptions.topicUrn, topic.urn), eq(subscriptions.protocol, input.protocol), eq(subscriptions.endpoint, input.endpoint)),
    )
    .get();
  if (same) return { topic, existing: same };
  const used = ctx.db.select({ n: count() }).from(subscriptions).where(eq(subscriptions.topicUrn, topic.urn)).get()?.n ?? 0;
  if (used >= QUOTAS.subscription) throw quotaUsed('subscription');
  return { topic, existing: undefined, urn: `${topic.urn}:${smnId()}`, token: smnId() + smnId(), messageId: smnId() };
}

/** Writes the subscription, unconfirmed, with its confirmation request to deliver. */
export function insertSubscription(
  ctx: OpContext,
  input: SubscriptionInput,
  plan: { urn: string; token: string; messageId: string },
  confirmation: { payload: string; nowMs: number; ttlMs: number },
): Subscription {
  getTopic(ctx, input.topicUrn);
  const sub = ctx.db
    .insert(subscriptions)
    .values({ ...input, urn: plan.urn, status: 0, token: plan.token, createdAt: ctx.now })
    .returning()
    .get();
  const web = input.protocol === 'http' || input.protocol === 'https';
  ctx.db
    .insert(deliveries)
    .values({
      messageId: plan.messageId,
      subscriptionUrn: sub.urn,
      topicUrn: sub.topicUrn,
      type: 'SubscriptionConfirmation',
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      subject: 'SubscriptionConfirmation',
      payload: confirmation.payload,
      status: web ? 'pending' : 'recorded',
      nextAt: web ? confirmation.nowMs : null,
      expiresAt: confirmation.nowMs + confirmation.ttlMs,
      createdAt: ctx.now,
      doneAt: web ? null : ctx.now,
    })
    .run();
  return sub;
}

/** The subscriptions of one topic or of the project, a page at an offset, in creation order. */
export function listSubscriptions(ctx: OpContext, q: { topicUrn?: string; offset: number; limit: number }) {
  if (q.topicUrn) getTopic(ctx, q.topicUrn);
  const where = q.topicUrn ? eq(subscriptions.topicUrn, q.topicUrn) : undefined;
  const total = ctx.db.select({ n: count() }).from(subscriptions).where(where).get()?.n ?? 0;
  const page = ctx.db
    .select()
    .from(subscriptions)
    .where(where)
    .orderBy(asc(subscriptions.createdAt), asc(subscriptions.urn))
    .limit(q.limit)
    .offset(q.offset)
    .all();
  return { page, total };
}

/** Deletes a subscription; what was still to be delivered to it is dropped. */
export function deleteSubscription(ctx: OpContext, urn: string): void {
  const sub = ctx.db.select().from(subscriptions).where(eq(subscriptions.urn, urn)).get();
  if (!sub) throw subscriptionNotFound(urn);
  dropPending(ctx, [urn], 'The subscription was deleted.');
  ctx.db.delete(subscriptions).where(eq(subscriptions.urn, urn)).run();
}

/** Marks what is still pending for these subscriptions as skipped, with the reason. */
export function dropPending(ctx: OpContext, urns: string[], why: string): void {
  if (urns.length === 0) return;
  ctx.db
    .update(deliveries)
    .set({ status: 'skipped', nextAt: null, lastError: why, doneAt: ctx.now })
    .where(and(inArray(deliveries.subscriptionUrn, urns), eq(deliveries.status, 'pending')))
    .run();
}

/**
 * Follows a subscribe (confirm) or unsubscribe link: the token names the subscription of this topic. Confirming
 * twice is harmless; a canceled subscription stays canceled.
 */
export function followLink(ctx: OpContext, topicUrn: string, token: string, to: 'confirm' | 'cancel'): Subscription {
  const sub = ctx.db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.token, token), eq(subscriptions.topicUrn, topicUrn)))
    .get();
  if (!sub) throw new DomainError(404, SMN_CODES.tokenInvalid, 'The link is not valid: no such subscription.');
  if (to === 'confirm' && sub.status === 3) throw new DomainError(409, SMN_CODES.tokenInvalid, 'The subscription was canceled.');
  const status = to === 'confirm' ? 1 : 3;
  if (status === 3) dropPending(ctx, [sub.urn], 'The subscription was canceled.');
  return ctx.db.update(subscriptions).set({ status }).where(eq(subscriptions.urn, sub.urn)).returning().get();
}

/** The subscriptions of a topic that receive notifications (confirmed, or needing no confirmation). */
export function receiving(ctx: OpContext, topicUrn: string): Subscription[] {
  return ctx.db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.topicUrn, topicUrn), inArray(subscriptions.status, [1, 2])))
    .all();
}

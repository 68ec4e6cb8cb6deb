/**
 * Delivery to HTTP(S) endpoints, driven by the SmnDO's alarm: the due deliveries are claimed (their attempt counted
 * and their next try set, before anything is sent, so that a crash mid-send retries instead of forgetting), posted,
 * and the outcome recorded with the attempt. A 2xx answer delivers; anything else, or no answer in time, is retried
 * after base x 4^(n-1) up to MAX_ATTEMPTS, or until the message's time to live is over. Each notification delivered
 * is a usage event (`smn.notification` by protocol), written with the delivery.
 */
import { and, asc, desc, eq, inArray, isNotNull, lte, min, notInArray } from 'drizzle-orm';
import { attempts, type Delivery, deliveries, type Protocol } from '../../schema/smn.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { recordUsage } from '../lib/usage.ts';
import { MAX_ATTEMPTS } from './rules.ts';

/** Deliveries claimed at once (each is one outgoing request). */
const BATCH = 20;

/** Claims the deliveries due at `now`: each gets its attempt number and, as a lease, the time of its next try. */
export function claimDue(ctx: OpContext, now: number, retryBaseMs: number): Delivery[] {
  const due = ctx.db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), lte(deliveries.nextAt, now)))
    .orderBy(asc(deliveries.nextAt))
    .limit(BATCH)
    .all();
  const claimed: Delivery[] = [];
  for (const d of due) {
    if (d.expiresAt <= now) {
      ctx.db
        .update(deliveries)
        .set({ status: 'expired', nextAt: null, doneAt: ctx.now })
        .where(and(eq(deliveries.messageId, d.messageId), eq(deliveries.subscriptionUrn, d.subscriptionUrn)))
        .run();
      continue;
    }
    const n = d.attempts + 1;
    const nextAt = now + retryBaseMs * 4 ** (n - 1);
    ctx.db
      .update(deliveries)
      .set({ attempts: n, nextAt })
      .where(and(eq(deliveries.messageId, d.messageId), eq(deliveries.subscriptionUrn, d.subscriptionUrn)))
      .run();
    claimed.push({ ...d, attempts: n, nextAt });
  }
  return claimed;
}

export interface Outcome {
  delivery: Delivery;
  httpStatus: number | null;
  error: string | null;
  ms: number;
}

/** Records attempts' outcomes: delivered, retried later (the claimed time stands), or failed for good. */
export function recordOutcomes(ctx: OpContext, outcomes: Outcome[]): void {
  for (const o of outcomes) {
    const d = o.delivery;
    const key = and(eq(deliveries.messageId, d.messageId), eq(deliveries.subscriptionUrn, d.subscriptionUrn));
    ctx.db
      .insert(attempts)
      .values({
        messageId: d.messageId,
        subscriptionUrn: d.subscriptionUrn,
        n: d.attempts,
        at: ctx.now,
        httpStatus: o.httpStatus,
        error: o.error,
        ms: o.ms,
      })
      .onConflictDoNothing()
      .run();
    // A delivery dropped meanwhile (its subscription deleted or canceled) keeps that status.
    const now = ctx.db.select({ status: deliveries.status }).from(deliveries).where(key).get();
    if (now?.status !== 'pending') continue;
    const ok = o.httpStatus !== null && o.httpStatus >= 200 && o.httpStatus < 300;
    const why = o.error ?? `The endpoint answered ${o.httpStatus}.`;
    if (ok) {
      ctx.db.update(deliveries).set({ status: 'delivered', nextAt: null, lastError: null, doneAt: ctx.now }).where(key).run();
      if (d.type === 'Notification') {
        recordUsage(ctx, {
          id: `${d.messageId}:${d.subscriptionUrn}:delivered`,
          meter: 'smn.notification',
          resourceId: d.topicUrn,
          action: 'once',
          quantity: 1,
          attributes: { protocol: d.protocol },
        });
      }
    } else if (d.attempts >= MAX_ATTEMPTS) {
      ctx.db.update(deliveries).set({ status: 'failed', nextAt: null, lastError: why, doneAt: ctx.now }).where(key).run();
    } else {
      ctx.db.update(deliveries).set({ lastError: why }).where(key).run();
    }
  }
}

/** When the next pending delivery is due (epoch ms), if any. */
export function nextDue(ctx: OpContext): number | undefined {
  const row = ctx.db
    .select({ at: min(deliveries.nextAt) })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'pending'), isNotNull(deliveries.nextAt)))
    .get();
  return row?.at ?? undefined;
}

/** The newest deliveries, of one topic, of the outbox (email, SMS) or not (HTTP(S)), each with its attempts. */
export function listDeliveries(ctx: OpContext, q: { topicUrn?: string; outbox?: boolean; limit: number }) {
  const kept: Protocol[] = ['email', 'sms'];
  const kind = q.outbox === undefined ? undefined : q.outbox ? inArray(deliveries.protocol, kept) : notInArray(deliveries.protocol, kept);
  const rows = ctx.db
    .select()
    .from(deliveries)
    .where(and(q.topicUrn ? eq(deliveries.topicUrn, q.topicUrn) : undefined, kind))
    .orderBy(desc(deliveries.createdAt))
    .limit(q.limit)
    .all();
  return rows.map((d) => ({
    ...d,
    tries: ctx.db
      .select()
      .from(attempts)
      .where(and(eq(attempts.messageId, d.messageId), eq(attempts.subscriptionUrn, d.subscriptionUrn)))
      .orderBy(asc(attempts.n))
      .all(),
  }));
}

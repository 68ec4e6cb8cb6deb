/**
 * SmnDO: one per project, the only writer of that project's Simple Message Notification state: topics, subscriptions,
 * message templates, messages and their deliveries with every attempt (durable/smn/). Its own object, not a layer of
 * the TenantDO: deliveries are driven by an alarm that retries endpoints for minutes, and a burst of them must never
 * contend with the project's servers and networks. Its usage events (what was delivered) have their own outbox,
 * which billing takes like the TenantDO's.
 */

import type { Env } from '../core/env.ts';
import migrations from '../schema/migrations/smn/migrations.js';
import { SqliteObject } from './lib/sqlite-object.ts';
import { outboxPage } from './lib/usage.ts';
import * as delivery from './smn/delivery.ts';
import { confirmation, notification } from './smn/payload.ts';
import * as publish from './smn/publish.ts';
import * as subs from './smn/subscriptions.ts';
import * as templates from './smn/templates.ts';
import * as topics from './smn/topics.ts';

/** A confirmation request is retried for a day; a notification for its time to live. */
const CONFIRM_TTL_MS = 86_400_000;

export class SmnDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  private get signingKey(): string {
    if (!this.env.SMN_SIGNING_KEY) throw new Error('SMN_SIGNING_KEY is not set: SMN cannot sign messages.');
    return this.env.SMN_SIGNING_KEY;
  }

  private get retryBaseMs(): number {
    return Number(this.env.SMN_RETRY_BASE_MS || 10_000);
  }

  private get timeoutMs(): number {
    return Number(this.env.SMN_TIMEOUT_MS || 5_000);
  }

  createTopic(input: topics.TopicInput) {
    return this.run((ctx) => topics.createTopic(ctx, input));
  }

  topic(urn: string) {
    return this.run((ctx) => topics.getTopic(ctx, urn));
  }

  topics(q: Parameters<typeof topics.listTopics>[1]) {
    return this.run((ctx) => topics.listTopics(ctx, q));
  }

  renameTopic(urn: string, displayName: string) {
    return this.run((ctx) => topics.renameTopic(ctx, urn, displayName));
  }

  deleteTopic(urn: string) {
    return this.run((ctx) => topics.deleteTopic(ctx, urn));
  }

  /** Subscribes an endpoint (or answers the subscription it has already) and sends it a confirmation request. */
  async subscribe(input: subs.SubscriptionInput) {
    const plan = this.run((ctx) => subs.planSubscription(ctx, input));
    if ('error' in plan || plan.ok.existing) return 'error' in plan ? plan : { ok: plan.ok.existing };
    const { topic, urn, token, messageId } = plan.ok as Required<typeof plan.ok>;
    const nowMs = Date.now();
    const payload = await confirmation(this.signingKey, topic, input.protocol, token, messageId, new Date(nowMs).toISOString());
    const made = this.run((ctx) =>
      subs.insertSubscription(ctx, input, { urn, token, messageId }, { payload, nowMs, ttlMs: CONFIRM_TTL_MS }),
    );
    if ('ok' in made) await this.alarmBy(nowMs);
    return made;
  }

  subscriptions(q: Parameters<typeof subs.listSubscriptions>[1]) {
    return this.run((ctx) => subs.listSubscriptions(ctx, q));
  }

  unsubscribe(urn: string) {
    return this.run((ctx) => subs.deleteSubscription(ctx, urn));
  }

  /** Follows a subscription's subscribe or unsubscribe link. */
  followLink(topicUrn: string, token: string, to: 'confirm' | 'cancel') {
    return this.run((ctx) => subs.followLink(ctx, topicUrn, token, to));
  }

  /** Publishes a message to a topic: one signed copy per receiving subscription, delivered by the alarm. */
  async publish(input: publish.PublishInput) {
    const plan = this.run((ctx) => publish.planPublish(ctx, input));
    if ('error' in plan) return plan;
    const p = plan.ok;
    if (p.existing) return { ok: { messageId: p.existing.id } };
    const nowMs = Date.now();
    const timestamp = new Date(nowMs).toISOString();
    const payloads = new Map<string, string>();
    for (const s of p.receivers) {
      const m = { protocol: s.protocol, token: s.token, messageId: p.messageId, subject: input.subject, timestamp };
      payloads.set(s.urn, await notification(this.signingKey, p.topic, { ...m, text: publish.textFor(p.bodies, s.protocol) }));
    }
    const r = this.run((ctx) => publish.commitPublish(ctx, input, p, payloads, nowMs));
    if ('ok' in r && p.receivers.length > 0) await this.alarmBy(nowMs);
    return r;
  }

  createTemplate(input: { name: string; protocol: string; content: string }) {
    return this.run((ctx) => templates.createTemplate(ctx, input));
  }

  template(id: string) {
    return this.run((ctx) => templates.getTemplate(ctx, id));
  }

  templates(q: Parameters<typeof templates.listTemplates>[1]) {
    return this.run((ctx) => templates.listTemplates(ctx, q));
  }

  updateTemplate(id: string, content: string) {
    return this.run((ctx) => templates.updateTemplate(ctx, id, content));
  }

  deleteTemplate(id: string) {
    return this.run((ctx) => templates.deleteTemplate(ctx, id));
  }

  /** The delivery log (HTTP(S)) or the outbox (email, SMS), newest first. */
  deliveries(q: Parameters<typeof delivery.listDeliveries>[1]) {
    return this.run((ctx) => delivery.listDeliveries(ctx, q));
  }

  /** Billing's view of the usage outbox, as the TenantDO's (durable/tenant/base.ts). */
  usageOutbox(afterSeq = 0, limit = 1000) {
    return outboxPage(this.db, afterSeq, limit);
  }

  /** Makes the attempts due at `now` (the alarm does; tests call it at a time) and answers how many were made. */
  async deliverDue(now: number = Date.now()): Promise<number> {
    const claimed = this.run((ctx) => delivery.claimDue(ctx, now, this.retryBaseMs));
    if ('error' in claimed) throw new Error(claimed.error.message);
    // The claimed attempts' retries are scheduled already: the alarm is set for them before anything is posted, so
    // that a failure or an eviction while the endpoints answer cannot leave them without one.
    await this.armNext();
    const outcomes = await Promise.all(claimed.ok.map((d) => this.post(d)));
    const r = this.run((ctx) => delivery.recordOutcomes(ctx, outcomes));
    if ('error' in r) throw new Error(r.error.message);
    return outcomes.length;
  }

  /** One attempt: the document posted with SMN's headers, answered within the timeout or not at all. */
  private async post(d: delivery.Outcome['delivery']): Promise<delivery.Outcome> {
    const started = Date.now();
    try {
      const res = await globalThis.fetch(d.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'X-SMN-MESSAGE-TYPE': d.type,
          'X-SMN-MESSAGE-ID': d.messageId,
          'X-SMN-TOPIC-URN': d.topicUrn,
        },
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel();
      return { delivery: d, httpStatus: res.status, error: null, ms: Date.now() - started };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const error = timedOut ? `No answer within ${this.timeoutMs} ms.` : `The endpoint could not be reached: ${String(err)}`;
      return { delivery: d, httpStatus: null, error, ms: Date.now() - started };
    }
  }

  /** Sets the alarm for the next delivery due, if any. */
  private async armNext(): Promise<void> {
    const next = this.run((ctx) => delivery.nextDue(ctx));
    if ('ok' in next && next.ok !== undefined) await this.setAlarm(Math.max(next.ok, Date.now() + 100));
  }

  override async alarm(): Promise<void> {
    this.alarmSpent();
    await this.deliverDue(Date.now());
    await this.armNext();
  }
}

/**
 * Publishing to a topic inside the project's SmnDO: the message is written once with one delivery per receiving
 * subscription (the pair is the delivery's key, so nothing reaches a subscription twice), and a message that names
 * a publisher's event (`key`: an alarm's change of state) is written once however often it is published.
 */
import { eq } from 'drizzle-orm';
import { deliveries, type Message, messages, type Subscription, type Topic } from '../../schema/smn.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { smnId } from './rules.ts';
import { receiving } from './subscriptions.ts';
import { renderTemplates } from './templates.ts';
import { getTopic } from './topics.ts';

/** What a publisher sends: a message, a message per protocol (`default` required), or a template with its tags. */
export type PublishBody =
  | { kind: 'message'; message: string }
  | { kind: 'structure'; bodies: Record<string, string> }
  | { kind: 'template'; name: string; tags: Record<string, string> };

export interface PublishInput {
  topicUrn: string;
  subject: string;
  body: PublishBody;
  /** Seconds an undelivered copy is kept trying. */
  ttl: number;
  /** The publisher's name for this event: a second publish of it answers the first message. */
  key?: string;
}

export interface PublishPlan {
  topic: Topic;
  existing?: Message;
  messageId: string;
  bodies: Record<string, string>;
  receivers: Subscription[];
}

/** Checks a publish and resolves each protocol's text, before the copies for HTTP(S) endpoints are signed. */
export function planPublish(ctx: OpContext, input: PublishInput): PublishPlan {
  const topic = getTopic(ctx, input.topicUrn);
  const existing = input.key ? ctx.db.select().from(messages).where(eq(messages.key, input.key)).get() : undefined;
  const b = input.body;
  const bodies = b.kind === 'message' ? { default: b.message } : b.kind === 'structure' ? b.bodies : renderTemplates(ctx, b.name, b.tags);
  return { topic, existing, messageId: existing?.id ?? smnId(), bodies, receivers: existing ? [] : receiving(ctx, topic.urn) };
}

/** The text a subscription of this protocol gets. */
export const textFor = (bodies: Record<string, string>, protocol: string) => bodies[protocol] ?? bodies.default ?? '';

/** Writes the message and its deliveries (payloads made by the caller, one per subscription URN). */
export function commitPublish(
  ctx: OpContext,
  input: PublishInput,
  plan: PublishPlan,
  payloads: Map<string, string>,
  nowMs: number,
): { messageId: string } {
  getTopic(ctx, input.topicUrn);
  if (input.key) {
    const again = ctx.db.select().from(messages).where(eq(messages.key, input.key)).get();
    if (again) return { messageId: again.id };
  }
  const expiresAt = nowMs + input.ttl * 1000;
  ctx.db
    .insert(messages)
    .values({
      id: plan.messageId,
      topicUrn: plan.topic.urn,
      key: input.key ?? null,
      subject: input.subject,
      bodies: plan.bodies,
      publishedAt: ctx.now,
      expiresAt,
    })
    .run();
  for (const s of plan.receivers) {
    const web = s.protocol === 'http' || s.protocol === 'https';
    ctx.db
      .insert(deliveries)
      .values({
        messageId: plan.messageId,
        subscriptionUrn: s.urn,
        topicUrn: s.topicUrn,
        type: 'Notification',
        protocol: s.protocol,
        endpoint: s.endpoint,
        subject: input.subject,
        payload: payloads.get(s.urn) ?? '',
        status: web ? 'pending' : 'recorded',
        nextAt: web ? nowMs : null,
        expiresAt,
        createdAt: ctx.now,
        doneAt: web ? null : ctx.now,
      })
      .onConflictDoNothing()
      .run();
  }
  return { messageId: plan.messageId };
}

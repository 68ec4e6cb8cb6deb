/**
 * State of a project's SmnDO (Simple Message Notification): its topics, their subscriptions, its message templates,
 * the messages published, one delivery per message and subscription (the key that keeps a message from reaching a
 * subscription twice) with every attempt at it, and the usage events of what was delivered.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export { usageEvents } from './tenant/usage.ts';

/** A topic: what publishers send to and subscriptions receive from. */
export const topics = sqliteTable('topics', {
  urn: text('urn').primaryKey(),
  name: text('name').notNull().unique(),
  /** SMN's `topic_id`: 32 hex digits. */
  id: text('id').notNull(),
  displayName: text('display_name').notNull(),
  /** The origin the topic was created on: its subscribe and certificate URLs are made there. */
  origin: text('origin').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** SMN's subscription statuses: 0 unconfirmed, 1 confirmed, 2 no confirmation needed, 3 canceled. */
export type SubscriptionStatus = 0 | 1 | 2 | 3;
export type Protocol = 'http' | 'https' | 'email' | 'sms';

/** An endpoint subscribed to a topic. */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    urn: text('urn').primaryKey(),
    topicUrn: text('topic_urn').notNull(),
    protocol: text('protocol').$type<Protocol>().notNull(),
    endpoint: text('endpoint').notNull(),
    remark: text('remark').notNull(),
    status: integer('status').$type<SubscriptionStatus>().notNull(),
    /** The secret of its subscribe URL (http and https only). */
    token: text('token'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('subscriptions_endpoint').on(t.topicUrn, t.protocol, t.endpoint), uniqueIndex('subscriptions_token').on(t.token)],
);

/** A message template: text with `{tag}` placeholders, one per name and protocol (`default` serves the rest). */
export const templates = sqliteTable(
  'templates',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    protocol: text('protocol').notNull(),
    content: text('content').notNull(),
    tagNames: text('tag_names', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('templates_name').on(t.name, t.protocol)],
);

/** A published message; `key` names an internal publisher's event (an alarm's change), so that it publishes once. */
export const messages = sqliteTable('messages', {
  id: text('id').primaryKey(),
  topicUrn: text('topic_urn').notNull(),
  key: text('key').unique(),
  subject: text('subject').notNull(),
  /** The text each protocol gets (`default` for those the publisher did not name). */
  bodies: text('bodies', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  publishedAt: text('published_at').notNull(),
  /** Epoch ms after which an undelivered copy is dropped (`time_to_live`). */
  expiresAt: integer('expires_at').notNull(),
});

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'expired' | 'recorded' | 'skipped';

/**
 * One message for one subscription: a confirmation request or a notification. The payload is made and signed
 * once, so that every retry sends the same bytes with the same message id.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    messageId: text('message_id').notNull(),
    subscriptionUrn: text('subscription_urn').notNull(),
    topicUrn: text('topic_urn').notNull(),
    type: text('type').$type<'SubscriptionConfirmation' | 'Notification'>().notNull(),
    protocol: text('protocol').$type<Protocol>().notNull(),
    endpoint: text('endpoint').notNull(),
    subject: text('subject').notNull(),
    /** What is sent: the signed JSON document (http, https) or the text (email, sms: kept, not sent). */
    payload: text('payload').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Epoch ms of the next attempt while pending. */
    nextAt: integer('next_at'),
    expiresAt: integer('expires_at').notNull(),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    doneAt: text('done_at'),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.subscriptionUrn] }), index('deliveries_due').on(t.status, t.nextAt)],
);

/** Every attempt at a delivery: when, what the endpoint answered (or why it did not), how long it took. */
export const attempts = sqliteTable(
  'attempts',
  {
    messageId: text('message_id').notNull(),
    subscriptionUrn: text('subscription_urn').notNull(),
    n: integer('n').notNull(),
    at: text('at').notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    ms: integer('ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.subscriptionUrn, t.n] })],
);

export type Topic = typeof topics.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Template = typeof templates.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
export type Attempt = typeof attempts.$inferSelect;

/**
 * Money in the global directory (DESIGN: price list, usage ledger, invoices): the revisions of each price line,
 * the notices of those revisions to accounts, the usage ledger taken from the projects' outboxes, and its hourly
 * rollup. Unit prices are integers in millionths of a cent and rollups integers of a meter's base unit
 * (core/money.ts, core/usage.ts), so every figure is exact.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Meter, UsageAction } from '../../core/usage.ts';

const createdAt = () => text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

/** How a revision changes its line's price (clause 1.4.3 to 1.4.5 decide when each may take effect). */
export type RevisionKind = 'initial' | 'new' | 'increase' | 'decrease' | 'unchanged' | 'promotion';

/**
 * One price of one line (`prices.id`) from `effective_from` on, until a later revision takes effect; a promotion
 * ends at `ends_at`, after which the price in effect before it applies again.
 */
export const priceRevisions = sqliteTable(
  'price_revisions',
  {
    id: text('id').primaryKey(),
    lineId: text('line_id').notNull(),
    /** Millionths of a cent per unit of the line. */
    unitPrice: integer('unit_price').notNull(),
    kind: text('kind').$type<RevisionKind>().notNull(),
    effectiveFrom: text('effective_from').notNull(),
    endsAt: text('ends_at'),
    publishedAt: text('published_at').notNull(),
    /** The operator's user who published it (empty for the seed's list). */
    publishedBy: text('published_by').notNull().default(''),
    note: text('note').notNull().default(''),
  },
  (t) => [index('price_revisions_line').on(t.lineId, t.effectiveFrom)],
);

/** A published revision, told to one account it affects (clause 1.4.3, 1.4.4: by publication or otherwise). */
export const priceNotices = sqliteTable(
  'price_notices',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id').notNull(),
    revisionId: text('revision_id').notNull(),
    publishedAt: text('published_at').notNull(),
    effectiveFrom: text('effective_from').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('price_notices_once').on(t.domainId, t.revisionId), index('price_notices_domain').on(t.domainId, t.publishedAt)],
);

/** The usage ledger: every project's usage events, once each (the event id is the key, so a replay adds nothing). */
export const usageLedger = sqliteTable(
  'usage_ledger',
  {
    eventId: text('event_id').primaryKey(),
    domainId: text('domain_id').notNull(),
    projectId: text('project_id').notNull(),
    regionId: text('region_id').notNull(),
    meter: text('meter').$type<Meter>().notNull(),
    resourceId: text('resource_id').notNull(),
    action: text('action').$type<UsageAction>().notNull(),
    /** The event's quantity in the meter's base unit (quantity x scale), an integer. */
    quantity: integer('quantity').notNull(),
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    at: text('at').notNull(),
    ingestedAt: text('ingested_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index('usage_ledger_resource').on(t.projectId, t.resourceId, t.at), index('usage_ledger_domain').on(t.domainId, t.at)],
);

/** How far each project's outbox has been taken into the ledger: the outbox's row sequence last taken. */
export const usageCursors = sqliteTable('usage_cursors', {
  projectId: text('project_id').primaryKey(),
  lastSeq: integer('last_seq').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * The hourly rollup per account, resource and meter: a held meter's base units x seconds within the hour, or a
 * counted meter's sum. One row per distinct rating attributes (a server resized within the hour has two).
 * Rebuilt from the ledger for an hour at a time, so it is always reproducible.
 */
export const usageHourly = sqliteTable(
  'usage_hourly',
  {
    domainId: text('domain_id').notNull(),
    projectId: text('project_id').notNull(),
    regionId: text('region_id').notNull(),
    meter: text('meter').$type<Meter>().notNull(),
    resourceId: text('resource_id').notNull(),
    /** The event attributes that rate it, as canonical JSON (sorted keys). */
    attributes: text('attributes').notNull(),
    /** `YYYY-MM-DDTHH`, UTC. */
    hour: text('hour').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.meter, t.resourceId, t.attributes, t.hour] }),
    index('usage_hourly_domain').on(t.domainId, t.hour),
  ],
);

export type PriceRevision = typeof priceRevisions.$inferSelect;
export type LedgerEntry = typeof usageLedger.$inferSelect;
export type HourlyUsage = typeof usageHourly.$inferSelect;

/** An account's invoice for a calendar month (UTC), closed by the month-end job; its id is `<domain>:<YYYY-MM>`. */
export const invoices = sqliteTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id').notNull(),
    month: text('month').notNull(),
    status: text('status').$type<'closed'>().notNull(),
    currency: text('currency').notNull(),
    /** Minor units: the sum of the rounded lines. */
    total: integer('total').notNull(),
    /** SHA-256 of the lines as rated, so a rerun of the month shows it gives the same invoice. */
    fingerprint: text('fingerprint').notNull(),
    closedAt: text('closed_at').notNull(),
  },
  (t) => [uniqueIndex('invoices_month').on(t.domainId, t.month)],
);

/** A line of an invoice: a resource's use under one price revision, a subscription's charge, or unpriced use. */
export const invoiceLines = sqliteTable(
  'invoice_lines',
  {
    invoiceId: text('invoice_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<'usage' | 'subscription' | 'credit' | 'unpriced'>().notNull(),
    service: text('service').notNull(),
    product: text('product').notNull(),
    regionId: text('region_id').notNull(),
    resourceId: text('resource_id').notNull().default(''),
    label: text('label').notNull(),
    lineId: text('line_id'),
    revisionId: text('revision_id'),
    /** Millionths of a cent per unit. */
    unitPrice: integer('unit_price'),
    unit: text('unit').notNull(),
    /** The quantity of priced units, to 6 decimals, for reading; the amount comes from the exact fraction below. */
    quantity: text('quantity').notNull(),
    /** The exact quantity: base units (a bigint as text) over how many of them make one priced unit. */
    baseQuantity: text('base_quantity').notNull(),
    per: text('per').notNull(),
    amount: integer('amount').notNull(),
    fromAt: text('from_at').notNull(),
    toAt: text('to_at').notNull(),
    /** The clause of the service description the charge follows, when one decides it. */
    clause: text('clause').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.seq] })],
);

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceLine = typeof invoiceLines.$inferSelect;

/** An account's billing settings: its support plan elections (clause 1.3), written whole under a version check. */
export const billingAccounts = sqliteTable('billing_accounts', {
  domainId: text('domain_id').primaryKey(),
  supportElections: text('support_elections', { mode: 'json' }).$type<{ plan: string; electedAt: string }[]>().notNull(),
  /** Moves by one at every write: a write that read an older version is refused, never lost. */
  version: integer('version').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** What an order subscribes to. */
export type SubscriptionKind = 'reserved_instance' | 'bare_metal' | 'workspace' | 'direct_connect';

/**
 * A subscription, made by paying its order: a Reserved Instance (clause 1.2.3.2), a Bare Metal Server
 * (1.2.3.20), WorkSpace desktops (1.2.3.25) or a Direct Connect (1.2.3.24). Its prices are those of the order
 * (clause 1.4.1: the Charges are listed in the Order), kept here.
 */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id').notNull(),
    orderId: text('order_id').notNull(),
    kind: text('kind').$type<SubscriptionKind>().notNull(),
    regionId: text('region_id').notNull(),
    /** The flavor (Reserved Instance), server type (bare metal), `desktop` (WorkSpace) or `bandwidth` (Direct Connect). */
    product: text('product').notNull(),
    /** Years, for a Reserved Instance. */
    termYears: integer('term_years'),
    count: integer('count').notNull(),
    /** Millionths of a cent: the one-time charge per unit, and the monthly charge per unit. */
    oneTimePrice: integer('one_time_price').notNull(),
    monthlyPrice: integer('monthly_price').notNull(),
    startedAt: text('started_at').notNull(),
    endedAt: text('ended_at'),
    /** Direct Connect's subscribed bandwidth (clause 1.2.3.24). */
    bandwidthMbps: integer('bandwidth_mbps'),
    /** The subscription this one renews: it starts where that one's term ends. */
    renewalOf: text('renewal_of'),
    /** Renewed by the hourly job before its term ends (BSS's autorenew). */
    autoRenew: integer('auto_renew', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('subscriptions_domain').on(t.domainId, t.kind), uniqueIndex('subscriptions_renewal').on(t.renewalOf)],
);

/** An order (Huawei BSS's customer order): status 5 pending payment, 4 completed, 3 cancelled. */
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id').notNull(),
    /** The client's idempotency key: the same key makes the same order once. */
    clientToken: text('client_token'),
    kind: text('kind').$type<SubscriptionKind>().notNull(),
    regionId: text('region_id').notNull(),
    product: text('product').notNull(),
    termYears: integer('term_years'),
    count: integer('count').notNull(),
    oneTimePrice: integer('one_time_price').notNull(),
    monthlyPrice: integer('monthly_price').notNull(),
    status: integer('status').notNull(),
    bandwidthMbps: integer('bandwidth_mbps'),
    /** A renewal order: the subscription it renews, and when the renewed term starts (that one's end). */
    renewalOf: text('renewal_of'),
    startsAt: text('starts_at'),
    autoRenew: integer('auto_renew', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    paidAt: text('paid_at'),
  },
  (t) => [index('orders_domain').on(t.domainId), uniqueIndex('orders_client_token').on(t.domainId, t.clientToken)],
);

export type Subscription = typeof subscriptions.$inferSelect;
export type Order = typeof orders.$inferSelect;

/**
 * A credit the operator grants an account: `amount` minor units off its invoices, oldest credit first, from the
 * month it is granted in until it expires. What each invoice took from it is on that invoice's credit lines, so
 * what is left is the amount less those lines (nothing is kept that a rerun of a month could disagree with).
 */
export const credits = sqliteTable(
  'credits',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id').notNull(),
    amount: integer('amount').notNull(),
    reason: text('reason').notNull(),
    grantedAt: text('granted_at').notNull(),
    /** Exclusive: a month that starts at or after it takes nothing from the credit. */
    expiresAt: text('expires_at'),
    grantedBy: text('granted_by').notNull(),
  },
  (t) => [index('credits_domain').on(t.domainId, t.grantedAt)],
);

/** An account's monthly budget (minor units) and the percentages of it that raise a notice. */
export const budgets = sqliteTable('budgets', {
  domainId: text('domain_id').primaryKey(),
  amount: integer('amount').notNull(),
  thresholds: text('thresholds', { mode: 'json' }).$type<number[]>().notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** A budget threshold crossed in a month: one notice per account, month and threshold, however often checked. */
export const budgetNotices = sqliteTable(
  'budget_notices',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id').notNull(),
    month: text('month').notNull(),
    threshold: integer('threshold').notNull(),
    /** The month-to-date charges and the budget when it was crossed, minor units. */
    spent: integer('spent').notNull(),
    budget: integer('budget').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('budget_notices_once').on(t.domainId, t.month, t.threshold)],
);

export type Credit = typeof credits.$inferSelect;
export type Budget = typeof budgets.$inferSelect;
export type BudgetNotice = typeof budgetNotices.$inferSelect;

/**
 * Which hours of an account's `usage_hourly` are exact, so that usage reads serve them instead of the ledger:
 * `[from_hour, through_hour)`, extended by each rollup of whole finished hours and cut back to the hour of any
 * event taken late into the ledger. `stamp` moves at every cut, so a rollup that read the ledger before a cut does
 * not extend the range over it.
 */
export const usageRollups = sqliteTable('usage_rollups', {
  domainId: text('domain_id').primaryKey(),
  fromHour: text('from_hour').notNull(),
  throughHour: text('through_hour').notNull(),
  stamp: integer('stamp').notNull().default(0),
});

export type UsageRollup = typeof usageRollups.$inferSelect;

/**
 * Where an account's billing notices (price revisions, budget alerts) are sent: an SMN topic of one of its projects,
 * which the account chooses (`PUT /bss/v2/notification-settings`). None: they are only shown.
 */
export const notificationSettings = sqliteTable('notification_settings', {
  domainId: text('domain_id').primaryKey(),
  topicUrn: text('topic_urn').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export type NotificationSetting = typeof notificationSettings.$inferSelect;

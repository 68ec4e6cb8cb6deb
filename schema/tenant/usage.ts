/** The project's usage events (core/usage.ts), written with the changes they describe, until billing takes them. */
import { index, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Meter, UsageAction } from '../../core/usage.ts';

export const usageEvents = sqliteTable(
  'usage_events',
  {
    id: text('id').primaryKey(),
    meter: text('meter').$type<Meter>().notNull(),
    resourceId: text('resource_id').notNull(),
    action: text('action').$type<UsageAction>().notNull(),
    quantity: real('quantity').notNull(),
    attributes: text('attributes', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    at: text('at').notNull(),
  },
  (t) => [index('usage_events_resource').on(t.resourceId), index('usage_events_at').on(t.at)],
);

export type UsageEventRow = typeof usageEvents.$inferSelect;

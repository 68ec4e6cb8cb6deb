/**
 * State of a project's StackIndexDO (RTS): one row per stack with what a list shows and a name lookup needs. Each
 * StackDO owns its stack; this index only mirrors the summary the StackDO reports after every change.
 */
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const stacks = sqliteTable(
  'stacks',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    status: text('status').notNull(),
    reason: text('reason').notNull(),
    ownerId: text('owner_id').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at'),
    deletedAt: text('deleted_at'),
  },
  (t) => [index('stacks_name').on(t.name)],
);

export type StackSummary = typeof stacks.$inferSelect;

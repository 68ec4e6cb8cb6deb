/**
 * State of one stack's StackDO (RTS): the stack itself (its template, environment and parameters as given, its
 * owner, its action and status), each resource with the cloud resource it made, and the events of both.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { StackOwner } from '../core/rts/messages.ts';

export type StackAction = 'INIT' | 'CREATE' | 'DELETE' | 'UPDATE' | 'ROLLBACK' | 'SUSPEND' | 'RESUME' | 'CHECK';
export type StackStatus = 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';

export type { StackOwner };

/** The stack (one row). */
export const stack = sqliteTable('stack', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  owner: text('owner', { mode: 'json' }).$type<StackOwner>().notNull(),
  action: text('action').$type<StackAction>().notNull(),
  status: text('status').$type<StackStatus>().notNull(),
  reason: text('reason').notNull(),
  template: text('template', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  environment: text('environment', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  files: text('files', { mode: 'json' }).$type<Record<string, string>>().notNull(),
  parameters: text('parameters', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  disableRollback: integer('disable_rollback', { mode: 'boolean' }).notNull(),
  timeoutMins: integer('timeout_mins'),
  tags: text('tags', { mode: 'json' }).$type<string[]>(),
  /** Outputs resolved when the stack completed: [{output_key, output_value, description, output_error?}]. */
  outputs: text('outputs', { mode: 'json' }).$type<Record<string, unknown>[]>().notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at'),
  deletedAt: text('deleted_at'),
  /** Epoch ms when the action in progress times out. */
  deadline: integer('deadline'),
});

/** A resource of the stack and the cloud resource it stands for. */
export const resources = sqliteTable('resources', {
  name: text('name').primaryKey(),
  type: text('type').notNull(),
  action: text('action').$type<StackAction>().notNull(),
  status: text('status').$type<StackStatus>().notNull(),
  reason: text('reason').notNull(),
  physicalId: text('physical_id').notNull().default(''),
  /** The name it is created with when its template gives none: how a step retried after a crash finds it. */
  physicalName: text('physical_name').notNull(),
  /** Epoch ms when its create call was first sent (null: never sent): a retry looks for what that call made. */
  attemptedAt: integer('attempted_at'),
  /** Its attributes, read when it completed (get_attr and outputs read these). */
  attributes: text('attributes', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** Its properties as resolved for the create. */
  properties: text('properties', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  deletionPolicy: text('deletion_policy').notNull(),
  requiredBy: text('required_by', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at'),
});

/** The events of the stack (resource name = the stack's) and of its resources, in order. */
export const events = sqliteTable('events', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull().unique(),
  time: text('time').notNull(),
  resourceName: text('resource_name').notNull(),
  physicalId: text('physical_id').notNull(),
  resourceType: text('resource_type').notNull(),
  action: text('action').notNull(),
  status: text('status').notNull(),
  reason: text('reason').notNull(),
});

export type StackRow = typeof stack.$inferSelect;
export type ResourceRow = typeof resources.$inferSelect;
export type EventRow = typeof events.$inferSelect;

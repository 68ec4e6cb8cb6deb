/**
 * The StackDO's rows: the stack, its resources and events, read and written inside the object's transactions.
 * Every status change writes its event in the same transaction, so events and statuses never disagree.
 */
import { asc, eq } from 'drizzle-orm';
import type { DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite';
import {
  type EventRow,
  events,
  type ResourceRow,
  resources,
  type StackAction,
  type StackRow,
  type StackStatus,
  stack,
} from '../../schema/stack.ts';

export type Db = DrizzleSqliteDODatabase;

/** The stack row; undefined before create. */
export const stackRow = (db: Db): StackRow | undefined => db.select().from(stack).get();

/** Every resource row, by name. */
export const resourceRows = (db: Db): ResourceRow[] => db.select().from(resources).orderBy(asc(resources.name)).all();

/** One resource row. */
export const resourceRow = (db: Db, name: string): ResourceRow | undefined =>
  db.select().from(resources).where(eq(resources.name, name)).get();

/** Records an event (the stack's own when `r` is absent). */
export function addEvent(
  db: Db,
  s: StackRow,
  now: string,
  r: ResourceRow | undefined,
  action: string,
  status: string,
  reason: string,
): void {
  db.insert(events)
    .values({
      id: crypto.randomUUID(),
      time: now,
      resourceName: r ? r.name : s.name,
      physicalId: r ? r.physicalId : s.id,
      resourceType: r ? r.type : 'OS::Heat::Stack',
      action,
      status,
      reason,
    })
    .run();
}

/** Moves the stack to an action and status, with its event. */
export function setStack(
  db: Db,
  s: StackRow,
  now: string,
  action: StackAction,
  status: StackStatus,
  reason: string,
  extra: Partial<StackRow> = {},
): StackRow {
  const next = { ...s, action, status, reason, ...extra };
  db.update(stack)
    .set({ action, status, reason, ...extra })
    .run();
  addEvent(db, next, now, undefined, action, status, reason);
  return next;
}

/** Moves a resource to an action and status, with its event. */
export function setResource(
  db: Db,
  s: StackRow,
  now: string,
  r: ResourceRow,
  action: StackAction,
  status: StackStatus,
  reason: string,
  extra: Partial<ResourceRow> = {},
): ResourceRow {
  const next = { ...r, action, status, reason, updatedAt: now, ...extra };
  db.update(resources)
    .set({ action, status, reason, updatedAt: now, ...extra })
    .where(eq(resources.name, r.name))
    .run();
  addEvent(db, s, now, next, action, status, reason);
  return next;
}

/** Every event in order. */
export const eventRows = (db: Db): EventRow[] => db.select().from(events).orderBy(asc(events.seq)).all();

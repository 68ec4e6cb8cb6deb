/** A project's topics inside its SmnDO: create, list (by name, a page at an offset), show, rename, delete. */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { topicUrn } from '../../core/smn/urn.ts';
import { deliveries, subscriptions, type Topic, topics } from '../../schema/smn.ts';
import { contains } from '../lib/contains.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { exists, QUOTAS, quotaUsed, smnId, topicNotFound } from './rules.ts';

export interface TopicInput {
  region: string;
  projectId: string;
  name: string;
  displayName: string;
  origin: string;
}

/** Creates a topic; its URN is made of the region, the project and the name. */
export function createTopic(ctx: OpContext, input: TopicInput): Topic {
  const urn = topicUrn(input.region, input.projectId, input.name);
  if (ctx.db.select().from(topics).where(eq(topics.name, input.name)).get()) throw exists(`The topic ${input.name} already exists.`);
  const used = ctx.db.select({ n: count() }).from(topics).get()?.n ?? 0;
  if (used >= QUOTAS.topic) throw quotaUsed('topic');
  const row = { urn, name: input.name, id: smnId(), displayName: input.displayName, origin: input.origin };
  return ctx.db
    .insert(topics)
    .values({ ...row, createdAt: ctx.now, updatedAt: ctx.now })
    .returning()
    .get();
}

/** A topic by URN, or SMN's not found. */
export function getTopic(ctx: OpContext, urn: string): Topic {
  const t = ctx.db.select().from(topics).where(eq(topics.urn, urn)).get();
  if (!t) throw topicNotFound(urn);
  return t;
}

/** A page of topics in creation order, optionally those whose name contains `name` (SMN's fuzzy filter). */
export function listTopics(ctx: OpContext, q: { offset: number; limit: number; name?: string; exactName?: string }) {
  const where = and(q.name ? contains(topics.name, q.name) : undefined, q.exactName ? eq(topics.name, q.exactName) : undefined);
  const total = ctx.db.select({ n: count() }).from(topics).where(where).get()?.n ?? 0;
  const page = ctx.db
    .select()
    .from(topics)
    .where(where)
    .orderBy(asc(topics.createdAt), asc(topics.name))
    .limit(q.limit)
    .offset(q.offset)
    .all();
  return { page, total };
}

/** Changes a topic's display name. */
export function renameTopic(ctx: OpContext, urn: string, displayName: string): Topic {
  getTopic(ctx, urn);
  return ctx.db.update(topics).set({ displayName, updatedAt: ctx.now }).where(eq(topics.urn, urn)).returning().get();
}

/** Deletes a topic with its subscriptions; what was still to be delivered from it is dropped. */
export function deleteTopic(ctx: OpContext, urn: string): void {
  getTopic(ctx, urn);
  ctx.db
    .update(deliveries)
    .set({ status: 'skipped', nextAt: null, lastError: 'The topic was deleted.', doneAt: ctx.now })
    .where(and(eq(deliveries.topicUrn, urn), inArray(deliveries.status, ['pending'])))
    .run();
  ctx.db.delete(subscriptions).where(eq(subscriptions.topicUrn, urn)).run();
  ctx.db.delete(topics).where(eq(topics.urn, urn)).run();
}

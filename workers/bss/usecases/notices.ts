/**
 * Billing notices sent to the account's notification subscriptions (issue 13): the account chooses an SMN topic of
 * one of its projects, and the hourly job publishes each price notice and budget alert of the last 31 days to it,
 * through SMN's publish use case. Each publish names its notice (`bss:price:{id}`, `bss:budget:{id}`), which SMN
 * keeps once per topic: a notice missed by a run (SMN unreachable) is sent by the next, and none is sent twice.
 */
import { and, eq, gte, inArray } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import { minorText } from '../../../core/money.ts';
import { missingTopics, publishNotice } from '../../../core/smn/notify.ts';
import { parseTopicUrn } from '../../../core/smn/urn.ts';
import { budgetNotices, notificationSettings, priceNotices, projects } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { badRequest } from '../../lib/errors.ts';

const WINDOW_MS = 31 * 86_400_000;

/** The account's notification topic (null: none chosen). */
export async function notificationTopic(env: Env, domainId: string): Promise<string | null> {
  const db = await directory(env);
  const row = await db.select().from(notificationSettings).where(eq(notificationSettings.domainId, domainId)).get();
  return row?.topicUrn ?? null;
}

/** Sets (or with null clears) the account's topic: an existing SMN topic of one of the account's projects. */
export async function setNotificationTopic(env: Env, domainId: string, topicUrn: string | null, now = new Date()) {
  const db = await directory(env);
  if (topicUrn === null) {
    await db.delete(notificationSettings).where(eq(notificationSettings.domainId, domainId));
    return null;
  }
  const projectId = parseTopicUrn(topicUrn)?.projectId ?? '';
  const own = await db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.domainId, domainId)))
    .get();
  if (!own || (await missingTopics(env, projectId, [topicUrn])).length) {
    throw badRequest(`Invalid input: ${topicUrn} is not an SMN topic of this account's projects.`, 'CBC.0100');
  }
  const row = { domainId, topicUrn, updatedAt: now.toISOString() };
  await db.insert(notificationSettings).values(row).onConflictDoUpdate({ target: notificationSettings.domainId, set: row });
  return topicUrn;
}

/** The notices of the accounts (those of `scope`) that chose a topic, published to it; answers how many were tried. */
export async function sendNotices(env: Env, now: Date, scope?: readonly string[]): Promise<number> {
  const db = await directory(env);
  const settings = (await db.select().from(notificationSettings).all()).filter((s) => !scope || scope.includes(s.domainId));
  if (settings.length === 0) return 0;
  const since = new Date(now.getTime() - WINDOW_MS).toISOString();
  const domains = settings.map((s) => s.domainId);
  const [prices, budgets] = await db.batch([
    db
      .select()
      .from(priceNotices)
      .where(and(inArray(priceNotices.domainId, domains), gte(priceNotices.createdAt, since))),
    db
      .select()
      .from(budgetNotices)
      .where(and(inArray(budgetNotices.domainId, domains), gte(budgetNotices.createdAt, since))),
  ]);
  let sent = 0;
  for (const s of settings) {
    const notices = [
      ...prices
        .filter((n) => n.domainId === s.domainId)
        .map((n) => ({
          key: `bss:price:${n.id}`,
          subject: 'Flexible Engine: a price revision affects your account',
          message: `A price revision (${n.revisionId}) published on ${n.publishedAt} takes effect on ${n.effectiveFrom}.`,
        })),
      ...budgets
        .filter((n) => n.domainId === s.domainId)
        .map((n) => ({
          key: `bss:budget:${n.id}`,
          subject: `Flexible Engine: ${n.threshold}% of your ${n.month} budget is reached`,
          message: `Charges for ${n.month} so far: EUR ${minorText(n.spent)} of a EUR ${minorText(n.budget)} budget (${n.threshold}% threshold).`,
        })),
    ];
    for (const notice of notices) {
      const failed = await publishNotice(env, [s.topicUrn], notice);
      for (const f of failed) console.error(JSON.stringify({ domain_id: s.domainId, topic_urn: f.urn, notice: notice.key, error: f.why }));
      sent += 1;
    }
  }
  return sent;
}

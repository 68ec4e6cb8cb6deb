/**
 * Billing notices through SMN (issue 13): the account chooses an SMN topic of one of its projects (another account's
 * topic, or none that exists, is refused); the hourly job publishes its price notices and budget alerts to it, and a
 * confirmed webhook receives each once, however often the job runs.
 */
import { describe, expect, it } from 'vitest';
import { budgetNotices, priceNotices } from '../../schema/global.ts';
import { billingHour } from '../../workers/bss/schedule.ts';
import { directory } from '../../workers/directory/client.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';
import { bindings, confirmedWebhook, receiver, smnProject, topic, until } from './fixtures.ts';

describe('billing notices', () => {
  it('go to the topic the account chose, each once', async () => {
    const a = await newAccount('smn-notices');
    const token = await tokenFor(a);
    const p = { token, project: a.projects[0]!.id };
    const urn = await topic(p, 'billing');
    const hook = receiver('billing-hook.test');
    await confirmedWebhook(p, urn, hook, 'http://billing-hook.test/in');
    expect((await send(token, 'GET', '/bss/v2/notification-settings')).body).toEqual({ topic_urn: null });
    const theirs = await topic(await smnProject('smn-notices-other'), 'elsewhere');
    for (const bad of [theirs, `${urn}-missing`]) {
      const refused = await send(token, 'PUT', '/bss/v2/notification-settings', { topic_urn: bad });
      expect(refused.status, bad).toBe(400);
    }
    const set = await send(token, 'PUT', '/bss/v2/notification-settings', { topic_urn: urn });
    expect(set.body).toEqual({ topic_urn: urn });
    // What the hourly job and a price revision write: a budget alert and a price notice of this account.
    const db = await directory(bindings);
    const d = a.domainId;
    await db
      .insert(budgetNotices)
      .values({ id: `${d}:2026-12:80`, domainId: d, month: '2026-12', threshold: 80, spent: 8_000, budget: 10_000 });
    const now = new Date().toISOString();
    await db.insert(priceNotices).values({ id: `${d}:rev-1`, domainId: d, revisionId: 'rev-1', publishedAt: now, effectiveFrom: now });
    expect((await billingHour(bindings, new Date(), [d])).notified).toBe(2);
    await until(() => hook.received.length === 3, 'the two notices');
    const subjects = hook.received
      .slice(1)
      .map((r) => r.body.subject)
      .sort();
    expect(subjects).toEqual([
      'Flexible Engine: 80% of your 2026-12 budget is reached',
      'Flexible Engine: a price revision affects your account',
    ]);
    expect(hook.received.every((r) => r.verified)).toBe(true);
    expect(hook.received.find((r) => r.body.subject?.includes('budget'))!.body.message).toContain('EUR 80.00 of a EUR 100.00 budget');
    // The next run publishes the same notices again: SMN knows them, nothing new is delivered.
    await billingHour(bindings, new Date(), [d]);
    await bindings.SMN.getByName(p.project).deliverDue(Date.now() + 3_600_000);
    expect(hook.received).toHaveLength(3);
    expect((await send(token, 'PUT', '/bss/v2/notification-settings', { topic_urn: null })).body).toEqual({ topic_urn: null });
  });
});

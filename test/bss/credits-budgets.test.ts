/**
 * Credits on invoices (oldest first, up to the month's charges, the rest carried forward, expiry, the same when a
 * closed month is rated again) and budget alerts raised by the hourly job, one per threshold per month.
 */
import { describe, expect, it } from 'vitest';
import { credits, subscriptions } from '../../schema/global.ts';
import { billingHour } from '../../workers/bss/schedule.ts';
import { directory } from '../../workers/directory/client.ts';
import { bindings } from '../ecs/fixtures.ts';
import { newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { expectNativeError, send } from '../request.ts';

/** A bare metal subscription of `monthly` cents from `startedAt`: a known charge for every month. */
const bareMetal = (domainId: string, id: string, monthly: number, startedAt: string) => ({
  id: `${domainId}:${id}`,
  domainId,
  orderId: `${domainId}:${id}`,
  kind: 'bare_metal' as const,
  regionId: 'eu-west-0',
  product: 'physical.s4.medium',
  count: 1,
  oneTimePrice: 0,
  monthlyPrice: monthly * 1_000_000,
  startedAt,
});

describe('credits', () => {
  it('are taken oldest first up to the charges, carry the rest forward, expire, and rate again the same', async () => {
    const account = await newAccount('cred');
    const d = account.domainId;
    const db = await directory(bindings);
    await db.insert(subscriptions).values(bareMetal(d, 'bms', 12_000, '2025-12-01T00:00:00.000Z'));
    await db.insert(credits).values([
      { id: `${d}:a`, domainId: d, amount: 15_000, reason: 'outage', grantedAt: '2025-12-20T10:00:00.000Z', grantedBy: 'op' },
      {
        id: `${d}:b`,
        domainId: d,
        amount: 8_000,
        reason: 'goodwill',
        grantedAt: '2026-01-10T10:00:00.000Z',
        expiresAt: '2026-03-01T00:00:00.000Z',
        grantedBy: 'op',
      },
    ]);
    const operator = await operatorToken();
    const token = await tokenFor(account);
    const month = async (m: string) => {
      expect((await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: d, month: m })).status).toBe(201);
      const { body } = await send(token, 'GET', `/bss/v2/invoices/${m}`);
      return [
        body.invoice.total,
        body.lines.map((l: { kind: string; resource_id: string; amount: number }) => [l.kind, l.resource_id, l.amount]),
      ];
    };
    // January: 120.00 charged, all of it from the older credit (150.00), which keeps 30.00.
    expect(await month('2026-01')).toEqual([
      0,
      [
        ['subscription', `${d}:bms`, 12_000],
        ['credit', `${d}:a`, -12_000],
      ],
    ]);
    // February: the older credit's last 30.00, then 80.00 of the newer: 10.00 to pay.
    expect(await month('2026-02')).toEqual([
      1_000,
      [
        ['subscription', `${d}:bms`, 12_000],
        ['credit', `${d}:a`, -3_000],
        ['credit', `${d}:b`, -8_000],
      ],
    ]);
    // March: the newer one is used up (and expired on the 1st anyway): nothing off.
    expect(await month('2026-03')).toEqual([12_000, [['subscription', `${d}:bms`, 12_000]]]);
    // Rated again after later months took from the same credits: each month gives what it gave.
    for (const m of ['2026-01', '2026-02']) {
      expect((await send(token, 'GET', `/bss/v2/invoices/${m}/verification`)).body.reproduced).toBe(true);
    }
    const left = (await send(token, 'GET', '/bss/v2/credits')).body.credits;
    expect(left.map((c: { id: string; amount: number; remaining: number }) => [c.id, c.amount, c.remaining])).toEqual([
      [`${d}:a`, 15_000, 0],
      [`${d}:b`, 8_000, 0],
    ]);
  });

  it('an expired credit is not taken, and what it had left stays unused', async () => {
    const account = await newAccount('crex');
    const d = account.domainId;
    const db = await directory(bindings);
    await db.insert(subscriptions).values(bareMetal(d, 'bms', 5_000, '2026-01-01T00:00:00.000Z'));
    // Granted in January's last second, expiring as March starts: taken in January and February only.
    await db.insert(credits).values({
      id: `${d}:c`,
      domainId: d,
      amount: 20_000,
      reason: 'migration',
      grantedAt: '2026-01-31T23:59:59.000Z',
      expiresAt: '2026-03-01T00:00:00.000Z',
      grantedBy: 'op',
    });
    const operator = await operatorToken();
    for (const m of ['2026-01', '2026-02', '2026-03']) await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: d, month: m });
    const totals = (await send(await tokenFor(account), 'GET', '/bss/v2/invoices')).body.invoices.map(
      (i: { month: string; total: number }) => [i.month, i.total],
    );
    expect(totals).toEqual([
      ['2026-03', 5_000],
      ['2026-02', 0],
      ['2026-01', 0],
    ]);
    expect((await send(await tokenFor(account), 'GET', '/bss/v2/credits')).body.credits[0].remaining).toBe(10_000);
  });

  it('only the operator grants one; the account sees its own', async () => {
    const account = await newAccount('crg');
    const token = await tokenFor(account);
    const body = { domain_id: account.domainId, amount: '25.50', reason: 'SLA credit', expires_at: '2099-01-01T00:00:00Z' };
    expectNativeError(await send(token, 'POST', '/bss/v2/credits', body), 403);
    const granted = await send(await operatorToken(), 'POST', '/bss/v2/credits', body);
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expect(granted.body.credit).toMatchObject({
      amount: 2550,
      remaining: 2550,
      reason: 'SLA credit',
      expires_at: '2099-01-01T00:00:00.000Z',
    });
    expectNativeError(await send(await operatorToken(), 'POST', '/bss/v2/credits', { ...body, amount: '0' }), 400);
    expect((await send(token, 'GET', '/bss/v2/credits')).body.credits.map((c: { amount_text: string }) => c.amount_text)).toEqual([
      '25.50',
    ]);
    const other = await tokenFor(await newAccount('crg'));
    expect((await send(other, 'GET', '/bss/v2/credits')).body.credits).toEqual([]);
  });
});

describe('budget alerts', () => {
  it('the hourly job raises one notice per threshold crossed per month, however often it runs', async () => {
    const account = await newAccount('bud');
    const d = account.domainId;
    const token = await tokenFor(account);
    const set = await send(token, 'PUT', '/bss/v2/budget', { amount: '100.00', thresholds: [100, 50, 80] });
    expect(set.body.budget).toMatchObject({ amount: 10_000, thresholds: [50, 80, 100] });
    expectNativeError(await send(token, 'PUT', '/bss/v2/budget', { amount: '100', thresholds: [0] }), 400);
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const db = await directory(bindings);
    // A subscription from the month's start is charged the whole month: 90.00 of 100.00, past 50 % and 80 %.
    await db.insert(subscriptions).values(bareMetal(d, 'one', 9_000, monthStart));
    const scope = [d];
    expect((await billingHour(bindings, now, scope)).budgetNotices).toBe(2);
    expect((await billingHour(bindings, now, scope)).budgetNotices).toBe(0);
    // Another 20.00: 110.00, past 100 %: one more notice, and only one.
    await db.insert(subscriptions).values(bareMetal(d, 'two', 2_000, monthStart));
    expect((await billingHour(bindings, now, scope)).budgetNotices).toBe(1);
    expect((await billingHour(bindings, now, scope)).budgetNotices).toBe(0);
    const month = monthStart.slice(0, 7);
    const { body } = await send(token, 'GET', '/bss/v2/budget');
    expect(body.month_to_date).toMatchObject({ month, amount: 11_000 });
    expect(body.notices.map((n: { month: string; threshold: number; spent: number }) => [n.month, n.threshold, n.spent])).toEqual([
      [month, 100, 11_000],
      [month, 80, 9_000],
      [month, 50, 9_000],
    ]);
    const other = await tokenFor(await newAccount('bud'));
    expect((await send(other, 'GET', '/bss/v2/budget')).body).toMatchObject({ budget: null, notices: [] });
  });
});

describe('the hourly job on the first of a month', () => {
  it('closes the month before for the accounts in scope, once, with its credits', async () => {
    const account = await newAccount('close');
    const d = account.domainId;
    const db = await directory(bindings);
    await db.insert(subscriptions).values(bareMetal(d, 'bms', 4_000, '2026-03-17T00:00:00.000Z'));
    await db
      .insert(credits)
      .values({ id: `${d}:c`, domainId: d, amount: 500, reason: 'welcome', grantedAt: '2026-03-01T00:00:00.000Z', grantedBy: 'op' });
    const first = new Date('2026-04-01T00:30:00.000Z');
    expect(await billingHour(bindings, first, [d])).toMatchObject({ accounts: 1, closed: 1 });
    const token = await tokenFor(account);
    const invoice = (await send(token, 'GET', '/bss/v2/invoices/2026-03')).body;
    // 1.2.3.20: 15 of 31 days of 40.00 is 19.354..., 19.35; less the 5.00 credit.
    expect(invoice.lines.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ['subscription', 1935],
      ['credit', -500],
    ]);
    expect(invoice.invoice.total).toBe(1435);
    // Later that day, and on another day: nothing closed again, nothing changed.
    expect((await billingHour(bindings, new Date('2026-04-01T05:30:00.000Z'), [d])).closed).toBe(1);
    expect((await billingHour(bindings, new Date('2026-04-02T05:30:00.000Z'), [d])).closed).toBe(0);
    expect(
      (await send(token, 'GET', '/bss/v2/invoices')).body.invoices.map((i: { month: string; total: number; closed_at: string }) => [
        i.month,
        i.total,
        i.closed_at,
      ]),
    ).toEqual([['2026-03', 1435, first.toISOString()]]);
  });
});

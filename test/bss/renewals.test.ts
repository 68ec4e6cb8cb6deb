/**
 * Renewals (clause 1.2.3.2's terms, BSS v2's renew and autorenew) through the API and the hourly job itself,
 * expiry returning a server to on-demand on the invoice, and WorkSpace (1.2.3.25) and Direct Connect (1.2.3.24)
 * orders rated on invoices across a month end.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { subscriptions } from '../../schema/global.ts';
import { billingHour } from '../../workers/bss/schedule.ts';
import { directory } from '../../workers/directory/client.ts';
import { bindings } from '../ecs/fixtures.ts';
import { newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { expectNativeError, send } from '../request.ts';
import { writeLedger } from './fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An instant to the minute, so that a year before it and after it are exact. */
const at = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);
const yearBefore = (d: Date) =>
  new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()));

/** A customer with a paid one-year Reserved Instance whose term ends at `end`. */
async function reservedUntil(prefix: string, product: string, end: Date) {
  const account = await newAccount(prefix);
  const token = await tokenFor(account);
  const order = { kind: 'reserved_instance', region_id: 'eu-west-1', product, term_years: 1, is_auto_pay: true };
  const placed = await send(token, 'POST', '/bss/v2/orders', order);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const db = await directory(bindings);
  await db
    .update(subscriptions)
    .set({ startedAt: yearBefore(end).toISOString() })
    .where(eq(subscriptions.id, placed.body.order_id));
  return { account, token, id: placed.body.order_id as string };
}

const query = async (token: string) =>
  (await send(token, 'POST', '/bss/v2/orders/suscriptions/resources/query', {})).body.data as Record<string, unknown>[];

describe('renewals', () => {
  it('clause 1.2.3.2: a renewal is an order for the next term, priced by the list in effect when it starts, once', async () => {
    const end = at(Date.now() + 20 * DAY);
    const { token, id } = await reservedUntil('ren', 's3.medium.2', end);
    // An increase published now, in effect in 16 days (clause 1.4.3): before the term ends, so the renewal pays it.
    const operator = await operatorToken();
    const prices = (await send(operator, 'GET', '/bss/v2/prices?service=ecs&region_id=eu-west-1')).body.prices;
    const line = prices.find(
      (p: { product: string; billing_mode: string }) => p.product === 's3.medium.2' && p.billing_mode === 'reserved_1y',
    );
    const increase = await send(operator, 'POST', '/bss/v2/prices/revisions', {
      line_id: line.line_id,
      unit_price: '15.00',
      effective_from: new Date(Date.now() + 16 * DAY).toISOString(),
    });
    expect(increase.status, JSON.stringify(increase.body)).toBe(201);

    const renew = { resource_ids: [id], period_type: 3, period_num: 1 };
    const first = await send(token, 'POST', '/bss/v2/orders/subscriptions/resources/renew', renew);
    expect(first.body).toEqual({ order_ids: [`renew-${id}`] });
    // A retry answers the same order.
    expect((await send(token, 'POST', '/bss/v2/orders/subscriptions/resources/renew', renew)).body).toEqual(first.body);
    const details = (await send(token, 'GET', `/bss/v2/orders/customer-orders/details/renew-${id}`)).body.order_info;
    expect(details).toMatchObject({
      status: 5,
      renewal_of: id,
      starts_at: end.toISOString(),
      monthly_price: '15',
      one_time_price: '28.97',
      term_years: 1,
    });
    expect((await send(token, 'POST', '/bss/v2/orders/customer-orders/pay', { order_id: `renew-${id}` })).status).toBe(204);
    const subs = await query(token);
    expect(subs.map((s) => [s.id, s.renewal_of, s.effective_time, s.expire_time])).toEqual([
      [id, null, yearBefore(end).toISOString(), end.toISOString()],
      [
        `renew-${id}`,
        id,
        end.toISOString(),
        new Date(
          Date.UTC(end.getUTCFullYear() + 1, end.getUTCMonth(), end.getUTCDate(), end.getUTCHours(), end.getUTCMinutes()),
        ).toISOString(),
      ],
    ]);
    // Another account cannot renew it; a monthly subscription has no term to renew.
    const other = await tokenFor(await newAccount('ren'));
    expectNativeError(await send(other, 'POST', '/bss/v2/orders/subscriptions/resources/renew', renew), 404, 'CBC.0104');
    const bms = await send(token, 'POST', '/bss/v2/orders', {
      kind: 'bare_metal',
      region_id: 'eu-west-0',
      product: 'physical.s4.medium',
      is_auto_pay: true,
    });
    expectNativeError(
      await send(token, 'POST', '/bss/v2/orders/subscriptions/resources/renew', { resource_ids: [bms.body.order_id] }),
      409,
      'CBC.0159',
    );
    expectNativeError(await send(token, 'POST', `/bss/v2/orders/subscriptions/resources/autorenew/${bms.body.order_id}`), 409, 'CBC.0159');
  });

  it('the hourly job renews an auto-renewing term in its last day, once, and auto-renewal can be cancelled', async () => {
    const end = at(Date.now() + 30 * HOUR);
    const { account, token, id } = await reservedUntil('auto', 's3.small.1', end);
    expect((await send(token, 'POST', `/bss/v2/orders/subscriptions/resources/autorenew/${id}`)).status).toBe(204);
    const scope = [account.domainId];
    // 30 hours before the end: not yet.
    expect((await billingHour(bindings, new Date(), scope)).renewed).toBe(0);
    // 23 hours before: renewed and paid; the next run, and the one after, renew nothing more.
    const later = new Date(Date.now() + 7 * HOUR);
    expect(await billingHour(bindings, later, scope)).toMatchObject({ renewed: 1, budgetNotices: 0 });
    expect((await billingHour(bindings, later, scope)).renewed).toBe(0);
    expect((await billingHour(bindings, new Date(later.getTime() + HOUR), scope)).renewed).toBe(0);
    const renewal = (await send(token, 'GET', `/bss/v2/orders/customer-orders/details/renew-${id}`)).body.order_info;
    // The list in effect at the renewed term's start: the seed's 11.99 a month and 23.99 once.
    expect(renewal).toMatchObject({ status: 4, starts_at: end.toISOString(), monthly_price: '11.99', one_time_price: '23.99' });
    expect((await query(token)).map((s) => [s.id, s.is_auto_renew])).toEqual([
      [id, 1],
      [`renew-${id}`, 1],
    ]);
    // Cancelling applies to the latest term: the renewal will not renew itself.
    expect((await send(token, 'DELETE', `/bss/v2/orders/subscriptions/resources/autorenew/${id}`)).status).toBe(204);
    expect((await query(token)).map((s) => s.is_auto_renew)).toEqual([1, 0]);
    const nearRenewalEnd = new Date(end.getTime() + 365 * DAY);
    expect((await billingHour(bindings, nearRenewalEnd, scope)).renewed).toBe(0);
  });
});

describe('clause 1.2.3.2: expiry returns usage to on demand', () => {
  /** An account with a server running all March 2026 and a reservation for it that ends on the 15th. */
  async function expiring(prefix: string) {
    const account = await newAccount(prefix);
    const d = account.domainId;
    const project = account.projects.find((p) => p.name === 'eu-west-0')!;
    await writeLedger(d, project.id, [
      {
        id: 'vm',
        meter: 'ecs.server',
        resource: 'vm',
        action: 'start',
        quantity: 1,
        at: '2026-02-20T00:00:00.000Z',
        attributes: { flavor: 's3.small.1', licence: '' },
      },
    ]);
    const ri = {
      domainId: d,
      kind: 'reserved_instance' as const,
      regionId: 'eu-west-0',
      product: 's3.small.1',
      termYears: 1,
      count: 1,
      oneTimePrice: 2_399_000_000,
      monthlyPrice: 1_199_000_000,
    };
    return { account, d, ri };
  }
  const close = async (d: string) => send(await operatorToken(), 'POST', '/bss/v2/invoices/close', { domain_id: d, month: '2026-03' });
  const linesOf = async (account: Awaited<ReturnType<typeof newAccount>>) =>
    (await send(await tokenFor(account), 'GET', '/bss/v2/invoices/2026-03')).body;

  it('an unrenewed term ends on the 15th: the server is on demand from then', async () => {
    const { account, d, ri } = await expiring('exp');
    const db = await directory(bindings);
    await db.insert(subscriptions).values({ ...ri, id: `${d}:ri`, orderId: `${d}:ri`, startedAt: '2025-03-15T00:00:00.000Z' });
    expect((await close(d)).status).toBe(201);
    const body = await linesOf(account);
    expect(body.lines.map((l: { label: string; amount: number }) => [l.label, l.amount])).toEqual([
      // 14 of 31 days of 11.99: 5.4148..., 5.41.
      ['Reserved s3.small.1 in eu-west-0, 1 year, monthly', 541],
      // From the 15th, 17 days (408 h) at 0.0265: 10.812, 10.81.
      ['Server s3.small.1, pay per use', 1081],
    ]);
    expect(body.invoice.total).toBe(1622);
  });

  it('a renewed term covers on: no usage charge, and the two terms add up to one month exactly', async () => {
    const { account, d, ri } = await expiring('exr');
    const db = await directory(bindings);
    await db.insert(subscriptions).values([
      { ...ri, id: `${d}:ri`, orderId: `${d}:ri`, startedAt: '2025-03-15T00:00:00.000Z' },
      { ...ri, id: `renew-${d}:ri`, orderId: `renew-${d}:ri`, startedAt: '2026-03-15T00:00:00.000Z', renewalOf: `${d}:ri` },
    ]);
    expect((await close(d)).status).toBe(201);
    const body = await linesOf(account);
    expect(body.lines.map((l: { label: string; resource_id: string; amount: number }) => [l.label, l.resource_id, l.amount])).toEqual([
      ['Reserved s3.small.1 in eu-west-0, 1 year, monthly', `${d}:ri`, 541],
      // The renewal bought its term's one-time charge in its first month; 17 of 31 days of 11.99: 6.5751..., 6.58.
      ['Reserved s3.small.1 in eu-west-0, 1 year, monthly', `renew-${d}:ri`, 658],
      ['Reserved s3.small.1 in eu-west-0, 1 year, one-time', `renew-${d}:ri`, 2399],
    ]);
    expect(body.invoice.total).toBe(541 + 658 + 2399);
  });
});

describe('WorkSpace and Direct Connect orders', () => {
  it('clauses 1.2.3.25 and 1.2.3.24: ordered at list prices, the first month pro rata from the 17th, then in full', async () => {
    const account = await newAccount('wsdc');
    const token = await tokenFor(account);
    const ws = await send(token, 'POST', '/bss/v2/orders', { kind: 'workspace', region_id: 'eu-west-0', count: 2, is_auto_pay: true });
    expect(ws.status, JSON.stringify(ws.body)).toBe(201);
    expect(ws.body.order).toMatchObject({ status: 4, product: 'desktop', count: 2, monthly_price: '35' });
    const dc = await send(token, 'POST', '/bss/v2/orders', {
      kind: 'direct_connect',
      region_id: 'eu-west-0',
      bandwidth_mbps: 100,
      is_auto_pay: true,
    });
    expect(dc.body.order).toMatchObject({ status: 4, product: 'bandwidth', bandwidth_mbps: 100, monthly_price: '0.9' });
    expectNativeError(await send(token, 'POST', '/bss/v2/orders', { kind: 'direct_connect', region_id: 'eu-west-0' }), 400, 'CBC.0100');
    const types = (await query(token)).map((s) => s.service_type_code);
    expect(types).toEqual(expect.arrayContaining(['hws.service.type.workspace', 'hws.service.type.dcaas']));

    const db = await directory(bindings);
    for (const id of [ws.body.order_id, dc.body.order_id]) {
      await db.update(subscriptions).set({ startedAt: '2026-01-17T00:00:00.000Z' }).where(eq(subscriptions.id, id));
    }
    const operator = await operatorToken();
    const month = async (m: string) => {
      expect((await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: account.domainId, month: m })).status).toBe(201);
      const body = (await send(token, 'GET', `/bss/v2/invoices/${m}`)).body;
      return body.lines.map((l: { service: string; quantity: string; amount: number; clause: string }) => [
        l.service,
        l.quantity,
        l.amount,
        l.clause,
      ]);
    };
    expect(await month('2026-01')).toEqual([
      // 100 Mbit/s at 0.90 for 15 of 31 days: 43.548..., 43.55.
      ['dc', '100 Mbit/s x 1296000/2678400 month', 4355, '1.2.3.24'],
      // 2 desktops at 35.00 for 15 of 31 days: 33.870..., 33.87.
      ['workspace', '1296000/2678400 month', 3387, '1.2.3.25'],
    ]);
    expect(await month('2026-02')).toEqual([
      ['dc', '100 Mbit/s x 1 month', 9000, '1.2.3.24'],
      ['workspace', '1 month', 7000, '1.2.3.25'],
    ]);
  });
});

/**
 * Subscriptions through the API, and a whole month for a demo account matched to a hand-computed invoice: servers
 * partly covered by a Reserved Instance (clause 1.2.3.2), a bare metal server bought on the 17th (1.2.3.20), a
 * volume, outbound traffic (1.2.3.23) and a support plan upgraded mid-month (1.3).
 */
import { describe, expect, it } from 'vitest';
import { billingAccounts, subscriptions } from '../../schema/global.ts';
import { directory } from '../../workers/directory/client.ts';
import { bindings } from '../ecs/fixtures.ts';
import { newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { expectNativeError, send } from '../request.ts';
import { writeLedger } from './fixtures.ts';

describe('orders and subscriptions', () => {
  it('prices an order from the list, makes its subscription once however often it is paid, and keeps commitments', async () => {
    const token = await tokenFor(await newAccount('ord'));
    const placed = await send(token, 'POST', '/bss/v2/orders', {
      kind: 'reserved_instance',
      region_id: 'eu-west-0',
      product: 's3.small.1',
      term_years: 1,
      client_token: 'ri-1',
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order).toMatchObject({ status: 5, one_time_price: '23.99', monthly_price: '11.99' });
    // The same client token: the same order.
    const again = await send(token, 'POST', '/bss/v2/orders', {
      kind: 'reserved_instance',
      region_id: 'eu-west-0',
      product: 's3.small.1',
      term_years: 1,
      client_token: 'ri-1',
    });
    expect(again.body.order_id).toBe(placed.body.order_id);
    const id = placed.body.order_id;
    expect((await send(token, 'POST', '/bss/v2/orders/customer-orders/pay', { order_id: id, use_coupon: 'NO' })).status).toBe(204);
    expect((await send(token, 'POST', '/bss/v2/orders/customer-orders/pay', { order_id: id })).status).toBe(204);
    const details = await send(token, 'GET', `/bss/v2/orders/customer-orders/details/${id}`);
    expect(details.body.order_info).toMatchObject({ order_id: id, status: 4 });
    const subs = await send(token, 'POST', '/bss/v2/orders/suscriptions/resources/query', {});
    expect(subs.body.total_count).toBe(1);
    expect(subs.body.data[0]).toMatchObject({ order_id: id, resource_spec_code: 's3.small.1', status: 'active' });
    const unsub = await send(token, 'POST', '/bss/v2/orders/subscriptions/resources/unsubscribe', { resource_ids: [subs.body.data[0].id] });
    expectNativeError(unsub, 409, 'CBC.0158', /Clause 1\.2\.3\.2/);
    expectNativeError(await send(token, 'POST', '/bss/v2/orders/customer-orders/cancel', { order_id: id }), 409);

    const bms = await send(token, 'POST', '/bss/v2/orders', {
      kind: 'bare_metal',
      region_id: 'eu-west-0',
      product: 'physical.s4.medium',
      is_auto_pay: true,
    });
    expect(bms.body.order).toMatchObject({ status: 4, monthly_price: '729.6' });
    const noPrice = await send(token, 'POST', '/bss/v2/orders', {
      kind: 'bare_metal',
      region_id: 'eu-west-0',
      product: 'physical.x9.huge',
    });
    expectNativeError(noPrice, 400, 'CBC.0100', /Clause 1\.4\.1/);

    const other = await tokenFor(await newAccount('ord'));
    expectNativeError(await send(other, 'GET', `/bss/v2/orders/customer-orders/details/${id}`), 404);
    expect((await send(other, 'POST', '/bss/v2/orders/suscriptions/resources/query', {})).body.total_count).toBe(0);
  });

  it('clause 1.3: elects a plan from next month, then refuses a downgrade during its six months', async () => {
    const token = await tokenFor(await newAccount('sup'));
    expect((await send(token, 'GET', '/bss/v2/support-plan')).body.support_plan).toMatchObject({ plan: 'basic', pending: null });
    const up = await send(token, 'PUT', '/bss/v2/support-plan', { plan: 'business' });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    expect(up.body.support_plan).toMatchObject({ plan: 'basic', pending: { plan: 'business', effectiveFrom: nextMonth } });
    // A second election this month replaces the pending one; a downgrade from it is judged against basic.
    expect((await send(token, 'PUT', '/bss/v2/support-plan', { plan: 'premium' })).body.support_plan.pending.plan).toBe('premium');
    expectNativeError(await send(token, 'PUT', '/bss/v2/support-plan', { plan: 'gold' }), 400);
  });
});

describe('a demo account’s month, by hand', () => {
  it('matches the hand-computed invoice for March 2026 to the cent', async () => {
    const account = await newAccount('demo');
    const project = account.projects.find((p) => p.name === 'eu-west-0')!;
    const d = account.domainId;
    const db = await directory(bindings);
    await writeLedger(d, project.id, [
      {
        id: 'a',
        meter: 'ecs.server',
        resource: 'vm-a',
        action: 'start',
        quantity: 1,
        at: '2026-02-20T00:00:00.000Z',
        attributes: { flavor: 's3.small.1', licence: '' },
      },
      {
        id: 'b',
        meter: 'ecs.server',
        resource: 'vm-b',
        action: 'start',
        quantity: 1,
        at: '2026-02-20T00:00:00.000Z',
        attributes: { flavor: 's3.small.1', licence: '' },
      },
      {
        id: 'v',
        meter: 'evs.volume',
        resource: 'vol',
        action: 'start',
        quantity: 100,
        at: '2026-02-20T00:00:00.000Z',
        attributes: { volume_type: 'SAS' },
      },
      { id: 't', meter: 'vpc.traffic', resource: 'eip', action: 'once', quantity: 10 * 2 ** 30, at: '2026-03-12T08:30:00.000Z' },
    ]);
    const sub = (
      id: string,
      kind: 'reserved_instance' | 'bare_metal',
      product: string,
      startedAt: string,
      oneTime: number,
      monthly: number,
      termYears: number | null,
    ) => ({
      id: `${d}:${id}`,
      domainId: d,
      orderId: `${d}:${id}`,
      kind,
      regionId: 'eu-west-0',
      product,
      termYears,
      count: 1,
      oneTimePrice: oneTime,
      monthlyPrice: monthly,
      startedAt,
    });
    await db
      .insert(subscriptions)
      .values([
        sub('ri', 'reserved_instance', 's3.small.1', '2026-03-05T00:00:00.000Z', 2_399_000_000, 1_199_000_000, 1),
        sub('bms', 'bare_metal', 'physical.s4.medium', '2026-03-17T00:00:00.000Z', 0, 72_960_000_000, null),
      ]);
    // Standard elected in January (in effect from February); business elected on 10 March, in effect from April.
    await db.insert(billingAccounts).values({
      domainId: d,
      supportElections: [
        { plan: 'standard', electedAt: '2026-01-15T09:00:00.000Z' },
        { plan: 'business', electedAt: '2026-03-10T09:00:00.000Z' },
      ],
      version: 2,
      updatedAt: '2026-03-10T09:00:00.000Z',
    });

    const closed = await send(await operatorToken(), 'POST', '/bss/v2/invoices/close', { domain_id: d, month: '2026-03' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(201);
    const { body } = await send(await tokenFor(account), 'GET', '/bss/v2/invoices/2026-03');
    const lines = body.lines.map((l: { label: string; resource_id: string; amount: number; clause: string }) => [
      l.label,
      l.resource_id,
      l.amount,
      l.clause,
    ]);
    expect(lines).toEqual([
      // 1.2.3.2: the monthly 11.99 pro rata, 27 of 31 days: 10.44; the one-time charge in the month of purchase, 23.99.
      ['Reserved s3.small.1 in eu-west-0, 1 year, monthly', `${d}:ri`, 1044, '1.2.3.2'],
      ['Reserved s3.small.1 in eu-west-0, 1 year, one-time', `${d}:ri`, 2399, '1.2.3.2'],
      // 1.2.3.20: bought on the 17th, 15 of 31 days of 729.60: 353.03.
      ['Bare metal physical.s4.medium in eu-west-0', `${d}:bms`, 35303, '1.2.3.20'],
      // 1.3: March is standard (100.00); the upgrade takes effect in April.
      ['Support plan standard', '', 10000, '1.3'],
      // vm-a runs on demand until the reservation starts: 4 days, 96 h x 0.0265 = 2.544; vm-b all 744 h: 19.716.
      ['Server s3.small.1, pay per use', 'vm-a', 254, ''],
      ['Server s3.small.1, pay per use', 'vm-b', 1972, ''],
      // 10 GiB out to the Internet at 0.07: 0.70.
      ['Outbound Internet traffic', 'eip', 70, ''],
      // 100 GB of SAS for 744 h of a 730 h month at 0.075: 7.6438.
      ['Volume SAS', 'vol', 764, ''],
    ]);
    // Each subscription line names what it is for, as usage lines do.
    expect(
      body.lines.slice(0, 4).map((l: { service: string; product: string; region_id: string }) => [l.service, l.product, l.region_id]),
    ).toEqual([
      ['ecs', 's3.small.1', 'eu-west-0'],
      ['ecs', 's3.small.1', 'eu-west-0'],
      ['bms', 'physical.s4.medium', 'eu-west-0'],
      ['support', 'standard', 'global'],
    ]);
    expect(body.invoice.total).toBe(2399 + 1044 + 35303 + 10000 + 70 + 254 + 1972 + 764);
  });
});

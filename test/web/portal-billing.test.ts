/**
 * The Customer Portal's billing pages, as a signed-in person sees them: usage by day (chart, table in
 * unit-hours, the API's CSV), closed invoices with their lines and PDF, price notices. Figures are worked by
 * hand from ledger rows of a past month; another account sees none of them, and a read-only user reads them all.
 * Credits, the budget with the alerts the hourly job raised, and a Reserved Instance's renewal.
 */
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { subscriptions } from '../../schema/global.ts';
import { billingHour } from '../../workers/bss/schedule.ts';
import { directory } from '../../workers/directory/client.ts';
import { writeLedger } from '../bss/fixtures.ts';
import { bindings, type ComputeProject, computeProject } from '../ecs/fixtures.ts';
import { availableVolume } from '../evs/fixtures.ts';
import { type Account, createUser, newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { call, send } from '../request.ts';
import { type ConsoleSession, signIn } from './console.ts';

const BILLING = '/store/portal/billing';
const APRIL = `from=2025-04-01&to=2025-04-30&group_by=service&group_by=day`;

/** A server run for 10 hours over midnight (2 h on the 1st, 8 h on the 2nd), an EIP held 100 hours from the 10th. */
async function aprilLedger(p: ComputeProject) {
  await writeLedger(p.account.domainId, p.project, [
    {
      id: 'vm:start',
      meter: 'ecs.server',
      resource: 'vm',
      action: 'start',
      quantity: 1,
      at: '2025-04-01T22:00:00.000Z',
      attributes: { flavor: 's3.small.1', licence: '' },
    },
    { id: 'vm:stop', meter: 'ecs.server', resource: 'vm', action: 'stop', quantity: 0, at: '2025-04-02T08:00:00.000Z' },
    { id: 'eip:start', meter: 'vpc.eip', resource: 'eip', action: 'start', quantity: 1, at: '2025-04-10T00:00:00.000Z' },
    { id: 'eip:stop', meter: 'vpc.eip', resource: 'eip', action: 'stop', quantity: 0, at: '2025-04-14T04:00:00.000Z' },
  ]);
}

/** The text of the cells of a page's table bodies, row by row, tags dropped. */
const rows = (html: string) =>
  [...html.matchAll(/<tbody>(.*?)<\/tbody>/gs)]
    .flatMap((b) => [...b[1]!.matchAll(/<tr>(.*?)<\/tr>/gs)])
    .map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));

let p: ComputeProject;
let other: Account;
let admin: ConsoleSession;
let intruder: ConsoleSession;
let volumeId: string;

beforeAll(async () => {
  [p, other] = await Promise.all([computeProject('pbill'), newAccount('pbill-other')]);
  volumeId = (await availableVolume(p, { size: 8, volume_type: 'SSD' })).id;
  // Usage is counted on whole seconds: the volume has held nothing until its first second ends.
  await new Promise((r) => setTimeout(r, 1100));
  await aprilLedger(p);
  const operator = await operatorToken();
  const closed = await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: p.account.domainId, month: '2025-04' });
  if (closed.status !== 201) throw new Error(`close: ${closed.status} ${JSON.stringify(closed.body)}`);
  const published = await send(operator, 'POST', '/bss/v2/prices/revisions', {
    line: {
      service: 'ims',
      product: `portal-${crypto.randomUUID().slice(0, 8)}`,
      region_id: 'eu-west-0',
      billing_mode: 'on_demand',
      unit: 'hour',
      description: 'a feature released for the Portal test',
    },
    unit_price: '0.0123',
  });
  if (published.status !== 201) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  [admin, intruder] = await Promise.all([signIn(p.account), signIn(other)]);
}, 60_000);

describe('the usage explorer', () => {
  it('charts and tabulates a window by day, in unit-hours, without inline style', async () => {
    const page = await admin.page(`${BILLING}/usage?${APRIL}`);
    expect(page.status, page.html).toBe(200);
    expect(page.html).not.toMatch(/<style>|style="|<script>/);
    expect(rows(page.html).filter((r) => r.length === 5)).toEqual([
      ['ecs.server', 'ecs', '2025-04-01', '2.000', 'server-hours'],
      ['ecs.server', 'ecs', '2025-04-02', '8.000', 'server-hours'],
      ['vpc.eip', 'vpc', '2025-04-10', '24.000', 'address-hours'],
      ['vpc.eip', 'vpc', '2025-04-11', '24.000', 'address-hours'],
      ['vpc.eip', 'vpc', '2025-04-12', '24.000', 'address-hours'],
      ['vpc.eip', 'vpc', '2025-04-13', '24.000', 'address-hours'],
      ['vpc.eip', 'vpc', '2025-04-14', '4.000', 'address-hours'],
    ]);
    // One chart per meter, 30 bars (one a day), titled and described for a screen reader.
    expect(page.html).toContain('<title id="chart-ecs-server-title">ecs.server by day, in server-hours</title>');
    expect(page.html).toContain(
      '<desc id="chart-ecs-server-desc">30 days from 2025-04-01 to 2025-04-30; 2025-04-01: 2.000, 2025-04-02: 8.000 server-hours.</desc>',
    );
    expect(page.html.match(/<rect /g)?.length).toBe(60);
    expect(page.html).toContain(`href="${BILLING}/usage.csv?from=2025-04-01&amp;to=2025-04-30&amp;group_by=service&amp;group_by=day"`);
    // Grouped by service only, the same hours are summed over the window.
    const summed = await admin.page(`${BILLING}/usage?from=2025-04-01&to=2025-04-30&group_by=service`);
    expect(rows(summed.html).filter((r) => r.length === 4)).toEqual([
      ['ecs.server', 'ecs', '10.000', 'server-hours'],
      ['vpc.eip', 'vpc', '100.000', 'address-hours'],
    ]);
  });

  it('shows this month so far by default, with a real volume in GB-hours', async () => {
    const page = await admin.page(`${BILLING}/usage?group_by=resource`);
    expect(page.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(page.html).toContain(`id="from" name="from" type="date" value="${today.slice(0, 8)}01"`);
    expect(page.html).toContain(`id="to" name="to" type="date" value="${today}"`);
    const volume = rows(page.html).find((r) => r[2] === volumeId);
    expect(volume?.[0]).toBe('evs.volume');
    expect(volume?.[4]).toBe('GB-hours');
    expect(page.html).toContain('<title id="chart-evs-volume-title">evs.volume by day, in GB-hours</title>');
  });

  it('answers the API’s CSV for the same question', async () => {
    const res = await admin.fetch(`${BILLING}/usage.csv?${APRIL}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="usage-2025-04-01.csv"');
    const text = await res.text();
    expect(text.split('\r\n').slice(0, 4)).toEqual([
      'meter,service,day,quantity,unit',
      'ecs.server,ecs,2025-04-01,7200,server-second',
      'ecs.server,ecs,2025-04-02,28800,server-second',
      'vpc.eip,vpc,2025-04-10,86400,address-second',
    ]);
    // The API's own CSV of the same window, byte for byte.
    const api = await call('/bss/v2/usage?from=2025-04-01T00:00:00Z&to=2025-05-01T00:00:00Z&group_by=service,day&format=csv', {
      token: p.token,
    });
    expect(await api.text()).toBe(text);
  });

  it('refuses a window that ends before it starts, next to the field', async () => {
    const page = await admin.page(`${BILLING}/usage?from=2025-04-10&to=2025-04-01`);
    expect(page.status).toBe(400);
    expect(page.html).toContain(
      '<p class="error" id="to-error" role="alert">The last day is on or after the first, and the first is not in the future.</p>',
    );
  });
});

describe('invoices', () => {
  it('lists the closed month and shows its lines, rounded once per line', async () => {
    const list = await admin.page(`${BILLING}/invoices`);
    expect(list.status).toBe(200);
    // By hand: 10 h x 0.0265 = 26.5 cents, 27; 100 h x 0.0045 = 45 cents. Total 0.72 EUR.
    expect(rows(list.html)[0]?.slice(0, 2)).toEqual(['2025-04', '0.72 EUR']);
    expect(list.html).toContain(`href="${BILLING}/invoices/2025-04"`);
    const page = await admin.page(`${BILLING}/invoices/2025-04`);
    expect(page.status).toBe(200);
    const lines = rows(page.html).filter((r) => r.length === 8);
    expect(lines.map((r) => r.slice(1, 6))).toEqual([
      ['vm', 'eu-west-0', '10.000000 hour', '0.0265', '0.27'],
      ['eip', 'eu-west-0', '100.000000 hour', '0.0045', '0.45'],
    ]);
    expect(lines[0]![6]).toMatch(/:initial$/);
    expect(page.html).toContain('<td>0.72</td>');
    expect(page.html).toContain(`href="${BILLING}/invoices/2025-04.pdf"`);
  });

  it('answers its PDF', async () => {
    const res = await admin.fetch(`${BILLING}/invoices/2025-04.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const doc = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
    expect(doc.getTitle()).toBe(`Invoice 2025-04 - ${p.account.domain}`);
  });
});

describe('price notices', () => {
  it('lists the account’s notice of a new price', async () => {
    const page = await admin.page(`${BILLING}/notices`);
    expect(page.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const row = rows(page.html).find((r) => r[4] === '0.0123 per hour');
    expect(row).toEqual([today, today, expect.stringMatching(/^ims portal-\w+ \(on_demand\)$/), 'eu-west-0', '0.0123 per hour', 'new']);
  });
});

describe('another account and a read-only user', () => {
  it('clause 1.3: elects a support plan from next month, refuses an unknown one next to its field, and lists subscriptions', async () => {
    const before = await admin.page(`${BILLING}/plans`);
    expect(before.status).toBe(200);
    expect(before.html).toMatch(/data-plan="">basic</);
    expect(before.html).toContain('No subscription');
    const chosen = await admin.post(`${BILLING}/plans`, { plan: 'business' });
    expect(chosen.status).toBe(303);
    expect(chosen.location).toBe(`${BILLING}/plans`);
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    const after = await admin.page(`${BILLING}/plans`);
    expect(after.html).toContain(`from ${next}: business`);
    const bad = await admin.post(`${BILLING}/plans`, { plan: 'gold' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Choose one of the four plans.');
    // A bare-metal order paid at once: its subscription is listed with the order's monthly price.
    const order = await send(p.token, 'POST', '/bss/v2/orders', {
      kind: 'bare_metal',
      region_id: 'eu-west-0',
      product: 'physical.s4.medium',
      is_auto_pay: true,
    });
    expect(order.status).toBe(201);
    const listed = await admin.page(`${BILLING}/plans`);
    expect(listed.html).toContain('Bare metal physical.s4.medium');
    expect(listed.html).toContain('729.6');
    // Another account sees none of it, and a read-only user may read but not elect.
    expect((await intruder.page(`${BILLING}/plans`)).html).not.toContain('physical.s4.medium');
    const user = await createUser(p.account, p.token, { role: 'readonly' });
    const viewer = await signIn(p.account, { user: user.name, password: user.password });
    expect((await viewer.page(`${BILLING}/plans`)).status).toBe(200);
    expect((await viewer.post(`${BILLING}/plans`, { plan: 'premium' })).status).toBe(403);
  });

  it('shows another account nothing of the first, and 404 for its month', async () => {
    const list = await intruder.page(`${BILLING}/invoices`);
    expect(list.status).toBe(200);
    expect(list.html).toContain('No invoices yet');
    for (const path of [`${BILLING}/invoices/2025-04`, `${BILLING}/invoices/2025-04.pdf`]) {
      const res = await intruder.page(path);
      expect(res.status, path).toBe(404);
      expect(res.html).not.toContain('0.72');
    }
    const usage = await intruder.page(`${BILLING}/usage?${APRIL}`);
    expect(usage.html).toContain('No usage in this window.');
    expect(usage.html).not.toContain('ecs.server');
    const csv = await intruder.fetch(`${BILLING}/usage.csv?${APRIL}`);
    expect(await csv.text()).toBe('meter,service,day,quantity,unit\r\n');
  });

  it('lets a read-only user read every page', async () => {
    const user = await createUser(p.account, p.token, { role: 'readonly' });
    const viewer = await signIn(p.account, { user: user.name, password: user.password });
    for (const path of [`${BILLING}/usage?${APRIL}`, `${BILLING}/invoices`, `${BILLING}/invoices/2025-04`, `${BILLING}/notices`])
      expect((await viewer.page(path)).status, path).toBe(200);
    expect((await viewer.fetch(`${BILLING}/invoices/2025-04.pdf`)).status).toBe(200);
    expect((await viewer.fetch(`${BILLING}/usage.csv?${APRIL}`)).status).toBe(200);
  });

  it('sends a signed-out visitor to sign in', async () => {
    const res = await call(`${BILLING}/invoices`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/sign-in?next=%2Fstore%2Fportal%2Fbilling%2Finvoices');
  });
});

describe('credits, budget and renewals', () => {
  it('lists a granted credit with what is left, to the account alone', async () => {
    const granted = await send(await operatorToken(), 'POST', '/bss/v2/credits', {
      domain_id: p.account.domainId,
      amount: '25.50',
      reason: 'SLA credit',
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(granted.status).toBe(201);
    const page = await admin.page(`${BILLING}/credits`);
    expect(page.status).toBe(200);
    expect(rows(page.html)).toEqual([['SLA credit', new Date().toISOString().slice(0, 10), '2099-01-01', '25.50', '25.50']]);
    expect((await intruder.page(`${BILLING}/credits`)).html).toContain('No credit has been granted');
  });

  it('sets a budget, shows the alerts the hourly job raised beside the price notices, and renews a term', async () => {
    const account = await newAccount('pbud');
    const session = await signIn(account);
    const d = account.domainId;
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const db = await directory(bindings);
    // 10.00 EUR of bare metal for the whole month: the month's charges so far.
    await db.insert(subscriptions).values({
      id: `${d}:bms`,
      domainId: d,
      orderId: `${d}:bms`,
      kind: 'bare_metal',
      regionId: 'eu-west-0',
      product: 'physical.s4.medium',
      count: 1,
      oneTimePrice: 0,
      monthlyPrice: 1_000_000_000,
      startedAt: monthStart,
    });
    const bad = await session.post(`${BILLING}/budget`, { amount: '10,5', thresholds: '50' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('An amount of euros, with at most two decimals.');
    const set = await session.post(`${BILLING}/budget`, { amount: '10', thresholds: '100, 50' });
    expect(set.status).toBe(303);
    expect((await billingHour(bindings, now, [d])).budgetNotices).toBe(2);
    const month = monthStart.slice(0, 7);
    const budget = await session.page(`${BILLING}/budget`);
    expect(budget.html).toContain('<strong data-spent="">10.00 EUR</strong> of a 10.00 EUR budget');
    expect(rows(budget.html).map((r) => r.slice(0, 4))).toEqual([
      [month, '100 %', '10.00', '10.00'],
      [month, '50 %', '10.00', '10.00'],
    ]);
    const notices = await session.page(`${BILLING}/notices`);
    expect(notices.html).toContain(`<li>${month}: 100 % of the 10.00 EUR budget reached (10.00 EUR)`);

    // A Reserved Instance: renewed automatically once asked, or now by an order to pay.
    const token = await tokenFor(account);
    const ri = await send(token, 'POST', '/bss/v2/orders', {
      kind: 'reserved_instance',
      region_id: 'eu-west-0',
      product: 's3.small.1',
      term_years: 1,
      is_auto_pay: true,
    });
    const id = ri.body.order_id;
    expect((await session.page(`${BILLING}/plans`)).html).toContain('<span data-auto-renew="off">ends at its term</span>');
    expect((await session.post(`${BILLING}/plans/${id}/autorenew`, { auto_renew: 'on' })).status).toBe(303);
    expect((await session.page(`${BILLING}/plans`)).html).toContain('<span data-auto-renew="on">auto-renews</span>');
    expect((await session.post(`${BILLING}/plans/${id}/renew`, {})).status).toBe(303);
    expect((await send(token, 'GET', `/bss/v2/orders/customer-orders/details/renew-${id}`)).body.order_info.status).toBe(5);
    const refused = await session.post(`${BILLING}/plans/${account.domainId}:bms/renew`, {});
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('has no term to renew');
    // Another account's administrator: not found; a read-only user: refused.
    expect((await intruder.post(`${BILLING}/plans/${id}/autorenew`, { auto_renew: 'off' })).status).toBe(404);
    const user = await createUser(account, token, { role: 'readonly' });
    const viewer = await signIn(account, { user: user.name, password: user.password });
    for (const path of [`${BILLING}/credits`, `${BILLING}/budget`]) expect((await viewer.page(path)).status, path).toBe(200);
    expect((await viewer.post(`${BILLING}/budget`, { amount: '1', thresholds: '50' })).status).toBe(403);
    expect((await viewer.post(`${BILLING}/plans/${id}/autorenew`, { auto_renew: 'off' })).status).toBe(403);
    expect((await session.page(`${BILLING}/plans`)).html).toContain('<span data-auto-renew="on">auto-renews</span>');
  });
});

/**
 * Billing through its API in workerd: the operator publishes price revisions under clause 1.4 and every affected
 * account is told; usage events reach the ledger once each, however often they are taken, and only the account's
 * own usage is shown to it.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { usageCursors, usageLedger } from '../../schema/global.ts';
import { takeUsage } from '../../workers/bss/ledger.ts';
import { directory } from '../../workers/directory/client.ts';
import { bindings, computeProject } from '../ecs/fixtures.ts';
import { availableVolume, cinder, waitVolumeStatus } from '../evs/fixtures.ts';
import { operatorToken } from '../fixtures.ts';
import { expectNativeError, send } from '../request.ts';

const DAY_MS = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY_MS).toISOString();

async function sasLine(token: string): Promise<{ line_id: string; unit_price: string }> {
  const { body } = await send(token, 'GET', '/bss/v2/prices?service=evs&region_id=eu-west-1');
  return body.prices.find((p: { product: string }) => p.product === 'SAS');
}

describe('clause 1.4: price revisions', () => {
  it('refuses an increase published less than 15 days ahead, and tells every account of one that is not', async () => {
    const operator = await operatorToken();
    const customer = await computeProject('bssp');
    const line = await sasLine(customer.token);
    expect(line.unit_price).toBe('0.075');

    const early = await send(operator, 'POST', '/bss/v2/prices/revisions', {
      line_id: line.line_id,
      unit_price: '0.08',
      effective_from: inDays(14),
    });
    expectNativeError(early, 409, 'CBC.0155', /Clause 1\.4\.3: An increase is published at least 15 days before/);

    const effective = inDays(16);
    const ok = await send(operator, 'POST', '/bss/v2/prices/revisions', {
      line_id: line.line_id,
      unit_price: '0.08',
      effective_from: effective,
      note: 'energy',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.revision).toMatchObject({ kind: 'increase', unit_price: '0.08', effective_from: effective });
    expect(ok.body.notified_accounts).toBeGreaterThanOrEqual(1);

    // The account sees the notice with both dates, and the list prices by date.
    const notices = (await send(customer.token, 'GET', '/bss/v2/price-notices')).body.notices;
    const notice = notices.find((n: { revision: { id: string } }) => n.revision.id === ok.body.revision.id);
    expect(notice).toMatchObject({ effective_from: effective, line: { service: 'evs', product: 'SAS', region_id: 'eu-west-1' } });
    expect(Date.parse(notice.published_at)).toBeLessThanOrEqual(Date.now());
    expect((await sasLine(customer.token)).unit_price).toBe('0.075');
    const later = (await send(customer.token, 'GET', `/bss/v2/prices?service=evs&region_id=eu-west-1&at=${inDays(17)}`)).body.prices;
    expect(later.find((p: { product: string }) => p.product === 'SAS').unit_price).toBe('0.08');
    const history = (await send(customer.token, 'GET', `/bss/v2/prices/${line.line_id}/revisions`)).body.revisions;
    expect(history.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['initial', 'increase']));
  });

  it("clause 1.4.5: publishes a new feature's price on its release, never back-dated, and only by the operator", async () => {
    const operator = await operatorToken();
    const customer = await computeProject('bssd');
    const decrease = await send(operator, 'POST', '/bss/v2/prices/revisions', {
      line: {
        service: 'ims',
        product: 'rhel',
        region_id: 'eu-west-0',
        billing_mode: 'on_demand',
        unit: 'hour',
        description: 'Red Hat Enterprise Linux licence',
      },
      unit_price: '0.0184',
    });
    expect(decrease.status, JSON.stringify(decrease.body)).toBe(201);
    expect(decrease.body.revision.kind).toBe('new');

    const refused = await send(customer.token, 'POST', '/bss/v2/prices/revisions', {
      line_id: decrease.body.revision.line_id,
      unit_price: '0',
      effective_from: inDays(1),
    });
    expect(refused.status).toBe(403);
    const bad = await send(operator, 'POST', '/bss/v2/prices/revisions', {
      line_id: decrease.body.revision.line_id,
      unit_price: '-1',
      effective_from: inDays(1),
    });
    expectNativeError(bad, 400);
    const back = await send(operator, 'POST', '/bss/v2/prices/revisions', {
      line_id: decrease.body.revision.line_id,
      unit_price: '0.01',
      effective_from: inDays(-1),
    });
    expectNativeError(back, 409, 'CBC.0155', /cannot take effect before it is published/);
  });
});

describe('the usage ledger', () => {
  it('takes each event once, however often or from wherever the outbox is read again', async () => {
    const p = await computeProject('bssu');
    const v = await availableVolume(p, { size: 8, volume_type: 'SSD' });
    await held();
    const first = await send(p.token, 'GET', '/bss/v2/usage?group_by=resource');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const line = first.body.usage.find((u: { resourceId: string }) => u.resourceId === v.id);
    expect(line).toMatchObject({ meter: 'evs.volume', service: 'evs', unit: 'GB-second' });
    expect(line.quantity % 8).toBe(0);

    await cinder(p, 'DELETE', `/volumes/${v.id}`);
    await waitVolumeStatus(p, v.id, 'deleted');
    // The cursor lost (a crash between taking and recording): the whole outbox is taken again, adding nothing.
    const db = await directory(bindings);
    await db.delete(usageCursors).where(eq(usageCursors.projectId, p.project));
    const projects = [{ id: p.project, domainId: p.account.domainId, regionId: p.region }];
    expect(await takeUsage(bindings, projects)).toBe(1);
    expect(await takeUsage(bindings, projects)).toBe(0);
    await db.delete(usageCursors).where(eq(usageCursors.projectId, p.project));
    expect(await takeUsage(bindings, projects)).toBe(0);
    const rows = await db
      .select({ id: usageLedger.eventId, quantity: usageLedger.quantity })
      .from(usageLedger)
      .where(eq(usageLedger.resourceId, v.id));
    expect(rows.map((r) => r.id).sort()).toEqual([`${v.id}:start`, `${v.id}:stop`]);
    expect(rows.find((r) => r.id.endsWith(':start'))?.quantity).toBe(8);
  });

  it('shows an account its own usage only, as JSON or CSV', async () => {
    const mine = await computeProject('bssm');
    const theirs = await computeProject('bsst');
    const v = await availableVolume(theirs, { size: 3 });
    await held();
    const seen = await send(mine.token, 'GET', '/bss/v2/usage?group_by=resource');
    expect(seen.body.usage.some((u: { resourceId: string }) => u.resourceId === v.id)).toBe(false);
    await send(theirs.token, 'GET', '/bss/v2/usage');
    const db = await directory(bindings);
    const owners = await db.selectDistinct({ domainId: usageLedger.domainId }).from(usageLedger).where(eq(usageLedger.resourceId, v.id));
    expect(owners).toEqual([{ domainId: theirs.account.domainId }]);

    const res = await fetchCsv(theirs.token);
    expect(res.type, res.text).toMatch(/^text\/csv/);
    const [header, ...rows] = res.text.trim().split('\r\n');
    expect(header).toBe('meter,service,resource,day,attributes,quantity,unit');
    expect(rows.some((r) => r.startsWith(`evs.volume,evs,${v.id},`))).toBe(true);
    expectNativeError(await send(theirs.token, 'GET', '/bss/v2/usage?group_by=planet'), 400);
    expectNativeError(await send(theirs.token, 'GET', `/bss/v2/usage?from=${inDays(0)}&to=${inDays(-1)}`), 400);
  });
});

/** Usage is counted on whole seconds: a resource made just now has held nothing until its first second ends. */
const held = () => new Promise((r) => setTimeout(r, 1100));

async function fetchCsv(token: string) {
  const { call } = await import('../request.ts');
  const res = await call('/bss/v2/usage?group_by=service,resource,day&format=csv', { token });
  return { type: res.headers.get('content-type') ?? '', text: await res.text() };
}

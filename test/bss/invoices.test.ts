/**
 * Invoices in workerd: a month rated from the ledger matches a hand-computed figure to the cent, closing it again
 * changes nothing, rating it again gives the same fingerprint, and another account cannot see it.
 */
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { call, expectNativeError, send } from '../request.ts';
import { writeLedger } from './fixtures.ts';

describe('a month closed into an invoice', () => {
  it('matches the hand-computed figure, is closed once, reproduces, and is the account’s alone', async () => {
    const account = await newAccount('inv');
    const project = account.projects.find((p) => p.name === 'eu-west-0')!;
    await writeLedger(account.domainId, project.id, [
      // An SSD volume of 40 GB through February 2026 (28 days, 672 hours), created in January.
      {
        id: 'vol:start',
        meter: 'evs.volume',
        resource: 'vol',
        action: 'start',
        quantity: 40,
        attributes: { volume_type: 'SSD' },
        at: '2026-01-20T10:00:00.000Z',
      },
      // A server running 100 hours, stopped, and its stopped days not charged.
      {
        id: 'vm:run:1',
        meter: 'ecs.server',
        resource: 'vm',
        action: 'start',
        quantity: 1,
        attributes: { flavor: 's3.small.1', licence: '' },
        at: '2026-02-10T08:00:00.000Z',
      },
      { id: 'vm:halt:1', meter: 'ecs.server', resource: 'vm', action: 'stop', quantity: 0, at: '2026-02-14T12:00:00.000Z' },
      // An EIP and its 5 Mbit/s bandwidth, the whole month and on into March.
      { id: 'eip:start', meter: 'vpc.eip', resource: 'eip', action: 'start', quantity: 1, at: '2026-01-31T23:00:00.000Z' },
      {
        id: 'bw:start',
        meter: 'vpc.bandwidth',
        resource: 'bw',
        action: 'start',
        quantity: 5,
        attributes: { charge_mode: 'bandwidth' },
        at: '2026-01-31T23:00:00.000Z',
      },
      // Security groups are never metered (clause 1.2.3.22), so nothing of them is here.
    ]);
    const operator = await operatorToken();
    const closed = await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: account.domainId, month: '2026-02' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(201);
    // By hand: SSD 40 GB x 672 h / 730 h x 0.16 = 5.8915 EUR, 589 cents; 100 h x 0.0265 = 265 cents;
    // EIP 672 h x 0.0045 = 3.024 EUR, 302 cents; bandwidth 5 x 672 h x 0.0125 = 42.00 EUR. Total 53.56 EUR.
    expect(closed.body.invoice).toMatchObject({ month: '2026-02', total: 5356, total_text: '53.56', currency: 'EUR' });

    const token = await tokenFor(account);
    const { body } = await send(token, 'GET', '/bss/v2/invoices/2026-02');
    expect(
      body.lines.map((l: { service: string; product: string; amount: number; quantity: string }) => [
        l.service,
        l.product,
        l.quantity,
        l.amount,
      ]),
    ).toEqual([
      ['ecs', 's3.small.1', '100.000000', 265],
      ['eip', '5_bgp', '672.000000', 302],
      ['eip', 'bandwidth', '3360.000000', 4200],
      ['evs', 'SSD', '36.821918', 589],
    ]);
    expect(body.lines[0]).toMatchObject({
      unit_price: '0.0265',
      unit: 'hour',
      from: '2026-02-10T08:00:00.000Z',
      to: '2026-02-14T12:00:00.000Z',
    });
    expect(body.lines[0].price_revision_id).toMatch(/:initial$/);

    // The PDF: a real document (pdf-lib reads it back), one page, titled with the month and the account.
    const pdf = await call('/bss/v2/invoices/2026-02/pdf', { token });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`Invoice 2026-02 - ${account.domain}`);

    // Closed once: a late event and a second close leave the stored invoice as it was.
    await writeLedger(account.domainId, project.id, [
      { id: 'late', meter: 'vpc.eip', resource: 'eip2', action: 'start', quantity: 1, at: '2026-02-27T00:00:00.000Z' },
    ]);
    const again = await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: account.domainId, month: '2026-02' });
    expect(again.body.invoice).toEqual(closed.body.invoice);
    // Rating it again sees the late event, and says so: the fingerprints differ.
    const check = await send(token, 'GET', '/bss/v2/invoices/2026-02/verification');
    expect(check.body).toMatchObject({ stored: { total: 5356 }, reproduced: false });
    expect(check.body.rerun.total).toBe(5356 + 22);
  });

  it('reproduces a month rated again from an unchanged ledger, and hides it from other accounts', async () => {
    const account = await newAccount('inv');
    const project = account.projects.find((p) => p.name === 'eu-west-0')!;
    await writeLedger(account.domainId, project.id, [
      {
        id: 'vol:start',
        meter: 'evs.volume',
        resource: 'vol',
        action: 'start',
        quantity: 7,
        attributes: { volume_type: 'SATA' },
        at: '2025-02-28T12:00:00.000Z',
      },
      { id: 'vol:stop', meter: 'evs.volume', resource: 'vol', action: 'stop', quantity: 0, at: '2025-03-01T12:00:00.000Z' },
    ]);
    const operator = await operatorToken();
    const closed = await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: account.domainId, month: '2025-02' });
    // 12 hours of 2025-02-28 (no leap day in 2025): 7 x 12 / 730 x 0.045 = 0.00518 EUR, 1 cent.
    expect(closed.body.invoice.total).toBe(1);
    const token = await tokenFor(account);
    expect((await send(token, 'GET', '/bss/v2/invoices/2025-02/verification')).body.reproduced).toBe(true);
    expect((await send(token, 'GET', '/bss/v2/invoices')).body.invoices.map((i: { month: string }) => i.month)).toEqual(['2025-02']);

    const other = await tokenFor(await newAccount('inv'));
    expectNativeError(await send(other, 'GET', '/bss/v2/invoices/2025-02'), 404, 'CBC.0104');
    expect((await send(other, 'GET', '/bss/v2/invoices')).body.invoices).toEqual([]);
    expectNativeError(await send(token, 'POST', '/bss/v2/invoices/close', { domain_id: account.domainId, month: '2025-02' }), 403);
    expectNativeError(
      await send(operator, 'POST', '/bss/v2/invoices/close', { domain_id: account.domainId, month: '2999-01' }),
      400,
      'CBC.0100',
    );
  });
});

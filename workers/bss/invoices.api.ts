/**
 * Invoices at `/bss/v2/invoices`: the account's closed months, one month's lines, and a check that rating the
 * month again from the ledger gives the same invoice (its fingerprint). The operator closes months on demand too.
 */
import { z } from 'zod';
import { minorText, unitPriceText } from '../../core/money.ts';
import type { Invoice, InvoiceLine } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { jsonBody } from '../lib/validate.ts';
import { invoicePdf } from './invoice-pdf.ts';
import { closeMonth, invoiceOf, invoicesOf, rateMonth } from './usecases/invoices.ts';

export const invoicesApp = router();

const invoiceView = (i: Invoice) => ({
  id: i.id,
  month: i.month,
  status: i.status,
  currency: i.currency,
  total: i.total,
  total_text: minorText(i.total),
  fingerprint: i.fingerprint,
  closed_at: i.closedAt,
});

const lineView = (l: InvoiceLine) => ({
  seq: l.seq,
  kind: l.kind,
  service: l.service,
  product: l.product,
  region_id: l.regionId,
  resource_id: l.resourceId,
  label: l.label,
  price_line_id: l.lineId,
  price_revision_id: l.revisionId,
  unit_price: l.unitPrice === null ? null : unitPriceText(BigInt(l.unitPrice)),
  unit: l.unit,
  quantity: l.quantity,
  base_quantity: l.baseQuantity,
  per: l.per,
  amount: l.amount,
  from: l.fromAt,
  to: l.toAt,
  clause: l.clause,
});

invoicesApp.get('/', act('bss:invoices:list'), async (c) => {
  const list = await invoicesOf(c.env, c.var.principal.domainId);
  return c.json({ invoices: list.map(invoiceView) });
});

invoicesApp.get('/:month', act('bss:invoices:get'), async (c) => {
  const { invoice, lines } = await invoiceOf(c.env, c.var.principal.domainId, c.req.param('month'));
  return c.json({ invoice: invoiceView(invoice), lines: lines.map(lineView) });
});

invoicesApp.get('/:month/pdf', act('bss:invoices:get'), async (c) => {
  const { invoice, lines } = await invoiceOf(c.env, c.var.principal.domainId, c.req.param('month'));
  const pdf = await invoicePdf(invoice, lines, { accountName: c.var.principal.domainName });
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `attachment; filename="invoice-${invoice.month}.pdf"`,
  });
});

invoicesApp.get('/:month/verification', act('bss:invoices:get'), async (c) => {
  const { invoice } = await invoiceOf(c.env, c.var.principal.domainId, c.req.param('month'));
  const rerun = await rateMonth(c.env, invoice.domainId, invoice.month);
  return c.json({
    month: invoice.month,
    stored: { total: invoice.total, fingerprint: invoice.fingerprint },
    rerun: { total: rerun.total, fingerprint: rerun.fingerprint },
    reproduced: rerun.fingerprint === invoice.fingerprint,
  });
});

const closeBody = z.object({ domain_id: z.string().min(1).max(64), month: z.string() }).strict();

invoicesApp.post('/close', act('bss:invoices:close'), async (c) => {
  const b = await jsonBody(c, closeBody);
  const invoice = await closeMonth(c.env, b.domain_id, b.month);
  return c.json({ invoice: invoiceView(invoice) }, 201);
});

/**
 * The account's invoices: the closed months, one month's lines with the price revision and clause each was
 * rated under, and its PDF. Another account's month is a 404, as if it did not exist (`invoiceOf`).
 */
import type { Hono } from 'hono';
import { minorText, unitPriceText } from '../../../core/money.ts';
import type { Invoice, InvoiceLine } from '../../../schema/global.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { invoicePdf } from '../../../workers/bss/invoice-pdf.ts';
import { invoiceOf, invoicesOf } from '../../../workers/bss/usecases/invoices.ts';
import type { AppEnv } from '../../../workers/lib/app.ts';
import { Empty, Table } from '../../console/kit.tsx';
import { BILLING, billingPage } from './shell.tsx';

/** Registers the invoice list, an invoice's page and its PDF (`{month}.pdf`, the same route and action). */
export function invoiceRoutes(r: Hono<AppEnv>): void {
  r.get('/invoices', act('bss:invoices:list'), async (c) => {
    const list = await invoicesOf(c.env, c.var.principal.domainId);
    return billingPage(
      c,
      'invoices',
      'Invoices',
      <Table caption="Closed invoices of the account, newest first" head={['Month', 'Total', 'Closed at']}>
        <tbody>
          {list.length === 0 && <Empty cols={3}>No invoices yet: a month is invoiced once it has ended.</Empty>}
          {list.map((i) => (
            <tr>
              <th scope="row">
                <a href={`${BILLING}/invoices/${i.month}`}>{i.month}</a>
              </th>
              <td>{`${minorText(i.total)} ${i.currency}`}</td>
              <td>
                <time datetime={i.closedAt}>{i.closedAt}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>,
    );
  });

  // One route for the page and its PDF: a second route on the same path would be a second guard on it.
  r.get('/invoices/:month', act('bss:invoices:get'), async (c) => {
    const asked = c.req.param('month');
    const pdf = asked.endsWith('.pdf');
    const { invoice, lines } = await invoiceOf(c.env, c.var.principal.domainId, pdf ? asked.slice(0, -4) : asked);
    if (pdf) {
      const bytes = await invoicePdf(invoice, lines, { accountName: c.var.principal.domainName });
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="invoice-${invoice.month}.pdf"`,
      });
    }
    return billingPage(c, 'invoices', `Invoice ${invoice.month}`, <InvoiceView invoice={invoice} lines={lines} />);
  });
}

/** One invoice: its total, its PDF, its lines with the revision and clause each was rated under. */
function InvoiceView({ invoice, lines }: { invoice: Invoice; lines: InvoiceLine[] }) {
  const head = ['Line', 'Resource', 'Region', 'Quantity', 'Unit price (EUR)', 'Amount (EUR)', 'Price revision', 'Clause'];
  return (
    <>
      <dl class="facts">
        <dt>Total</dt>
        <dd>{`${minorText(invoice.total)} ${invoice.currency}`}</dd>
        <dt>Closed at</dt>
        <dd>
          <time datetime={invoice.closedAt}>{invoice.closedAt}</time>
        </dd>
      </dl>
      <p>
        <a href={`${BILLING}/invoices/${invoice.month}.pdf`} download>
          Download PDF
        </a>
      </p>
      <Table caption={`Lines of the invoice for ${invoice.month}`} head={head}>
        <tbody>
          {lines.length === 0 && <Empty cols={head.length}>Nothing was used this month.</Empty>}
          {lines.map((l) => (
            <tr>
              <th scope="row">{l.label}</th>
              <td>{l.resourceId ? <code>{l.resourceId}</code> : ''}</td>
              <td>{l.regionId}</td>
              <td>{`${l.quantity} ${l.unit}`}</td>
              <td>{l.unitPrice === null ? '' : unitPriceText(BigInt(l.unitPrice))}</td>
              <td>{minorText(l.amount)}</td>
              <td>{l.revisionId ? <code>{l.revisionId}</code> : ''}</td>
              <td>{l.clause}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={5}>
              Total
            </th>
            <td>{minorText(invoice.total)}</td>
            <td colspan={2}>{invoice.currency}</td>
          </tr>
        </tfoot>
      </Table>
    </>
  );
}

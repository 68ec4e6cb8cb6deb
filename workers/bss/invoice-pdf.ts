/**
 * An invoice as a PDF, drawn in the Worker with pdf-lib (pure JavaScript, no native code or file system, so it
 * runs in workerd as it does in Node). Lines are laid out in a table that continues over as many pages as it
 * needs; the footer states the rounding rule and the fingerprint that a rerun of the month reproduces.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { formatMinor, minorText, unitPriceText } from '../../core/money.ts';
import type { Invoice, InvoiceLine } from '../../schema/global.ts';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const ROW = 15;
const COLUMNS = [
  { title: 'Description', x: MARGIN, width: 215 },
  { title: 'Region', x: 268, width: 62 },
  { title: 'Quantity', x: 334, width: 90, right: true },
  { title: 'Unit price', x: 428, width: 56, right: true },
  { title: 'Amount', x: 488, width: 59, right: true },
] as const;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.4, 0.4, 0.4);
const ORANGE = rgb(1, 0.475, 0);

/** Who the invoice is for, as the header shows it. */
export interface Billed {
  accountName: string;
}

/** Draws the invoice; answers the PDF's bytes. */
export async function invoicePdf(invoice: Invoice, lines: readonly InvoiceLine[], billed: Billed): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Invoice ${invoice.month} - ${billed.accountName}`);
  doc.setCreator('Flexible Engine billing');
  doc.setCreationDate(new Date(invoice.closedAt));
  doc.setModificationDate(new Date(invoice.closedAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([A4.width, A4.height]);
  let y = header(page, bold, regular, invoice, billed);
  for (const line of lines) {
    if (y < MARGIN + 4 * ROW) {
      page = doc.addPage([A4.width, A4.height]);
      y = tableHead(page, bold, A4.height - MARGIN);
    }
    y = row(page, regular, line, y);
  }
  y -= ROW / 2;
  page.drawLine({ start: { x: MARGIN, y: y + ROW - 4 }, end: { x: A4.width - MARGIN, y: y + ROW - 4 }, color: MUTED, thickness: 0.5 });
  text(page, bold, 'Total', COLUMNS[0].x, y, 11);
  right(page, bold, formatMinor(invoice.total, invoice.currency), COLUMNS[4].x + COLUMNS[4].width, y, 11);
  footer(page, regular, invoice);
  return doc.save({ useObjectStreams: false });
}

function header(page: PDFPage, bold: PDFFont, regular: PDFFont, invoice: Invoice, billed: Billed): number {
  let y = A4.height - MARGIN;
  page.drawRectangle({ x: MARGIN, y: y - 6, width: 24, height: 24, color: ORANGE });
  text(page, bold, 'Flexible Engine', MARGIN + 32, y, 16);
  y -= 36;
  text(page, bold, `Invoice for ${invoice.month}`, MARGIN, y, 20);
  y -= 24;
  const facts: [string, string][] = [
    ['Account', billed.accountName],
    ['Invoice', invoice.id],
    ['Closed', invoice.closedAt],
    ['Currency', invoice.currency],
  ];
  for (const [k, v] of facts) {
    text(page, bold, k, MARGIN, y, 9);
    text(page, regular, v, MARGIN + 70, y, 9);
    y -= 13;
  }
  return tableHead(page, bold, y - 14);
}

function tableHead(page: PDFPage, bold: PDFFont, y: number): number {
  for (const c of COLUMNS) {
    if ('right' in c) right(page, bold, c.title, c.x + c.width, y, 9);
    else text(page, bold, c.title, c.x, y, 9);
  }
  page.drawLine({ start: { x: MARGIN, y: y - 4 }, end: { x: A4.width - MARGIN, y: y - 4 }, color: INK, thickness: 0.75 });
  return y - ROW - 2;
}

function row(page: PDFPage, font: PDFFont, l: InvoiceLine, y: number): number {
  const [description, region, quantity, price, amount] = COLUMNS;
  text(page, font, clip(font, l.label, description.width, 8), description.x, y, 8);
  text(page, font, clip(font, l.resourceId ? `${l.resourceId}` : '', description.width, 7), description.x, y - 9, 7, MUTED);
  text(page, font, l.regionId, region.x, y, 8);
  right(page, font, `${trimZeros(l.quantity)} ${l.unit}`, quantity.x + quantity.width, y, 8);
  right(page, font, l.unitPrice === null ? '-' : unitPriceText(BigInt(l.unitPrice)), price.x + price.width, y, 8);
  right(page, font, minorText(l.amount), amount.x + amount.width, y, 8);
  return y - ROW - 8;
}

function footer(page: PDFPage, font: PDFFont, invoice: Invoice): void {
  const notes = [
    'Each line is its exact quantity times the unit price of the price revision applied, rounded once to the cent',
    '(halves away from zero); the total is the sum of the rounded lines. Unit prices are in EUR per unit.',
    `Fingerprint of the rated lines (SHA-256): ${invoice.fingerprint}`,
  ];
  notes.forEach((n, i) => {
    text(page, font, n, MARGIN, MARGIN - 8 + (notes.length - i) * 10, 7, MUTED);
  });
}

/** Text as the standard fonts can encode it (WinAnsi): anything else becomes a question mark. */
function encodable(s: string): string {
  return s.replace(/[^\x20-\x7e\u00a0-\u00ff\u20ac]/g, '?');
}

function text(page: PDFPage, font: PDFFont, s: string, x: number, y: number, size: number, color = INK): void {
  page.drawText(encodable(s), { x, y, size, font, color });
}

function right(page: PDFPage, font: PDFFont, s: string, x: number, y: number, size: number): void {
  const t = encodable(s);
  page.drawText(t, { x: x - font.widthOfTextAtSize(t, size), y, size, font, color: INK });
}

/** Cuts text to a width with an ellipsis of three dots. */
function clip(font: PDFFont, s: string, width: number, size: number): string {
  let t = encodable(s);
  if (font.widthOfTextAtSize(t, size) <= width) return t;
  while (t.length && font.widthOfTextAtSize(`${t}...`, size) > width) t = t.slice(0, -1);
  return `${t}...`;
}

function trimZeros(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/0+$/, '').replace(/\.$/, '') : decimal;
}

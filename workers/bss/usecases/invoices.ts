/**
 * Invoices: an account's calendar month (UTC) rated from the ledger, closed once by the month-end job and kept.
 * Rating a month again from the same ledger and price list gives the same lines to the cent; the stored
 * fingerprint lets anyone check that (`rateMonth` then compare).
 */
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import { CURRENCY, type Minor } from '../../../core/money.ts';
import { billingAccounts, type InvoiceLine, invoiceLines, invoices, subscriptions } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { priceBook } from '../../directory/prices.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { chunks, rollUp, takeAll } from '../ledger.ts';
import { type ChargeLine, rate, type Unpriced } from '../rating.ts';
import type { Election } from '../rules/support-plan.ts';
import { reservationCover, type SubscriptionCharge, subscriptionCharges } from '../subscription-charges.ts';
import { creditLines } from './credits.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The first instant of a month and of the next one. */
export function monthWindow(month: string): { from: Date; to: Date } {
  const m = MONTH.exec(month);
  if (!m) throw badRequest(`Invalid month ${month}: expected YYYY-MM.`, 'CBC.0100');
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) };
}

/** The month (`YYYY-MM`) before the one `at` is in. */
export function previousMonth(at: Date): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

export type RatedLine = Omit<InvoiceLine, 'invoiceId'>;

/**
 * Rates an account's month from its ledger: the lines an invoice would have, their total and fingerprint. The
 * account's usage is taken into the ledger first, unless the caller has just taken everyone's (`taken`).
 */
export async function rateMonth(
  env: Env,
  domainId: string,
  month: string,
  taken = false,
): Promise<{ lines: RatedLine[]; total: Minor; fingerprint: string }> {
  const { to } = monthWindow(month);
  if (to.getTime() > Date.now()) throw badRequest(`The month ${month} has not ended yet.`, 'CBC.0100');
  if (!taken) await takeAll(env, domainId);
  const charged = await chargesUpTo(env, domainId, month, to);
  const subtotal = charged.reduce((sum, l) => sum + l.amount, 0);
  // Credits come off what is charged, oldest first, never below zero (usecases/credits.ts).
  const lines = [...charged, ...(await creditLines(env, domainId, month, subtotal))].map((l, seq) => ({ ...l, seq }));
  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  return { lines, total, fingerprint: await fingerprintOf(lines) };
}

/**
 * The month's charges from its start up to `to` (its end, or the hour in progress for a month-to-date figure):
 * its subscriptions' and support plan's lines for the month, then usage rated from the ledger, then unpriced use.
 */
export async function chargesUpTo(env: Env, domainId: string, month: string, to: Date): Promise<Unnumbered[]> {
  const { from } = monthWindow(month);
  const rows = await rollUp(env, domainId, from, to);
  const book = await priceBook(env);
  const db = await directory(env);
  const [subs, account] = await db.batch([
    db.select().from(subscriptions).where(eq(subscriptions.domainId, domainId)),
    db.select().from(billingAccounts).where(eq(billingAccounts.domainId, domainId)),
  ]);
  const rated = rate(rows, book, reservationCover(subs));
  const elections = (account[0]?.supportElections ?? []) as Election[];
  return [
    ...subscriptionCharges(month, subs, elections, book).map(subscriptionLine).sort(bySubscription),
    ...rated.lines.map(usageLine).sort(byUsage),
    ...rated.unpriced.map(unpricedLine(from, to)).sort(byUsage),
  ];
}

/** Closes an account's month: rated and stored once; a month already closed is answered as it was stored. */
export async function closeMonth(env: Env, domainId: string, month: string, now = new Date(), taken = false) {
  const db = await directory(env);
  const id = `${domainId}:${month}`;
  const existing = await db.select().from(invoices).where(eq(invoices.id, id)).get();
  if (existing) return existing;
  const { lines, total, fingerprint } = await rateMonth(env, domainId, month, taken);
  const invoice = { id, domainId, month, status: 'closed' as const, currency: CURRENCY, total, fingerprint, closedAt: now.toISOString() };
  const writes = [
    // Written whole or not at all; a concurrent close of the same month writes nothing (its insert is ignored).
    db.insert(invoices).values(invoice).onConflictDoNothing(),
    ...chunks(lines, 50).map((part) =>
      db
        .insert(invoiceLines)
        .values(part.map((l) => ({ ...l, invoiceId: id })))
        .onConflictDoNothing(),
    ),
  ];
  await db.batch(writes as unknown as Parameters<typeof db.batch>[0]);
  return (await db.select().from(invoices).where(eq(invoices.id, id)).get())!;
}

/**
 * Closes the month before `now` for these accounts, whose usage the caller has just taken into the ledger;
 * answers how many invoices exist for it.
 */
export async function closeAllAccounts(env: Env, accounts: readonly string[], now = new Date()): Promise<number> {
  const month = previousMonth(now);
  for (const domainId of accounts) await closeMonth(env, domainId, month, now, true);
  return accounts.length;
}

/** An account's invoices, newest first. */
export async function invoicesOf(env: Env, domainId: string) {
  const db = await directory(env);
  return db.select().from(invoices).where(eq(invoices.domainId, domainId)).orderBy(desc(invoices.month)).all();
}

/** One of an account's invoices with its lines (404 for another account's, as if it did not exist). */
export async function invoiceOf(env: Env, domainId: string, month: string) {
  const db = await directory(env);
  const invoice = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.domainId, domainId), eq(invoices.month, month)))
    .get();
  if (!invoice) throw notFound(`There is no invoice for ${month}.`, 'CBC.0104');
  const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id)).orderBy(asc(invoiceLines.seq)).all();
  return { invoice, lines };
}

/** A line before the invoice numbers it. */
export type Unnumbered = Omit<RatedLine, 'seq'>;
/** Subscriptions by clause, then label; usage by service, product, region, resource and time: the same order every run. */
const bySubscription = (a: Unnumbered, b: Unnumbered) =>
  a.clause.localeCompare(b.clause) || a.label.localeCompare(b.label) || a.fromAt.localeCompare(b.fromAt);
const byUsage = (a: Unnumbered, b: Unnumbered) =>
  a.service.localeCompare(b.service) ||
  a.product.localeCompare(b.product) ||
  a.regionId.localeCompare(b.regionId) ||
  a.resourceId.localeCompare(b.resourceId) ||
  a.fromAt.localeCompare(b.fromAt);

const hourStart = (hour: string) => `${hour}:00:00.000Z`;
const hourEnd = (hour: string) => new Date(Date.parse(hourStart(hour)) + 3_600_000).toISOString();

function usageLine(c: ChargeLine): Omit<RatedLine, 'seq'> {
  return {
    kind: 'usage',
    service: c.service,
    product: c.product,
    regionId: c.regionId,
    resourceId: c.resourceId,
    label: c.label,
    lineId: c.lineId,
    revisionId: c.revisionId,
    unitPrice: Number(c.unitPrice),
    unit: c.unit,
    quantity: decimal(c.quantity, c.per),
    baseQuantity: c.quantity.toString(),
    per: c.per.toString(),
    amount: c.amount,
    fromAt: hourStart(c.fromHour),
    toAt: hourEnd(c.toHour),
    clause: c.meter === 'ecs.server' && c.service === 'ims' ? '1.2.3.11' : '',
  };
}

function subscriptionLine(c: SubscriptionCharge): Omit<RatedLine, 'seq'> {
  return {
    kind: 'subscription',
    service: c.service,
    product: c.product,
    regionId: c.regionId,
    resourceId: c.resourceId,
    label: c.description,
    lineId: null,
    revisionId: null,
    unitPrice: Number(c.unitPrice),
    unit: 'month',
    quantity: c.quantity,
    baseQuantity: c.quantity,
    per: '1',
    amount: c.amount,
    fromAt: c.from,
    toAt: c.to,
    clause: c.clause,
  };
}

function unpricedLine(from: Date, to: Date) {
  return (u: Unpriced): Omit<RatedLine, 'seq'> => ({
    kind: 'unpriced',
    service: u.service,
    product: u.product,
    regionId: u.regionId,
    resourceId: u.resourceId,
    label: `${u.service} ${u.product}: no published price, not charged`,
    lineId: null,
    revisionId: null,
    unitPrice: null,
    unit: u.meter,
    quantity: u.quantity.toString(),
    baseQuantity: u.quantity.toString(),
    per: '1',
    amount: 0,
    fromAt: from.toISOString(),
    toAt: to.toISOString(),
    // Clause 1.4.1: what is charged is what the price list lists.
    clause: '1.4.1',
  });
}

/** `q / per` to 6 decimals, rounded halves away from zero (for reading only). */
function decimal(q: bigint, per: bigint): string {
  const scaled = (2n * q * 1_000_000n + per) / (2n * per);
  const whole = scaled / 1_000_000n;
  const fraction = (scaled % 1_000_000n).toString().padStart(6, '0');
  return `${whole}.${fraction}`;
}

async function fingerprintOf(lines: readonly RatedLine[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(lines)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

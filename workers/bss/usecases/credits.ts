/**
 * Credits: the operator grants an account an amount off its invoices, with a reason and an optional expiry. A
 * month's invoice takes from the credits in force in it, oldest first, up to what the month charges, and shows
 * each as a line; what is left carries to the next month. What a credit has left is its amount less the credit
 * lines of the invoices of earlier months, so rating a closed month again takes the same from each credit.
 */
import { and, asc, eq, lt } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import { type Minor, minorText } from '../../../core/money.ts';
import { type Credit, credits, invoiceLines, invoices } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { badRequest } from '../../lib/errors.ts';
import type { Unnumbered } from './invoices.ts';

/** What the operator grants. */
export interface CreditGrant {
  domainId: string;
  amount: Minor;
  reason: string;
  expiresAt?: string;
}

/** Grants a credit from now on. */
export async function grantCredit(env: Env, grant: CreditGrant, by: string, now = new Date()): Promise<Credit> {
  if (!Number.isSafeInteger(grant.amount) || grant.amount <= 0)
    throw badRequest('Invalid input: a credit is a positive amount.', 'CBC.0100');
  if (grant.expiresAt && grant.expiresAt <= now.toISOString())
    throw badRequest('Invalid input: a credit expires after it is granted.', 'CBC.0100');
  const credit = {
    id: crypto.randomUUID(),
    domainId: grant.domainId,
    amount: grant.amount,
    reason: grant.reason,
    grantedAt: now.toISOString(),
    expiresAt: grant.expiresAt ?? null,
    grantedBy: by,
  };
  const db = await directory(env);
  await db.insert(credits).values(credit);
  return credit;
}

/** What each of the account's credits has had taken by the invoices of months before `month` (all, if none given). */
async function takenBefore(env: Env, domainId: string, month?: string): Promise<Map<string, Minor>> {
  const db = await directory(env);
  const rows = await db
    .select({ creditId: invoiceLines.resourceId, amount: invoiceLines.amount })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(and(eq(invoices.domainId, domainId), eq(invoiceLines.kind, 'credit'), month ? lt(invoices.month, month) : undefined))
    .all();
  const taken = new Map<string, Minor>();
  for (const r of rows) taken.set(r.creditId, (taken.get(r.creditId) ?? 0) - r.amount);
  return taken;
}

/** The account's credits, oldest first, each with what is left of it after the closed invoices. */
export async function creditsOf(env: Env, domainId: string) {
  const db = await directory(env);
  const list = await db.select().from(credits).where(eq(credits.domainId, domainId)).orderBy(asc(credits.grantedAt), asc(credits.id)).all();
  const taken = await takenBefore(env, domainId);
  return list.map((c) => ({ credit: c, remaining: c.amount - (taken.get(c.id) ?? 0) }));
}

/**
 * The credit lines of `month`'s invoice for charges of `subtotal`: each credit granted before the month ends and
 * not expired by its start, oldest first, takes what it has left up to what is still to pay. Negative amounts.
 */
export async function creditLines(env: Env, domainId: string, month: string, subtotal: Minor): Promise<Unnumbered[]> {
  const from = `${month}-01T00:00:00.000Z`;
  const to = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString();
  const db = await directory(env);
  const inForce = await db
    .select()
    .from(credits)
    .where(and(eq(credits.domainId, domainId), lt(credits.grantedAt, to)))
    .orderBy(asc(credits.grantedAt), asc(credits.id))
    .all();
  const taken = await takenBefore(env, domainId, month);
  const lines: Unnumbered[] = [];
  let due = subtotal;
  for (const c of inForce) {
    if (c.expiresAt && c.expiresAt <= from) continue;
    const take = Math.min(c.amount - (taken.get(c.id) ?? 0), due);
    if (take <= 0) continue;
    due -= take;
    lines.push(creditLine(c, take, from, to));
  }
  return lines;
}

function creditLine(c: Credit, take: Minor, from: string, to: string): Unnumbered {
  return {
    kind: 'credit',
    service: 'credit',
    product: '',
    regionId: 'global',
    resourceId: c.id,
    label: `Credit: ${c.reason} (${minorText(take)} of ${minorText(c.amount)})`,
    lineId: null,
    revisionId: null,
    unitPrice: null,
    unit: 'EUR',
    quantity: '1',
    baseQuantity: '1',
    per: '1',
    amount: -take,
    fromAt: from,
    toAt: to,
    clause: '',
  };
}

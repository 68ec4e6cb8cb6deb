/**
 * Budget alerts: an account sets a monthly budget and the percentages of it to be told about (50, 80, 100). The
 * hourly job rates the month so far (finished hours of usage, and the month's subscription and support lines, as
 * the invoice will have them) and raises one notice per threshold crossed per month: the notice's key is the
 * account, month and threshold, so a job run again, late or twice at once, raises nothing more.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import type { Minor } from '../../../core/money.ts';
import { budgetNotices, budgets } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { badRequest } from '../../lib/errors.ts';
import { monthOf } from '../rules/calendar.ts';
import { chargesUpTo } from './invoices.ts';

const HOUR_MS = 3_600_000;

/** Sets the account's monthly budget (minor units) and its thresholds (percentages, each 1 to 1000, no repeats). */
export async function setBudget(env: Env, domainId: string, amount: Minor, thresholds: readonly number[], now = new Date()) {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw badRequest('Invalid input: a budget is a positive amount.', 'CBC.0100');
  const sorted = [...new Set(thresholds)].sort((a, b) => a - b);
  if (!sorted.length || sorted.some((t) => !Number.isInteger(t) || t < 1 || t > 1000))
    throw badRequest('Invalid input: thresholds are whole percentages from 1 to 1000.', 'CBC.0100');
  const row = { domainId, amount, thresholds: sorted, updatedAt: now.toISOString() };
  const db = await directory(env);
  await db.insert(budgets).values(row).onConflictDoUpdate({ target: budgets.domainId, set: row });
  return row;
}

/** The account's budget (none until set) and its notices, newest first. */
export async function budgetOf(env: Env, domainId: string) {
  const db = await directory(env);
  const [budget, notices] = await db.batch([
    db.select().from(budgets).where(eq(budgets.domainId, domainId)),
    db
      .select()
      .from(budgetNotices)
      .where(eq(budgetNotices.domainId, domainId))
      .orderBy(desc(budgetNotices.month), desc(budgetNotices.threshold)),
  ]);
  return { budget: budget[0] ?? null, notices };
}

/** The month-to-date charges at `now`: the month's subscription lines and its usage in the hours already over. */
export async function monthToDate(env: Env, domainId: string, now: Date): Promise<{ month: string; spent: Minor }> {
  const month = monthOf(now);
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const lines = await chargesUpTo(env, domainId, month, hour);
  return { month, spent: lines.reduce((sum, l) => sum + l.amount, 0) };
}

/** The hourly check of every budget (or those of `scope`'s accounts): answers how many notices it raised. */
export async function checkBudgets(env: Env, now: Date, scope?: readonly string[]): Promise<number> {
  const db = await directory(env);
  const all = await db.select().from(budgets).all();
  let raised = 0;
  for (const b of all.filter((row) => !scope || scope.includes(row.domainId))) {
    const { month, spent } = await monthToDate(env, b.domainId, now);
    // spent / amount >= t %, in integers.
    const crossed = b.thresholds.filter((t) => spent * 100 >= b.amount * t);
    if (!crossed.length) continue;
    const written = await db
      .insert(budgetNotices)
      .values(
        crossed.map((t) => ({ id: `${b.domainId}:${month}:${t}`, domainId: b.domainId, month, threshold: t, spent, budget: b.amount })),
      )
      .onConflictDoNothing()
      .returning({ id: budgetNotices.id });
    raised += written.length;
  }
  return raised;
}

/** The account's notices for one month. */
export async function monthNotices(env: Env, domainId: string, month: string) {
  const db = await directory(env);
  return db
    .select()
    .from(budgetNotices)
    .where(and(eq(budgetNotices.domainId, domainId), eq(budgetNotices.month, month)))
    .all();
}

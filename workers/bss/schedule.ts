/**
 * Billing's hourly job (the Worker's cron trigger): every project's outbox taken into the ledger, the hour just
 * ended rolled up for every account, auto-renewing terms renewed before they end, budgets checked, the accounts'
 * notices sent to their SMN topics, and on the
 * first day of a month the month before closed for every account. Each step is idempotent, so a late or repeated
 * run changes nothing that an earlier one did. A scope (some accounts only) lets a test run the job itself without
 * touching every account in a shared directory.
 */
import type { Env } from '../../core/env.ts';
import { meteredProjects, rollUp, takeAll } from './ledger.ts';
import { checkBudgets } from './usecases/budgets.ts';
import { closeAllAccounts } from './usecases/invoices.ts';
import { sendNotices } from './usecases/notices.ts';
import { renewDue } from './usecases/renewals.ts';

const HOUR_MS = 3_600_000;

/** What one run did. */
export interface HourReport {
  taken: number;
  accounts: number;
  renewed: number;
  budgetNotices: number;
  /** Notices published to the accounts' SMN topics (each at most once however often). */
  notified: number;
  closed: number;
}

/** Runs the hourly job for the hour that ended at or before `now`, for every account or only those in `scope`. */
export async function billingHour(env: Env, now: Date, scope?: readonly string[]): Promise<HourReport> {
  let taken = 0;
  if (scope) for (const domainId of scope) taken += await takeAll(env, domainId);
  else taken = await takeAll(env);
  const projects = await meteredProjects(env);
  const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - HOUR_MS);
  const accounts = [...new Set(projects.map((p) => p.domainId))].filter((domainId) => !scope || scope.includes(domainId));
  for (const domainId of accounts) await rollUp(env, domainId, from, to);
  const renewed = await renewDue(env, now, scope);
  const budgetNotices = await checkBudgets(env, now, scope);
  const notified = await sendNotices(env, now, scope);
  // The whole first day, so that a missed run is made good by the next.
  const closed = now.getUTCDate() === 1 ? await closeAllAccounts(env, accounts, now) : 0;
  return { taken, accounts: accounts.length, renewed, budgetNotices, notified, closed };
}

/**
 * Billing's hourly job (the Worker's cron trigger): every project's outbox taken into the ledger, the hour just
 * ended rolled up for every account, and on the first day of a month the month before closed for every account.
 * Each step is idempotent, so a late or repeated run changes nothing that an earlier one did.
 */
import type { Env } from '../../core/env.ts';
import { meteredProjects, rollUp, takeAll } from './ledger.ts';
import { closeAllAccounts } from './usecases/invoices.ts';

const HOUR_MS = 3_600_000;

/** Runs the hourly job for the hour that ended at or before `now`. */
export async function billingHour(env: Env, now: Date): Promise<{ taken: number; accounts: number; closed: number }> {
  const taken = await takeAll(env);
  const projects = await meteredProjects(env);
  const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - HOUR_MS);
  const accounts = [...new Set(projects.map((p) => p.domainId))];
  for (const domainId of accounts) await rollUp(env, domainId, from, to);
  // The whole first day, so that a missed run is made good by the next.
  const closed = now.getUTCDate() === 1 ? await closeAllAccounts(env, accounts, now) : 0;
  return { taken, accounts: accounts.length, closed };
}

/**
 * Support plans (clause 1.3): basic (free, the default) < standard < business < premium. An account's plans are a
 * history of elections; a plan takes effect at the start of the calendar month after its election and is held for
 * a minimum of six months from then. During the minimum only an upgrade may be elected, and it restarts a six-month
 * minimum on the new plan; once the minimum is over, any change may be. Readings chosen:
 * - The minimum is judged where the change would take effect: a downgrade elected in the minimum's last month takes
 *   effect on the day the minimum ends, so the plan was held its full six months, and it is allowed.
 * - A second election in the same month, before the first takes effect, replaces it: the pending election is dropped
 *   and the new one judged against the plan in effect, as if the first had never been made. Electing the plan in
 *   effect again while a change is pending withdraws that change.
 * - Basic chosen by default carries no minimum (nothing was subscribed); basic elected is bound like any plan, which
 *   forbids nothing, since there is no lower plan.
 */
import { lineAmount, type UnitPrice } from '../../../core/money.ts';
import { addMonths, type Instant, type Month, monthEnd, monthStart, nextMonthStart, toDate } from './calendar.ts';
import type { ChargeLine, Refusal } from './lines.ts';

export const SUPPORT_CLAUSE = '1.3';

/** The plans, lowest first. */
export const SUPPORT_PLANS = ['basic', 'standard', 'business', 'premium'] as const;
export type SupportPlan = (typeof SUPPORT_PLANS)[number];

/** Months a plan is held at least, from the day it takes effect. */
export const MINIMUM_MONTHS = 6;

/** One election of a plan; it takes effect at the start of the next calendar month. */
export interface Election {
  plan: SupportPlan;
  electedAt: string;
}

/** When an election takes effect: the first instant of the calendar month after it was made. */
export function effectiveAt(election: Election): Date {
  return nextMonthStart(election.electedAt);
}

/** The election in effect at `at` (the latest to have taken effect), or undefined while on the default basic plan. */
export function electionInEffect(history: readonly Election[], at: Instant): Election | undefined {
  const t = toDate(at).getTime();
  let current: Election | undefined;
  for (const e of history) if (effectiveAt(e).getTime() <= t) current = e;
  return current;
}

/** The plan in effect at `at`. */
export function planAt(history: readonly Election[], at: Instant): SupportPlan {
  return electionInEffect(history, at)?.plan ?? 'basic';
}

const rank = (plan: SupportPlan): number => SUPPORT_PLANS.indexOf(plan);

/**
 * The history after electing `plan` at `at`, or the refusal, in words, of an election the clause does not allow.
 * Elections are made in order: one dated before the latest is refused rather than rewriting the past.
 */
export function electSupportPlan(history: readonly Election[], plan: SupportPlan, at: Instant): { history: Election[] } | Refusal {
  if (!SUPPORT_PLANS.includes(plan)) return { error: `there is no support plan "${plan}"`, clause: SUPPORT_CLAUSE };
  const now = toDate(at);
  const last = history.at(-1);
  if (last && toDate(last.electedAt).getTime() > now.getTime()) {
    return { error: `an election cannot be dated before the latest one (${last.electedAt})`, clause: SUPPORT_CLAUSE };
  }
  // A pending election is one that has not taken effect yet: the new one replaces it.
  const settled = last && effectiveAt(last).getTime() > now.getTime() ? history.slice(0, -1) : [...history];
  const pending = settled.length < history.length;
  const takesEffect = nextMonthStart(now);
  const current = settled.at(-1);
  const currentPlan = current?.plan ?? 'basic';
  if (plan === currentPlan) {
    if (pending) return { history: settled };
    return { error: `the ${plan} plan is already the plan in effect`, clause: SUPPORT_CLAUSE };
  }
  if (rank(plan) < rank(currentPlan) && current) {
    const minimumEnds = addMonths(effectiveAt(current), MINIMUM_MONTHS);
    if (takesEffect.getTime() < minimumEnds.getTime()) {
      return {
        error: `the ${currentPlan} plan is held for a minimum of six months, until ${minimumEnds.toISOString()}: only a higher plan may be elected before then (a change takes effect on ${takesEffect.toISOString()})`,
        clause: SUPPORT_CLAUSE,
      };
    }
  }
  return { history: [...settled, { plan, electedAt: now.toISOString() }] };
}

/**
 * The month's support charge: the plan in effect at the month's start, charged for the whole month at
 * `monthlyPrice(plan)` (changes take effect only on a month's start, so nothing is pro rata); none on basic.
 */
export function supportCharges(history: readonly Election[], month: Month, monthlyPrice: (plan: SupportPlan) => UnitPrice): ChargeLine[] {
  const start = monthStart(month);
  const plan = planAt(history, start);
  if (plan === 'basic') return [];
  const price = monthlyPrice(plan);
  return [
    {
      description: `Support plan ${plan}`,
      quantity: '1 month',
      unitPrice: price,
      amount: lineAmount(1n, 1n, price),
      from: start.toISOString(),
      to: monthEnd(month).toISOString(),
      clause: SUPPORT_CLAUSE,
    },
  ];
}

/**
 * WorkSpace desktops (clause 1.2.3.25), charged per desktop on one of two bases: a fixed monthly charge for unlimited
 * use, or a monthly charge on hourly use (hours used x the hourly price, rounded once on the month's line). The fixed
 * basis is a monthly subscription and follows the same first-month rule as bare metal (1.2.3.20, the provider's only
 * stated one): pro rata to the end of the first month by seconds, later months in full including the last.
 */
import { lineAmount, type UnitPrice } from '../../../core/money.ts';
import { type Instant, type Month, monthEnd, monthStart } from './calendar.ts';
import { type ChargeLine, subscriptionLine } from './lines.ts';

export const WORKSPACE_CLAUSE = '1.2.3.25';

/** One desktop and the basis it was subscribed on. */
export interface Desktop {
  name: string;
  basis: 'unlimited' | 'hourly';
  startedAt: Instant;
  endedAt?: Instant;
}

/** The desktop's prices: the fixed monthly charge and the hourly one. */
export interface WorkspacePrices {
  monthly: UnitPrice;
  hourly: UnitPrice;
}

/**
 * The desktop's charge for `month`. On the unlimited basis, the subscription rule; on the hourly basis,
 * `usedSeconds` (the desktop's use in the month, from its meter) at the hourly price, and no line for no use.
 */
export function workspaceCharges(desktop: Desktop, month: Month, prices: WorkspacePrices, usedSeconds = 0n): ChargeLine[] {
  const description = `WorkSpace desktop ${desktop.name}`;
  if (desktop.basis === 'unlimited') {
    const what = { description: `${description} (unlimited)`, clause: WORKSPACE_CLAUSE, price: prices.monthly };
    return subscriptionLine(what, month, desktop.startedAt, desktop.endedAt);
  }
  if (usedSeconds < 0n) throw new RangeError('used time is never negative');
  if (usedSeconds === 0n) return [];
  return [
    {
      description: `${description} (hourly)`,
      quantity: `${usedSeconds}/3600 hours`,
      unitPrice: prices.hourly,
      amount: lineAmount(usedSeconds, 3600n, prices.hourly),
      from: monthStart(month).toISOString(),
      to: monthEnd(month).toISOString(),
      clause: WORKSPACE_CLAUSE,
    },
  ];
}

/**
 * The charge line every subscription rule answers, and the two ways a monthly price meets a month: the provider's
 * monthly-subscription rule (clause 1.2.3.20: the first month pro rata to its end, every later month in full,
 * including the last) and a span charged exactly for the seconds of it that fall in the month (a term).
 */
import { lineAmount, type Minor, type UnitPrice } from '../../../core/money.ts';
import { earlier, epochSeconds, type Instant, later, type Month, monthEnd, monthStart, secondsInMonth, toDate } from './calendar.ts';

/** One line of a month's charges, rounded once (core/money.ts), with the clause that makes it. */
export interface ChargeLine {
  description: string;
  /** What was charged, in words a reader can check: "1 month", "2 x 1296000/2678400 month". */
  quantity: string;
  unitPrice: UnitPrice;
  amount: Minor;
  /** The span charged, ISO 8601 UTC; `to` is exclusive. */
  from: string;
  to: string;
  clause: string;
}

/** A rule's refusal, in words, with the clause that refuses. */
export interface Refusal {
  error: string;
  clause: string;
}

/** What is charged and at what price: `units` of the priced unit (servers, desktops, Mbit/s) for a month each. */
export interface MonthlyPrice {
  description: string;
  clause: string;
  price: UnitPrice;
  /** How many of the priced unit (1 server, 100 Mbit/s); 1 when omitted. */
  units?: bigint;
  /** The unit's name in the quantity text ("Mbit/s"); none when omitted. */
  unitName?: string;
}

/** The line for `units` held over `[from, to)` within `month`, pro rata by seconds over the month's seconds. */
export function spanLine(what: MonthlyPrice, month: Month, from: Date, to: Date): ChargeLine {
  const units = what.units ?? 1n;
  const seconds = epochSeconds(to) - epochSeconds(from);
  const total = secondsInMonth(month);
  const share = seconds === total ? '1 month' : `${seconds}/${total} month`;
  const count = units === 1n && !what.unitName ? '' : `${units}${what.unitName ? ` ${what.unitName}` : ''} x `;
  return {
    description: what.description,
    quantity: `${count}${share}`,
    unitPrice: what.price,
    amount: lineAmount(units * seconds, total, what.price),
    from: from.toISOString(),
    to: to.toISOString(),
    clause: what.clause,
  };
}

/**
 * The month's line of a monthly subscription started at `startedAt` and ended at `endedAt` (if it has), by the rule
 * of clause 1.2.3.20: the start month from the start to the month's end, every later month in full up to and
 * including the month the subscription ends in; none before the start month or once it has ended by a month's start.
 */
export function subscriptionLine(what: MonthlyPrice, month: Month, startedAt: Instant, endedAt?: Instant): ChargeLine[] {
  const start = toDate(startedAt);
  const [first, last] = [monthStart(month), monthEnd(month)];
  const end = endedAt === undefined ? undefined : toDate(endedAt).getTime();
  if (start.getTime() >= last.getTime()) return [];
  // Never held (ended as it started), or ended by the start of this month: nothing to charge.
  if (end !== undefined && (end <= start.getTime() || end <= first.getTime())) return [];
  return [spanLine(what, month, later(first, start), last)];
}

/** The month's line for a span `[from, to)` charged for exactly its seconds in the month; none outside it. */
export function termLine(what: MonthlyPrice, month: Month, from: Instant, to: Instant): ChargeLine[] {
  const start = later(monthStart(month), toDate(from));
  const end = earlier(monthEnd(month), toDate(to));
  return start.getTime() < end.getTime() ? [spanLine(what, month, start, end)] : [];
}

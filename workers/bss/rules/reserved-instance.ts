/**
 * Reserved Instances (clause 1.2.3.2): a commitment of 1, 2 or 3 years to `count` servers of a flavor in a region,
 * for a one-time charge and then a monthly recurring charge for the duration of the plan, in place of usage charges
 * for the servers it covers. Readings chosen:
 * - The one-time charge falls in the month of purchase (`startedAt`), whole.
 * - The term is `[startedAt, end)`, where `end` is the same day and time of month 1/2/3 years later by the calendar's
 *   end-of-month rule: a term bought on Feb 29 ends on Feb 28, so it ends in the month it would have and never runs
 *   past the years committed to.
 * - The monthly charge is "for the duration of the plan", so each month is charged for the seconds of the term in
 *   it over the month's seconds: the start month pro rata from the start (as bare metal's first month, 1.2.3.20),
 *   the end month pro rata up to the end, every month between in full. A term that starts and ends on the same day
 *   of the same calendar month then costs exactly 12, 24 or 36 monthly prices, not one month more.
 * - Coverage holds from the start (inclusive) to the end (exclusive); after it usage is on demand again.
 */
import { lineAmount, type UnitPrice } from '../../../core/money.ts';
import { addYears, earlier, epochSeconds, type Instant, later, type Month, monthOf, toDate } from './calendar.ts';
import { type ChargeLine, termLine } from './lines.ts';

export const RESERVED_INSTANCE_CLAUSE = '1.2.3.2';

/** A reservation of `count` servers of `flavor` in `region` for `term` years from `startedAt`. */
export interface Reservation {
  flavor: string;
  region: string;
  term: 1 | 2 | 3;
  startedAt: Instant;
  count: number;
}

/** A reservation's prices, per server: once at purchase, and per month of the term. */
export interface ReservationPrices {
  oneTime: UnitPrice;
  monthly: UnitPrice;
}

/** The end of the reservation's term (exclusive). */
export function reservationEnd(reservation: Reservation): Date {
  return addYears(reservation.startedAt, reservation.term);
}

function countOf(reservation: Reservation): bigint {
  if (!Number.isSafeInteger(reservation.count) || reservation.count <= 0) {
    throw new RangeError(`a reservation holds a positive whole number of servers: ${reservation.count}`);
  }
  return BigInt(reservation.count);
}

/** The reservation's charges for `month`: the one-time charge in the month of purchase, and the term's monthly charge. */
export function reservedInstanceCharges(reservation: Reservation, month: Month, prices: ReservationPrices): ChargeLine[] {
  const count = countOf(reservation);
  const start = toDate(reservation.startedAt);
  const name = `Reserved ${reservation.flavor} in ${reservation.region}, ${reservation.term} year${reservation.term > 1 ? 's' : ''}`;
  const lines: ChargeLine[] = [];
  if (monthOf(start) === month) {
    lines.push({
      description: `${name}, one-time`,
      quantity: `${count} x 1`,
      unitPrice: prices.oneTime,
      amount: lineAmount(count, 1n, prices.oneTime),
      from: start.toISOString(),
      to: start.toISOString(),
      clause: RESERVED_INSTANCE_CLAUSE,
    });
  }
  const what = {
    description: `${name}, monthly`,
    clause: RESERVED_INSTANCE_CLAUSE,
    price: prices.monthly,
    units: count,
    unitName: 'servers',
  };
  return [...lines, ...termLine(what, month, start, reservationEnd(reservation))];
}

function matches(reservation: Reservation, flavor: string, region: string): boolean {
  return reservation.flavor === flavor && reservation.region === region;
}

/** How many servers of `flavor` in `region` the reservations cover at the instant `at`. */
export function coverage(reservations: readonly Reservation[], flavor: string, region: string, at: Instant): number {
  const t = toDate(at).getTime();
  let covered = 0;
  for (const r of reservations) {
    if (!matches(r, flavor, region)) continue;
    if (toDate(r.startedAt).getTime() <= t && t < reservationEnd(r).getTime()) covered += Number(countOf(r));
  }
  return covered;
}

/** How many of `running` servers of `flavor` in `region` at `at` are covered, so not charged on demand. */
export function coveredServers(reservations: readonly Reservation[], flavor: string, region: string, at: Instant, running: number): number {
  return Math.min(running, coverage(reservations, flavor, region, at));
}

/**
 * The server-seconds the reservations cover in `[from, to)` (an hour, say): each reservation's count times the
 * seconds of its term inside the span. It is a capacity: the rating skips at most this many of the on-demand
 * server-seconds it counted in the span, and never more than it counted.
 */
export function coveredSeconds(reservations: readonly Reservation[], flavor: string, region: string, from: Instant, to: Instant): bigint {
  let covered = 0n;
  for (const r of reservations) {
    if (!matches(r, flavor, region)) continue;
    const start = later(toDate(from), toDate(r.startedAt));
    const end = earlier(toDate(to), reservationEnd(r));
    if (start.getTime() < end.getTime()) covered += countOf(r) * (epochSeconds(end) - epochSeconds(start));
  }
  return covered;
}

/** The month after which a reservation charges nothing more: the month its term ends in. */
export function lastChargedMonth(reservation: Reservation): Month {
  const end = reservationEnd(reservation);
  // A term ending exactly at a month's start was last charged in the month before.
  return monthOf(new Date(end.getTime() - 1));
}

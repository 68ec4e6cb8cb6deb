/**
 * The one billing calendar every subscription rule shares: months are UTC calendar months named `YYYY-MM`, an
 * instant is an ISO 8601 UTC string or a Date, and durations are counted in whole seconds so that pro rata
 * fractions are exact integers (seconds remaining / seconds in the month).
 */

/** A billing month, `YYYY-MM`, in UTC. */
export type Month = string;

/** An instant: an ISO 8601 string with a zone (`Z` or an offset), or a Date. */
export type Instant = string | Date;

const MONTH = /^(\d{4})-(\d{2})$/;
// A zone is required: a bare local time would mean a different instant on every machine.
const ZONED = /(Z|[+-]\d{2}:\d{2})$/;

/** The instant as a Date, refusing text without a zone and anything that is not a date. */
export function toDate(at: Instant): Date {
  if (typeof at === 'string' && !ZONED.test(at)) throw new RangeError(`not an ISO 8601 UTC instant: ${at}`);
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(at)}`);
  return date;
}

/** The instant in whole seconds since the epoch (a fraction of a second is dropped). */
export function epochSeconds(at: Instant): bigint {
  return BigInt(Math.floor(toDate(at).getTime() / 1000));
}

/** The year and month (1 to 12) of a `YYYY-MM` month. */
export function parseMonth(month: Month): { year: number; month: number } {
  const m = MONTH.exec(month);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]) } : undefined;
  if (!parts || parts.month < 1 || parts.month > 12) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  return parts;
}

/** The month `n` months after `month` (before it when `n` is negative). */
export function addToMonth(month: Month, n: number): Month {
  const { year, month: m } = parseMonth(month);
  const index = year * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The UTC month an instant falls in. */
export function monthOf(at: Instant): Month {
  const date = toDate(at);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The first instant of the month (00:00:00Z on its first day). */
export function monthStart(month: Month): Date {
  const { year, month: m } = parseMonth(month);
  return new Date(Date.UTC(year, m - 1, 1));
}

/** The end of the month, exclusive: the first instant of the next month. */
export function monthEnd(month: Month): Date {
  return monthStart(addToMonth(month, 1));
}

/** The first instant of the calendar month after the one `at` falls in. */
export function nextMonthStart(at: Instant): Date {
  return monthEnd(monthOf(at));
}

/** Seconds in the month: 2,419,200 to 2,678,400 (a leap February has 29 days, 2,505,600 s). */
export function secondsInMonth(month: Month): bigint {
  return epochSeconds(monthEnd(month)) - epochSeconds(monthStart(month));
}

/** Days in a month of a year (month 1 to 12). */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `at` plus `n` calendar months at the same time of day, on the same day of the month or, when the target month is
 * shorter, on its last day (the end-of-month rule: Jan 31 + 1 month is Feb 28, or Feb 29 in a leap year).
 */
export function addMonths(at: Instant, n: number): Date {
  const date = toDate(at);
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + n;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const day = Math.min(date.getUTCDate(), daysIn(year, month + 1));
  const timeOfDay = date.getTime() - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return new Date(Date.UTC(year, month, day) + timeOfDay);
}

/** `at` plus `n` years by the end-of-month rule: Feb 29 + 1 year is Feb 28 (the term stays in February). */
export function addYears(at: Instant, n: number): Date {
  return addMonths(at, 12 * n);
}

/** The later of two dates. */
export function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** The earlier of two dates. */
export function earlier(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

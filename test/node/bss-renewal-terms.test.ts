/**
 * Renewed Reserved Instance terms (clause 1.2.3.2) over the calendar, pure: a term bought on a leap day ends on
 * 28 February, its renewal runs on from there, and the month the two meet is charged exactly one month.
 */
import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../schema/global.ts';
import { reservationOf, subscriptionCharges, subscriptionEnd } from '../../workers/bss/subscription-charges.ts';

const term = (id: string, startedAt: string, renewalOf: string | null = null): Subscription => ({
  id,
  domainId: 'd',
  orderId: id,
  kind: 'reserved_instance',
  regionId: 'eu-west-0',
  product: 's3.small.1',
  termYears: 1,
  count: 1,
  oneTimePrice: 2_399_000_000,
  monthlyPrice: 1_199_000_000,
  startedAt,
  endedAt: null,
  bandwidthMbps: null,
  renewalOf,
  autoRenew: true,
  createdAt: startedAt,
});

describe('clause 1.2.3.2: renewed terms', () => {
  const first = term('t1', '2028-02-29T12:00:00.000Z');
  const end = subscriptionEnd(first)!;
  const renewal = term('t2', end, 't1');

  it('a leap-day term ends on 28 February; its renewal a year after that', () => {
    expect(end).toBe('2029-02-28T12:00:00.000Z');
    expect(subscriptionEnd(renewal)).toBe('2030-02-28T12:00:00.000Z');
    expect(reservationOf(renewal).startedAt).toBe(end);
  });

  it('February 2029 is split at noon on the 28th and adds up to one monthly price', () => {
    const book = { lines: [], history: new Map() };
    const lines = subscriptionCharges('2029-02', [first, renewal], [], book);
    // 27.5 of 28 days of 11.99: 11.7758..., 11.78; half a day: 0.2141..., 0.21; the renewal's one-time 23.99.
    expect(lines.map((l) => [l.resourceId, l.quantity, l.amount])).toEqual([
      ['t1', '1 servers x 2376000/2419200 month', 1178],
      ['t2', '1 x 1', 2399],
      ['t2', '1 servers x 43200/2419200 month', 21],
    ]);
    expect(lines.filter((l) => l.quantity !== '1 x 1').reduce((s, l) => s + l.amount, 0)).toBe(1199);
  });

  it('the leap February the first term starts in is charged from noon on the 29th', () => {
    const book = { lines: [], history: new Map() };
    const lines = subscriptionCharges('2028-02', [first], [], book);
    // The one-time charge in the month of purchase; half a day of a 29-day month: 0.2067..., 0.21.
    expect(lines.map((l) => [l.quantity, l.amount])).toEqual([
      ['1 x 1', 2399],
      ['1 servers x 43200/2505600 month', 21],
    ]);
  });
});

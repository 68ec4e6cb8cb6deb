/**
 * The subscription rules of billing (issue 13), each against its clause, with figures worked by hand in the comments:
 * month ends, year ends, the leap February of 2028, plan changes mid-month, a reservation bought on the 31st.
 */
import { describe, expect, it } from 'vitest';
import { unitPriceOf } from '../../core/money.ts';
import { bareMetalCharges } from '../../workers/bss/rules/bare-metal.ts';
import { addMonths, addToMonth, addYears, monthOf, parseMonth, secondsInMonth, toDate } from '../../workers/bss/rules/calendar.ts';
import { directConnectCharges } from '../../workers/bss/rules/direct-connect.ts';
import {
  coverage,
  coveredSeconds,
  coveredServers,
  lastChargedMonth,
  type Reservation,
  reservationEnd,
  reservedInstanceCharges,
} from '../../workers/bss/rules/reserved-instance.ts';
import { type Election, electSupportPlan, planAt, type SupportPlan, supportCharges } from '../../workers/bss/rules/support-plan.ts';
import { workspaceCharges } from '../../workers/bss/rules/workspace.ts';

const amounts = (lines: { amount: number }[]) => lines.map((l) => l.amount);

describe('calendar: one UTC calendar for every clause', () => {
  it('counts the seconds of a month, a leap February having 29 days', () => {
    expect(secondsInMonth('2026-02')).toBe(2_419_200n); // 28 x 86400
    expect(secondsInMonth('2028-02')).toBe(2_505_600n); // 29 x 86400
    expect(secondsInMonth('2026-12')).toBe(2_678_400n); // 31 x 86400
  });

  it('steps months across a year end and names the UTC month of an instant', () => {
    expect(addToMonth('2026-12', 1)).toBe('2027-01');
    expect(addToMonth('2027-01', -1)).toBe('2026-12');
    expect(monthOf('2026-12-31T23:59:59Z')).toBe('2026-12');
    // 00:30 in Paris on New Year's Day is still December in UTC.
    expect(monthOf('2027-01-01T00:30:00+01:00')).toBe('2026-12');
  });

  it('adds months and years by the end-of-month rule, keeping the time of day', () => {
    expect(addMonths('2026-01-31T08:00:00Z', 1).toISOString()).toBe('2026-02-28T08:00:00.000Z');
    expect(addMonths('2028-01-31T08:00:00Z', 1).toISOString()).toBe('2028-02-29T08:00:00.000Z');
    expect(addYears('2028-02-29T00:00:00Z', 1).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(addYears('2028-02-29T00:00:00Z', 4).toISOString()).toBe('2032-02-29T00:00:00.000Z');
  });

  it('refuses an instant without a zone and a month that is not one', () => {
    expect(() => toDate('2026-01-01T00:00:00')).toThrow(RangeError);
    expect(() => parseMonth('2026-13')).toThrow(RangeError);
  });
});

describe('clause 1.2.3.20: bare metal, first month pro rata, later months in full', () => {
  const price = unitPriceOf('729.60');

  it('charges 15 of 31 days for a server bought on 2026-03-17, then every month in full, the last one too', () => {
    const server = { startedAt: '2026-03-17T00:00:00Z', endedAt: '2026-06-10T12:00:00Z' };
    const [march] = bareMetalCharges(server, '2026-03', price);
    // 72,960 cents x 1,296,000 s / 2,678,400 s = 72,960 x 15/31 = 35,303.23 -> 35,303 (353.03 EUR).
    expect(march).toEqual({
      description: 'Bare metal server',
      quantity: '1296000/2678400 month',
      unitPrice: 72_960_000_000n,
      amount: 35_303,
      from: '2026-03-17T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      clause: '1.2.3.20',
    });
    expect(amounts(bareMetalCharges(server, '2026-04', price))).toEqual([72_960]);
    // Ended on 10 June: June is still charged in full, July not at all.
    expect(bareMetalCharges(server, '2026-06', price)[0]).toMatchObject({ quantity: '1 month', amount: 72_960 });
    expect(bareMetalCharges(server, '2026-07', price)).toEqual([]);
    expect(bareMetalCharges(server, '2026-02', price)).toEqual([]);
  });

  it('prorates a leap February on 29 days, and rounds a half cent away from zero', () => {
    const server = { startedAt: '2028-02-15T12:00:00Z' };
    // 14.5 days of 29 = 1,252,800 / 2,505,600 = exactly 1/2: 72,960 / 2 = 36,480.
    expect(bareMetalCharges(server, '2028-02', price)[0]).toMatchObject({ quantity: '1252800/2505600 month', amount: 36_480 });
    // At 0.01 EUR a month, half a month is half a cent: 1 cent.
    expect(amounts(bareMetalCharges(server, '2028-02', unitPriceOf('0.01')))).toEqual([1]);
  });

  it('crosses a year end: six hours of December, then January in full', () => {
    const server = { startedAt: '2026-12-31T18:00:00Z' };
    // 72,960 x 21,600 / 2,678,400 = 72,960 / 124 = 588.39 -> 588.
    expect(amounts(bareMetalCharges(server, '2026-12', price))).toEqual([588]);
    expect(amounts(bareMetalCharges(server, '2027-01', price))).toEqual([72_960]);
  });

  it('charges nothing for a month the server ended at the start of', () => {
    const server = { startedAt: '2026-03-17T00:00:00Z', endedAt: '2026-05-01T00:00:00Z' };
    expect(amounts(bareMetalCharges(server, '2026-04', price))).toEqual([72_960]);
    expect(bareMetalCharges(server, '2026-05', price)).toEqual([]);
  });
});

const bought31st: Reservation = { flavor: 's3.large.2', region: 'eu-west-0', term: 1, startedAt: '2026-01-31T00:00:00Z', count: 2 };

describe('clause 1.2.3.2: reserved instances, one-time at purchase and monthly over the term', () => {
  const prices = { oneTime: unitPriceOf('1000.00'), monthly: unitPriceOf('50.00') };

  it('bought on the 31st: the one-time charge and one day of January, then whole months, then 30 days of January 2027', () => {
    expect(reservationEnd(bought31st).toISOString()).toBe('2027-01-31T00:00:00.000Z');
    const january = reservedInstanceCharges(bought31st, '2026-01', prices);
    // One-time: 2 x 100,000 = 200,000. Monthly: 2 x 5,000 x 86,400/2,678,400 = 10,000/31 = 322.58 -> 323.
    expect(january.map((l) => [l.quantity, l.amount, l.clause])).toEqual([
      ['2 x 1', 200_000, '1.2.3.2'],
      ['2 servers x 86400/2678400 month', 323, '1.2.3.2'],
    ]);
    expect(amounts(reservedInstanceCharges(bought31st, '2026-02', prices))).toEqual([10_000]);
    // 2 x 5,000 x 30/31 = 9,677.42 -> 9,677; then nothing.
    expect(amounts(reservedInstanceCharges(bought31st, '2027-01', prices))).toEqual([9_677]);
    expect(reservedInstanceCharges(bought31st, '2027-02', prices)).toEqual([]);
    expect(lastChargedMonth(bought31st)).toBe('2027-01');
  });

  it('charges a whole term exactly twelve monthly prices when it starts and ends in months of one length', () => {
    let monthly = 0;
    for (let month = '2026-01'; month <= '2027-02'; month = addToMonth(month, 1)) {
      monthly += reservedInstanceCharges(bought31st, month, prices).filter((l) => l.description.endsWith('monthly'))[0]?.amount ?? 0;
    }
    // 323 + 11 x 10,000 + 9,677 = 120,000 = 12 x 2 x 5,000.
    expect(monthly).toBe(120_000);
  });

  it('bought on Feb 29 2028: the term ends on Feb 28 2029, each end pro rata to its own February', () => {
    const leap: Reservation = { flavor: 's3.large.2', region: 'eu-west-0', term: 1, startedAt: '2028-02-29T00:00:00Z', count: 1 };
    expect(reservationEnd(leap).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    // 5,000 x 1/29 = 172.41 -> 172 (with the one-time 100,000); 5,000 x 27/28 = 4,821.43 -> 4,821.
    expect(amounts(reservedInstanceCharges(leap, '2028-02', prices))).toEqual([100_000, 172]);
    expect(amounts(reservedInstanceCharges(leap, '2029-02', prices))).toEqual([4_821]);
    expect(reservedInstanceCharges(leap, '2029-03', prices)).toEqual([]);
    expect(coverage([leap], 's3.large.2', 'eu-west-0', '2029-02-27T23:59:59Z')).toBe(1);
    expect(coverage([leap], 's3.large.2', 'eu-west-0', '2029-02-28T00:00:00Z')).toBe(0);
  });

  it('a three-year term charges its last month in 2029, a term ending on a month start stops the month before', () => {
    expect(lastChargedMonth({ ...bought31st, term: 3 })).toBe('2029-01');
    const june: Reservation = { ...bought31st, startedAt: '2026-06-01T00:00:00Z' };
    expect(lastChargedMonth(june)).toBe('2027-05');
    expect(amounts(reservedInstanceCharges(june, '2027-05', prices))).toEqual([10_000]);
    expect(reservedInstanceCharges(june, '2027-06', prices)).toEqual([]);
  });
});

describe('clause 1.2.3.2: a reservation covers servers of its flavor and region during its term', () => {
  it('covers its flavor and region only, from its start to its end, and never more servers than run', () => {
    const other: Reservation = { ...bought31st, flavor: 's3.xlarge.2', count: 5 };
    const all = [bought31st, other, { ...bought31st, region: 'eu-west-1' }];
    expect(coverage(all, 's3.large.2', 'eu-west-0', '2026-01-30T23:59:59Z')).toBe(0);
    expect(coverage(all, 's3.large.2', 'eu-west-0', '2026-01-31T00:00:00Z')).toBe(2);
    expect(coveredServers(all, 's3.large.2', 'eu-west-0', '2026-06-01T10:00:00Z', 1)).toBe(1);
    expect(coveredServers(all, 's3.large.2', 'eu-west-0', '2026-06-01T10:00:00Z', 5)).toBe(2);
    // Half of the hour before the start is on demand, and half of the hour after the end: 2 x 1,800 each.
    expect(coveredSeconds(all, 's3.large.2', 'eu-west-0', '2026-01-30T23:30:00Z', '2026-01-31T00:30:00Z')).toBe(3_600n);
    expect(coveredSeconds(all, 's3.large.2', 'eu-west-0', '2027-01-30T23:30:00Z', '2027-01-31T00:30:00Z')).toBe(3_600n);
    expect(coveredSeconds(all, 's3.large.2', 'eu-west-0', '2027-01-31T00:00:00Z', '2027-01-31T01:00:00Z')).toBe(0n);
    expect(coveredSeconds(all, 's3.xlarge.2', 'eu-west-0', '2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z')).toBe(18_000n);
  });
});

/** Elects each `[plan, at]` in turn, failing the test on a refusal. */
function elect(...steps: [SupportPlan, string][]): Election[] {
  let history: Election[] = [];
  for (const [plan, at] of steps) {
    const answer = electSupportPlan(history, plan, at);
    if ('error' in answer) throw new Error(answer.error);
    history = answer.history;
  }
  return history;
}

const PLAN_PRICES: Record<SupportPlan, string> = { basic: '0', standard: '100.00', business: '400.00', premium: '1500.00' };
const planPrice = (plan: SupportPlan) => unitPriceOf(PLAN_PRICES[plan]);

describe('clause 1.3: support plans take effect next month and are held six months', () => {
  it('charges nothing on the default basic plan, and a plan elected mid-month from the next month, in full', () => {
    expect(supportCharges([], '2026-01', planPrice)).toEqual([]);
    const history = elect(['standard', '2026-01-15T10:00:00Z']);
    expect(supportCharges(history, '2026-01', planPrice)).toEqual([]);
    expect(supportCharges(history, '2026-02', planPrice)).toEqual([
      {
        description: 'Support plan standard',
        quantity: '1 month',
        unitPrice: 10_000_000_000n,
        amount: 10_000,
        from: '2026-02-01T00:00:00.000Z',
        to: '2026-03-01T00:00:00.000Z',
        clause: '1.3',
      },
    ]);
  });

  it('lets a second election in the same month replace the pending one', () => {
    const history = elect(['standard', '2026-01-15T10:00:00Z'], ['business', '2026-01-20T00:00:00Z']);
    expect(history).toEqual([{ plan: 'business', electedAt: '2026-01-20T00:00:00.000Z' }]);
    expect(amounts(supportCharges(history, '2026-02', planPrice))).toEqual([40_000]);
    // Electing basic again while standard is pending withdraws it: basic stays, with no minimum.
    expect(elect(['standard', '2026-01-15T10:00:00Z'], ['basic', '2026-01-31T23:59:59Z'])).toEqual([]);
  });

  it('refuses a downgrade during the minimum, with the clause and the date it ends', () => {
    const history = elect(['business', '2026-01-20T00:00:00Z']);
    // Business from 2026-02-01, so held until 2026-08-01.
    const answer = electSupportPlan(history, 'standard', '2026-03-10T00:00:00Z');
    expect(answer).toEqual({
      error:
        'the business plan is held for a minimum of six months, until 2026-08-01T00:00:00.000Z: only a higher plan may be elected before then (a change takes effect on 2026-04-01T00:00:00.000Z)',
      clause: '1.3',
    });
  });

  it('lets an upgrade restart the minimum, and a downgrade take effect on the day the minimum ends', () => {
    // Business from 2026-02-01; premium elected 2026-03-10 from 2026-04-01, so held until 2026-10-01.
    const upgraded = elect(['business', '2026-01-20T00:00:00Z'], ['premium', '2026-03-10T00:00:00Z']);
    expect('error' in electSupportPlan(upgraded, 'business', '2026-08-31T23:59:59Z')).toBe(true);
    const history = elect(['business', '2026-01-20T00:00:00Z'], ['premium', '2026-03-10T00:00:00Z'], ['business', '2026-09-05T00:00:00Z']);
    expect(['2026-03', '2026-04', '2026-09', '2026-10'].map((m) => amounts(supportCharges(history, m, planPrice)))).toEqual([
      [40_000],
      [150_000],
      [150_000],
      [40_000],
    ]);
  });
});

describe('clause 1.3: support plans over year ends, back to basic, and refusals', () => {
  it('crosses a year end: elected on the last second of 2026, it takes effect on 2027-01-01', () => {
    const history = elect(['standard', '2026-06-10T00:00:00Z'], ['premium', '2026-12-31T23:59:59Z']);
    expect(planAt(history, '2026-12-31T23:59:59Z')).toBe('standard');
    expect(planAt(history, '2027-01-01T00:00:00Z')).toBe('premium');
    expect(amounts(supportCharges(history, '2026-12', planPrice))).toEqual([10_000]);
    expect(amounts(supportCharges(history, '2027-01', planPrice))).toEqual([150_000]);
  });

  it('lets a plan fall back to basic after its minimum, which then charges nothing', () => {
    // Standard from 2026-02-01 to 2026-08-01; basic elected in July takes effect on 2026-08-01.
    const history = elect(['standard', '2026-01-15T10:00:00Z'], ['basic', '2026-07-31T12:00:00Z']);
    expect(amounts(supportCharges(history, '2026-07', planPrice))).toEqual([10_000]);
    expect(supportCharges(history, '2026-08', planPrice)).toEqual([]);
  });

  it('refuses the plan already in effect, an election dated before the latest, and a plan that does not exist', () => {
    const history = elect(['standard', '2026-01-15T10:00:00Z']);
    const refused = (error: string) => ({ error, clause: '1.3' });
    expect(electSupportPlan(history, 'standard', '2026-03-01T00:00:00Z')).toEqual(
      refused('the standard plan is already the plan in effect'),
    );
    expect(electSupportPlan([], 'basic', '2026-03-01T00:00:00Z')).toEqual(refused('the basic plan is already the plan in effect'));
    expect(electSupportPlan(history, 'premium', '2026-01-01T00:00:00Z')).toEqual(
      refused('an election cannot be dated before the latest one (2026-01-15T10:00:00.000Z)'),
    );
    expect(electSupportPlan(history, 'gold' as SupportPlan, '2026-03-01T00:00:00Z')).toEqual(refused('there is no support plan "gold"'));
  });
});

describe('clause 1.2.3.25: WorkSpace desktops, unlimited monthly or hourly', () => {
  const prices = { monthly: unitPriceOf('25.00'), hourly: unitPriceOf('0.35') };

  it('charges an unlimited desktop started in leap February 20 of 29 days, then March in full', () => {
    const desktop = { name: 'd-1', basis: 'unlimited' as const, startedAt: '2028-02-10T00:00:00Z' };
    // 2,500 x 20/29 = 1,724.14 -> 1,724.
    expect(workspaceCharges(desktop, '2028-02', prices)[0]).toMatchObject({
      quantity: '1728000/2505600 month',
      amount: 1_724,
      clause: '1.2.3.25',
    });
    expect(amounts(workspaceCharges(desktop, '2028-03', prices))).toEqual([2_500]);
  });

  it('charges an hourly desktop its hours used, rounded once, and nothing without use', () => {
    const desktop = { name: 'd-2', basis: 'hourly' as const, startedAt: '2026-12-03T09:00:00Z' };
    // 12.5 hours x 35 cents = 437.5 -> 438 (half away from zero).
    expect(workspaceCharges(desktop, '2026-12', prices, 45_000n)[0]).toMatchObject({
      quantity: '45000/3600 hours',
      amount: 438,
      from: '2026-12-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
      clause: '1.2.3.25',
    });
    expect(workspaceCharges(desktop, '2027-01', prices, 0n)).toEqual([]);
  });
});

describe('clause 1.2.3.24: Direct Connect, monthly by subscribed bandwidth', () => {
  it('charges 100 Mbit/s per Mbit/s-month: 11 of 30 days of April, then May in full though it ends on the 3rd', () => {
    const link = { name: 'dc-1', bandwidthMbps: 100, startedAt: '2026-04-20T00:00:00Z', endedAt: '2026-05-03T00:00:00Z' };
    const pricing = { per: 'Mbit/s' as const, pricePerMbpsMonth: unitPriceOf('2.50') };
    // 100 x 250 x 11/30 = 9,166.67 -> 9,167.
    expect(directConnectCharges(link, '2026-04', pricing)[0]).toMatchObject({
      quantity: '100 Mbit/s x 950400/2592000 month',
      amount: 9_167,
      clause: '1.2.3.24',
    });
    expect(amounts(directConnectCharges(link, '2026-05', pricing))).toEqual([25_000]);
    expect(directConnectCharges(link, '2026-06', pricing)).toEqual([]);
  });

  it('charges a 10 Gbit/s port per port-month: 16 of 31 days of December, then January 2027 in full', () => {
    const port = { name: 'port-10g', bandwidthMbps: 10_000, startedAt: '2026-12-16T00:00:00Z' };
    const pricing = { per: 'port' as const, pricePerPortMonth: unitPriceOf('1500.00') };
    // 150,000 x 16/31 = 77,419.35 -> 77,419.
    expect(directConnectCharges(port, '2026-12', pricing)[0]).toMatchObject({ quantity: '1382400/2678400 month', amount: 77_419 });
    expect(amounts(directConnectCharges(port, '2027-01', pricing))).toEqual([150_000]);
    expect(() => directConnectCharges({ ...port, bandwidthMbps: 0 }, '2027-01', pricing)).toThrow(RangeError);
  });
});

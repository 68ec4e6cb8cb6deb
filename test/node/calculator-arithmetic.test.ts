/**
 * One arithmetic: the calculator's `priceLines` (core/pricing.ts) rounds by billing's `roundHalfAway` and gives
 * what billing's `lineAmount` (core/money.ts) gives for the same quantity and price, halves included; and the
 * source the page sends builds the same function.
 */
import { describe, expect, it } from 'vitest';
import { lineAmount, roundHalfAway, unitPriceOf } from '../../core/money.ts';
import { priceLines, pricer } from '../../core/pricing.ts';

const CASES: [number, string][] = [
  [730, '0.0045'], // 3.285 EUR exactly: floating point says 3.2849999..., the rule says 3.29
  [1, '0.005'], // half a cent: 1
  [1, '0.0049'], // under half: 0
  [0.5, '0.0265'], // 1.325 cents: 1
  [744, '0.0265'], // 19.716 EUR: 19.72
  [100.125, '0.075'], // 7.509375 EUR: 7.51
  [3, '0.00000001'], // the list's finest price: 0.000003 cents, 0
  [2, '1235.2'],
];

describe('the calculator and billing round alike', () => {
  it('gives lineAmount to the cent for each quantity and price', () => {
    for (const [quantity, price] of CASES) {
      const [line] = priceLines([{ label: price, quantity, unit: 'h', unitPriceEur: Number(price) }]).lines;
      const milli = BigInt(Math.round(quantity * 1000));
      expect([price, line!.cents]).toEqual([price, lineAmount(milli, 1000n, unitPriceOf(price))]);
    }
    expect(priceLines(CASES.map(([q, p]) => ({ label: p, quantity: q, unit: 'h', unitPriceEur: Number(p) }))).totalCents).toBe(
      329 + 1 + 0 + 1 + 1972 + 751 + 0 + 247_040,
    );
  });

  it('builds the same function from the source the page sends', () => {
    const built = new Function(`return (${pricer.toString()})(${roundHalfAway.toString()});`)() as typeof priceLines;
    const lines = CASES.map(([q, p]) => ({ label: p, quantity: q, unit: 'h', unitPriceEur: Number(p) }));
    expect(built(lines)).toEqual(priceLines(lines));
  });
});

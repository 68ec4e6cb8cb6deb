/**
 * The calculator's arithmetic of money: what a quantity of a priced unit costs. The Cloud Store's calculator runs
 * it in the browser (its source is sent as the page's script) and on a form post. Its rounding is billing's own,
 * core/money.ts's `roundHalfAway`, handed to `pricer`: the page's script builds its copy the same way from both
 * functions' source, so the browser, the form post and invoices round by one function. `pricer` uses nothing
 * outside itself and its argument, so that its source runs wherever it is sent.
 *
 * The rule (core/money.ts): a unit price is held exactly, in millionths of a cent (the price list's prices have
 * at most eight decimals of a euro); a line costs its quantity times its unit price, rounded once to the cent,
 * halves away from zero; a total is the sum of its lines' cents.
 */
import { roundHalfAway } from './money.ts';

/** One priced line: how much of a unit, at what price per unit (euros, as the price list states it). */
export interface PriceLine {
  label: string;
  quantity: number;
  unit: string;
  unitPriceEur: number;
}

export interface Priced {
  lines: (PriceLine & { cents: number })[];
  totalCents: number;
}

/** Builds `priceLines` on a rounding function (`numerator / denominator` to an integer), billing's in practice. */
export function pricer(round: (numerator: bigint, denominator: bigint) => number) {
  return (lines: PriceLine[]): Priced => {
    const out: (PriceLine & { cents: number })[] = [];
    let total = 0;
    for (const line of lines) {
      // Millionths of a cent, as core/money.ts holds unit prices (the list's floats have at most 8 decimals).
      const price = BigInt(Math.round(line.unitPriceEur * 100_000_000));
      // Quantities are whole units or have at most three decimals (hours, GB): held in thousandths, exactly.
      const milli = BigInt(Math.round(line.quantity * 1000));
      // core/money.ts's lineAmount: quantity x price over (units per priced unit x the price scale).
      const cents = round(milli * price, 1000n * 1_000_000n);
      out.push({ ...line, cents });
      total += cents;
    }
    return { lines: out, totalCents: total };
  };
}

/** Prices the lines: each rounded once to the cent by billing's rule; the total is the sum of the rounded lines. */
export const priceLines = pricer(roundHalfAway);

/** Euros with two decimals, from cents (`1234` is `12.34`). */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

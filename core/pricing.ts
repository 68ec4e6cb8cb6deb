/**
 * The calculator's arithmetic of money: what a quantity of a priced unit costs. The Cloud Store's calculator runs
 * it in the browser (its source is sent as the page's script) and on a form post. It imports nothing and uses
 * nothing outside itself, so that its source runs wherever it is sent. Billing rates usage with core/money.ts,
 * which keeps the same rule (exact integers, each line rounded once, halves up) at a finer scale for usage
 * counted in seconds and bytes; the two should become one function whose source the page can carry.
 *
 * The rule: a unit price is held exactly, in millionths of a euro (the price list's prices have at most four
 * decimals); a line costs its quantity times its unit price, rounded to the cent, half up; a total is the sum of
 * its lines' cents.
 */

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

/** Prices the lines: each rounded to the cent, half up; the total is the sum of the rounded lines. */
export function priceLines(lines: PriceLine[]): Priced {
  const out: (PriceLine & { cents: number })[] = [];
  let total = 0;
  for (const line of lines) {
    const micro = Math.round(line.unitPriceEur * 1_000_000);
    // Quantities are whole units or have at most three decimals (hours, GB): held in thousandths, exactly.
    const milli = Math.round(line.quantity * 1000);
    // micro-euros x milli-units = 1e-9 euro; a cent is 1e7 of those. Half up, in integers (no float rounding).
    const nano = BigInt(micro) * BigInt(milli);
    const cents = Number((nano + 5_000_000n) / 10_000_000n);
    out.push({ ...line, cents });
    total += cents;
  }
  return { lines: out, totalCents: total };
}

/** Euros with two decimals, from cents (`1234` is `12.34`). */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

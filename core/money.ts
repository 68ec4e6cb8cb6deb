/**
 * Money, exactly. Amounts (invoice lines, totals, charges) are integers in the currency's minor unit (cents for
 * EUR). Unit prices are finer than a cent (an hour of a small server costs 2.65 cents), so a unit price is an
 * integer in millionths of the minor unit (`PRICE_SCALE`). Arithmetic is on bigint and never rounds, except once:
 *
 * The rounding rule: an amount is rounded to the minor unit only when it becomes a line (a charge, an invoice
 * line), to the nearest minor unit with halves away from zero. A total is the sum of its rounded lines.
 */

/** The currency every price is in. */
export const CURRENCY = 'EUR';

/** Millionths of a minor unit in one minor unit: a unit price of 2,650,000 is 2.65 cents. */
export const PRICE_SCALE = 1_000_000n;

/** An amount in minor units (cents). */
export type Minor = number;

/** A unit price in millionths of a minor unit. */
export type UnitPrice = bigint;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses a decimal amount of the major unit ("0.0265" euros) into an exact unit price; refuses what it would round. */
export function unitPriceOf(major: string | number): UnitPrice {
  const text = typeof major === 'number' ? numberText(major) : major.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`not a decimal amount: ${text}`);
  const [, sign, whole, fraction = ''] = m;
  // 2 digits to the minor unit, 6 more to the price scale.
  if (fraction.length > 8) throw new RangeError(`more precise than a millionth of a cent: ${text}`);
  const value = BigInt(whole ?? 0) * 100n * PRICE_SCALE + BigInt(fraction.padEnd(8, '0'));
  return sign === '-' ? -value : value;
}

/** A number as its shortest decimal text, never in exponent form (1e-7 is 0.0000001). */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite amount: ${n}`);
  const s = String(n);
  return s.includes('e') ? n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A unit price as a decimal of the major unit, without trailing zeros ("0.0265"). */
export function unitPriceText(price: UnitPrice): string {
  const negative = price < 0n;
  const abs = negative ? -price : price;
  const perMajor = 100n * PRICE_SCALE;
  const fraction = (abs % perMajor).toString().padStart(8, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / perMajor}${fraction ? `.${fraction}` : ''}`;
}

/** A unit price as a float of the major unit, for display only (never for arithmetic). */
export function unitPriceMajor(price: UnitPrice): number {
  return Number(unitPriceText(price));
}

/**
 * The amount, in minor units, of `quantity / per` units at `price` each, rounded by the rule above:
 * `quantity` is counted in a base unit (seconds, GB-seconds, bytes) and `per` of those make one priced unit
 * (3,600 seconds make an hour), so nothing is rounded before the line.
 */
export function lineAmount(quantity: bigint, per: bigint, price: UnitPrice): Minor {
  if (per <= 0n) throw new RangeError('a priced unit holds a positive number of base units');
  return roundHalfAway(quantity * price, per * PRICE_SCALE);
}

/** `numerator / denominator` rounded to the nearest integer, halves away from zero. */
export function roundHalfAway(numerator: bigint, denominator: bigint): Minor {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return Number(negative ? -q : q);
}

/** A minor-unit amount as text of the major unit: 123456 is "1,234.56". */
export function minorText(amount: Minor): string {
  const abs = Math.abs(amount);
  return `${amount < 0 ? '-' : ''}${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
}

/** A minor-unit amount with its currency: 123456 is "1,234.56 EUR". */
export function formatMinor(amount: Minor, currency = CURRENCY): string {
  return `${minorText(amount)} ${currency}`;
}

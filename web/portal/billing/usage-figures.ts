/**
 * Usage figures as the Portal shows them: a held meter's quantity in unit-hours, exactly.
 */
import { roundHalfAway } from '../../../core/money.ts';
import { METERS, type Meter } from '../../../core/usage.ts';

/** What a meter's figure is shown in: unit-hours for a held meter (an image's bytes as GB), its unit for a counted one. */
export function displayUnit(meter: Meter): string {
  const spec = METERS[meter];
  if (spec.kind === 'count') return spec.unit;
  // A private image is held in bytes only so that rollups stay integers; people read it in GB (2^30 bytes).
  return `${spec.scale === 2 ** 30 ? 'GB' : spec.unit}-hours`;
}

/** A meter's quantity (base units, x seconds when held) in its display unit, as a number for drawing. */
export function displayValue(meter: Meter, quantity: number): number {
  const spec = METERS[meter];
  return spec.kind === 'count' ? quantity : quantity / 3600 / spec.scale;
}

/** The same quantity as text: held meters to three decimals (rounded once, halves away from zero), counts whole. */
export function displayText(meter: Meter, quantity: number): string {
  const spec = METERS[meter];
  if (spec.kind === 'count') return quantity.toLocaleString('en-GB');
  const thousandths = roundHalfAway(BigInt(quantity) * 1000n, 3600n * BigInt(spec.scale));
  const whole = Math.trunc(thousandths / 1000);
  return `${whole.toLocaleString('en-GB')}.${String(Math.abs(thousandths % 1000)).padStart(3, '0')}`;
}

/**
 * Bare metal servers (clause 1.2.3.20): a monthly subscription. The first month is charged pro rata to the end of
 * that month, on seconds remaining / seconds in that month (so a leap February counts 29 days), and every later
 * month in full, including the last one: ending mid-month refunds nothing.
 */
import type { UnitPrice } from '../../../core/money.ts';
import type { Instant, Month } from './calendar.ts';
import { type ChargeLine, subscriptionLine } from './lines.ts';

export const BARE_METAL_CLAUSE = '1.2.3.20';

/** One bare metal server's subscription; `endedAt` once it is released. */
export interface BareMetalSubscription {
  startedAt: Instant;
  endedAt?: Instant;
  /** What the line says ("Bare metal physical.o2.medium"). */
  description?: string;
}

/** The subscription's charge for `month` at `monthlyPrice`: none, the pro rata first month, or a full month. */
export function bareMetalCharges(subscription: BareMetalSubscription, month: Month, monthlyPrice: UnitPrice): ChargeLine[] {
  const what = { description: subscription.description ?? 'Bare metal server', clause: BARE_METAL_CLAUSE, price: monthlyPrice };
  return subscriptionLine(what, month, subscription.startedAt, subscription.endedAt);
}

/**
 * Direct Connect (clause 1.2.3.24): a monthly charge by the subscribed bandwidth, priced either per Mbit/s-month
 * or per dedicated port (1 or 10 Gbit/s) per month. The clause names no first-month rule; the provider's only stated
 * rule for a monthly subscription is bare metal's (1.2.3.20), so it is used here too: the first month pro rata to its
 * end by seconds, every later month in full including the last. Transport and router charges are not part of it.
 * A change of bandwidth is a new subscription (end the old one, start the new): the old one's month is then full.
 */
import type { UnitPrice } from '../../../core/money.ts';
import type { Instant, Month } from './calendar.ts';
import { type ChargeLine, subscriptionLine } from './lines.ts';

export const DIRECT_CONNECT_CLAUSE = '1.2.3.24';

/** How the connection is priced: per subscribed Mbit/s, or per port of a size. */
export type DirectConnectPricing = { per: 'Mbit/s'; pricePerMbpsMonth: UnitPrice } | { per: 'port'; pricePerPortMonth: UnitPrice };

/** One Direct Connect subscription. `bandwidthMbps` is the subscribed bandwidth (1000 or 10000 for a port). */
export interface DirectConnectSubscription {
  name: string;
  bandwidthMbps: number;
  startedAt: Instant;
  endedAt?: Instant;
}

/** The connection's charge for `month`: none, the pro rata first month, or a full month. */
export function directConnectCharges(connection: DirectConnectSubscription, month: Month, pricing: DirectConnectPricing): ChargeLine[] {
  if (!Number.isSafeInteger(connection.bandwidthMbps) || connection.bandwidthMbps <= 0) {
    throw new RangeError(`a subscribed bandwidth is a positive whole number of Mbit/s: ${connection.bandwidthMbps}`);
  }
  const description = `Direct Connect ${connection.name} (${connection.bandwidthMbps} Mbit/s)`;
  const what =
    pricing.per === 'Mbit/s'
      ? {
          description,
          clause: DIRECT_CONNECT_CLAUSE,
          price: pricing.pricePerMbpsMonth,
          units: BigInt(connection.bandwidthMbps),
          unitName: 'Mbit/s',
        }
      : { description, clause: DIRECT_CONNECT_CLAUSE, price: pricing.pricePerPortMonth };
  return subscriptionLine(what, month, connection.startedAt, connection.endedAt);
}

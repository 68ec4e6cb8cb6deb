/**
 * The price list over time (clause 1.4): each line (a feature's product, region, billing mode and unit) has
 * revisions, each in effect from its date. This module holds the one pricing function that quotes (the Cloud
 * Store, the calculator) and invoices use, `revisionAt`, and the rules a new revision must keep, `classify`.
 */
import type { UnitPrice } from '../../core/money.ts';
import type { PriceRevision, RevisionKind } from '../../schema/global.ts';

/** Days an increase must be published before it takes effect (clause 1.4.3). */
export const INCREASE_NOTICE_DAYS = 15;
const DAY_MS = 86_400_000;

const byEffective = (a: PriceRevision, b: PriceRevision) =>
  a.effectiveFrom.localeCompare(b.effectiveFrom) || a.publishedAt.localeCompare(b.publishedAt);

/** The standing (non-promotional) revision of one line's history in effect at `at`. */
export function standingAt(history: readonly PriceRevision[], at: string): PriceRevision | undefined {
  return history
    .filter((r) => r.kind !== 'promotion' && r.effectiveFrom <= at)
    .sort(byEffective)
    .at(-1);
}

/**
 * The revision of one line's history that prices usage at `at`: a promotion within its window, else the
 * standing price. Times are ISO 8601 UTC as `toISOString()` writes them, so they compare as text.
 */
export function revisionAt(history: readonly PriceRevision[], at: string): PriceRevision | undefined {
  const promotion = history
    .filter((r) => r.kind === 'promotion' && r.effectiveFrom <= at && (!r.endsAt || at < r.endsAt))
    .sort(byEffective)
    .at(-1);
  return promotion ?? standingAt(history, at);
}

/** A revision an operator asks to publish. */
export interface Proposal {
  unitPrice: UnitPrice;
  effectiveFrom: string;
  /** Only for a promotion: when the price before it applies again. */
  endsAt?: string;
  promotion?: boolean;
}

/** What a proposal is, or why it cannot be published, naming the clause. */
export type Classified = { kind: RevisionKind } | { refusal: string; clause: string };

/**
 * Classifies a proposal against the line's history at the moment of publication `now`, under clause 1.4:
 * - nothing takes effect before it is published (1.4.3 to 1.4.5 all make the customer aware first);
 * - a line with no price yet is a new feature's price, published on or before its release (1.4.5);
 * - an increase takes effect at least 15 days after its publication (1.4.3);
 * - a decrease, or a promotion below the standing price, may take effect on publication (1.4.4). A promotion's
 *   end is published with it, so the standing price returning then is no revision of the Charges.
 */
export function classify(history: readonly PriceRevision[], p: Proposal, now: string): Classified {
  if (p.effectiveFrom < now) {
    return { clause: '1.4', refusal: `A revision cannot take effect before it is published: ${p.effectiveFrom} is before now (${now}).` };
  }
  const standing = standingAt(history, p.effectiveFrom);
  if (p.promotion) {
    if (!p.endsAt || p.endsAt <= p.effectiveFrom) {
      return { clause: '1.4.4', refusal: 'A promotion is temporary: it needs an end (ends_at) after it takes effect.' };
    }
    if (!standing) return { clause: '1.4.5', refusal: 'A promotion needs a standing price to reduce; publish the price first.' };
    const during = history.filter((r) => r.kind !== 'promotion' && r.effectiveFrom > p.effectiveFrom && r.effectiveFrom < p.endsAt!);
    const highest = [standing, ...during].reduce((m, r) => (BigInt(r.unitPrice) > m ? BigInt(r.unitPrice) : m), 0n);
    if (p.unitPrice >= BigInt(standing.unitPrice) || p.unitPrice > highest) {
      return {
        clause: '1.4.4',
        refusal: 'A promotion must be below the standing price throughout its window; a higher price is an increase.',
      };
    }
    return { kind: 'promotion' };
  }
  if (p.endsAt) return { clause: '1.4', refusal: 'Only a promotion has an end (ends_at); a standing price lasts until it is revised.' };
  if (!standing) return { kind: 'new' };
  const before = BigInt(standing.unitPrice);
  if (p.unitPrice === before)
    return { clause: '1.4.2', refusal: 'That is already the price in effect on that date; nothing would change.' };
  if (p.unitPrice < before) return { kind: 'decrease' };
  const earliest = new Date(Date.parse(now) + INCREASE_NOTICE_DAYS * DAY_MS).toISOString();
  if (p.effectiveFrom < earliest) {
    return {
      clause: '1.4.3',
      refusal: `An increase is published at least ${INCREASE_NOTICE_DAYS} days before it takes effect: published now, it can take effect on ${earliest} at the earliest.`,
    };
  }
  return { kind: 'increase' };
}

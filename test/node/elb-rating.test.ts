/**
 * A load balancer's usage as billing rates it, pure: the held `elb.loadbalancer` meter rolled up by the hour and
 * rated on the `elb/shared` price line of the seed (€0.025 per hour), rounded once per line.
 */
import { describe, expect, it } from 'vitest';
import { unitPriceOf } from '../../core/money.ts';
import type { LedgerEntry, PriceRevision } from '../../schema/global.ts';
import seed from '../../seed/prices.json';
import { rate } from '../../workers/bss/rating.ts';
import { rollup } from '../../workers/bss/rollup.ts';

const event = (action: 'start' | 'stop', at: string): LedgerEntry => ({
  eventId: `lb:${action}`,
  domainId: 'd',
  projectId: 'p',
  regionId: 'eu-west-0',
  meter: 'elb.loadbalancer',
  resourceId: 'lb',
  action,
  quantity: action === 'start' ? 1 : 0,
  attributes: { type: 'shared' },
  at,
  ingestedAt: '',
});

describe('a shared load balancer on the invoice', () => {
  it('costs its hours at the seed price: 10.5 hours at 2.5 cents is 26.25, rounded once to 26 cents', () => {
    const priced = seed.find((l) => l.service === 'elb' && l.product === 'shared' && l.regionId === 'eu-west-0')!;
    expect([priced.unit, priced.priceEur]).toEqual(['hour', 0.025]);
    const line = { ...priced, id: 'elb', billingMode: 'on_demand', effectiveFrom: null } as const;
    const revision: PriceRevision = {
      id: 'elb-1',
      lineId: 'elb',
      unitPrice: Number(unitPriceOf(priced.priceEur)),
      kind: 'initial',
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      endsAt: null,
      publishedAt: '2026-01-01T00:00:00.000Z',
      publishedBy: '',
      note: '',
    };
    const rows = rollup(
      [event('start', '2026-03-02T08:00:00.000Z'), event('stop', '2026-03-02T18:30:00.000Z')],
      Date.parse('2026-03-02T00:00:00Z') / 1000,
      Date.parse('2026-03-03T00:00:00Z') / 1000,
    );
    const { lines, unpriced } = rate(rows, { lines: [line], history: new Map([['elb', [revision]]]) });
    expect(unpriced).toEqual([]);
    expect(lines.map((l) => [l.label, l.quantity, l.per, l.amount, l.fromHour, l.toHour])).toEqual([
      ['Shared load balancer', 37_800n, 3600n, 26, '2026-03-02T08', '2026-03-02T18'],
    ]);
  });
});

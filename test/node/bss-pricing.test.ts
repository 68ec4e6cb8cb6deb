/**
 * Billing's exact arithmetic and the price list's rules, pure: money in cents rounded once per line (halves away
 * from zero), the revision in effect at an instant, clause 1.4's publication rules, and the hourly rollup.
 */
import { describe, expect, it } from 'vitest';
import { formatMinor, lineAmount, roundHalfAway, unitPriceOf, unitPriceText } from '../../core/money.ts';
import type { LedgerEntry, PriceRevision } from '../../schema/global.ts';
import { classify, revisionAt } from '../../workers/bss/price-list.ts';
import { rate } from '../../workers/bss/rating.ts';
import { rollup } from '../../workers/bss/rollup.ts';

describe('money', () => {
  it('parses unit prices exactly and refuses what it would round', () => {
    expect(unitPriceOf('0.0265')).toBe(2_650_000n);
    expect(unitPriceOf(0.0045)).toBe(450_000n);
    expect(unitPriceOf(3000)).toBe(300_000_000_000n);
    expect(unitPriceText(2_650_000n)).toBe('0.0265');
    expect(unitPriceText(300_000_000_000n)).toBe('3000');
    expect(() => unitPriceOf('0.000000001')).toThrow(/millionth of a cent/);
    expect(() => unitPriceOf('1,5')).toThrow(/not a decimal/);
  });

  it('rounds a line once, to the cent, halves away from zero', () => {
    // 730 hours of s3.small.1 at 0.0265 EUR/hour: 19.345 EUR, a half: 19.35.
    expect(lineAmount(730n * 3600n, 3600n, unitPriceOf('0.0265'))).toBe(1935);
    // 1 hour: 2.65 cents rounds to 3.
    expect(lineAmount(3600n, 3600n, unitPriceOf('0.0265'))).toBe(3);
    // 40 GB for 100 hours of SSD at 0.16 EUR/GB-month (730 h): 0.8767... EUR, 88 cents.
    expect(lineAmount(40n * 100n * 3600n, 730n * 3600n, unitPriceOf('0.16'))).toBe(88);
    expect(roundHalfAway(-5n, 10n)).toBe(-1);
    expect(roundHalfAway(-4n, 10n)).toBe(0);
    expect(formatMinor(123456)).toBe('1,234.56 EUR');
  });
});

const rev = (over: Partial<PriceRevision>): PriceRevision => ({
  id: 'r',
  lineId: 'l',
  unitPrice: 2_650_000,
  kind: 'initial',
  effectiveFrom: '2026-01-01T00:00:00.000Z',
  endsAt: null,
  publishedAt: '2026-01-01T00:00:00.000Z',
  publishedBy: '',
  note: '',
  ...over,
});

describe('clause 1.4: the price in effect', () => {
  const history = [
    rev({ id: 'a' }),
    rev({
      id: 'b',
      kind: 'increase',
      unitPrice: 3_000_000,
      effectiveFrom: '2026-03-01T00:00:00.000Z',
      publishedAt: '2026-02-01T00:00:00.000Z',
    }),
    rev({
      id: 'p',
      kind: 'promotion',
      unitPrice: 1_000_000,
      effectiveFrom: '2026-03-10T00:00:00.000Z',
      endsAt: '2026-03-20T00:00:00.000Z',
    }),
  ];
  it('is the latest standing revision, or a promotion within its window', () => {
    expect(revisionAt(history, '2025-12-31T23:59:59.999Z')).toBeUndefined();
    expect(revisionAt(history, '2026-02-28T23:59:59.999Z')?.id).toBe('a');
    expect(revisionAt(history, '2026-03-01T00:00:00.000Z')?.id).toBe('b');
    expect(revisionAt(history, '2026-03-15T00:00:00.000Z')?.id).toBe('p');
    // The promotion's end is exclusive: the standing price applies again.
    expect(revisionAt(history, '2026-03-20T00:00:00.000Z')?.id).toBe('b');
  });
});

describe('clause 1.4: publishing a revision', () => {
  const now = '2026-05-10T12:00:00.000Z';
  const history = [rev({})];
  const at = (days: number) => new Date(Date.parse(now) + days * 86_400_000).toISOString();

  it('1.4.3: an increase takes effect at least 15 days after publication, to the millisecond', () => {
    const early = classify(history, { unitPrice: 2_900_000n, effectiveFrom: at(14) }, now);
    expect(early).toEqual({ clause: '1.4.3', refusal: expect.stringContaining('2026-05-25T12:00:00.000Z at the earliest') });
    expect(classify(history, { unitPrice: 2_900_000n, effectiveFrom: new Date(Date.parse(at(15)) - 1).toISOString() }, now)).toHaveProperty(
      'clause',
      '1.4.3',
    );
    expect(classify(history, { unitPrice: 2_900_000n, effectiveFrom: at(15) }, now)).toEqual({ kind: 'increase' });
  });

  it('1.4.3: the 15 days cross a month end and a leap day', () => {
    const leap = '2028-02-20T00:00:00.000Z';
    expect(classify(history, { unitPrice: 2_900_000n, effectiveFrom: '2028-03-05T23:59:59.999Z' }, leap)).toHaveProperty('clause', '1.4.3');
    // 9 days of February 2028 (29 days) and 6 of March.
    expect(classify(history, { unitPrice: 2_900_000n, effectiveFrom: '2028-03-06T00:00:00.000Z' }, leap)).toEqual({ kind: 'increase' });
  });

  it('1.4.4: a decrease or a promotion may take effect on publication, never before', () => {
    expect(classify(history, { unitPrice: 2_000_000n, effectiveFrom: now }, now)).toEqual({ kind: 'decrease' });
    expect(classify(history, { unitPrice: 2_000_000n, effectiveFrom: at(-1) }, now)).toHaveProperty('clause', '1.4');
    expect(classify(history, { unitPrice: 1_000_000n, effectiveFrom: now, endsAt: at(5), promotion: true }, now)).toEqual({
      kind: 'promotion',
    });
    expect(classify(history, { unitPrice: 3_000_000n, effectiveFrom: now, endsAt: at(5), promotion: true }, now)).toHaveProperty(
      'clause',
      '1.4.4',
    );
    expect(classify(history, { unitPrice: 1_000_000n, effectiveFrom: now, promotion: true }, now)).toHaveProperty('clause', '1.4.4');
  });

  it('1.4.4: an increase already announced is not undercut by calling a later price a promotion', () => {
    const announced = [...history, rev({ id: 'up', kind: 'increase', unitPrice: 5_000_000, effectiveFrom: at(20) })];
    // Below the standing price at its start and below the announced increase: a promotion.
    expect(classify(announced, { unitPrice: 2_000_000n, effectiveFrom: at(1), endsAt: at(30), promotion: true }, now)).toEqual({
      kind: 'promotion',
    });
    // Measured against the announced increase (0.05 from day 20), 0.04 on day 21 is a decrease: no notice period.
    expect(classify(announced, { unitPrice: 4_000_000n, effectiveFrom: at(21) }, now)).toEqual({ kind: 'decrease' });
  });

  it('1.4.5: a new feature gets its price on or before its release', () => {
    expect(classify([], { unitPrice: 9_000_000n, effectiveFrom: now }, now)).toEqual({ kind: 'new' });
    expect(classify([], { unitPrice: 9_000_000n, effectiveFrom: at(-1) }, now)).toHaveProperty('clause', '1.4');
  });

  it('1.4.2: a revision that changes nothing is refused', () => {
    expect(classify(history, { unitPrice: 2_650_000n, effectiveFrom: at(20) }, now)).toHaveProperty('clause', '1.4.2');
  });
});

const ev = (over: Partial<LedgerEntry>): LedgerEntry => ({
  eventId: 'e',
  domainId: 'd',
  projectId: 'p',
  regionId: 'eu-west-0',
  meter: 'evs.volume',
  resourceId: 'v',
  action: 'start',
  quantity: 10,
  attributes: { volume_type: 'SSD' },
  at: '2026-03-31T22:30:00.000Z',
  ingestedAt: '',
  ...over,
});

describe('the hourly rollup', () => {
  const s = (iso: string) => Date.parse(iso) / 1000;
  it('integrates a held quantity per hour across a month end, with changes and a stop', () => {
    const events = [
      ev({ eventId: 'v:start' }),
      ev({ eventId: 'v:size:20', action: 'change', quantity: 20, at: '2026-03-31T23:15:00.000Z' }),
      ev({ eventId: 'v:stop', action: 'stop', quantity: 0, at: '2026-04-01T00:45:00.500Z' }),
    ];
    const rows = rollup(events, s('2026-03-31T00:00:00Z'), s('2026-04-02T00:00:00Z'));
    expect(rows.map((r) => [r.hour, r.quantity])).toEqual([
      ['2026-03-31T22', 10 * 1800],
      ['2026-03-31T23', 10 * 900 + 20 * 2700],
      // The stop's time is taken to its second: 45 minutes.
      ['2026-04-01T00', 20 * 2700],
    ]);
    // A window that opens after the start still knows what was held.
    expect(rollup(events, s('2026-04-01T00:00:00Z'), s('2026-04-01T01:00:00Z')).map((r) => r.quantity)).toEqual([20 * 2700]);
  });

  it('keeps one row per attributes (a server resized within the hour) and sums counted meters', () => {
    const events = [
      ev({
        eventId: 's:run:1',
        meter: 'ecs.server',
        resourceId: 's',
        quantity: 1,
        attributes: { flavor: 's3.small.1' },
        at: '2026-03-01T10:00:00Z',
      }),
      ev({
        eventId: 's:halt:1',
        meter: 'ecs.server',
        resourceId: 's',
        action: 'stop',
        quantity: 0,
        attributes: {},
        at: '2026-03-01T10:20:00Z',
      }),
      ev({
        eventId: 's:run:2',
        meter: 'ecs.server',
        resourceId: 's',
        quantity: 1,
        attributes: { flavor: 's3.medium.2' },
        at: '2026-03-01T10:30:00Z',
      }),
      ev({
        eventId: 't1',
        meter: 'vpc.traffic',
        resourceId: 'eip',
        action: 'once',
        quantity: 500,
        attributes: {},
        at: '2026-03-01T10:05:00Z',
      }),
      ev({
        eventId: 't2',
        meter: 'vpc.traffic',
        resourceId: 'eip',
        action: 'once',
        quantity: 700,
        attributes: {},
        at: '2026-03-01T10:59:59Z',
      }),
    ];
    const rows = rollup(events, s('2026-03-01T10:00:00Z'), s('2026-03-01T11:00:00Z'));
    expect(rows.map((r) => [r.meter, r.attributes, r.quantity])).toEqual([
      ['ecs.server', '{"flavor":"s3.small.1"}', 1200],
      ['ecs.server', '{"flavor":"s3.medium.2"}', 1800],
      ['vpc.traffic', '{}', 1200],
    ]);
  });

  it('gives the same rows whatever order the ledger returns', () => {
    const events = [
      ev({ eventId: 'v:start' }),
      ev({ eventId: 'v:size:20', action: 'change', quantity: 20, at: '2026-03-31T23:15:00.000Z' }),
    ];
    const window = [s('2026-03-31T22:00:00Z'), s('2026-04-01T00:00:00Z')] as const;
    expect(rollup([...events].reverse(), ...window)).toEqual(rollup(events, ...window));
  });
});

describe('rating', () => {
  const line = (id: string, service: string, product: string, unit: string) =>
    ({
      id,
      service,
      product,
      regionId: 'eu-west-0',
      billingMode: 'on_demand',
      unit,
      priceEur: 0,
      description: '',
      effectiveFrom: null,
    }) as const;
  const book = {
    lines: [line('small', 'ecs', 's3.small.1', 'hour'), line('ssd', 'evs', 'SSD', 'GB-month')],
    history: new Map([
      [
        'small',
        [
          rev({ id: 'small-1', lineId: 'small', unitPrice: 2_650_000 }),
          // Clause 1.4.3: an increase published 2026-02-10, in effect from the 25th: the month's line splits there.
          rev({
            id: 'small-2',
            lineId: 'small',
            kind: 'increase',
            unitPrice: 3_000_000,
            effectiveFrom: '2026-02-25T00:00:00.000Z',
            publishedAt: '2026-02-10T00:00:00.000Z',
          }),
        ],
      ],
      ['ssd', [rev({ id: 'ssd-1', lineId: 'ssd', unitPrice: 16_000_000 })]],
    ]),
  };
  const row = (hour: string, meter: LedgerEntry['meter'], resourceId: string, attributes: string, quantity: number) => ({
    domainId: 'd',
    projectId: 'p',
    regionId: 'eu-west-0',
    meter,
    resourceId,
    attributes,
    hour,
    quantity,
  });

  it('prices each hour at the revision in effect then, rounds each line once, and lists what has no price', () => {
    const hours = (from: string, n: number) =>
      Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}:00:00Z`) + i * 3_600_000).toISOString().slice(0, 13));
    const rows = [
      ...hours('2026-02-24T20', 8).map((h) => row(h, 'ecs.server', 'vm', '{"flavor":"s3.small.1","licence":"windows"}', 3600)),
      row('2026-02-24T20', 'evs.volume', 'vol', '{"volume_type":"SSD"}', 40 * 3600),
      row('2026-02-24T20', 'vpc.vpn', 'vpn', '{}', 3600),
    ];
    const { lines, unpriced } = rate(rows, book);
    expect(lines.map((l) => [l.lineId, l.revisionId, l.quantity, l.amount, l.fromHour, l.toHour])).toEqual([
      // 4 hours at 2.65 cents: 10.6, rounded once to 11; 4 at 3.00: 12.
      ['small', 'small-1', 4n * 3600n, 11, '2026-02-24T20', '2026-02-24T23'],
      ['ssd', 'ssd-1', 40n * 3600n, 1, '2026-02-24T20', '2026-02-24T20'],
      ['small', 'small-2', 4n * 3600n, 12, '2026-02-25T00', '2026-02-25T03'],
    ]);
    // Neither the Windows licence nor the VPN connection has a published price: listed, not charged.
    expect(unpriced.map((u) => [u.service, u.product, u.quantity])).toEqual([
      ['ims', 'windows', 8n * 3600n],
      ['vpc', 'vpn_connection', 3600n],
    ]);
  });

  it('clause 1.2.3.2: seconds a reservation covers are not charged per use', () => {
    const rows = [
      row('2026-03-01T00', 'ecs.server', 'a', '{"flavor":"s3.small.1"}', 3600),
      row('2026-03-01T00', 'ecs.server', 'b', '{"flavor":"s3.small.1"}', 3600),
    ];
    const { lines } = rate(rows, book, (r) => (r.resourceId === 'a' ? 3600 : 1800));
    // Half an hour at 3.00 cents (the March price): 1.5 cents, a half, rounded away from zero to 2.
    expect(lines.map((l) => [l.resourceId, l.quantity, l.amount])).toEqual([['b', 1800n, 2]]);
  });
});

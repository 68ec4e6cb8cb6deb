/**
 * The seed price list's lines for what was metered but unpriced (snapshots, backups, private images, VPN
 * connections, the Windows licence of clause 1.2.3.11, OBS outbound bytes), rated through RATES from the seed
 * itself, each line's arithmetic worked by hand. What still has no line (another OS licence) stays unpriced.
 */
import { describe, expect, it } from 'vitest';
import { unitPriceOf } from '../../core/money.ts';
import type { Meter } from '../../core/usage.ts';
import type { PriceRevision } from '../../schema/global.ts';
import seed from '../../seed/prices.json';
import { type PriceBook, rate } from '../../workers/bss/rating.ts';
import type { HourRow } from '../../workers/bss/rollup.ts';

/** The seed as the rating reads it: each line with its initial revision, in effect since 2026-01-01. */
function seedBook(): PriceBook {
  const lines = seed.map((p) => ({ ...p, id: `${p.service}:${p.product}:${p.regionId}:${p.billingMode}`, effectiveFrom: null }));
  const history = new Map<string, PriceRevision[]>(
    lines.map((l) => [
      l.id,
      [
        {
          id: `${l.id}:initial`,
          lineId: l.id,
          unitPrice: Number(unitPriceOf(l.priceEur)),
          kind: 'initial',
          effectiveFrom: '2026-01-01T00:00:00.000Z',
          endsAt: null,
          publishedAt: '2026-01-01T00:00:00.000Z',
          publishedBy: '',
          note: '',
        },
      ],
    ]),
  );
  return { lines, history };
}

const GIB = 2 ** 30;
const row = (meter: Meter, attributes: string, quantity: number, hour = '2028-02-29T23'): HourRow => ({
  domainId: 'd',
  projectId: 'p',
  regionId: 'eu-west-1',
  meter,
  resourceId: `${meter}-r`,
  attributes,
  hour,
  quantity,
});

/** The one line a meter's rows rate to: its price line, exact quantity and amount in cents. */
function rated(rows: HourRow[]) {
  const { lines, unpriced } = rate(rows, seedBook());
  return { lines: lines.map((l) => [l.lineId, l.unitPrice, l.quantity, l.amount]), unpriced };
}

describe('seed prices for the meters that had none', () => {
  it('volume snapshots: 0.04 EUR per GB-month of 730 hours', () => {
    // 50 GB for 730 hours: 2.00 EUR exactly.
    expect(rated([row('evs.snapshot', '{}', 50 * 730 * 3600)]).lines).toEqual([
      ['evs:snapshot:eu-west-1:on_demand', 4_000_000n, 50n * 730n * 3600n, 200],
    ]);
  });

  it('volume backups: 0.05 EUR per GB-month; 100 GB for one hour is 0.6849... cents, 1 cent', () => {
    expect(rated([row('vbs.backup', '{}', 100 * 3600)]).lines).toEqual([['vbs:backup:eu-west-1:on_demand', 5_000_000n, 360_000n, 1]]);
  });

  it('private images: 0.025 EUR per GB-month, the image counted in bytes', () => {
    // 20 GiB for the 696 hours of February 2028 (a leap month): 20 x 696 / 730 x 2.5 cents = 47.67 cents, 48.
    const rows = Array.from({ length: 29 }, (_, day) =>
      row('ims.image', '{}', 20 * GIB * 3600 * 24, `2028-02-${String(day + 1).padStart(2, '0')}T00`),
    );
    const { lines } = rated(rows);
    expect(lines).toEqual([['ims:private_image:eu-west-1:on_demand', 2_500_000n, 20n * 2n ** 30n * 3600n * 24n * 29n, 48]]);
  });

  it('clause 1.2.3.11: a Windows server pays 0.0184 EUR per hour it runs, on top of its flavor', () => {
    // 3 servers-hours across the leap day's end into March: 3 x 1.84 cents = 5.52, 6 cents.
    const attributes = '{"flavor":"s3.small.1","licence":"windows"}';
    const hours = ['2028-02-29T23', '2028-03-01T00', '2028-03-01T01'];
    const { lines } = rated(hours.map((h) => row('ecs.server', attributes, 3600, h)));
    expect(lines).toContainEqual(['ims:windows:eu-west-1:on_demand', 1_840_000n, 3n * 3600n, 6]);
    // The flavor's own line: 3 hours at 2.65 cents = 7.95, 8 cents.
    expect(lines).toContainEqual(['ecs:s3.small.1:eu-west-1:on_demand', 2_650_000n, 3n * 3600n, 8]);
  });

  it('clause 1.2.3.21: a VPN connection pays 0.05 EUR per hour; a 31-day month is 37.20 EUR', () => {
    const rows = Array.from({ length: 31 * 24 }, (_, h) =>
      row('vpc.vpn', '{}', 3600, new Date(Date.UTC(2027, 11, 1) + h * 3_600_000).toISOString().slice(0, 13)),
    );
    expect(rated(rows).lines).toEqual([['vpc:vpn_connection:eu-west-1:on_demand', 5_000_000n, 744n * 3600n, 3720]]);
  });

  it('OBS outbound bytes: 0.07 EUR per GB; 1.5 GiB is 10.5 cents, a half, rounded away from zero to 11', () => {
    expect(rated([row('obs.egress', '{}', 1.5 * GIB)]).lines).toEqual([['obs:egress:eu-west-1:on_demand', 7_000_000n, 3n * 2n ** 29n, 11]]);
  });

  it('SMN notifications delivered: 0.55 EUR per million by protocol; 30,000 HTTPS ones are 1.65 cents, 2', () => {
    expect(rated([row('smn.notification', '{"protocol":"https"}', 30_000)]).lines).toEqual([
      ['smn:https:eu-west-1:on_demand', 55_000_000n, 30_000n, 2],
    ]);
  });

  it('a licence with no line is still listed unpriced, never guessed', () => {
    const { lines, unpriced } = rated([row('ecs.server', '{"flavor":"s3.small.1","licence":"rhel"}', 3600)]);
    expect(lines.map((l) => l[0])).toEqual(['ecs:s3.small.1:eu-west-1:on_demand']);
    expect(unpriced.map((u) => [u.service, u.product, u.quantity])).toEqual([['ims', 'rhel', 3600n]]);
  });

  it('WorkSpace (1.2.3.25) and Direct Connect (1.2.3.24) have monthly lines in both regions', () => {
    const find = (service: string, mode: string, region: string) =>
      seed.find((p) => p.service === service && p.billingMode === mode && p.regionId === region)?.priceEur;
    for (const region of ['eu-west-0', 'eu-west-1']) {
      expect([find('workspace', 'monthly', region), find('workspace', 'hourly', region), find('dc', 'monthly', region)]).toEqual([
        35, 0.27, 0.9,
      ]);
    }
  });
});

/**
 * Billing's throughput: usage events taken from the projects' outboxes into the ledger through the running cloud
 * (volumes made and deleted, then the first usage read takes them all), with the server's CPU; and a month rated
 * for 1,000 accounts with 100 resources each by the same rollup, rating and subscription rules the month-end job
 * runs, in this process (its CPU is the figure: no I/O is in it), so the cost of the arithmetic is seen alone.
 */
import { cpuUsage } from 'node:process';
import type { LedgerEntry, PriceRevision } from '../schema/global.ts';
import { rate } from '../workers/bss/rating.ts';
import { rollup } from '../workers/bss/rollup.ts';
import { reservationCover, subscriptionCharges } from '../workers/bss/subscription-charges.ts';
import type { PriceLineRow } from '../workers/directory/prices.ts';
import { accounts, api, type BenchCloud } from './cloud.ts';
import { pool } from './evs.bench.ts';
import { serverCpuSeconds } from './harness.ts';

const TENANTS = 5;
const VOLUMES = Number(process.env.BENCH_BSS_VOLUMES || 40);

/** Events into the ledger per second, and the server CPU per 1,000 events. */
async function ledgerIntake(cloud: BenchCloud): Promise<string> {
  const tenants = await accounts(
    cloud,
    Array.from({ length: TENANTS }, (_, i) => `bench-bss-${i}`),
  );
  const jobs = tenants.flatMap((t) => Array.from({ length: VOLUMES }, (_, n) => ({ t, n })));
  await pool(jobs, async ({ t, n }) => {
    const res = await api(cloud, t.token, 'POST', `/evs/v3/${t.projectId}/volumes`, { volume: { name: `b-${n}`, size: 1 } });
    if (res.status !== 202) throw new Error(`volume: ${res.status} ${await res.text()}`);
    await res.body?.cancel();
  });
  // Wait for every volume's start event to be written (the volume is available).
  for (const t of tenants) {
    for (let i = 0; i < 600; i++) {
      const res = await api(cloud, t.token, 'GET', `/evs/v3/${t.projectId}/volumes?status=available`);
      if (((await res.json()) as { volumes: unknown[] }).volumes.length >= VOLUMES) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const cpu0 = serverCpuSeconds();
  const started = performance.now();
  for (const t of tenants) {
    const res = await api(cloud, t.token, 'GET', '/bss/v2/usage');
    if (res.status !== 200) throw new Error(`usage: ${res.status} ${await res.text()}`);
    await res.body?.cancel();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = serverCpuSeconds() - cpu0;
  const events = jobs.length;
  return `| events into the ledger (${events} from ${TENANTS} projects, taken by the first usage read) | ${seconds.toFixed(2)} s | ${(events / seconds).toFixed(0)} events/s | server CPU ${((cpu / events) * 1000).toFixed(2)} s per 1,000 events |`;
}

const rev = (id: string, lineId: string, unitPrice: number): PriceRevision => ({
  id,
  lineId,
  unitPrice,
  kind: 'initial',
  effectiveFrom: '2025-01-01T00:00:00.000Z',
  endsAt: null,
  publishedAt: '2025-01-01T00:00:00.000Z',
  publishedBy: '',
  note: '',
});

/** Rates March 2026 for `n` accounts of 100 resources (servers, volumes, an EIP and traffic) in this process. */
export function monthClose(n: number): string {
  const line = (id: string, service: string, product: string, unit: string, billingMode = 'on_demand'): PriceLineRow => ({
    id,
    service,
    product,
    regionId: billingMode === 'monthly' && service === 'support' ? 'global' : 'eu-west-0',
    billingMode,
    unit,
    priceEur: 0,
    description: '',
    effectiveFrom: null,
  });
  const book = {
    lines: [
      line('vm', 'ecs', 's3.small.1', 'hour'),
      line('ssd', 'evs', 'SSD', 'GB-month'),
      line('ip', 'eip', '5_bgp', 'hour'),
      line('tr', 'eip', 'traffic', 'GB'),
      line('sp', 'support', 'standard', 'month', 'monthly'),
    ],
    history: new Map([
      ['vm', [rev('vm1', 'vm', 2_650_000)]],
      ['ssd', [rev('ssd1', 'ssd', 16_000_000)]],
      ['ip', [rev('ip1', 'ip', 450_000)]],
      ['tr', [rev('tr1', 'tr', 7_000_000)]],
      ['sp', [rev('sp1', 'sp', 10_000_000_000)]],
    ]),
  };
  const from = Date.parse('2026-03-01T00:00:00Z') / 1000;
  const to = Date.parse('2026-04-01T00:00:00Z') / 1000;
  const cpu0 = cpuUsage();
  const started = performance.now();
  let events = 0;
  let lines = 0;
  for (let a = 0; a < n; a++) {
    const ledger: LedgerEntry[] = [];
    for (let r = 0; r < 100; r++) {
      const base = { domainId: `d${a}`, projectId: `p${a}`, regionId: 'eu-west-0', resourceId: `r${r}`, ingestedAt: '' };
      const kind = r % 4;
      const meter = (['ecs.server', 'evs.volume', 'vpc.eip', 'vpc.traffic'] as const)[kind]!;
      const attributes: Record<string, string> =
        kind === 0 ? { flavor: 's3.small.1', licence: '' } : kind === 1 ? { volume_type: 'SSD' } : {};
      if (kind === 3) {
        for (let d = 1; d <= 31; d++)
          ledger.push({
            ...base,
            eventId: `${a}:${r}:${d}`,
            meter,
            action: 'once' as const,
            quantity: 2 ** 28,
            attributes,
            at: `2026-03-${String(d).padStart(2, '0')}T12:00:00.000Z`,
          });
      } else {
        ledger.push({
          ...base,
          eventId: `${a}:${r}:s`,
          meter,
          action: 'start' as const,
          quantity: kind === 1 ? 40 : 1,
          attributes,
          at: '2026-02-20T00:00:00.000Z',
        });
        // Servers stop and start again mid-month.
        if (kind === 0) {
          ledger.push({
            ...base,
            eventId: `${a}:${r}:h`,
            meter,
            action: 'stop' as const,
            quantity: 0,
            attributes: {},
            at: '2026-03-10T08:00:00.000Z',
          });
          ledger.push({
            ...base,
            eventId: `${a}:${r}:r`,
            meter,
            action: 'start' as const,
            quantity: 1,
            attributes,
            at: '2026-03-12T17:30:00.000Z',
          });
        }
      }
    }
    events += ledger.length;
    const rows = rollup(ledger, from, to);
    const rated = rate(rows, book, reservationCover([]));
    const subs = subscriptionCharges('2026-03', [], [{ plan: 'standard', electedAt: '2026-01-10T00:00:00.000Z' }], book);
    lines += rated.lines.length + subs.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return `| a month rated for ${n.toLocaleString('en-GB')} accounts x 100 resources (${events.toLocaleString('en-GB')} ledger events, ${lines.toLocaleString('en-GB')} lines) | ${seconds.toFixed(2)} s | ${(events / seconds).toFixed(0)} events/s | CPU ${cpuSeconds.toFixed(2)} s (rating only, no I/O) |`;
}

/** The billing table for BENCH.md. */
export async function bssBench(cloud: BenchCloud): Promise<string> {
  const rows = [
    '| measure | time | rate | CPU |',
    '|---|---:|---:|---|',
    await ledgerIntake(cloud),
    monthClose(Number(process.env.BENCH_BSS_ACCOUNTS || 1000)),
  ];
  return rows.join('\n');
}

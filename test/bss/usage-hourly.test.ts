/**
 * GET /bss/v2/usage serves finished hours from the hourly rollup and only the hour in progress from the ledger:
 * the two agree to the second, the stored hours are what is read (a changed row shows), and an event taken late
 * sends its hour and the later ones back to the ledger.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { usageHourly, usageRollups } from '../../schema/global.ts';
import { cutRange, hourName } from '../../workers/bss/hourly.ts';
import { ledgerRows } from '../../workers/bss/ledger.ts';
import { directory } from '../../workers/directory/client.ts';
import { bindings } from '../ecs/fixtures.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';
import { writeLedger } from './fixtures.ts';

const HOUR = 3_600_000;

type Line = { meter: string; resourceId: string; hour: string; quantity: number };
const sorted = (lines: Line[]) =>
  lines.map((l) => [l.hour, l.meter, l.resourceId, l.quantity]).sort((a, b) => String(a).localeCompare(String(b)));

describe('usage from the hourly rollup', () => {
  it('serves finished hours stored, the hour in progress from the ledger, and the two agree', async () => {
    const account = await newAccount('hourly');
    const d = account.domainId;
    const project = account.projects.find((p) => p.name === 'eu-west-0')!;
    const now = new Date();
    const h = Math.floor(now.getTime() / HOUR) * HOUR;
    const iso = (ms: number) => new Date(ms).toISOString();
    await writeLedger(d, project.id, [
      {
        id: 's',
        meter: 'ecs.server',
        resource: 'vm',
        action: 'start',
        quantity: 1,
        at: iso(h - 5 * HOUR + 600_000),
        attributes: { flavor: 's3.small.1' },
      },
      {
        id: 'v',
        meter: 'evs.volume',
        resource: 'vol',
        action: 'start',
        quantity: 10,
        at: iso(h - 3 * HOUR),
        attributes: { volume_type: 'SSD' },
      },
      { id: 't', meter: 'vpc.traffic', resource: 'eip', action: 'once', quantity: 1000, at: iso(h - 2 * HOUR + 1_800_000) },
    ]);
    const token = await tokenFor(account);
    const window = `from=${iso(h - 6 * HOUR)}&to=${now.toISOString()}&group_by=hour,resource`;
    const read = async () => sorted((await send(token, 'GET', `/bss/v2/usage?${window}`)).body.usage);
    const first = await read();
    const inProgress = Math.floor((now.getTime() - h) / 1000);
    const hourOf = (ms: number) => `${hourName(ms)}:00:00Z`;
    expect(first.filter((l) => l[2] === 'vm')).toEqual([
      [hourOf(h - 5 * HOUR), 'ecs.server', 'vm', 3000],
      [hourOf(h - 4 * HOUR), 'ecs.server', 'vm', 3600],
      [hourOf(h - 3 * HOUR), 'ecs.server', 'vm', 3600],
      [hourOf(h - 2 * HOUR), 'ecs.server', 'vm', 3600],
      [hourOf(h - HOUR), 'ecs.server', 'vm', 3600],
      ...(inProgress ? [[hourOf(h), 'ecs.server', 'vm', inProgress]] : []),
    ]);
    // The first read rolled the finished hours up and marked them exact.
    const db = await directory(bindings);
    expect(await db.select().from(usageRollups).where(eq(usageRollups.domainId, d)).get()).toMatchObject({
      fromHour: hourName(h - 6 * HOUR),
      throughHour: hourName(h),
    });
    // Read again (stored hours now) and from the ledger alone: the same figures.
    expect(await read()).toEqual(first);
    const fromLedger = await ledgerRows(bindings, d, new Date(h - 6 * HOUR), now);
    expect(sorted(fromLedger.map((r) => ({ ...r, hour: `${r.hour}:00:00Z` })))).toEqual(first);

    // What is read for a finished hour is the stored row: change it and the answer changes.
    const row = and(eq(usageHourly.domainId, d), eq(usageHourly.resourceId, 'vm'), eq(usageHourly.hour, hourName(h - 4 * HOUR)));
    await db.update(usageHourly).set({ quantity: 1 }).where(row);
    expect((await read()).find((l) => l[0] === hourOf(h - 4 * HOUR) && l[2] === 'vm')).toEqual([
      hourOf(h - 4 * HOUR),
      'ecs.server',
      'vm',
      1,
    ]);
    // An event taken late for that hour cuts the exact range back to it: the hours are rolled from the ledger again.
    await cutRange(db, d, iso(h - 4 * HOUR + 60_000));
    expect((await db.select().from(usageRollups).where(eq(usageRollups.domainId, d)).get())?.throughHour).toBe(hourName(h - 4 * HOUR));
    expect(await read()).toEqual(first);
  });
});

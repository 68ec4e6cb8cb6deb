/**
 * Cloud Eye's arithmetic alone: the load levels of each workload shape over time, a guest's sample from its level
 * (the counters agree with the rates), and a rollup's statistics rounded as Cloud Eye rounds them.
 */
import { describe, expect, it } from 'vitest';
import { sampleGuest } from '../../core/ces/guest-metrics.ts';
import { levelAt } from '../../core/ces/load-profile.ts';
import { markerOf, seriesKey } from '../../core/ces/metrics.ts';
import { statisticOf } from '../../durable/ces/store.ts';

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);
const at = (s: number) => T0 + s * 1000;

describe('workload shapes', () => {
  it('holds a constant, steps from each offset on, and clamps to 0..100', () => {
    expect(levelAt({ profile: { shape: 'constant', level: 40 }, appliedAt: T0 }, at(999))).toBe(40);
    expect(levelAt({ profile: { shape: 'constant', level: 140 }, appliedAt: T0 }, at(0))).toBe(100);
    const steps = {
      profile: {
        shape: 'steps' as const,
        steps: [
          { after_s: 0, level: 10 },
          { after_s: 300, level: 90 },
        ],
      },
      appliedAt: T0,
    };
    expect([levelAt(steps, at(0)), levelAt(steps, at(299)), levelAt(steps, at(300)), levelAt(steps, at(5000))]).toEqual([10, 10, 90, 90]);
  });

  it('follows a sine between its levels, and replays a series once or over and over', () => {
    const sine = { profile: { shape: 'sine' as const, min: 20, max: 80, period_s: 400 }, appliedAt: T0 };
    expect([0, 100, 200, 300, 400].map((s) => Math.round(levelAt(sine, at(s))))).toEqual([50, 80, 50, 20, 50]);
    const once = { profile: { shape: 'series' as const, interval_s: 60, levels: [5, 50, 95] }, appliedAt: T0 };
    expect([0, 60, 120, 180, 600].map((s) => levelAt(once, at(s)))).toEqual([5, 50, 95, 95, 95]);
    const looped = { profile: { ...once.profile, repeat: true }, appliedAt: T0 };
    expect([0, 60, 120, 180, 240].map((s) => levelAt(looped, at(s)))).toEqual([5, 50, 95, 5, 50]);
  });
});

describe('a guest sample', () => {
  it('scales the full-load rates by the level, and counts the bytes of the interval', () => {
    const applied = {
      profile: {
        shape: 'constant' as const,
        level: 25,
        network_out_bytes_rate: 1_000_000,
        network_in_bytes_rate: 400,
        disk_write_bytes_rate: 8000,
      },
      appliedAt: T0,
    };
    expect(sampleGuest(applied, at(60), 60_000)).toEqual({
      at: at(60),
      cpuUtil: 25,
      memUtil: 30,
      netOutRate: 250_000,
      netInRate: 100,
      diskReadRate: 0,
      diskWriteRate: 2000,
      txBytes: 15_000_000,
      rxBytes: 6000,
    });
    // No profile: an idle guest, 1 % CPU and no traffic (nothing to bill).
    expect(sampleGuest(null, at(60), 60_000)).toMatchObject({ cpuUtil: 1, memUtil: 20.4, txBytes: 0 });
  });
});

describe('rollup statistics', () => {
  it('cuts integers to whole numbers and decimals after the second place, as Cloud Eye does', () => {
    // Cloud Eye's own example: instance counts 1 and 4 average to 2, not 2.5.
    const counts = { count: 2, sum: 5, min: 1, max: 4, sumSquares: 17 };
    expect(statisticOf(counts, 'average', 'int')).toBe(2);
    expect(statisticOf(counts, 'variance', 'int')).toBe(2);
    const cpu = { count: 3, sum: 10, min: 2, max: 5.555, sumSquares: 38 };
    expect(statisticOf(cpu, 'average', 'float')).toBe(3.33);
    expect(statisticOf(cpu, 'max', 'float')).toBe(5.55);
    expect(statisticOf(cpu, 'sum', 'float')).toBe(10);
    expect(statisticOf(cpu, 'variance', 'float')).toBe(1.55);
  });

  it('names a series by its dimensions in any order, and marks it as Cloud Eye does', () => {
    const a = seriesKey({
      namespace: 'SYS.ECS',
      metric_name: 'cpu_util',
      dimensions: [
        { name: 'b', value: '2' },
        { name: 'a', value: '1' },
      ],
    });
    const b = seriesKey({
      namespace: 'SYS.ECS',
      metric_name: 'cpu_util',
      dimensions: [
        { name: 'a', value: '1' },
        { name: 'b', value: '2' },
      ],
    });
    expect(a).toBe(b);
    expect(markerOf({ namespace: 'SYS.ECS', metricName: 'cpu_util', dimensions: [{ name: 'instance_id', value: 'x' }] })).toBe(
      'SYS.ECS.cpu_util.instance_id:x',
    );
  });
});

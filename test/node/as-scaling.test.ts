/** Auto Scaling's pure rules: a policy's desired count, scale-in victims, the next zone, and schedules. */
import { describe, expect, it } from 'vitest';
import { desiredAfter, nextRun, nextZone, victims } from '../../core/as/scaling.ts';

const bounds = { min: 1, max: 5 };

describe('a policy action', () => {
  it('adds, removes or sets instances, by number or percentage, within the bounds', () => {
    expect(desiredAfter({ operation: 'ADD', instance_number: 2 }, 2, bounds)).toBe(4);
    expect(desiredAfter({ operation: 'ADD', instance_number: 9 }, 2, bounds)).toBe(5);
    expect(desiredAfter({ operation: 'REMOVE' }, 2, bounds)).toBe(1);
    expect(desiredAfter({ operation: 'REMOVE', instance_number: 3 }, 2, bounds)).toBe(1);
    expect(desiredAfter({ operation: 'SET', instance_number: 3 }, 1, bounds)).toBe(3);
    // 50 % of 3 is 1.5, rounded up.
    expect(desiredAfter({ operation: 'ADD', instance_percentage: 50 }, 3, bounds)).toBe(5);
    expect(desiredAfter({ operation: 'REMOVE', instance_percentage: 10 }, 4, bounds)).toBe(3);
  });
});

describe('a scale-in', () => {
  const rows = [
    { serverId: 'a', configurationId: 'old', createdAt: 1, protect: false, pending: false },
    { serverId: 'b', configurationId: 'new', createdAt: 2, protect: false, pending: false },
    { serverId: 'c', configurationId: 'old', createdAt: 3, protect: false, pending: false },
    { serverId: 'd', configurationId: 'new', createdAt: 4, protect: true, pending: false },
    { serverId: 'e', configurationId: 'new', createdAt: 5, protect: false, pending: true },
  ];
  it('takes pending ones first, never protected ones, then by the terminate policy', () => {
    expect(victims(rows, 3, 'OLD_CONFIG_OLD_INSTANCE', 'new')).toEqual(['e', 'a', 'c']);
    expect(victims(rows, 3, 'OLD_CONFIG_NEW_INSTANCE', 'new')).toEqual(['e', 'c', 'a']);
    expect(victims(rows, 3, 'OLD_INSTANCE', 'new')).toEqual(['e', 'a', 'b']);
    expect(victims(rows, 3, 'NEW_INSTANCE', 'new')).toEqual(['e', 'c', 'b']);
    expect(victims(rows, 9, 'OLD_INSTANCE', 'new')).toEqual(['e', 'a', 'b', 'c']);
  });
});

describe('the next zone', () => {
  it('is the emptiest with EQUILIBRIUM_DISTRIBUTE, the first with PICK_FIRST', () => {
    expect(nextZone(['z1', 'z2', 'z3'], ['z1', 'z2'], 'EQUILIBRIUM_DISTRIBUTE')).toBe('z3');
    expect(nextZone(['z1', 'z2'], ['z1', 'z2', 'z2'], 'EQUILIBRIUM_DISTRIBUTE')).toBe('z1');
    expect(nextZone(['z1', 'z2'], [], 'EQUILIBRIUM_DISTRIBUTE')).toBe('z1');
    expect(nextZone(['z1', 'z2'], ['z1', 'z1'], 'PICK_FIRST')).toBe('z1');
  });
});

describe('a schedule', () => {
  const at = (s: string) => Date.parse(s);
  it('runs a SCHEDULED policy once, at its launch time', () => {
    expect(nextRun('SCHEDULED', { launch_time: '2026-12-03T10:30Z' }, at('2026-12-02T00:00:00Z'))).toBe(at('2026-12-03T10:30:00Z'));
    expect(nextRun('SCHEDULED', { launch_time: '2026-12-03T10:30Z' }, at('2026-12-03T10:30:00Z'))).toBeNull();
  });
  it('runs a RECURRENCE policy on the days it names, between its start and end', () => {
    const daily = { launch_time: '08:00', recurrence_type: 'Daily' as const };
    expect(nextRun('RECURRENCE', daily, at('2026-12-02T07:59:00Z'))).toBe(at('2026-12-02T08:00:00Z'));
    expect(nextRun('RECURRENCE', daily, at('2026-12-02T08:00:00Z'))).toBe(at('2026-12-03T08:00:00Z'));
    // 2026-12-02 is a Wednesday (4 with 1 = Sunday): the next Monday (2) or Friday (6) is Friday the 4th.
    const weekly = { launch_time: '08:00', recurrence_type: 'Weekly' as const, recurrence_value: '2,6' };
    expect(nextRun('RECURRENCE', weekly, at('2026-12-02T09:00:00Z'))).toBe(at('2026-12-04T08:00:00Z'));
    const monthly = { launch_time: '00:15', recurrence_type: 'Monthly' as const, recurrence_value: '1,31' };
    expect(nextRun('RECURRENCE', monthly, at('2026-12-02T00:00:00Z'))).toBe(at('2026-12-31T00:15:00Z'));
    expect(nextRun('RECURRENCE', monthly, at('2026-12-31T01:00:00Z'))).toBe(at('2027-01-01T00:15:00Z'));
    const bounded = { ...daily, start_time: '2026-12-10T00:00Z', end_time: '2026-12-11T12:00Z' };
    expect(nextRun('RECURRENCE', bounded, at('2026-12-02T00:00:00Z'))).toBe(at('2026-12-10T08:00:00Z'));
    expect(nextRun('RECURRENCE', bounded, at('2026-12-11T08:00:00Z'))).toBeNull();
  });
});

/**
 * When a backup policy runs: at its `start_time` (HH:mm, UTC), every `frequency` days counted from its last run,
 * or on the weekdays of `week_frequency`. Pure, so that it is tested alone.
 */
import type { ScheduledPolicy } from '../../schema/tenant.ts';

const DAY_MS = 86_400_000;
export const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** The start time on the day of `at` (UTC). */
function onDay(at: Date, startTime: string): number {
  const [h = 0, m = 0] = startTime.split(':').map(Number);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), h, m);
}

/**
 * The first run strictly after `after`. `lastRun`: the policy ran then (a frequency counts its days from there);
 * without it, the first start time to come.
 */
export function nextRun(s: Pick<ScheduledPolicy, 'startTime' | 'frequency' | 'weekFrequency'>, after: Date, lastRun?: Date): Date {
  if (s.weekFrequency?.length) {
    for (let d = 0; d <= 7; d++) {
      const t = onDay(new Date(after.getTime() + d * DAY_MS), s.startTime);
      if (t > after.getTime() && s.weekFrequency.includes(WEEKDAYS[new Date(t).getUTCDay()]!)) return new Date(t);
    }
  }
  const every = (s.frequency ?? 1) * DAY_MS;
  let t = lastRun ? onDay(lastRun, s.startTime) + every : onDay(after, s.startTime);
  while (t <= after.getTime()) t += lastRun ? every : DAY_MS;
  return new Date(t);
}

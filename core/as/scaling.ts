/**
 * Auto Scaling's rules that need no storage: what a policy does to a group's desired count, which instances a
 * scale-in removes under each terminate policy, which zone the next server goes to, and when a scheduled or
 * recurring policy next runs. Each is a pure function, tested alone (test/node/as-scaling.test.ts).
 */
import type { PolicyAction, Schedule, TerminatePolicy } from '../../schema/as.ts';

/** The desired count a policy action asks for, kept within the group's bounds. */
export function desiredAfter(action: PolicyAction, current: number, bounds: { min: number; max: number }): number {
  // A percentage counts from the instances the group has, rounded up so that a small group still moves by one.
  const step =
    action.instance_percentage !== undefined ? Math.ceil((current * action.instance_percentage) / 100) : (action.instance_number ?? 1);
  const asked = { ADD: current + step, REMOVE: current - step, SET: step }[action.operation];
  return Math.min(bounds.max, Math.max(bounds.min, asked));
}

/** What a scale-in may choose between: an instance, its configuration and when it joined. */
export interface Removable {
  serverId: string;
  configurationId: string | null;
  createdAt: number;
  protect: boolean;
  /** A server still being launched is taken first, whatever the policy (it serves nothing yet). */
  pending: boolean;
}

/**
 * The `n` instances a scale-in removes, by the group's terminate policy: never a protected one; the ones still
 * pending first; then, for the OLD_CONFIG_* policies, the ones of another configuration than the group's before
 * the ones of its current one, and within each the oldest (or newest) first.
 */
export function victims(candidates: readonly Removable[], n: number, policy: TerminatePolicy, currentConfig: string | null): string[] {
  const newestFirst = policy === 'NEW_INSTANCE' || policy === 'OLD_CONFIG_NEW_INSTANCE';
  const byConfig = policy.startsWith('OLD_CONFIG');
  const rank = (r: Removable) => [r.pending ? 0 : 1, byConfig && r.configurationId !== currentConfig ? 0 : 1] as const;
  return candidates
    .filter((r) => !r.protect)
    .toSorted((a, b) => {
      const [pa, ca] = rank(a);
      const [pb, cb] = rank(b);
      return (
        pa - pb || ca - cb || (newestFirst ? b.createdAt - a.createdAt : a.createdAt - b.createdAt) || (a.serverId < b.serverId ? -1 : 1)
      );
    })
    .slice(0, Math.max(0, n))
    .map((r) => r.serverId);
}

/**
 * The zone of the next server: with EQUILIBRIUM_DISTRIBUTE the group's zone that holds the fewest of its servers
 * (the first listed on a tie), with PICK_FIRST the first zone.
 */
export function nextZone(zones: readonly string[], held: readonly string[], policy: 'EQUILIBRIUM_DISTRIBUTE' | 'PICK_FIRST'): string {
  if (policy === 'PICK_FIRST' || zones.length === 1) return zones[0]!;
  const count = (z: string) => held.filter((h) => h === z).length;
  return zones.reduce((best, z) => (count(z) < count(best) ? z : best));
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Epoch ms of an AS time (`2026-12-02T10:00Z`, seconds optional). */
export function parseAsTime(text: string): number {
  return Date.parse(text.endsWith('Z') && text.length === 17 ? `${text.slice(0, 16)}:00Z` : text);
}

/** Whether a day (UTC) is one the recurrence names: weekly 1 = Sunday .. 7 = Saturday, monthly 1..31. */
function dayMatches(s: Schedule, day: Date): boolean {
  const values = (s.recurrence_value ?? '').split(',').map(Number);
  if (s.recurrence_type === 'Weekly') return values.includes(day.getUTCDay() + 1);
  if (s.recurrence_type === 'Monthly') return values.includes(day.getUTCDate());
  return true;
}

/**
 * When a schedule next runs strictly after `after` (epoch ms), or null when it never will again: a SCHEDULED
 * policy once at its launch time, a RECURRENCE one at `hh:mm` UTC on the days it names, between its start and end.
 */
export function nextRun(type: 'SCHEDULED' | 'RECURRENCE', s: Schedule, after: number): number | null {
  if (type === 'SCHEDULED') {
    const at = parseAsTime(s.launch_time);
    return at > after ? at : null;
  }
  const [hh, mm] = s.launch_time.split(':').map(Number) as [number, number];
  const start = s.start_time ? parseAsTime(s.start_time) : after;
  const end = s.end_time ? parseAsTime(s.end_time) : Number.POSITIVE_INFINITY;
  const from = Math.max(after, start - 1);
  const firstDay = from - (from % DAY);
  // A month holds every day a monthly rule can name that exists; 366 days bound the search for the rest.
  for (let d = firstDay; d <= firstDay + 366 * DAY; d += DAY) {
    const at = d + hh * 60 * MINUTE + mm * MINUTE;
    if (at <= from) continue;
    if (at > end) return null;
    if (dayMatches(s, new Date(d))) return at;
  }
  return null;
}

/**
 * The host agent's metrics (inside the HostDO): every collection period its running guests are sampled from their
 * workloads (core/ces/guest-metrics.ts), and each project gets its guests' samples in one report: its TenantDO names
 * the disks and elastic IPs and records the traffic for billing, its CesDO stores every point. A guest's samples are
 * marked reported only once both have taken them, so a failed delivery is sent again at the next tick, and since
 * both sides write each sample once, sending again never counts twice.
 */
import { and, eq, lte } from 'drizzle-orm';
import type { DrizzleSqliteDODatabase } from 'drizzle-orm/durable-sqlite';
import { sampleGuest, serverPoints } from '../core/ces/guest-metrics.ts';
import type { Env } from '../core/env.ts';
import { instances } from '../schema/host.ts';
import type { ReportedGuest } from './ces/guest-report.ts';

/** A guest that is down reports nothing, and after a long silence only its latest samples are sent. */
const MAX_SAMPLES_PER_TICK = 10;

type Instance = typeof instances.$inferSelect;

/** The end of the collection period that `at` falls in (samples are taken at multiples of the period). */
export const alignDown = (at: number, periodMs: number) => at - (at % periodMs);

/** The sample times of an instance not yet reported, up to `now`. */
function dueTimes(i: Instance, now: number, periodMs: number): number[] {
  const last = alignDown(now, periodMs);
  const first = Math.max(i.collectedUntil + periodMs, last - (MAX_SAMPLES_PER_TICK - 1) * periodMs);
  const times: number[] = [];
  for (let at = first; at <= last; at += periodMs) times.push(at);
  return times;
}

/** Samples every running guest due by `now` and reports them, project by project; the number of samples sent. */
export async function collectMetrics(env: Env, db: DrizzleSqliteDODatabase, now: number, periodMs: number): Promise<number> {
  // The agent ticks far more often than it samples: between two sample times, no row is read at all.
  const running = db
    .select()
    .from(instances)
    .where(and(eq(instances.powerState, 1), lte(instances.collectedUntil, alignDown(now, periodMs) - periodMs)))
    .all();
  type Report = { guests: ReportedGuest[]; reported: Map<string, number> };
  const byProject = new Map<string, Report>();
  for (const i of running) {
    const times = dueTimes(i, now, periodMs);
    if (times.length === 0) continue;
    const entry: Report = byProject.get(i.projectId) ?? { guests: [], reported: new Map() };
    for (const at of times) entry.guests.push({ serverId: i.serverId, sample: sampleGuest(i.workload ?? null, at, periodMs) });
    entry.reported.set(i.serverId, times[times.length - 1]!);
    byProject.set(i.projectId, entry);
  }
  let sent = 0;
  for (const [projectId, { guests, reported }] of byProject) {
    try {
      const named = await env.TENANT.getByName(projectId).guestReport(guests);
      if ('error' in named) continue;
      const own = guests.flatMap((g) => serverPoints(g.serverId, g.sample));
      const stored = await env.CES.getByName(projectId).ingest([...own, ...named.ok]);
      if ('error' in stored) continue;
    } catch (err) {
      // The project's objects are unreachable for now: its samples stay due and go with the next tick.
      console.error(JSON.stringify({ host_metrics: projectId, error: String(err) }));
      continue;
    }
    for (const [serverId, until] of reported) {
      db.update(instances).set({ collectedUntil: until }).where(eq(instances.serverId, serverId)).run();
    }
    sent += guests.length;
  }
  return sent;
}

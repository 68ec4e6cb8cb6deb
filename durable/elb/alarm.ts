/**
 * The load balancing half of the TenantDO's alarm: it applies pending changes once PROVISION_MS has passed
 * (settle.ts), then runs the health monitors that are due. A probe asks the member's guest (through its host,
 * HostDO.guestHttp) as the monitor's type says; `max_retries_down` failures in a row mark a member ERROR and
 * `max_retries` successes bring it back ONLINE. Answers when the alarm should come again, or null.
 */
import { and, eq, inArray, ne } from 'drizzle-orm';
import { OPERATING, PROVISION_MS, PROVISIONING } from '../../core/elb/states.ts';
import { type HealthMonitor, healthMonitors, type Member, members } from '../../schema/tenant.ts';
import type { GuestReply } from '../host-guest.ts';
import type { Ctx, Saga } from '../vpc/context.ts';
import { guestAt } from './balance.ts';
import { type Published, publishBalancerMetrics } from './metrics.ts';
import { pendingSince, refreshOperating, settle } from './settle.ts';

/** Whether an answer passes the monitor: any answer for PING and TCP; for HTTP, a status in `expected_codes`. */
export function passes(h: Pick<HealthMonitor, 'type' | 'expectedCodes'>, reply: GuestReply | null): boolean {
  if (!reply) return false;
  if (h.type !== 'HTTP' && h.type !== 'HTTPS') return true;
  return (h.expectedCodes ?? '200').split(',').some((part) => {
    const [lo, hi] = part.split('-').map(Number);
    return hi === undefined ? reply.status === lo : reply.status >= lo! && reply.status <= hi;
  });
}

/**
 * One member's probe: whether its guest's answer passes. No guest, no answer, or a host that cannot be reached is a
 * failed probe, as a real monitor sees a timeout: it counts against the member, and never stops the alarm (which
 * settles the project's pending load balancers too).
 */
async function probe(s: Saga, h: HealthMonitor, m: Member): Promise<boolean> {
  const guest = guestAt(s, m.monitorAddress ?? m.address);
  if (!guest?.hostId) return false;
  try {
    const reply = await s.env.HOST.getByName(guest.hostId).guestHttp(guest.serverId, {
      method: h.httpMethod ?? 'GET',
      target: h.urlPath ?? '/',
      port: m.monitorPort ?? m.protocolPort,
    });
    return passes(h, reply);
  } catch {
    return false;
  }
}

/** Counts a round's results against each member's retries, and marks the next round due. */
function recordRound(ctx: Ctx, h: HealthMonitor, results: Map<string, boolean>, nextAt: number): void {
  for (const [id, ok] of results) {
    const m = ctx.db.select().from(members).where(eq(members.id, id)).get();
    if (!m) continue;
    const successes = ok ? m.successes + 1 : 0;
    const failures = ok ? 0 : m.failures + 1;
    let status = m.operatingStatus;
    if (!ok && status !== OPERATING.ERROR && failures >= h.maxRetriesDown) status = OPERATING.ERROR;
    if (ok && status === OPERATING.ERROR && successes >= h.maxRetries) status = OPERATING.ONLINE;
    ctx.db.update(members).set({ successes, failures, operatingStatus: status }).where(eq(members.id, id)).run();
  }
  ctx.db.update(healthMonitors).set({ nextProbeAt: nextAt }).where(eq(healthMonitors.id, h.id)).run();
  refreshOperating(ctx);
}

/** Runs the monitors whose round is due; answers when the next round is. */
async function runMonitors(s: Saga, now: number): Promise<number | null> {
  const live = s.db
    .select()
    .from(healthMonitors)
    .where(and(eq(healthMonitors.adminStateUp, true), ne(healthMonitors.provisioningStatus, PROVISIONING.PENDING_DELETE)))
    .all();
  const due = live.filter((h) => h.nextProbeAt <= now && h.provisioningStatus !== PROVISIONING.PENDING_CREATE);
  await Promise.all(
    due.map(async (h) => {
      const ms = s.db
        .select()
        .from(members)
        .where(
          and(
            eq(members.poolId, h.poolId),
            eq(members.adminStateUp, true),
            inArray(members.provisioningStatus, [PROVISIONING.ACTIVE, PROVISIONING.PENDING_UPDATE]),
          ),
        )
        .all();
      const results = new Map(await Promise.all(ms.map(async (m) => [m.id, await probe(s, h, m)] as const)));
      s.run((ctx) => recordRound(ctx, h, results, now + h.delay * 1000));
    }),
  );
  const next = s.db.select({ at: healthMonitors.nextProbeAt }).from(healthMonitors).all();
  return next.length ? Math.max(now + 100, Math.min(...next.map((n) => n.at))) : null;
}

/**
 * Settles what is due, runs the monitors and publishes the period's metrics; answers the time the alarm should come
 * again (or null) and what was published, which the TenantDO keeps for the next period's rates.
 */
export async function balancingAlarm(s: Saga, last?: Published): Promise<{ next: number | null; published: Published | undefined }> {
  const now = Date.now();
  s.run((ctx) => settle(ctx, new Date(now - PROVISION_MS).toISOString()));
  const probesAt = await runMonitors(s, now);
  const pending = s.run((ctx) => pendingSince(ctx));
  const settleAt = 'ok' in pending && pending.ok !== null ? pending.ok + PROVISION_MS : null;
  const metrics = await publishBalancerMetrics(s, now, last);
  const times = [probesAt, settleAt, metrics.next].filter((t): t is number => t !== null);
  return { next: times.length ? Math.min(...times) : null, published: metrics.published };
}

/**
 * VM auto-recovery (Flexible Engine clause 1.2.3.4), the recovery queue's consumer. A server of a failed host
 * with auto-recovery is rebuilt on another live host of its zone, keeping its id, name, ports, addresses,
 * security groups and metadata, and comes back in the power state it had; one without it goes to ERROR with a
 * host-down fault. Every step is idempotent: a redelivered message finds the move already made.
 */

import type { RecoveryMessage } from '../../core/ecs/messages.ts';
import type { Env } from '../../core/env.ts';
import { claimRequest, spawnOn } from './spawn.ts';

/** Recovers one server of a failed host. */
export async function recover(env: Env, m: RecoveryMessage): Promise<void> {
  const tenant = env.TENANT.getByName(m.projectId);
  const zone = env.ZONE.getByName(m.zone);
  const failed = env.HOST.getByName(m.failedHost);
  const s = await tenant.server(m.serverId);
  if (!s || s.hostId !== m.failedHost) return;
  if (!s.autoRecovery) {
    await tenant.hostDown(s.id, m.failedHost, `Host ${m.failedHost} failed and auto-recovery is off for this server.`);
    await zone.release(s.id);
    await failed.destroy(s.id);
    return;
  }
  const wasOn = s.powerState === 1;
  const started = await tenant.recovering(s.id, m.failedHost);
  if ('error' in started || !started.ok) return;
  // Same rules as its build (tenancy, server group), on any other host: a server pinned to a dedicated host (the
  // one that failed) is dedicated, so it comes back on another of its project's dedicated hosts or nowhere.
  const moved = await zone.move(m.zone, { ...(await claimRequest(env, m.projectId, s)), avoid: [m.failedHost] });
  if ('error' in moved) {
    await tenant.hostDown(
      s.id,
      m.failedHost,
      `Host ${m.failedHost} failed and no other host in ${m.zone} can take the server: ${moved.error.message}`,
    );
    await zone.release(s.id);
    await failed.destroy(s.id);
    return;
  }
  const host = env.HOST.getByName(moved.ok.hostId);
  // The disk comes back on the new host, and with it what the guest was running.
  await spawnOn(env, m.projectId, s, moved.ok.hostId, { recovery: true, workload: await failed.workloadOf(s.id) });
  if (!wasOn) await host.power(s.id, 4);
  await tenant.recovered(s.id, m.failedHost, moved.ok.hostId, wasOn ? 1 : 4);
  await failed.destroy(s.id);
}

/** A recovery that failed for good: the server goes to ERROR with the reason. */
export async function recoverDead(env: Env, m: RecoveryMessage): Promise<void> {
  await env.TENANT.getByName(m.projectId).hostDown(
    m.serverId,
    m.failedHost,
    `Recovery from the failure of host ${m.failedHost} failed repeatedly and was given up.`,
  );
}

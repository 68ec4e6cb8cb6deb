/** The network's part of the TenantDO's alarm: transitional states settle, interrupted EIP steps finish. */
import { eq } from 'drizzle-orm';
import * as t from '../../schema/tenant.ts';
import type { Saga } from './context.ts';
import { finishInterrupted } from './eip-allocation.ts';

/** How long a transitional state waits before the alarm moves it on (CREATING -> OK, UNKNOWN -> ACTIVE). */
export const SETTLE_MS = 50;

/** Moves settled network states on and finishes Elastic IP steps a crash interrupted; true when some remain. */
export async function networkAlarm(s: Saga): Promise<boolean> {
  const now = new Date().toISOString();
  s.db.update(t.vpcs).set({ status: 'OK', updatedAt: now }).where(eq(t.vpcs.status, 'CREATING')).run();
  s.db.update(t.subnets).set({ status: 'ACTIVE', updatedAt: now }).where(eq(t.subnets.status, 'UNKNOWN')).run();
  // The simulated VPN peer answers at once: services and connections come up.
  s.db.update(t.vpnObjects).set({ status: 'ACTIVE', updatedAt: now }).where(eq(t.vpnObjects.status, 'PENDING_CREATE')).run();
  return finishInterrupted(s);
}

/**
 * A server whose host failed: rebuilt on another host with the same ports and addresses (recovering, recovered),
 * or left in ERROR when no host can take it (hostDown). Driven by the recovery queue; each step is idempotent.
 */
import { eq } from 'drizzle-orm';
import { STATUS, TASK, VM_STATE } from '../../core/ecs/states.ts';
import { servers } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { recordEvent, type Server, server, set } from './servers.ts';

/** Recovery begins: the server is being rebuilt on another host (still on the failed one until it is done). */
export function recovering(ctx: Ctx, id: string, failedHost: string): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s || s.hostId !== failedHost || s.taskState === TASK.DELETING) return null;
  if (s.taskState !== TASK.REBUILDING)
    set(ctx, id, {
      status: STATUS.REBUILD,
      taskState: TASK.REBUILDING,
      vmState: s.vmState === VM_STATE.STOPPED ? VM_STATE.STOPPED : VM_STATE.ACTIVE,
    });
  return server(ctx, id);
}

/** Recovery done: the same server, ports and addresses, now on its new host. */
export function recovered(ctx: Ctx, id: string, failedHost: string, hostId: string, powerState: number): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s || s.hostId !== failedHost) return null;
  const on = powerState === 1;
  set(ctx, id, {
    hostId,
    status: on ? STATUS.ACTIVE : STATUS.SHUTOFF,
    vmState: on ? VM_STATE.ACTIVE : VM_STATE.STOPPED,
    taskState: null,
    powerState,
    fault: null,
  });
  recordEvent(ctx, id, 'evacuate', `req-${crypto.randomUUID()}`, null, `Recovered from the failure of host ${failedHost}`);
  return server(ctx, id);
}

/** The host failed and the server is not recovered: ERROR with a host-down fault; its ports and addresses stay. */
export function hostDown(ctx: Ctx, id: string, failedHost: string, message: string): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s || s.hostId !== failedHost) return null;
  set(ctx, id, {
    status: STATUS.ERROR,
    vmState: VM_STATE.ERROR,
    taskState: null,
    powerState: 0,
    hostId: null,
    fault: { code: 500, message, created: ctx.now },
  });
  recordEvent(ctx, id, 'evacuate', `req-${crypto.randomUUID()}`, null, message);
  return server(ctx, id);
}

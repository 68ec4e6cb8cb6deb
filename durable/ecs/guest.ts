/**
 * Nova's pause / unpause, suspend / resume and add / remove security group: changes the TenantDO owns alone (the
 * simulated host keeps the instance placed either way), so each is one transaction, done when it answers.
 *
 * Billing: a paused guest still holds its memory and vCPUs on the host, so its `ecs.server` run goes on; a
 * suspended one has been saved to disk and stopped, so, like a stopped server, it is not charged for compute
 * (usage.ts reads that from the power state and status written here).
 */
import { eq } from 'drizzle-orm';
import { STATUS, VM_STATE } from '../../core/ecs/states.ts';
import { conflict, DomainError } from '../../core/result.ts';
import { ports, securityGroups } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { updatePort } from '../vpc/ports.ts';
import { type Actor, recordEvent, requireUnlocked, type Server, server, set } from './servers.ts';

/** Nova's power states: paused 3, running 1, suspended 7. */
const POWER = { running: 1, paused: 3, suspended: 7 } as const;

const GUEST_ACTIONS = {
  pause: { from: STATUS.ACTIVE, to: { status: STATUS.PAUSED, vmState: VM_STATE.PAUSED, powerState: POWER.paused } },
  unpause: { from: STATUS.PAUSED, to: { status: STATUS.ACTIVE, vmState: VM_STATE.ACTIVE, powerState: POWER.running } },
  suspend: { from: STATUS.ACTIVE, to: { status: STATUS.SUSPENDED, vmState: VM_STATE.SUSPENDED, powerState: POWER.suspended } },
  resume: { from: STATUS.SUSPENDED, to: { status: STATUS.ACTIVE, vmState: VM_STATE.ACTIVE, powerState: POWER.running } },
} as const;
export type GuestAction = keyof typeof GUEST_ACTIONS;

/** Pauses, unpauses, suspends or resumes a server: 409 when locked, busy or in another state, as Nova's checks. */
export function guestAction(ctx: Ctx, id: string, action: GuestAction, actor: Actor): Server {
  const s = server(ctx, id);
  requireUnlocked(s, actor.admin);
  const rule = GUEST_ACTIONS[action];
  if (s.taskState || s.status !== rule.from || !s.hostId) {
    throw conflict(
      'InstanceInvalidState',
      `Cannot '${action}' instance ${id} while it is in vm_state ${s.vmState}${s.taskState ? ` and task_state ${s.taskState}` : ''}.`,
    );
  }
  set(ctx, id, rule.to);
  recordEvent(ctx, id, action, actor.requestId, actor.userId);
  return server(ctx, id);
}

/** A security group of the project by name or id, or Nova's 404. */
function groupNamed(ctx: Ctx, ref: string): string {
  const all = ctx.db.select({ id: securityGroups.id, name: securityGroups.name }).from(securityGroups).all();
  const byId = all.find((g) => g.id === ref);
  if (byId) return byId.id;
  const byName = all.filter((g) => g.name === ref);
  if (byName.length > 1) throw conflict('NoUniqueMatch', `Multiple security groups are named ${ref}; use its id.`);
  if (!byName[0]) throw new DomainError(404, 'SecurityGroupNotFound', `Security group ${ref} not found for project.`);
  return byName[0].id;
}

/**
 * Adds a security group to a server or removes it, on the server and on every port it has (as Nova's Neutron
 * driver does); adding one it has already is a no-op, removing one it does not have is Nova's 400.
 */
export function changeGroup(ctx: Ctx, id: string, ref: string, add: boolean): Server {
  const s = server(ctx, id);
  const group = groupNamed(ctx, ref);
  const own = ctx.db.select().from(ports).where(eq(ports.deviceId, id)).all();
  if (!add && !s.securityGroups.includes(group) && !own.some((p) => p.securityGroups.includes(group)))
    throw new DomainError(400, 'SecurityGroupNotExistsForInstance', `Security group ${group} not associated with the instance ${id}`);
  const change = (groups: string[]) => (add ? [...new Set([...groups, group])] : groups.filter((g) => g !== group));
  for (const p of own) updatePort(ctx, p.id, { securityGroups: change(p.securityGroups) });
  set(ctx, id, { securityGroups: change(s.securityGroups) });
  return server(ctx, id);
}

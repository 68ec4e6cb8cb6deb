/**
 * Resizing a server to another flavor (resize, then confirm or revert) and rebuilding it from an image on its
 * host: the states the compute manager moves it through, with the quota and lock checks of each request.
 */
import { eq } from 'drizzle-orm';
import { oneOf, STATUS, TASK, VM_STATE } from '../../core/ecs/states.ts';
import { conflict, DomainError } from '../../core/result.ts';
import { type ServerResize, servers } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { requireComputeQuota } from './quotas.ts';
import { requireUnlocked, type Server, type ServerPatch, server, set } from './servers.ts';

export interface FlavorSize {
  flavorId: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
}

/** Starts a resize (RESIZE, resize_prep): only unlocked, from ACTIVE or SHUTOFF, to another flavor, within the quotas. */
export function beginResize(ctx: Ctx, id: string, to: FlavorSize, admin = false): Server {
  const s = server(ctx, id);
  requireUnlocked(s, admin);
  if (s.taskState || !oneOf(s.status, [STATUS.ACTIVE, STATUS.SHUTOFF])) {
    throw conflict(
      'InstanceInvalidState',
      `Cannot 'resize' instance ${id} while it is in vm_state ${s.vmState}${s.taskState ? ` and task_state ${s.taskState}` : ''}.`,
    );
  }
  if (to.flavorId === s.flavorId) throw new DomainError(400, 'CannotResizeToSameFlavor', 'When resizing, instances must change flavor!');
  if (to.diskGb < s.diskGb) throw new DomainError(400, 'CannotResizeDisk', 'Resize error: unable to resize a disk down.');
  requireComputeQuota(ctx, { cores: Math.max(0, to.vcpus - s.vcpus), ram: Math.max(0, to.ramMb - s.ramMb) });
  const resize = {
    from: { flavorId: s.flavorId, vcpus: s.vcpus, ramMb: s.ramMb, diskGb: s.diskGb, hostId: s.hostId },
    to: { ...to, hostId: null },
  };
  set(ctx, id, { status: STATUS.RESIZE, taskState: TASK.RESIZE_PREP, resize });
  return server(ctx, id);
}

/** The resize reached its new host: VERIFY_RESIZE with the new flavor, waiting for confirm or revert. */
export function resized(ctx: Ctx, id: string, hostId: string): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s?.resize || s.status !== STATUS.RESIZE) return null;
  const to = { ...s.resize.to, hostId };
  set(ctx, id, {
    status: STATUS.VERIFY_RESIZE,
    vmState: VM_STATE.RESIZED,
    taskState: null,
    flavorId: to.flavorId,
    vcpus: to.vcpus,
    ramMb: to.ramMb,
    diskGb: to.diskGb,
    hostId,
    resize: { ...s.resize, to },
  });
  return server(ctx, id);
}

/** Confirms or reverts a resize waiting for it; answers the resize so the manager can free the other side. */
export function finishResize(ctx: Ctx, id: string, confirm: boolean, admin = false): { server: Server; resize: ServerResize } {
  const s = server(ctx, id);
  requireUnlocked(s, admin);
  if (s.status !== STATUS.VERIFY_RESIZE || !s.resize) {
    throw conflict(
      'InstanceInvalidState',
      `Cannot '${confirm ? 'confirmResize' : 'revertResize'}' instance ${id} while it is in vm_state ${s.vmState}.`,
    );
  }
  const resize = s.resize;
  const on = s.powerState === 1;
  const back = confirm
    ? {}
    : {
        flavorId: resize.from.flavorId,
        vcpus: resize.from.vcpus,
        ramMb: resize.from.ramMb,
        diskGb: resize.from.diskGb,
        hostId: resize.from.hostId,
      };
  set(ctx, id, {
    ...back,
    status: on ? STATUS.ACTIVE : STATUS.SHUTOFF,
    vmState: on ? VM_STATE.ACTIVE : VM_STATE.STOPPED,
    taskState: null,
    resize: null,
  });
  return { server: server(ctx, id), resize };
}

/** A resize failed before it reached a new host: back to where it was, with a fault. */
export function resizeFailed(ctx: Ctx, id: string, message: string): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s?.resize || s.status !== STATUS.RESIZE) return null;
  const on = s.powerState === 1;
  set(ctx, id, {
    status: on ? STATUS.ACTIVE : STATUS.SHUTOFF,
    vmState: on ? VM_STATE.ACTIVE : VM_STATE.STOPPED,
    taskState: null,
    resize: null,
    fault: { code: 500, message, created: ctx.now },
  });
  return server(ctx, id);
}

/** Starts a rebuild from a (new) image on the same host: REBUILD, rebuild_spawning; name, description and metadata may change. */
export function beginRebuild(
  ctx: Ctx,
  id: string,
  input: Pick<ServerPatch, 'name' | 'description' | 'metadata' | 'accessIpv4' | 'accessIpv6' | 'diskConfig'> & {
    imageId: string;
    adminPass?: string;
  },
  admin = false,
): Server {
  const s = server(ctx, id);
  requireUnlocked(s, admin);
  if (s.taskState || !oneOf(s.status, [STATUS.ACTIVE, STATUS.SHUTOFF, STATUS.ERROR]) || !s.hostId) {
    throw conflict(
      'InstanceInvalidState',
      `Cannot 'rebuild' instance ${id} while it is in vm_state ${s.vmState}${s.taskState ? ` and task_state ${s.taskState}` : ''}.`,
    );
  }
  set(ctx, id, {
    status: STATUS.REBUILD,
    taskState: TASK.REBUILD_SPAWNING,
    imageId: input.imageId,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
    ...(input.adminPass !== undefined ? { adminPass: input.adminPass } : {}),
    ...(input.accessIpv4 !== undefined ? { accessIpv4: input.accessIpv4 } : {}),
    ...(input.accessIpv6 !== undefined ? { accessIpv6: input.accessIpv6 } : {}),
    ...(input.diskConfig !== undefined ? { diskConfig: input.diskConfig } : {}),
  });
  return server(ctx, id);
}

/**
 * The host booted the new image: the server is ACTIVE again, or SHUTOFF if it was stopped (Nova's compute manager
 * stops a rebuilt server whose vm_state was stopped; the vm_state is kept through the rebuild).
 */
export function rebuilt(ctx: Ctx, id: string): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (s?.status !== STATUS.REBUILD || s.taskState !== TASK.REBUILD_SPAWNING) return null;
  const stopped = s.vmState === VM_STATE.STOPPED;
  set(ctx, id, {
    status: stopped ? STATUS.SHUTOFF : STATUS.ACTIVE,
    vmState: stopped ? VM_STATE.STOPPED : VM_STATE.ACTIVE,
    taskState: null,
    powerState: stopped ? 4 : 1,
    fault: null,
  });
  return server(ctx, id);
}

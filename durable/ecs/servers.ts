/**
 * Servers, the tenant's side: the record and its states, the ports a build makes, and the transitions of the
 * create, action and delete pipelines (resize and rebuild: server-resize.ts; recovery from a failed host:
 * server-recovery.ts). The steps that talk to the zone and the host are driven by the compute manager
 * (workers/ecs/manager.ts) through the queue; each step here is idempotent, keyed by the server id.
 */
import { and, eq } from 'drizzle-orm';
import { oneOf, STATUS, TASK, VM_STATE } from '../../core/ecs/states.ts';
import { VOLUME } from '../../core/evs/states.ts';
import { conflict, DomainError, notFound } from '../../core/result.ts';
import {
  keypairs,
  networks,
  ports,
  type SchedulerHints,
  type ServerFault,
  type ServerNic,
  securityGroups,
  serverEvents,
  serverGroups,
  servers,
  volumeAttachments,
  volumes,
} from '../../schema/tenant.ts';
import type { BuildVolume } from '../evs/attachments.ts';
import type { Ctx } from '../vpc/context.ts';
import { createPort, deletePortRow, updatePort } from '../vpc/ports.ts';
import { defaultSecurityGroupId } from '../vpc/security-groups.ts';
import { hostnameOf } from './names.ts';
import { requireComputeQuota } from './quotas.ts';
import { meterServer } from './usage.ts';

export type Server = typeof servers.$inferSelect;

/** Who asks for a change: the request and user (for os-instance-actions), and whether a cloud administrator. */
export interface Actor {
  requestId: string;
  userId: string | null;
  /** The operator: Nova's admin, whom a lock does not stop. */
  admin: boolean;
}

/** A locked server refuses changes to anyone but a cloud administrator (Nova's check_instance_lock: 409). */
export function requireUnlocked(s: Server, admin: boolean): void {
  if (s.lockedBy && !admin) throw conflict('InstanceIsLocked', `Instance ${s.id} is locked`);
}

/** A server by id, or 404. */
export function server(ctx: Ctx, id: string): Server {
  const row = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!row) throw new DomainError(404, 'ServerNotFound', `Instance ${id} could not be found.`);
  return row;
}

export interface CreateServerInput {
  id: string;
  name: string;
  userId: string;
  flavor: { id: string; vcpus: number; ramMb: number; diskGb: number };
  imageId: string;
  zone: string;
  /** Networks (by id), or ports made beforehand; empty: the project's only network. */
  /** `ownedByServer`: a port made for this server (native API), deleted with it like one the build makes. */
  nics: { networkId?: string; portId?: string; fixedIp?: string; subnetId?: string; ownedByServer?: boolean }[];
  /** `networks: none`: no interface at all. */
  noNetwork?: boolean;
  /** Security groups by name or id; empty: the project's default group. */
  securityGroups: string[];
  keyName?: string | null;
  userData?: string | null;
  adminPass?: string | null;
  metadata?: Record<string, string>;
  autoRecovery?: boolean;
  serverGroupId?: string | null;
  hints?: SchedulerHints;
  /** Nova 2.19's description (null: none). */
  description?: string | null;
  /** Tags, already checked (native `server_tags` as `key=value`). */
  tags?: string[];
  /** The volumes it is created with (boot from volume, data disks), recorded and reserved with it. */
  volumes?: BuildVolume[];
  /** The create request (`r-xxxxxxxx`) and this server's index in it. */
  reservationId?: string;
  launchIndex?: number;
  /** Nova's accessIPv4 / accessIPv6 (already validated) and OS-DCF:diskConfig. */
  accessIpv4?: string;
  accessIpv6?: string;
  diskConfig?: 'AUTO' | 'MANUAL';
}

function resolveGroups(ctx: Ctx, refs: string[]): string[] {
  if (refs.length === 0) return [defaultSecurityGroupId(ctx)];
  defaultSecurityGroupId(ctx);
  const all = ctx.db.select().from(securityGroups).all();
  return refs.map((ref) => {
    const byId = all.find((g) => g.id === ref);
    const byName = all.filter((g) => g.name === ref);
    if (byId) return byId.id;
    if (byName.length > 1) throw conflict('NoUniqueMatch', `Multiple security groups are named ${ref}; use its id.`);
    if (!byName[0]) throw new DomainError(400, 'SecurityGroupNotFound', `Security group ${ref} not found.`);
    return byName[0].id;
  });
}

function resolveNics(ctx: Ctx, nics: CreateServerInput['nics']): ServerNic[] {
  if (nics.length === 0) {
    const all = ctx.db.select({ id: networks.id }).from(networks).all();
    if (all.length !== 1) throw conflict('NetworkAmbiguous', 'Multiple possible networks found, use a Network ID to be more specific.');
    return [{ networkId: all[0]!.id }];
  }
  return nics.map((n) => {
    if (n.portId) {
      const p = ctx.db.select().from(ports).where(eq(ports.id, n.portId)).get();
      if (!p) throw new DomainError(400, 'PortNotFound', `Port ${n.portId} could not be found.`);
      if (p.deviceId) throw conflict('PortInUse', `Port ${n.portId} is still in use.`);
      return n.ownedByServer
        ? { networkId: p.networkId, portId: p.id, owned: true }
        : { networkId: p.networkId, portId: p.id, userPort: true };
    }
    if (!n.networkId || !ctx.db.select({ id: networks.id }).from(networks).where(eq(networks.id, n.networkId)).get()) {
      throw new DomainError(400, 'NetworkNotFound', `Network ${n.networkId} could not be found.`);
    }
    return { networkId: n.networkId, fixedIp: n.fixedIp, subnetId: n.subnetId };
  });
}

/**
 * Records servers in BUILD (scheduling), all or none: the quotas are checked for all of them at once, then each
 * one's references (the caller runs this in one transaction, so a refusal of the last one undoes the first).
 */
export function createServers(ctx: Ctx, inputs: CreateServerInput[]): Server[] {
  requireComputeQuota(ctx, {
    instances: inputs.length,
    cores: inputs.reduce((n, i) => n + i.flavor.vcpus, 0),
    ram: inputs.reduce((n, i) => n + i.flavor.ramMb, 0),
  });
  return inputs.map((input) => insertServer(ctx, input));
}

/** Records one server in BUILD after checking its references (the quotas are the caller's). */
function insertServer(ctx: Ctx, input: CreateServerInput): Server {
  if (input.keyName && !ctx.db.select().from(keypairs).where(eq(keypairs.name, input.keyName)).get()) {
    throw new DomainError(400, 'KeypairNotFound', `Invalid key_name provided: ${input.keyName}.`);
  }
  if (input.serverGroupId && !ctx.db.select().from(serverGroups).where(eq(serverGroups.id, input.serverGroupId)).get()) {
    throw new DomainError(400, 'ServerGroupNotFound', `Server group ${input.serverGroupId} could not be found.`);
  }
  const row = {
    id: input.id,
    name: input.name,
    status: STATUS.BUILD,
    vmState: VM_STATE.BUILDING,
    taskState: TASK.SCHEDULING,
    powerState: 0,
    userId: input.userId,
    flavorId: input.flavor.id,
    vcpus: input.flavor.vcpus,
    ramMb: input.flavor.ramMb,
    diskGb: input.flavor.diskGb,
    imageId: input.imageId,
    zone: input.zone,
    hostId: null,
    keyName: input.keyName ?? null,
    userData: input.userData ?? null,
    adminPass: input.adminPass ?? null,
    metadata: input.metadata ?? {},
    nics: input.noNetwork ? [] : resolveNics(ctx, input.nics),
    securityGroups: resolveGroups(ctx, input.securityGroups),
    autoRecovery: input.autoRecovery ?? true,
    serverGroupId: input.serverGroupId ?? null,
    fault: null,
    resize: null,
    hints: input.hints ?? {},
    buildAttempts: 0,
    launchedAt: null,
    description: input.description ?? null,
    lockedBy: null,
    tags: [...new Set(input.tags ?? [])].sort(),
    reservationId: input.reservationId ?? '',
    launchIndex: input.launchIndex ?? 0,
    hostname: hostnameOf(input.name, input.id),
    accessIpv4: input.accessIpv4 ?? '',
    accessIpv6: input.accessIpv6 ?? '',
    diskConfig: input.diskConfig ?? 'MANUAL',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(servers).values(row).run();
  return row;
}

/**
 * Writes changes to a server row, stamping its update time, and brings its compute meter in line with it in the
 * same transaction (every transition passes here, so none can forget its usage event).
 */
export function set(ctx: Ctx, id: string, changes: Partial<typeof servers.$inferInsert>): void {
  ctx.db
    .update(servers)
    .set({ ...changes, updatedAt: ctx.now })
    .where(eq(servers.id, id))
    .run();
  meterServer(ctx, id);
}

/** Whether a build step should go on: the server exists, is still building, and nobody asked to delete it. */
export function buildable(ctx: Ctx, id: string): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  return s && s.status === STATUS.BUILD && s.taskState !== TASK.DELETING ? s : null;
}

/**
 * A server whose build already finished (another delivery of the same build got there first): a late step
 * answers it unchanged, so the manager neither redoes nor undoes anything (its claim and instance are in use).
 */
function built(ctx: Ctx, id: string): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  return s && s.launchedAt !== null && s.status !== STATUS.BUILD && s.status !== STATUS.ERROR && s.taskState !== TASK.DELETING ? s : null;
}

/** Step: a host was found; networking starts (a redelivered step does not move the task back). */
export function scheduled(ctx: Ctx, id: string, hostId: string): Server | null {
  const done = built(ctx, id);
  if (done) return done;
  const s = buildable(ctx, id);
  if (!s) return null;
  set(ctx, id, { hostId, taskState: s.taskState === TASK.SCHEDULING ? TASK.NETWORKING : s.taskState, buildAttempts: s.buildAttempts + 1 });
  return server(ctx, id);
}

/** Step: the server's ports, made once (a redelivered build finds them) with its security groups. */
export function plugPorts(ctx: Ctx, id: string): Server | null {
  const done = built(ctx, id);
  if (done) return done;
  const s = buildable(ctx, id);
  if (!s) return null;
  const nics = s.nics.map((nic) => {
    const owner = { deviceId: s.id, deviceOwner: `compute:${s.zone}` };
    if (nic.portId) {
      const existing = ctx.db.select().from(ports).where(eq(ports.id, nic.portId)).get();
      if (existing && existing.deviceId !== s.id) updatePort(ctx, nic.portId, owner);
      return nic;
    }
    const fixedIps = nic.fixedIp || nic.subnetId ? [{ ip_address: nic.fixedIp, subnet_id: nic.subnetId }] : undefined;
    const port = createPort(ctx, {
      id: crypto.randomUUID(),
      networkId: nic.networkId,
      securityGroups: s.securityGroups,
      fixedIps,
      ...owner,
    });
    ctx.db.update(ports).set({ status: 'ACTIVE' }).where(eq(ports.id, port.id)).run();
    return { ...nic, portId: port.id };
  });
  set(ctx, id, { nics, taskState: TASK.SPAWNING });
  return server(ctx, id);
}

/** Step: the host runs it; the server is ACTIVE. */
export function activate(ctx: Ctx, id: string, powerState: number): Server | null {
  const done = built(ctx, id);
  if (done) return done;
  if (!buildable(ctx, id)) return null;
  set(ctx, id, { status: STATUS.ACTIVE, vmState: VM_STATE.ACTIVE, taskState: null, powerState, launchedAt: ctx.now, fault: null });
  return server(ctx, id);
}

/** Frees what the build made (its own ports; user ports are only unbound; owned ones too unless kept). */
function unplug(ctx: Ctx, s: Server, keepOwned = false): void {
  for (const nic of s.nics) {
    if (!nic.portId || (keepOwned && nic.owned)) continue;
    const p = ctx.db.select().from(ports).where(eq(ports.id, nic.portId)).get();
    if (p && nic.owned) {
      deletePortRow(ctx, p.id);
      continue;
    }
    if (!p || p.deviceId !== s.id) continue;
    if (nic.userPort) {
      ctx.db.update(ports).set({ deviceId: '', deviceOwner: '', status: 'DOWN', updatedAt: ctx.now }).where(eq(ports.id, p.id)).run();
    } else {
      deletePortRow(ctx, p.id);
    }
  }
}

/** A build failed for good: ERROR with a fault, its ports freed (the manager releases the claim). */
export function fail(ctx: Ctx, id: string, fault: Omit<ServerFault, 'created'>): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s) return null;
  unplug(ctx, s, true);
  const nics = s.nics.map((n) => (n.userPort || n.owned ? n : { ...n, portId: undefined }));
  set(ctx, id, {
    status: STATUS.ERROR,
    vmState: VM_STATE.ERROR,
    taskState: null,
    powerState: 0,
    fault: { ...fault, created: ctx.now },
    nics,
  });
  return server(ctx, id);
}

/** Marks a server as being deleted (a build in flight sees it and stops); a locked one refuses. */
export function beginDelete(ctx: Ctx, id: string, admin = false): Server {
  requireUnlocked(server(ctx, id), admin);
  set(ctx, id, { taskState: TASK.DELETING });
  return server(ctx, id);
}

/** Forgets a deleted server and frees its ports (its recorded actions stay, for os-instance-actions 2.21). */
export function remove(ctx: Ctx, id: string): void {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s) return;
  unplug(ctx, s);
  ctx.db.delete(servers).where(eq(servers.id, id)).run();
  meterServer(ctx, id);
}

const ACTIONS = {
  'os-stop': { from: [STATUS.ACTIVE, STATUS.ERROR], task: TASK.POWERING_OFF },
  'os-start': { from: [STATUS.SHUTOFF], task: TASK.POWERING_ON },
  reboot: { from: [STATUS.ACTIVE, STATUS.SHUTOFF, STATUS.ERROR], task: TASK.REBOOTING },
} as const;
export type PowerAction = keyof typeof ACTIONS;

/** Starts a power action: refused (409) when locked, in a state that does not allow it or while another task runs. */
export function beginAction(ctx: Ctx, id: string, action: PowerAction, hard = false, admin = false): Server {
  const s = server(ctx, id);
  requireUnlocked(s, admin);
  const rule = ACTIONS[action];
  if (s.taskState || !(rule.from as readonly string[]).includes(s.status)) {
    throw conflict(
      'InstanceInvalidState',
      `Cannot '${action}' instance ${id} while it is in vm_state ${s.vmState}${s.taskState ? ` and task_state ${s.taskState}` : ''}.`,
    );
  }
  if (action === 'os-start') requireDisksReady(ctx, id);
  set(ctx, id, {
    taskState: action === 'reboot' && hard ? TASK.REBOOTING_HARD : rule.task,
    ...(action === 'reboot' ? { status: hard ? STATUS.HARD_REBOOT : STATUS.REBOOT } : {}),
  });
  return server(ctx, id);
}

/** A stopped server whose disk is being restored from a backup (VBS) does not start until the restore is done. */
function requireDisksReady(ctx: Ctx, id: string): void {
  const restoring = ctx.db
    .select({ id: volumes.id })
    .from(volumeAttachments)
    .innerJoin(volumes, eq(volumes.id, volumeAttachments.volumeId))
    .where(and(eq(volumeAttachments.serverId, id), eq(volumes.status, VOLUME.RESTORING_BACKUP)))
    .get();
  if (restoring)
    throw conflict(
      'InstanceInvalidState',
      `Cannot 'os-start' instance ${id} while its volume ${restoring.id} is being restored from a backup.`,
    );
}

/** A crash dump may be triggered: unlocked, on a host, active, resized or in error, with no task running. */
export function crashDumpable(ctx: Ctx, id: string, admin = false): Server {
  const s = server(ctx, id);
  requireUnlocked(s, admin);
  if (s.taskState || !s.hostId || !oneOf(s.vmState, [VM_STATE.ACTIVE, VM_STATE.RESIZED, VM_STATE.ERROR])) {
    throw conflict(
      'InstanceInvalidState',
      `Cannot 'trigger_crash_dump' instance ${id} while it is in vm_state ${s.vmState}${s.taskState ? ` and task_state ${s.taskState}` : ''}.`,
    );
  }
  return s;
}

/** Ends a power action with the state the host reports. */
export function finishAction(ctx: Ctx, id: string, powerState: number): Server | null {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (!s || s.taskState === TASK.DELETING) return null;
  const on = powerState === 1;
  set(ctx, id, {
    status: on ? STATUS.ACTIVE : STATUS.SHUTOFF,
    vmState: on ? VM_STATE.ACTIVE : VM_STATE.STOPPED,
    taskState: null,
    powerState,
  });
  return server(ctx, id);
}

/** What `updateServer` changes: name, description, access addresses, disk config (even when locked, as in Nova), or the metadata. */
export interface ServerPatch {
  name?: string;
  /** null clears it. */
  description?: string | null;
  accessIpv4?: string;
  accessIpv6?: string;
  diskConfig?: 'AUTO' | 'MANUAL';
  metadata?: Record<string, string>;
  replaceMetadata?: boolean;
  deleteKey?: string;
}

/** Renames a server, describes it, or changes its metadata (which a lock refuses). */
export function updateServer(ctx: Ctx, id: string, patch: ServerPatch, admin = false): Server {
  const s = server(ctx, id);
  if (patch.metadata !== undefined || patch.deleteKey !== undefined) requireUnlocked(s, admin);
  const metadata =
    patch.deleteKey !== undefined
      ? Object.fromEntries(Object.entries(s.metadata).filter(([k]) => k !== patch.deleteKey))
      : patch.metadata
        ? patch.replaceMetadata
          ? patch.metadata
          : { ...s.metadata, ...patch.metadata }
        : s.metadata;
  if (patch.deleteKey !== undefined && !(patch.deleteKey in s.metadata)) throw notFound('Metadata', patch.deleteKey);
  if (Object.keys(metadata).length > 128) throw new DomainError(403, 'OverQuota', 'Quota exceeded for metadata items: 128 at most.');
  set(ctx, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.accessIpv4 !== undefined ? { accessIpv4: patch.accessIpv4 } : {}),
    ...(patch.accessIpv6 !== undefined ? { accessIpv6: patch.accessIpv6 } : {}),
    ...(patch.diskConfig !== undefined ? { diskConfig: patch.diskConfig } : {}),
    metadata,
  });
  return server(ctx, id);
}

/** Turns VM auto-recovery on or off for a server. */
export function setAutoRecovery(ctx: Ctx, id: string, enabled: boolean): Server {
  server(ctx, id);
  set(ctx, id, { autoRecovery: enabled });
  return server(ctx, id);
}

/** Records what happened to a server (os-instance-actions). */
export function recordEvent(
  ctx: Ctx,
  serverId: string,
  action: string,
  requestId: string,
  userId: string | null,
  message: string | null = null,
): void {
  ctx.db.insert(serverEvents).values({ serverId, action, requestId, userId, message, at: ctx.now }).run();
}

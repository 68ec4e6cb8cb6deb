/**
 * HostDO: one per compute host, the only writer of the instances its agent runs and of the agent's liveness.
 *
 * The agent protocol: the host's agent calls `heartbeat()` every HOST_HEARTBEAT_MS; the control plane calls
 * `spawn`, `power`, `destroy` and `snapshot` (a disk image, for IMS). The default agent is simulated inside this
 * object (its tick is the alarm), so the whole cloud runs on one machine; a real agent (libvirt, Firecracker)
 * would make the same calls. When the agent misses HOST_MISSED_HEARTBEATS heartbeats in a row the host is
 * declared failed: the zone stops placing on it and every instance on it is handed to the recovery queue.
 */
import { eq } from 'drizzle-orm';
import type { AppliedProfile } from '../core/ces/load-profile.ts';
import { recoveryQueue } from '../core/ecs/messages.ts';
import type { Env } from '../core/env.ts';
import { agentState, instances } from '../schema/host.ts';
import migrations from '../schema/migrations/host/migrations.js';
import { type GuestReply, type GuestRequest, guestAnswer } from './host-guest.ts';
import { alignDown, collectMetrics } from './host-metrics.ts';
import type { Uploaded } from './ims/images.ts';
import { simulatedDisk, writeDisk } from './ims/snapshot.ts';
import { SqliteObject } from './lib/sqlite-object.ts';

/** Nova's power states. */
export const POWER = { NOSTATE: 0, RUNNING: 1, SHUTDOWN: 4 } as const;

export interface SpawnRequest {
  serverId: string;
  projectId: string;
  zone: string;
  name: string;
  image: string;
  flavor: string;
  addresses: string[];
  hasUserData: boolean;
  keyName: string | null;
  /** A rebuild on this host after the server's host failed. */
  recovery?: boolean;
  /** The guest's workload, when it moves here from another host (recovery, resize) or survives a rebuild. */
  workload?: AppliedProfile | null;
}

function bootLog(r: SpawnRequest, hostId: string): string {
  const at = new Date().toISOString();
  return [
    `[    0.000000] Linux version 5.15.0 (buildd@flexible-engine) #1 SMP ${at}`,
    '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=LABEL=cloudimg-rootfs ro console=ttyS0',
    `[    0.412345] Hypervisor detected: KVM (host ${hostId})`,
    r.recovery ? '[    0.500000] Recovered from a failed host: booting the same disk on a new host' : '',
    '[    1.204000] EXT4-fs (vda1): mounted filesystem with ordered data mode',
    `[    3.100000] cloud-init[512]: Cloud-init v. 23.1 running 'init' for ${r.name} (${r.image}, ${r.flavor})`,
    ...r.addresses.map((a) => `[    3.200000] cloud-init[512]: ci-info: | eth0 | True | ${a} |`),
    r.keyName ? `[    3.300000] cloud-init[512]: Authorized key ${r.keyName} for the default user` : '',
    r.hasUserData ? '[    3.400000] cloud-init[512]: Running user-data script' : '',
    `[    4.000000] cloud-init[512]: Cloud-init finished at ${at}. Up 4.00 seconds`,
    `${r.name} login: `,
  ]
    .filter(Boolean)
    .join('\n');
}

export class HostDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  private get interval(): number {
    return Number(this.env.HOST_HEARTBEAT_MS || 5000);
  }

  private get missedLimit(): number {
    return Number(this.env.HOST_MISSED_HEARTBEATS || 3);
  }

  /** How often the agent samples its guests' metrics. */
  private get collectEvery(): number {
    return Number(this.env.CES_COLLECT_MS || 60_000);
  }

  private agent() {
    return this.db.select().from(agentState).where(eq(agentState.id, 1)).get();
  }

  /** Registers the agent the first time the host is used, and keeps its tick running. */
  private async ensureAgent(hostId: string, zone: string): Promise<void> {
    if (!this.agent()) {
      this.db.insert(agentState).values({ id: 1, hostId, zone, lastHeartbeat: Date.now() }).run();
    }
    // The tick is never further off than one interval, so this only starts it when it is not running.
    await this.alarmBy(Date.now() + this.interval);
  }

  /** The agent reports that it is alive. */
  heartbeat(): void {
    this.db.update(agentState).set({ lastHeartbeat: Date.now() }).where(eq(agentState.id, 1)).run();
  }

  /** Starts an instance (idempotent: a second spawn of the same server changes nothing). */
  async spawn(hostId: string, r: SpawnRequest): Promise<{ powerState: number }> {
    await this.ensureAgent(hostId, r.zone);
    const existing = this.db.select().from(instances).where(eq(instances.serverId, r.serverId)).get();
    if (existing) return { powerState: existing.powerState };
    this.db
      .insert(instances)
      .values({
        serverId: r.serverId,
        projectId: r.projectId,
        zone: r.zone,
        name: r.name,
        powerState: POWER.RUNNING,
        consoleLog: bootLog(r, hostId),
        spawnedAt: new Date().toISOString(),
        workload: r.workload ?? null,
        collectedUntil: alignDown(Date.now(), this.collectEvery),
      })
      .run();
    return { powerState: POWER.RUNNING };
  }

  /** Sets an instance's power state (start, stop, reboot); false when the host does not run it. */
  power(serverId: string, state: number, note?: string): boolean {
    const existing = this.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
    if (!existing) return false;
    const log = note ? `${existing.consoleLog}\n${note}` : existing.consoleLog;
    // A guest that starts again reports from now on, not for the time it was off.
    const resumed = state === POWER.RUNNING && existing.powerState !== POWER.RUNNING;
    this.db
      .update(instances)
      .set({ powerState: state, consoleLog: log, ...(resumed ? { collectedUntil: alignDown(Date.now(), this.collectEvery) } : {}) })
      .where(eq(instances.serverId, serverId))
      .run();
    return true;
  }

  /** Sets (or with null clears) the workload a guest runs, its offsets counted from `appliedAt`; false when not here. */
  setWorkload(serverId: string, workload: AppliedProfile | null): boolean {
    const existing = this.db.select({ id: instances.serverId }).from(instances).where(eq(instances.serverId, serverId)).get();
    if (!existing) return false;
    this.db.update(instances).set({ workload }).where(eq(instances.serverId, serverId)).run();
    return true;
  }

  /** The workload a guest runs here (null when idle or not here). */
  workloadOf(serverId: string): AppliedProfile | null {
    return this.db.select({ w: instances.workload }).from(instances).where(eq(instances.serverId, serverId)).get()?.w ?? null;
  }

  /** Samples the guests' metrics due by `now` and reports them (the agent's tick does it; tests call it at a time). */
  collect(now: number = Date.now()): Promise<number> {
    return collectMetrics(this.env, this.db, now, this.collectEvery);
  }

  /**
   * The guest's side of a volume attach or detach: its kernel sees the disk come or go (the console log says so);
   * false when the host does not run the instance (the disk is then plugged in when it next boots).
   */
  plugDisk(serverId: string, disk: { device: string; sizeGb: number; attach: boolean }): boolean {
    const name = disk.device.replace('/dev/', '');
    const sectors = disk.sizeGb * 2_097_152;
    const seconds = (Date.now() % 100_000) / 100;
    const line = disk.attach
      ? `[${seconds.toFixed(6).padStart(12)}] virtio_blk virtio: [${name}] ${sectors} 512-byte logical blocks (${((disk.sizeGb * 1024 ** 3) / 1e9).toFixed(1)} GB/${disk.sizeGb}.0 GiB)`
      : `[${seconds.toFixed(6).padStart(12)}] virtio_blk: [${name}] detached`;
    const existing = this.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
    if (!existing) return false;
    this.db
      .update(instances)
      .set({ consoleLog: `${existing.consoleLog}\n${line}` })
      .where(eq(instances.serverId, serverId))
      .run();
    return true;
  }

  /** Destroys an instance; destroying twice is harmless. */
  destroy(serverId: string): void {
    this.db.delete(instances).where(eq(instances.serverId, serverId)).run();
  }

  /**
   * Writes an instance's disk to R2 at `key` (IMS's image of a server): its size and hashes, or null when the
   * host does not run it. The simulated agent's disk is made from the server and its base image.
   */
  async snapshot(serverId: string, baseImageId: string, key: string): Promise<Uploaded | null> {
    const row = this.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
    if (!row) return null;
    return writeDisk(this.env, key, simulatedDisk(serverId, baseImageId));
  }

  /** The console log of an instance (its last `lines` lines when given). */
  consoleLog(serverId: string, lines?: number): string | null {
    const row = this.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
    if (!row) return null;
    return lines ? row.consoleLog.split('\n').slice(-lines).join('\n') : row.consoleLog;
  }

  /** An HTTP request to an instance's guest (durable/host-guest.ts): its answer, or null when it does not run here. */
  guestHttp(serverId: string, req: GuestRequest): GuestReply | null {
    const row = this.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
    return row ? guestAnswer({ name: row.name, running: row.powerState === POWER.RUNNING }, req) : null;
  }

  /** What the control plane knows of this host's agent and instances (operators). */
  status() {
    const agent = this.agent();
    return {
      agent: agent ?? null,
      instances: this.db
        .select({ serverId: instances.serverId, projectId: instances.projectId, powerState: instances.powerState })
        .from(instances)
        .all(),
    };
  }

  /**
   * Fails the host on purpose (an operator's test): the simulated agent stops sending heartbeats, and the host
   * is declared failed after the missed heartbeats, or at once when `now` is set.
   */
  async fail(hostId: string, zone: string, now: boolean): Promise<void> {
    await this.ensureAgent(hostId, zone);
    this.db.update(agentState).set({ agentStopped: true }).where(eq(agentState.id, 1)).run();
    if (now) await this.declareFailed();
  }

  /** Brings a failed host back: its agent reports again and the zone places on it again. */
  async revive(hostId: string, zone: string): Promise<void> {
    await this.ensureAgent(hostId, zone);
    this.db.update(agentState).set({ agentStopped: false, failed: false, lastHeartbeat: Date.now() }).where(eq(agentState.id, 1)).run();
    await this.env.ZONE.getByName(zone).setHost(zone, hostId, { alive: true });
  }

  /** Declares the host failed (once): the zone stops using it and its instances go to recovery. */
  private async declareFailed(): Promise<void> {
    const agent = this.agent();
    if (!agent || agent.failed) return;
    this.db.update(agentState).set({ failed: true }).where(eq(agentState.id, 1)).run();
    await this.env.ZONE.getByName(agent.zone).setHost(agent.zone, agent.hostId, { alive: false });
    const held = this.db.select().from(instances).all();
    const messages = held.map((i) => ({
      body: { kind: 'recover' as const, projectId: i.projectId, serverId: i.serverId, zone: agent.zone, failedHost: agent.hostId },
    }));
    for (let at = 0; at < messages.length; at += 100) await recoveryQueue(this.env).sendBatch(messages.slice(at, at + 100));
  }

  /** The agent's tick (simulated agent) and the liveness check. */
  override async alarm(): Promise<void> {
    this.alarmSpent();
    const agent = this.agent();
    if (!agent) return;
    if (!agent.agentStopped) this.heartbeat();
    const silentFor = Date.now() - (this.agent()?.lastHeartbeat ?? 0);
    if (!agent.failed && silentFor > this.missedLimit * this.interval) await this.declareFailed();
    await this.setAlarm(Date.now() + this.interval);
    // A live agent reports its guests (a stopped one, a failed host, reports nothing), after the liveness check: a
    // slow report must never look like a silent agent.
    if (!agent.agentStopped && !agent.failed) await this.collect();
  }
}

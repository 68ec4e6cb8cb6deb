/**
 * HostDO: one per compute host, the only writer of the instances its agent runs. The default agent is simulated
 * here: spawning writes the boot to the console log, and the instance's power state follows the actions asked.
 */
import { DurableObject } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { type DrizzleSqliteDODatabase, drizzle } from 'drizzle-orm/durable-sqlite';
import { migrate } from 'drizzle-orm/durable-sqlite/migrator';
import { instances } from '../schema/host.ts';
import migrations from '../schema/migrations/host/migrations.js';
import type { Env } from '../workers/env.ts';

/** Nova's power states. */
export const POWER = { NOSTATE: 0, RUNNING: 1, SHUTDOWN: 4 } as const;

export interface SpawnRequest {
  serverId: string;
  projectId: string;
  name: string;
  image: string;
  flavor: string;
  addresses: string[];
  hasUserData: boolean;
  keyName: string | null;
}

function bootLog(r: SpawnRequest, hostId: string): string {
  const at = new Date().toISOString();
  return [
    `[    0.000000] Linux version 5.15.0 (buildd@flexible-engine) #1 SMP ${at}`,
    `[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=LABEL=cloudimg-rootfs ro console=ttyS0`,
    `[    0.412345] Hypervisor detected: KVM (host ${hostId})`,
    `[    1.204000] EXT4-fs (vda1): mounted filesystem with ordered data mode`,
    `[    3.100000] cloud-init[512]: Cloud-init v. 23.1 running 'init' for ${r.name} (${r.image}, ${r.flavor})`,
    ...r.addresses.map((a) => `[    3.200000] cloud-init[512]: ci-info: | eth0 | True | ${a} |`),
    r.keyName ? `[    3.300000] cloud-init[512]: Authorized key ${r.keyName} for the default user` : '',
    r.hasUserData ? `[    3.400000] cloud-init[512]: Running user-data script` : '',
    `[    4.000000] cloud-init[512]: Cloud-init finished at ${at}. Up 4.00 seconds`,
    `${r.name} login: `,
  ]
    .filter(Boolean)
    .join('\n');
}

export class HostDO extends DurableObject<Env> {
  private db: DrizzleSqliteDODatabase;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = drizzle(ctx.storage);
    ctx.blockConcurrencyWhile(async () => migrate(this.db, migrations));
  }

  /** Starts an instance (idempotent: a second spawn of the same server changes nothing). */
  spawn(hostId: string, r: SpawnRequest): { powerState: number } {
    const existing = this.db.select().from(instances).where(eq(instances.serverId, r.serverId)).get();
    if (existing) return { powerState: existing.powerState };
    this.db
      .insert(instances)
      .values({
        serverId: r.serverId,
        projectId: r.projectId,
        name: r.name,
        powerState: POWER.RUNNING,
        consoleLog: bootLog(r, hostId),
        spawnedAt: new Date().toISOString(),
      })
      .run();
    return { powerState: POWER.RUNNING };
  }

  /** Sets an instance's power state (start, stop, reboot); false when the host does not run it. */
  power(serverId: string, state: number, note?: string): boolean {
    const existing = this.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
    if (!existing) return false;
    const log = note ? `${existing.consoleLog}\n${note}` : existing.consoleLog;
    this.db.update(instances).set({ powerState: state, consoleLog: log }).where(eq(instances.serverId, serverId)).run();
    return true;
  }

  /** Destroys an instance; destroying twice is harmless. */
  destroy(serverId: string): void {
    this.db.delete(instances).where(eq(instances.serverId, serverId)).run();
  }

  /** The console log of an instance (its last `lines` lines when given). */
  consoleLog(serverId: string, lines?: number): string | null {
    const row = this.db.select().from(instances).where(eq(instances.serverId, serverId)).get();
    if (!row) return null;
    return lines ? row.consoleLog.split('\n').slice(-lines).join('\n') : row.consoleLog;
  }
}

/**
 * ZoneDO: one per availability zone, the placement inventory of its hosts and its block storage pools. A claim is atomic (the object runs
 * one call at a time) and keyed by server: concurrent creates never overbook a host, a retried claim finds the
 * first one. The scheduler (ecs/scheduler/: filters for enabled and alive, kind, Dedicated Cloud tenancy,
 * capacity, server-group policy, then weighers for soft group policies and spread or pack) picks the host.
 */
import { eq, sql } from 'drizzle-orm';
import type { Env } from '../core/env.ts';
import { DomainError, type Result } from '../core/result.ts';
import migrations from '../schema/migrations/zone/migrations.js';
import { type Claim, claims, type ZoneHost, zoneHosts } from '../schema/zone.ts';
import hostSeed from '../seed/hosts.json';
import { type ClaimRequest, NO_USAGE, type Usage } from './ecs/scheduler/request.ts';
import { selectHost } from './ecs/scheduler/scheduler.ts';
import * as storage from './evs/pools.ts';
import { SqliteObject } from './lib/sqlite-object.ts';

export type { ClaimRequest } from './ecs/scheduler/request.ts';

export type ClaimResult = Result<{ hostId: string }>;

export class ZoneDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /** Registers the seed's hosts for this zone the first time the zone is used. */
  private seed(zone: string): void {
    if (this.db.select({ id: zoneHosts.id }).from(zoneHosts).limit(1).get()) return;
    for (const h of hostSeed.filter((x) => x.zone === zone)) {
      const { zone: _z, ...host } = h;
      this.db
        .insert(zoneHosts)
        .values(host as typeof zoneHosts.$inferInsert)
        .run();
    }
  }

  private usage(): Map<string, Usage> {
    const rows = this.db
      .select({
        hostId: claims.hostId,
        vcpus: sql<number>`sum(${claims.vcpus})`,
        ramMb: sql<number>`sum(${claims.ramMb})`,
        diskGb: sql<number>`sum(${claims.diskGb})`,
        count: sql<number>`count(*)`,
      })
      .from(claims)
      .groupBy(claims.hostId)
      .all();
    return new Map(rows.map((r) => [r.hostId, r]));
  }

  /** Claims capacity for a server on the best host, or says why none fits (NoValidHost). */
  claim(zone: string, req: ClaimRequest): ClaimResult {
    // The seed stays even when no host fits: it is outside the claim's transaction, as it always was.
    this.seed(zone);
    return this.transact(() => this.place(zone, req));
  }

  /** The claim of the best host for a server (the one it holds already, if any), the zone seeded. */
  private place(zone: string, req: ClaimRequest): { hostId: string } {
    const existing = this.db.select().from(claims).where(eq(claims.serverId, req.serverId)).get();
    if (existing) return { hostId: existing.hostId };
    const used = this.usage();
    const groupHosts = req.group
      ? new Set(
          this.db
            .select({ hostId: claims.hostId })
            .from(claims)
            .where(eq(claims.groupId, req.group.id))
            .all()
            .map((r) => r.hostId),
        )
      : new Set<string>();
    const hosts = this.db
      .select()
      .from(zoneHosts)
      .all()
      .map((h) => ({ ...h, used: used.get(h.id) ?? NO_USAGE }));
    const host = selectHost(hosts, { req, groupHosts });
    if (!host)
      throw new DomainError(
        500,
        'NoValidHost',
        `No valid host was found in ${zone}: there are not enough hosts available for this request.`,
      );
    this.db
      .insert(claims)
      .values({
        serverId: req.serverId,
        hostId: host.id,
        projectId: req.projectId,
        vcpus: req.vcpus,
        ramMb: req.ramMb,
        diskGb: req.diskGb,
        groupId: req.group?.id ?? null,
        createdAt: new Date().toISOString(),
      })
      .run();
    return { hostId: host.id };
  }

  /**
   * Moves a server's claim off the hosts to avoid (a recovery): a claim already on another host is kept, so a
   * retried move lands where the first one did.
   */
  move(zone: string, req: ClaimRequest): ClaimResult {
    const existing = this.db.select().from(claims).where(eq(claims.serverId, req.serverId)).get();
    if (existing && !req.avoid?.includes(existing.hostId)) return { ok: { hostId: existing.hostId } };
    // One transaction: if no other host fits, the old claim stays where it was.
    return this.transact(() => {
      this.db.delete(claims).where(eq(claims.serverId, req.serverId)).run();
      this.seed(zone);
      return this.place(zone, req);
    });
  }

  /**
   * Makes the claim held under `from` (a resize's new size) the server's claim under `to`, dropping the one `to`
   * held; idempotent: once moved, a second call changes nothing.
   */
  rekey(from: string, to: string): void {
    if (!this.db.select().from(claims).where(eq(claims.serverId, from)).get()) return;
    this.ctx.storage.transactionSync(() => {
      this.db.delete(claims).where(eq(claims.serverId, to)).run();
      this.db.update(claims).set({ serverId: to }).where(eq(claims.serverId, from)).run();
    });
  }

  /** Releases a server's claim; releasing twice is harmless. */
  release(serverId: string): void {
    this.db.delete(claims).where(eq(claims.serverId, serverId)).run();
  }

  /** The hosts with what is claimed on them (operators). */
  hosts(zone: string): (ZoneHost & { used: Usage })[] {
    this.seed(zone);
    const used = this.usage();
    return this.db
      .select()
      .from(zoneHosts)
      .all()
      .map((h) => ({ ...h, used: used.get(h.id) ?? NO_USAGE }));
  }

  /**
   * Whether the host is one of this zone's Dedicated Cloud hosts granted to the project. A host that does not
   * exist and one granted to nobody or to another project answer the same, so a caller learns nothing of them.
   */
  grantedTo(zone: string, hostId: string, projectId: string): boolean {
    this.seed(zone);
    const h = this.db.select({ owner: zoneHosts.dedicatedProject }).from(zoneHosts).where(eq(zoneHosts.id, hostId)).get();
    return h?.owner === projectId;
  }

  /** The claims on one host. */
  claimsOn(hostId: string): Claim[] {
    return this.db.select().from(claims).where(eq(claims.hostId, hostId)).all();
  }

  /** Changes a host's standing: enabled (operators), alive (its agent's liveness), dedicated project. */
  setHost(zone: string, hostId: string, patch: { enabled?: boolean; alive?: boolean; dedicatedProject?: string | null }): ZoneHost | null {
    this.seed(zone);
    this.db.update(zoneHosts).set(patch).where(eq(zoneHosts.id, hostId)).run();
    return this.db.select().from(zoneHosts).where(eq(zoneHosts.id, hostId)).get() ?? null;
  }

  // Block storage: the zone's pools, one per volume type (durable/evs/pools.ts).

  /** Holds GB of the volume type's pool for a volume (a first hold, or a bigger one for an extend). */
  holdStorage(zone: string, h: storage.StorageHold) {
    return this.run((ctx) => storage.hold(ctx, zone, h));
  }
  /** Lets go of a volume's hold; twice is harmless. */
  releaseStorage(volumeId: string) {
    return this.run((ctx) => storage.release(ctx, volumeId));
  }
  /** The pools with what is held of each (operators). */
  storagePools() {
    return this.run((ctx) => storage.pools(ctx));
  }
  /** An operator changes a pool. */
  setStoragePool(volumeType: string, patch: { capacityGb?: number; enabled?: boolean }) {
    return this.run((ctx) => storage.setPool(ctx, volumeType, patch));
  }
}

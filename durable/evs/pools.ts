/**
 * A zone's block storage pools, one per volume type, the zone's side (ZoneDO): a volume holds GB of its type's
 * pool from creation to deletion. A hold is keyed by volume, so a retried create or extend finds the first one,
 * and checked against the pool's capacity in the zone's one-call-at-a-time transaction, so that concurrent creates
 * never overbook the last GB.
 */
import { eq, sql } from 'drizzle-orm';
import { DomainError } from '../../core/result.ts';
import { type StoragePool, storageClaims, storagePools } from '../../schema/zone.ts';
import poolSeed from '../../seed/storage-pools.json';
import type { OpContext } from '../lib/sqlite-object.ts';

/** What a volume asks of its pool. */
export interface StorageHold {
  volumeId: string;
  projectId: string;
  volumeType: string;
  sizeGb: number;
}

/** A pool with what is held of it. */
export type PoolView = StoragePool & { usedGb: number; volumes: number };

/** The seed's pools, the first time the zone's storage is used. */
export function seedPools(ctx: OpContext): void {
  if (ctx.db.select({ t: storagePools.volumeType }).from(storagePools).limit(1).get()) return;
  ctx.db.insert(storagePools).values(poolSeed).run();
}

function used(ctx: OpContext, volumeType: string): number {
  return (
    ctx.db
      .select({ gb: sql<number>`coalesce(sum(${storageClaims.sizeGb}), 0)` })
      .from(storageClaims)
      .where(eq(storageClaims.volumeType, volumeType))
      .get()?.gb ?? 0
  );
}

/**
 * Holds `sizeGb` of the volume's pool for it: a first hold, or a bigger one (an extend). Holding what it holds
 * already changes nothing; no pool of the type, a disabled one, or too little room is refused.
 */
export function hold(ctx: OpContext, zone: string, h: StorageHold): { heldGb: number } {
  seedPools(ctx);
  const existing = ctx.db.select().from(storageClaims).where(eq(storageClaims.volumeId, h.volumeId)).get();
  if (existing && existing.sizeGb >= h.sizeGb) return { heldGb: existing.sizeGb };
  const pool = ctx.db.select().from(storagePools).where(eq(storagePools.volumeType, h.volumeType)).get();
  if (!pool?.enabled)
    throw new DomainError(500, 'NoValidBackend', `No valid backend was found. No ${h.volumeType} storage pool is available in ${zone}.`);
  const more = h.sizeGb - (existing?.sizeGb ?? 0);
  if (used(ctx, h.volumeType) + more > pool.capacityGb)
    throw new DomainError(
      500,
      'NoValidBackend',
      `No valid backend was found. Insufficient free space for a ${h.sizeGb} GB ${h.volumeType} volume in ${zone}.`,
    );
  ctx.db
    .insert(storageClaims)
    .values({ ...h, createdAt: ctx.now })
    .onConflictDoUpdate({ target: storageClaims.volumeId, set: { sizeGb: h.sizeGb } })
    .run();
  return { heldGb: h.sizeGb };
}

/** Lets go of a volume's hold; twice is harmless. */
export function release(ctx: OpContext, volumeId: string): void {
  ctx.db.delete(storageClaims).where(eq(storageClaims.volumeId, volumeId)).run();
}

/** The zone's pools with what is held of each (operators; Cinder's scheduler-stats). */
export function pools(ctx: OpContext): PoolView[] {
  seedPools(ctx);
  const held = ctx.db
    .select({ type: storageClaims.volumeType, gb: sql<number>`sum(${storageClaims.sizeGb})`, n: sql<number>`count(*)` })
    .from(storageClaims)
    .groupBy(storageClaims.volumeType)
    .all();
  return ctx.db
    .select()
    .from(storagePools)
    .all()
    .map((p) => {
      const h = held.find((x) => x.type === p.volumeType);
      return { ...p, usedGb: h?.gb ?? 0, volumes: h?.n ?? 0 };
    });
}

/** An operator changes a pool's capacity or takes it out of service. */
export function setPool(ctx: OpContext, volumeType: string, patch: { capacityGb?: number; enabled?: boolean }): PoolView | null {
  seedPools(ctx);
  ctx.db.update(storagePools).set(patch).where(eq(storagePools.volumeType, volumeType)).run();
  return pools(ctx).find((p) => p.volumeType === volumeType) ?? null;
}

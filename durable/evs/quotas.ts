/**
 * Block storage quotas, Cinder's names: volumes, gigabytes, snapshots, backups and backup gigabytes, overall and
 * per volume type (`volumes_SSD`). Checked inside the transaction that adds the resource, so concurrent creates
 * can never pass a limit together.
 */
import { count, eq, sql } from 'drizzle-orm';
import { VOLUME_TYPES } from '../../core/evs/states.ts';
import { DomainError } from '../../core/result.ts';
import { backups, quotas, snapshots, volumes } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';

/** This cloud's defaults (an operator changes a project's); -1 is unlimited. */
export const STORAGE_QUOTA_DEFAULTS = {
  volumes: 200,
  gigabytes: 40_960,
  snapshots: 200,
  backups: 200,
  backup_gigabytes: 40_960,
  per_volume_gigabytes: -1,
  ...Object.fromEntries(VOLUME_TYPES.flatMap((t) => [`volumes_${t}`, `gigabytes_${t}`, `snapshots_${t}`].map((k) => [k, -1]))),
} as Record<string, number>;

/** The quota resources, in Cinder's order. */
export const STORAGE_QUOTAS = Object.keys(STORAGE_QUOTA_DEFAULTS);

/** Limits in force (the project's own override the defaults). */
export function storageLimits(ctx: Ctx): Record<string, number> {
  const out = { ...STORAGE_QUOTA_DEFAULTS };
  for (const q of ctx.db.select().from(quotas).all()) if (q.resource in STORAGE_QUOTA_DEFAULTS) out[q.resource] = q.limit;
  return out;
}

/** What the project uses of each. */
export function storageUsage(ctx: Ctx): Record<string, number> {
  const used: Record<string, number> = Object.fromEntries(STORAGE_QUOTAS.map((k) => [k, 0]));
  const byType = ctx.db
    .select({ type: volumes.volumeType, n: count(), gb: sql<number>`coalesce(sum(${volumes.size}), 0)` })
    .from(volumes)
    .groupBy(volumes.volumeType)
    .all();
  for (const r of byType) {
    used.volumes! += r.n;
    used.gigabytes! += r.gb;
    used[`volumes_${r.type}`] = r.n;
    used[`gigabytes_${r.type}`] = r.gb;
  }
  const snaps = ctx.db
    .select({ type: volumes.volumeType, n: count(), gb: sql<number>`coalesce(sum(${snapshots.size}), 0)` })
    .from(snapshots)
    .leftJoin(volumes, eq(volumes.id, snapshots.volumeId))
    .groupBy(volumes.volumeType)
    .all();
  for (const r of snaps) {
    used.snapshots! += r.n;
    // Cinder counts snapshot gigabytes in `gigabytes` too.
    used.gigabytes! += r.gb;
    if (r.type) used[`snapshots_${r.type}`] = r.n;
  }
  const b = ctx.db
    .select({ n: count(), gb: sql<number>`coalesce(sum(${backups.size}), 0)` })
    .from(backups)
    .get();
  used.backups = b?.n ?? 0;
  used.backup_gigabytes = b?.gb ?? 0;
  return used;
}

/** Refuses (413, Cinder's VolumeLimitExceeded / VolumeSizeExceedsAvailableQuota) when adding would pass a limit. */
export function requireStorageQuota(ctx: Ctx, more: Record<string, number>): void {
  const limits = storageLimits(ctx);
  const used = storageUsage(ctx);
  for (const [k, n] of Object.entries(more)) {
    const limit = limits[k] ?? -1;
    if (n <= 0 || limit < 0 || (used[k] ?? 0) + n <= limit) continue;
    const gb = k.includes('gigabytes');
    throw new DomainError(
      413,
      gb ? 'VolumeSizeExceedsAvailableQuota' : 'VolumeLimitExceeded',
      gb
        ? `Requested volume or snapshot exceeds allowed ${k} quota. Requested ${n}G, quota is ${limit}G and ${used[k] ?? 0}G has been consumed.`
        : `Maximum number of ${k} allowed (${limit}) exceeded for quota '${k}'.`,
    );
  }
}

/** Sets storage limits (an operator's action); a limit below what is in use is refused. */
export function setStorageLimits(ctx: Ctx, wanted: Record<string, number>): Record<string, number> {
  const used = storageUsage(ctx);
  for (const [resource, limit] of Object.entries(wanted)) {
    if (!(resource in STORAGE_QUOTA_DEFAULTS)) throw new DomainError(400, 'BadRequest', `Bad key(s) ${resource} in quota_set`);
    if (limit >= 0 && limit < (used[resource] ?? 0))
      throw new DomainError(
        400,
        'BadRequest',
        `Quota limit ${limit} for ${resource} must be greater than or equal to already used and reserved ${used[resource]}.`,
      );
    ctx.db.insert(quotas).values({ resource, limit }).onConflictDoUpdate({ target: quotas.resource, set: { limit } }).run();
  }
  return storageLimits(ctx);
}

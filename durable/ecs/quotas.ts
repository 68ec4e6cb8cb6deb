/** Per-project compute quotas (Nova's names) with Flexible Engine's defaults. */
import { count, sql } from 'drizzle-orm';
import { DomainError } from '../../core/result.ts';
import { keypairs, quotas, serverGroups, servers } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';

export const COMPUTE_QUOTA_DEFAULTS = {
  instances: 20,
  cores: 80,
  ram: 163_840,
  key_pairs: 100,
  server_groups: 10,
  server_group_members: 16,
} as const;
export type ComputeQuota = keyof typeof COMPUTE_QUOTA_DEFAULTS;

/** Limits in force (the project's own override the defaults). */
export function computeLimits(ctx: Ctx): Record<ComputeQuota, number> {
  const out: Record<string, number> = { ...COMPUTE_QUOTA_DEFAULTS };
  for (const q of ctx.db.select().from(quotas).all()) if (q.resource in COMPUTE_QUOTA_DEFAULTS) out[q.resource] = q.limit;
  return out as Record<ComputeQuota, number>;
}

/** What the project uses. */
export function computeUsage(ctx: Ctx): Record<ComputeQuota, number> {
  const s = ctx.db
    .select({ n: count(), cores: sql<number>`coalesce(sum(${servers.vcpus}), 0)`, ram: sql<number>`coalesce(sum(${servers.ramMb}), 0)` })
    .from(servers)
    .get();
  return {
    instances: s?.n ?? 0,
    cores: s?.cores ?? 0,
    ram: s?.ram ?? 0,
    key_pairs: ctx.db.select({ n: count() }).from(keypairs).get()?.n ?? 0,
    server_groups: ctx.db.select({ n: count() }).from(serverGroups).get()?.n ?? 0,
    server_group_members: 0,
  };
}

/** Refuses (403, as Nova does) when adding would pass a limit. */
export function requireComputeQuota(ctx: Ctx, more: Partial<Record<ComputeQuota, number>>): void {
  const limits = computeLimits(ctx);
  const used = computeUsage(ctx);
  for (const [k, n] of Object.entries(more) as [ComputeQuota, number][]) {
    if (limits[k] >= 0 && used[k] + n > limits[k]) {
      throw new DomainError(403, 'OverQuota', `Quota exceeded for ${k}: Requested ${n}, but already used ${used[k]} of ${limits[k]} ${k}.`);
    }
  }
}

/** Sets compute limits (an operator's action); a limit below what is in use is refused. */
export function setComputeLimits(ctx: Ctx, wanted: Partial<Record<ComputeQuota, number>>): Record<ComputeQuota, number> {
  const used = computeUsage(ctx);
  for (const [resource, limit] of Object.entries(wanted) as [ComputeQuota, number][]) {
    if (limit >= 0 && limit < used[resource])
      throw new DomainError(400, 'OverQuota', `Cannot set the ${resource} quota to ${limit}: ${used[resource]} are in use.`);
    ctx.db.insert(quotas).values({ resource, limit }).onConflictDoUpdate({ target: quotas.resource, set: { limit } }).run();
  }
  return computeLimits(ctx);
}

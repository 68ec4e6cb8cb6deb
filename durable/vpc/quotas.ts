/** Per-project quotas of network resources, with Flexible Engine's defaults. */
import { count, eq } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { DomainError } from '../../core/result.ts';
import { bandwidths, elasticIps, networks, ports, quotas, securityGroupRules, securityGroups, subnets, vpcs } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';

export const QUOTA_DEFAULTS = {
  vpc: 5,
  network: 100,
  subnet: 100,
  port: 500,
  security_group: 100,
  security_group_rule: 5000,
  floatingip: 10,
  bandwidth: 10,
} as const;

export type QuotaResource = keyof typeof QUOTA_DEFAULTS;

const TABLES: Record<QuotaResource, SQLiteTable> = {
  vpc: vpcs,
  network: networks,
  subnet: subnets,
  port: ports,
  security_group: securityGroups,
  security_group_rule: securityGroupRules,
  floatingip: elasticIps,
  bandwidth: bandwidths,
};

/** The limits in force (defaults overridden by the project's own). */
export function limits(ctx: Ctx): Record<QuotaResource, number> {
  const out: Record<string, number> = { ...QUOTA_DEFAULTS };
  for (const q of ctx.db.select().from(quotas).all()) out[q.resource] = q.limit;
  return out as Record<QuotaResource, number>;
}

function used(ctx: Ctx, resource: QuotaResource): number {
  // Only shared bandwidths count against the bandwidth quota: a dedicated one comes and goes with its EIP.
  if (resource === 'bandwidth')
    return ctx.db.select({ n: count() }).from(bandwidths).where(eq(bandwidths.shareType, 'WHOLE')).get()?.n ?? 0;
  return ctx.db.select({ n: count() }).from(TABLES[resource]).get()?.n ?? 0;
}

/** How many of each resource the project holds. */
export function usage(ctx: Ctx): Record<QuotaResource, number> {
  const out: Record<string, number> = {};
  for (const resource of Object.keys(TABLES) as QuotaResource[]) out[resource] = used(ctx, resource);
  return out as Record<QuotaResource, number>;
}

/** Refuses (409 OverQuota) when adding `more` of a resource would pass its limit. */
export function requireQuota(ctx: Ctx, resource: QuotaResource, more = 1): void {
  const limit = limits(ctx)[resource];
  const used = ctx.db.select({ n: count() }).from(TABLES[resource]).get()?.n ?? 0;
  if (limit >= 0 && used + more > limit)
    throw new DomainError(409, 'OverQuota', `Quota exceeded for resources: ['${resource}']. Limit ${limit}, in use ${used}.`);
}

/** Sets limits (an operator's action); a limit below what is in use is refused. */
export function setLimits(ctx: Ctx, wanted: Partial<Record<QuotaResource, number>>): Record<QuotaResource, number> {
  const used = usage(ctx);
  for (const [resource, limit] of Object.entries(wanted) as [QuotaResource, number][]) {
    if (limit >= 0 && limit < used[resource]) {
      throw new DomainError(409, 'OverQuota', `Cannot set the ${resource} quota to ${limit}: ${used[resource]} are in use.`);
    }
    ctx.db.insert(quotas).values({ resource, limit }).onConflictDoUpdate({ target: quotas.resource, set: { limit } }).run();
  }
  return limits(ctx);
}

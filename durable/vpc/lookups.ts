/** The network's rows by id, or the 404 Neutron answers for a missing one: what every network module looks up. */
import { eq } from 'drizzle-orm';
import { notFound } from '../../core/result.ts';
import { networks, subnets, vpcs } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';

/** A VPC by id, or 404. */
export function vpc(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(vpcs).where(eq(vpcs.id, id)).get();
  if (!row) throw notFound('Router', id);
  return row;
}

/** A network by id, or 404. */
export function network(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(networks).where(eq(networks.id, id)).get();
  if (!row) throw notFound('Network', id);
  return row;
}

/** A subnet by id, or 404. */
export function subnet(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(subnets).where(eq(subnets.id, id)).get();
  if (!row) throw notFound('Subnet', id);
  return row;
}

/**
 * A project's scaling configurations inside its AsDO: made once, never changed, deleted only while no group uses
 * them (AS answers that refusal for a single delete and for a batch one alike).
 */
import { asc, count, eq, inArray } from 'drizzle-orm';
import { DomainError } from '../../core/result.ts';
import { type Configuration, configurations, groups, type InstanceConfig } from '../../schema/as.ts';
import { contains } from '../lib/contains.ts';
import type { OpContext } from '../lib/sqlite-object.ts';

/** At most this many configurations per project (AS's default quota). */
export const CONFIGURATION_QUOTA = 100;

/** AS's refusal of a resource that is not there (another project's is as missing). */
export const missing = (what: string, id: string) =>
  new DomainError(404, 'AS.0007', `The requested resource [${what} ${id}] could not be found.`);

/** AS's refusal of a request its state does not allow. */
export const refused = (message: string, code = 'AS.0022') => new DomainError(400, code, message);

export function createConfiguration(ctx: OpContext, id: string, name: string, config: InstanceConfig, now: number): Configuration {
  const used = ctx.db.select({ n: count() }).from(configurations).get()?.n ?? 0;
  if (used >= CONFIGURATION_QUOTA) throw refused(`The quota of scaling configurations (${CONFIGURATION_QUOTA}) is used up.`, 'AS.1002');
  return ctx.db.insert(configurations).values({ id, name, instanceConfig: config, createdAt: now }).returning().get();
}

export function configuration(ctx: OpContext, id: string): Configuration {
  const row = ctx.db.select().from(configurations).where(eq(configurations.id, id)).get();
  if (!row) throw missing('scaling configuration', id);
  return row;
}

/** The configurations whose name contains `name` (or all), with those that boot `imageId`, in creation order. */
export function listConfigurations(ctx: OpContext, filter: { name?: string; imageId?: string }): Configuration[] {
  return ctx.db
    .select()
    .from(configurations)
    .where(filter.name ? contains(configurations.name, filter.name) : undefined)
    .orderBy(asc(configurations.createdAt), asc(configurations.id))
    .all()
    .filter((c) => !filter.imageId || c.instanceConfig.imageRef === filter.imageId);
}

/** Deletes configurations, all or none: each must exist and no group may use it. */
export function deleteConfigurations(ctx: OpContext, ids: string[]): void {
  for (const id of ids) configuration(ctx, id);
  const using = ctx.db
    .select({ id: groups.id, configurationId: groups.configurationId })
    .from(groups)
    .where(inArray(groups.configurationId, ids))
    .get();
  if (using) throw refused(`The scaling configuration ${using.configurationId} is used by the scaling group ${using.id}.`, 'AS.1028');
  ctx.db.delete(configurations).where(inArray(configurations.id, ids)).run();
}

/** How many configurations the project has. */
export const countConfigurations = (ctx: OpContext) => ctx.db.select({ n: count() }).from(configurations).get()?.n ?? 0;

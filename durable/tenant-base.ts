/**
 * The base of TenantDO: one per project, the only writer of that project's resources. Each RPC method is one
 * whole operation, run in a storage transaction: it happens entirely or not at all, and comes back as `{ok}` or
 * `{error}`. The network (tenant-network.ts) and compute (tenant.ts) methods build on this.
 */
import type { Env } from '../core/env.ts';
import migrations from '../schema/migrations/tenant/migrations.js';
import * as t from '../schema/tenant.ts';
import { SqliteObject } from './lib/sqlite-object.ts';
import * as sg from './network/security-groups.ts';

/** The collections a caller can read in one call. */
export const COLLECTIONS = {
  vpcs: t.vpcs,
  networks: t.networks,
  subnets: t.subnets,
  ports: t.ports,
  security_groups: t.securityGroups,
  security_group_rules: t.securityGroupRules,
  elastic_ips: t.elasticIps,
  bandwidths: t.bandwidths,
  peerings: t.peerings,
  vpc_routes: t.vpcRoutes,
  vpn_objects: t.vpnObjects,
  servers: t.servers,
  keypairs: t.keypairs,
  server_groups: t.serverGroups,
  jobs: t.jobs,
  server_events: t.serverEvents,
} as const;
export type Collection = keyof typeof COLLECTIONS;
export type Rows = { [K in Collection]: (typeof COLLECTIONS)[K]['$inferSelect'][] };

/** How long a transitional state waits before the alarm moves it on (CREATING -> OK, UNKNOWN -> ACTIVE). */
export const SETTLE_MS = 50;
/** How often unfinished Elastic IP steps are retried. */
export const RECONCILE_MS = 5_000;

export class TenantBase extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /** Wakes the alarm soon, to move transitional states on. */
  protected async settleSoon(): Promise<void> {
    await this.alarmBy(Date.now() + SETTLE_MS);
  }

  /** Reads whole collections (the API layer filters, sorts and pages them). */
  list<K extends Collection>(kinds: K[]): Pick<Rows, K> {
    const out = {} as Pick<Rows, K>;
    for (const k of kinds) (out as Record<string, unknown>)[k] = this.db.select().from(COLLECTIONS[k]).all();
    if (kinds.includes('security_groups' as K) && !(out as Rows).security_groups?.length) {
      this.run((ctx) => sg.defaultSecurityGroupId(ctx));
      return this.list(kinds);
    }
    return out;
  }

  /** Wakes the alarm later, to finish steps that a crash may have interrupted. */
  protected async reconcileLater() {
    await this.alarmBy(Date.now() + RECONCILE_MS);
  }
}

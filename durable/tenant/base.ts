/**
 * The base of the TenantDO: its storage and migrations, the saga context its domain modules work with, and the
 * one read of whole collections. The RPC surface is layered on it by domain (network.ts, compute.ts, storage.ts);
 * durable/tenant.ts is the class the binding names.
 */
import type { Env } from '../../core/env.ts';
import migrations from '../../schema/migrations/tenant/migrations.js';
import * as t from '../../schema/tenant.ts';
import { sendAll } from '../lib/queues.ts';
import { SqliteObject } from '../lib/sqlite-object.ts';
import { outboxPage } from '../lib/usage.ts';
import { SETTLE_MS } from '../vpc/alarm.ts';
import type { Saga } from '../vpc/context.ts';
import { RECONCILE_MS } from '../vpc/eip-allocation.ts';

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
  volumes: t.volumes,
  volume_attachments: t.volumeAttachments,
  snapshots: t.snapshots,
  backups: t.backups,
  backup_policies: t.backupPolicies,
  backup_policy_volumes: t.backupPolicyVolumes,
  loadbalancers: t.loadBalancers,
  listeners: t.listeners,
  pools: t.pools,
  members: t.members,
  healthmonitors: t.healthMonitors,
} as const;
export type Collection = keyof typeof COLLECTIONS;
export type Rows = { [K in Collection]: (typeof COLLECTIONS)[K]['$inferSelect'][] };

export abstract class TenantBase extends SqliteObject {
  /** What the sagas work with: this object's transactions, alarm and bindings. */
  protected readonly saga: Saga;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
    this.saga = {
      env,
      get projectId() {
        return ctx.id.name ?? '';
      },
      run: (op) => this.run(op),
      db: this.db,
      settleSoon: () => this.settleSoon(),
      reconcileLater: () => this.reconcileLater(),
      alarmBy: (at) => this.alarmBy(at),
    };
  }

  /** Wakes the alarm soon, to move transitional states on. */
  protected settleSoon(): Promise<void> {
    return this.alarmBy(Date.now() + SETTLE_MS);
  }

  /** Wakes the alarm later, to finish steps that a crash may have interrupted. */
  protected reconcileLater(): Promise<void> {
    return this.alarmBy(Date.now() + RECONCILE_MS);
  }

  /** The outbox as billing takes it into the ledger (durable/lib/usage.ts). */
  usageOutbox(afterSeq = 0, limit = 1000) {
    return outboxPage(this.db, afterSeq, limit);
  }

  /**
   * Queues steps, 100 to a batch, once their records are committed. The alarm is set first: what the queue does
   * not take is driven again from the records, so a failed send is logged and not undone.
   */
  protected async enqueueOn<T>(queue: Queue<T>, label: string, messages: T[]): Promise<void> {
    await this.reconcileLater();
    try {
      await sendAll(queue, messages);
    } catch (err) {
      console.error(JSON.stringify({ queue: label, messages: messages.length, error: String(err), next: 'the alarm drives them' }));
    }
  }

  /** Reads whole collections (the API layer filters, sorts and pages them); reads write nothing. */
  list<K extends Collection>(kinds: K[]): Pick<Rows, K> {
    const out = {} as Pick<Rows, K>;
    for (const k of kinds) (out as Record<string, unknown>)[k] = this.db.select().from(COLLECTIONS[k]).all();
    return out;
  }
}

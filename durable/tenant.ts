/**
 * TenantDO: one per project, the only writer of that project's resources: its network (durable/vpc/), its
 * servers, key pairs and server groups (durable/ecs/), its volumes, snapshots and backups (durable/evs/), its
 * private images (durable/ims/), its load balancers (durable/elb/), and its side of Cloud Eye's guest reports
 * (durable/ces/guest-report.ts). Each RPC
 * method is one whole operation, run in a storage transaction or as a saga of such steps, and comes back as
 * `{ok}` or `{error}`. Servers are built by the compute manager and volumes by the storage manager through their
 * queues; every step either asks of this object is idempotent, keyed by the resource id, and the alarm re-drives
 * what stopped making progress, so nothing stays in a transitional state without an owner.
 *
 * The RPC surface is layered by domain, each layer in its own file: durable/tenant/base.ts (storage, the saga
 * context, collection reads), network.ts, compute.ts, storage.ts, images.ts, balancing.ts; this class adds what spans them
 * (the alarm).
 */
import { type ReportedGuest, takeGuestReport } from './ces/guest-report.ts';
import { computeAlarm } from './ecs/alarm.ts';
import { balancingAlarm } from './elb/alarm.ts';
import type { Published } from './elb/metrics.ts';
import { storageAlarm } from './evs/alarm.ts';
import { imageAlarm } from './ims/alarm.ts';
import { TenantBalancing } from './tenant/balancing.ts';
import { networkAlarm } from './vpc/alarm.ts';
import { RECONCILE_MS } from './vpc/eip-allocation.ts';
import * as sg from './vpc/security-groups.ts';

export { COLLECTIONS, type Collection, type Rows } from './tenant/base.ts';

export class TenantDO extends TenantBalancing {
  /**
   * Every project has its `default` security group from the start (made once, so its id never changes): a
   * read then finds it, and never has to write it.
   */
  protected override started(): void {
    this.run((ctx) => sg.defaultSecurityGroupId(ctx));
  }

  /**
   * A host agent's report of this project's guests (it spans compute, storage and network): the Cloud Eye points
   * that need the project's records to be named, with the traffic through elastic IPs recorded for billing.
   */
  guestReport(guests: ReportedGuest[]) {
    return this.run((ctx) => takeGuestReport(ctx, guests));
  }

  override async alarm(): Promise<void> {
    this.alarmSpent();
    const network = await networkAlarm(this.saga);
    const compute = await computeAlarm(this.saga);
    const storage = await storageAlarm(this.saga);
    const uploads = await imageAlarm(this.saga, (id, fault, kill) => this.abortImageUpload(id, fault, kill));
    if (network || compute || storage) await this.setAlarm(Date.now() + RECONCILE_MS);
    else if (uploads !== null) await this.setAlarm(uploads);
    // Load balancers settle within PROVISION_MS and their monitors probe every few seconds: often sooner.
    const balancing = await balancingAlarm(this.saga, this.balancerMetrics);
    this.balancerMetrics = balancing.published;
    if (balancing.next !== null) await this.alarmBy(balancing.next);
  }

  /** The load balancers' counts at the last metrics publication (the next period's rates count from them). */
  private balancerMetrics: Published | undefined;
}

/**
 * The TenantDO's load balancing (durable/elb/): load balancers with their VIP ports, listeners, pools, members and
 * health monitors, each change one transaction that leaves the object pending; the alarm applies it after
 * PROVISION_MS and runs the monitors. The data plane's choice of a member is one call here too.
 */
import { PROVISION_MS } from '../../core/elb/states.ts';
import type { Client } from '../elb/balance.ts';
import * as bal from '../elb/balance.ts';
import * as ls from '../elb/listeners.ts';
import * as lb from '../elb/loadbalancers.ts';
import * as mb from '../elb/members.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { TenantImages } from './images.ts';

export abstract class TenantBalancing extends TenantImages {
  /** Runs one change and, when it took, wakes the alarm to apply it. */
  private async change<T>(op: (ctx: OpContext) => T) {
    const r = this.run(op);
    if ('ok' in r) await this.alarmBy(Date.now() + PROVISION_MS);
    return r;
  }

  /** Records a load balancer (PENDING_CREATE) with its VIP port taken from the subnet, in one transaction. */
  createLoadBalancer(input: lb.LoadBalancerInput) {
    return this.change((ctx) => lb.createLoadBalancer(ctx, input));
  }
  updateLoadBalancer(id: string, patch: lb.LoadBalancerPatch) {
    return this.change((ctx) => lb.updateLoadBalancer(ctx, id, patch));
  }
  /** Starts deleting a load balancer (with its children when `cascade`); the alarm removes it and its VIP port. */
  deleteLoadBalancer(id: string, cascade: boolean) {
    return this.change((ctx) => lb.beginDeleteLoadBalancer(ctx, id, cascade));
  }

  createListener(input: ls.ListenerInput) {
    return this.change((ctx) => ls.createListener(ctx, input));
  }
  updateListener(id: string, patch: ls.ListenerPatch) {
    return this.change((ctx) => ls.updateListener(ctx, id, patch));
  }
  deleteListener(id: string) {
    return this.change((ctx) => ls.beginDeleteListener(ctx, id));
  }

  createPool(input: ls.PoolInput) {
    return this.change((ctx) => ls.createPool(ctx, input));
  }
  updatePool(id: string, patch: ls.PoolPatch) {
    return this.change((ctx) => ls.updatePool(ctx, id, patch));
  }
  deletePool(id: string) {
    return this.change((ctx) => ls.beginDeletePool(ctx, id));
  }

  createMember(input: mb.MemberInput) {
    return this.change((ctx) => mb.createMember(ctx, input));
  }
  updateMember(poolId: string, id: string, patch: mb.MemberPatch) {
    return this.change((ctx) => mb.updateMember(ctx, poolId, id, patch));
  }
  deleteMember(poolId: string, id: string) {
    return this.change((ctx) => mb.beginDeleteMember(ctx, poolId, id));
  }

  createHealthMonitor(input: mb.MonitorInput) {
    return this.change((ctx) => mb.createHealthMonitor(ctx, input));
  }
  updateHealthMonitor(id: string, patch: mb.MonitorPatch) {
    return this.change((ctx) => mb.updateHealthMonitor(ctx, id, patch));
  }
  deleteHealthMonitor(id: string) {
    return this.change((ctx) => mb.beginDeleteHealthMonitor(ctx, id));
  }

  /** The member a data-plane request to the listener on `port` goes to (counted in flight until `memberDone`). */
  pickMember(lbId: string, port: number, client: Client) {
    return this.run((ctx) => bal.pickMember(ctx, lbId, port, client));
  }
  memberDone(memberId: string) {
    return this.run((ctx) => bal.memberDone(ctx, memberId));
  }
}

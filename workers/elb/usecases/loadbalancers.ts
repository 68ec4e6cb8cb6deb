/**
 * Load balancers, the use cases every door calls (LBaaS v2 and the Console): the project's load balancing rows,
 * a create on a subnet (the VIP port is taken in the same TenantDO transaction), a delete with or without its
 * children. The doors parse and render; the TenantDO (durable/elb/) decides.
 */
import type { LoadBalancerInput } from '../../../durable/elb/loadbalancers.ts';
import type { LoadBalancer } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';
import type { Graph } from '../views.ts';

/** The project's load balancers, listeners, pools, members and health monitors, read at once. */
export function balancing(caller: Caller): Promise<Graph> {
  return tenantOf(caller).list(['loadbalancers', 'listeners', 'pools', 'members', 'healthmonitors']);
}

/** Records a load balancer (PENDING_CREATE until the alarm makes it ACTIVE); the id is chosen here. */
export async function createLoadBalancer(caller: Caller, req: Omit<LoadBalancerInput, 'id'>): Promise<LoadBalancer> {
  return unwrap(await tenantOf(caller).createLoadBalancer({ ...req, id: crypto.randomUUID() }));
}

/** Starts deleting a load balancer; `cascade` takes its listeners, pools, members and monitors with it. */
export async function deleteLoadBalancer(caller: Caller, id: string, cascade: boolean): Promise<void> {
  unwrap(await tenantOf(caller).deleteLoadBalancer(id, cascade));
}

/** The subnets a load balancer's VIP can be taken from: the project's own. */
export async function vipSubnets(caller: Caller) {
  return (await tenantOf(caller).list(['subnets'])).subnets;
}

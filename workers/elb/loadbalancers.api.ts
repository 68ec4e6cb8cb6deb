/**
 * `/v2.0/lbaas/loadbalancers`: create (the VIP port is taken from the subnet in the same TenantDO transaction),
 * list, show, update, delete (`?cascade=true` takes the children with it), the status tree (`/status`, and
 * Huawei's `/statuses`) and statistics. Every write answers at once with the object pending; the TenantDO's alarm
 * makes it ACTIVE.
 */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { callerOf } from '../lib/caller.ts';
import { tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { cascadeQuery, common, fields, graph, octaviaList, one, owner, requireOwn } from './context.ts';
import { createLoadBalancer, deleteLoadBalancer } from './usecases/loadbalancers.ts';
import { statusTree } from './views.ts';

const createBody = z.object({
  loadbalancer: z
    .object({
      ...common,
      ...owner,
      vip_subnet_id: z.string().min(1),
      vip_address: z.ipv4().optional(),
      vip_network_id: z.string().optional(),
      vip_qos_policy_id: z.string().nullish(),
      provider: z.enum(['vlb', 'octavia', 'amphora']).optional(),
      flavor_id: z.string().nullish(),
      availability_zone: z.string().nullish(),
    })
    .strict(),
});
const updateBody = z.object({ loadbalancer: z.object({ ...common, vip_qos_policy_id: z.string().nullish() }).strict() });

export const loadBalancerRoutes = router();

loadBalancerRoutes.get('/loadbalancers', act('elb:loadbalancers:list'), async (c) => {
  const { g, v } = await graph(c);
  return c.json(octaviaList(c, 'loadbalancers', g.loadbalancers.map(v.loadBalancer)));
});

loadBalancerRoutes.post('/loadbalancers', act('elb:loadbalancers:create'), async (c) => {
  const { loadbalancer: b } = await jsonBody(c, createBody);
  requireOwn(c, b);
  const row = await createLoadBalancer(callerOf(c), {
    name: b.name ?? '',
    description: b.description ?? '',
    vipSubnetId: b.vip_subnet_id,
    vipAddress: b.vip_address,
    adminStateUp: b.admin_state_up ?? true,
    flavorId: b.flavor_id,
    availabilityZone: b.availability_zone,
    tags: b.tags ?? [],
  });
  const { g, v } = await graph(c);
  return c.json({ loadbalancer: v.loadBalancer(one(g.loadbalancers, 'Load Balancer', row.id)) }, 201);
});

loadBalancerRoutes.get('/loadbalancers/:id', act('elb:loadbalancers:get'), async (c) => {
  const { g, v } = await graph(c);
  return c.json({ loadbalancer: fields(c, v.loadBalancer(one(g.loadbalancers, 'Load Balancer', c.req.param('id')))) });
});

for (const path of ['/loadbalancers/:id/status', '/loadbalancers/:id/statuses'])
  loadBalancerRoutes.get(path, act('elb:loadbalancers:get'), async (c) => {
    const { g } = await graph(c);
    return c.json({ statuses: statusTree(g, one(g.loadbalancers, 'Load Balancer', c.req.param('id') ?? '')) });
  });

loadBalancerRoutes.get('/loadbalancers/:id/stats', act('elb:loadbalancers:get'), async (c) => {
  const { g } = await graph(c);
  const lb = one(g.loadbalancers, 'Load Balancer', c.req.param('id'));
  const pools = new Set(g.pools.filter((p) => p.loadbalancerId === lb.id).map((p) => p.id));
  const ms = g.members.filter((m) => pools.has(m.poolId));
  const sum = (f: (m: (typeof ms)[number]) => number) => ms.reduce((n, m) => n + f(m), 0);
  return c.json({
    stats: {
      active_connections: sum((m) => m.active),
      total_connections: sum((m) => m.served),
      bytes_in: 0,
      bytes_out: 0,
      request_errors: 0,
    },
  });
});

loadBalancerRoutes.put('/loadbalancers/:id', act('elb:loadbalancers:update'), async (c) => {
  const { loadbalancer: b } = await jsonBody(c, updateBody);
  const id = c.req.param('id');
  unwrap(
    await tenant(c).updateLoadBalancer(id, {
      name: b.name ?? undefined,
      description: b.description ?? undefined,
      adminStateUp: b.admin_state_up,
      tags: b.tags,
    }),
  );
  const { g, v } = await graph(c);
  return c.json({ loadbalancer: v.loadBalancer(one(g.loadbalancers, 'Load Balancer', id)) });
});

loadBalancerRoutes.delete('/loadbalancers/:id', act('elb:loadbalancers:delete'), async (c) => {
  const { cascade } = query(c, cascadeQuery);
  await deleteLoadBalancer(callerOf(c), c.req.param('id'), cascade?.toLowerCase() === 'true');
  return c.body(null, 204);
});

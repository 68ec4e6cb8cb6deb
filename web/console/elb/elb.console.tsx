/**
 * The Console's ELB section, mounted at `/console/elb`: load balancers (list with live rows, create on a subnet,
 * a load balancer's page with its live status tree, delete with everything in it). Each route is guarded by the
 * action of its API route and calls the ELB use cases; listeners, pools and members are made through the API.
 */
import { z } from 'zod';
import { act } from '../../../workers/auth/middleware.ts';
import { createLoadBalancer, deleteLoadBalancer } from '../../../workers/elb/usecases/loadbalancers.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { consoleRouter, done, f, form } from '../kit.tsx';
import { renderLoadBalancer, renderLoadBalancerRows, renderLoadBalancers, renderLoadBalancerTree } from './loadbalancers.page.tsx';

export const elbConsole = consoleRouter();

elbConsole.get('/', act('elb:loadbalancers:list'), (c) => c.redirect('/console/elb/loadbalancers', 303));
elbConsole.get('/loadbalancers', act('elb:loadbalancers:list'), (c) => renderLoadBalancers(c));
elbConsole.get('/loadbalancers/rows', act('elb:loadbalancers:list'), (c) => renderLoadBalancerRows(c));

elbConsole.post(
  '/loadbalancers',
  act('elb:loadbalancers:create'),
  form(
    z.object({
      name: f.text('a name').pipe(z.string().max(255, 'A name is at most 255 characters.')),
      subnet: f.text('the subnet of the VIP'),
      vip_address: f.optional().pipe(z.ipv4({ error: 'Enter the VIP address as an IPv4 address.' }).optional()),
    }),
    async (c, v) => {
      await createLoadBalancer(callerOf(c), {
        name: v.name,
        description: '',
        vipSubnetId: v.subnet,
        vipAddress: v.vip_address,
        adminStateUp: true,
        tags: [],
      });
      return done(c, '/console/elb/loadbalancers', `Load balancer ${v.name} is being created.`);
    },
    (c, failure) => renderLoadBalancers(c, failure, 'create'),
  ),
);

elbConsole.get('/loadbalancers/:loadbalancer_id', act('elb:loadbalancers:get'), (c) => renderLoadBalancer(c));
elbConsole.get('/loadbalancers/:loadbalancer_id/tree', act('elb:loadbalancers:get'), (c) => renderLoadBalancerTree(c));

elbConsole.post(
  '/loadbalancers/:loadbalancer_id/delete',
  act('elb:loadbalancers:delete'),
  form(
    z.object({ from: z.string().optional() }),
    async (c) => {
      await deleteLoadBalancer(callerOf(c), c.req.param('loadbalancer_id')!, true);
      return done(c, '/console/elb/loadbalancers', 'The load balancer is being deleted with everything in it.');
    },
    (c, failure) => (failure.values?.from === 'loadbalancer' ? renderLoadBalancer(c, failure) : renderLoadBalancers(c, failure)),
  ),
);

/**
 * The local data plane at `/elb/data/{loadbalancer_id}/{protocol_port}/...`: what a client inside the VPC would
 * send to the VIP's port, on the one origin. The VIP is a private address, so reaching it takes a token of the
 * project (standing in for being on its network); the rest of the path and the query go to the member as they came.
 */
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { forward } from './usecases/forward.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export const dataRoutes = router();

dataRoutes.on(METHODS, '/:loadbalancer_id/:protocol_port/*', act('elb:loadbalancers:connect'), async (c) => {
  const url = new URL(c.req.url);
  const lbId = c.req.param('loadbalancer_id');
  const port = c.req.param('protocol_port');
  const prefix = `/elb/data/${lbId}/${port}`;
  const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '/';
  if (!/^\d{1,5}$/.test(port)) return c.text('Not a port.\n', 404);
  return forward(c, lbId, Number(port), `${rest || '/'}${url.search}`);
});

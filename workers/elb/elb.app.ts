/**
 * ELB under `/elb`: the shared load balancers' LBaaS v2 API at `/elb/v2.0/lbaas` (octaviaclient appends `/v2.0` to
 * the catalog's `/elb`), with Octavia's fault envelope, and the local data plane at `/elb/data`. State is the
 * project's TenantDO's (durable/elb/); its alarm moves pending objects to ACTIVE and runs the health monitors.
 */
import { publicRoute } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { dataRoutes } from './data.api.ts';
import { healthMonitorRoutes } from './healthmonitors.api.ts';
import { listenerRoutes } from './listeners.api.ts';
import { loadBalancerRoutes } from './loadbalancers.api.ts';
import { poolRoutes } from './pools.api.ts';

function versions(origin: string) {
  return {
    versions: [{ id: 'v2.0', status: 'CURRENT', updated: '2024-10-01T00:00:00Z', links: [{ rel: 'self', href: `${origin}/elb/v2.0` }] }],
  };
}

const lbaas = router();
for (const routes of [loadBalancerRoutes, listenerRoutes, poolRoutes, healthMonitorRoutes]) lbaas.route('/', routes);

export const elbApp = router();
elbApp.use(family('octavia'));
elbApp.get('/', publicRoute('version discovery'), (c) => c.json(versions(new URL(c.req.url).origin)));
elbApp.route('/v2.0/lbaas', lbaas);
elbApp.route('/data', dataRoutes);

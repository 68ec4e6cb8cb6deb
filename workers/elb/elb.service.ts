/** ELB: the shared load balancers' LBaaS v2 API (Octavia-shaped, what octaviaclient drives) and their local data plane. */
import { defineService } from '../service.ts';
import { elbActions } from './elb.policy.ts';

export const elbService = defineService({
  name: 'elb',
  title: 'Elastic Load Balance',
  // octaviaclient appends /v2.0 to the catalog URL, and never reads a version document.
  catalog: [{ type: 'load-balancer', name: 'octavia', path: '/elb' }],
  policy: { elb: elbActions },
  serviceHost: true,
});

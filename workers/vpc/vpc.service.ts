/** VPC: Neutron and the native VPC API, with the project's Elastic IPs and bandwidths (the `eip` actions). */
import { defineService } from '../service.ts';
import { eipActions, vpcActions } from './vpc.policy.ts';

export const vpcService = defineService({
  name: 'vpc',
  title: 'Virtual Private Cloud',
  catalog: [
    { type: 'network', name: 'neutron', path: '/vpc' },
    { type: 'vpc', name: 'vpc', path: '/vpc/v1/{project_id}' },
  ],
  policy: { vpc: vpcActions, eip: eipActions },
  serviceHost: true,
});

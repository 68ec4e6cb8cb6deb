/** IAM: Keystone v3 and Flexible Engine's AK/SK credentials and custom policies. */
import { defineService } from '../service.ts';
import { iamActions } from './iam.policy.ts';

export const iamService = defineService({
  name: 'iam',
  title: 'Identity and Access Management',
  catalog: [{ type: 'identity', name: 'keystone', path: '/iam/v3', global: true }],
  policy: { iam: iamActions },
  serviceHost: true,
});

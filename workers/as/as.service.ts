/** Auto Scaling (AS): configurations, groups, policies and group instances, at `/as/autoscaling-api/v1/{project_id}`. */
import { defineService } from '../service.ts';
import { asActions } from './as.policy.ts';

export const asService = defineService({
  name: 'as',
  title: 'Auto Scaling',
  catalog: [{ type: 'autoscaling', name: 'as', path: '/as/autoscaling-api/v1/{project_id}' }],
  policy: { as: asActions },
  serviceHost: true,
  queues: ['fe-scaling'],
});

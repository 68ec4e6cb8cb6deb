/** Cloud Eye (CES): metrics from every service, custom metrics, and later alarm rules; at `/ces/V1.0/{project_id}`. */
import { defineService } from '../service.ts';
import { cesActions } from './ces.policy.ts';

export const cesService = defineService({
  name: 'ces',
  title: 'Cloud Eye',
  catalog: [{ type: 'ces', name: 'ces', path: '/ces/V1.0/{project_id}' }],
  policy: { ces: cesActions },
  serviceHost: true,
});

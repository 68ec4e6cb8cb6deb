/** Simple Message Notification (SMN): topics, subscriptions, templates and publishing, at `/smn/v2/{project_id}`. */
import { defineService } from '../service.ts';
import { smnActions } from './smn.policy.ts';

export const smnService = defineService({
  name: 'smn',
  title: 'Simple Message Notification',
  catalog: [{ type: 'smn', name: 'smn', path: '/smn/v2/{project_id}' }],
  policy: { smn: smnActions },
  serviceHost: true,
});

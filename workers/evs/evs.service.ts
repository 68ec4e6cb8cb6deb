/** EVS: Cinder v3 and the native cloud volumes API; the storage manager consumes its queue. */
import { defineService } from '../service.ts';
import { evsActions } from './evs.policy.ts';

export const evsService = defineService({
  name: 'evs',
  title: 'Elastic Volume Service',
  catalog: [
    { type: 'volumev3', name: 'cinderv3', path: '/evs/v3/{project_id}' },
    { type: 'block-storage', name: 'cinder', path: '/evs/v3/{project_id}' },
  ],
  policy: { evs: evsActions },
  serviceHost: true,
  queues: ['fe-storage', 'fe-storage-dlq'],
});

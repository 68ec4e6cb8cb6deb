/** ECS: Nova and the native cloud servers API; the compute manager and VM auto-recovery consume its queues. */
import { defineService } from '../service.ts';
import { ecsActions } from './ecs.policy.ts';

export const ecsService = defineService({
  name: 'ecs',
  title: 'Elastic Cloud Server',
  catalog: [{ type: 'compute', name: 'nova', path: '/ecs/v2.1/{project_id}' }],
  policy: { ecs: ecsActions },
  serviceHost: true,
  queues: ['fe-compute', 'fe-compute-dlq', 'fe-recovery', 'fe-recovery-dlq'],
});

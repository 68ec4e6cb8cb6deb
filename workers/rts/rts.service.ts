/** Resource Template Service (RTS): Heat-compatible orchestration at `/rts/v1/{project_id}`, catalog type `orchestration`. */
import { defineService } from '../service.ts';
import { rtsActions } from './rts.policy.ts';

export const rtsService = defineService({
  name: 'rts',
  title: 'Resource Template Service',
  // heatclient does no version discovery: it appends `/stacks...` to the catalog URL, which must carry the project.
  catalog: [{ type: 'orchestration', name: 'heat', path: '/rts/v1/{project_id}' }],
  policy: { rts: rtsActions },
  serviceHost: true,
  queues: ['fe-orchestration', 'fe-orchestration-dlq'],
});

/** Native EVS jobs `GET /evs/v1/{project_id}/jobs/{job_id}`: the ECS contract, on the EVS host. */
import { act } from '../../auth/middleware.ts';
import { jobView } from '../../ecs/native/views.ts';
import { badRequest } from '../../lib/errors.ts';
import { tenant } from '../../lib/tenant.ts';
import { evsRouter } from './errors.ts';

export const evsJobRoutes = evsRouter();

evsJobRoutes.get('/jobs/:job_id', act('evs:jobs:get'), async (c) => {
  const r = await tenant(c).job(c.req.param('job_id'));
  // EVS answers an unknown job with its Common.0011 (400), not a 404.
  if ('error' in r) throw badRequest('No jobs found.', 'Common.0011');
  return c.json(jobView(r.ok));
});

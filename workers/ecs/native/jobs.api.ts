/** Native `GET /v1/{project_id}/jobs/{job_id}`: a job and its sub-jobs, their status read from the servers they act on. */
import { act } from '../../auth/middleware.ts';
import { tenant, unwrap } from '../../lib/tenant.ts';
import { ecsRouter } from './errors.ts';
import { jobView } from './views.ts';

export const jobRoutes = ecsRouter();

jobRoutes.get('/jobs/:job_id', act('ecs:jobs:get'), async (c) => c.json(jobView(unwrap(await tenant(c).job(c.req.param('job_id'))))));

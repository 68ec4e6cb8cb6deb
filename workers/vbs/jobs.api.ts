/** Native VBS jobs `GET /vbs/v1/{project_id}/jobs/{job_id}`: the shared jobs contract, with the backup's entities. */
import { act } from '../auth/middleware.ts';
import { jobView } from '../ecs/native/views.ts';
import { badRequest } from '../lib/errors.ts';
import { tenant } from '../lib/tenant.ts';
import { vbsRouter } from './errors.ts';

export const vbsJobRoutes = vbsRouter();

vbsJobRoutes.get('/jobs/:job_id', act('vbs:jobs:get'), async (c) => {
  const r = await tenant(c).job(c.req.param('job_id'));
  // As EVS, VBS answers an unknown job with Common.0011 (400), not a 404.
  if ('error' in r) throw badRequest('No jobs found.', 'Common.0011');
  const view = jobView(r.ok);
  const sub = r.ok.subJobs[0];
  const backup = sub?.kind === 'backup' ? await tenant(c).backup(sub.resourceId) : null;
  const entities = sub
    ? { [`${sub.kind}_id`]: sub.resourceId, ...(backup ? { volume_id: backup.volumeId, snapshot_id: backup.snapshotId } : {}) }
    : {};
  return c.json({ ...view, entities: { ...entities, ...view.entities } });
});

/**
 * The Flexible Engine native ECS API, mounted at `/ecs/v1/{project_id}`: cloud servers created, acted on and deleted
 * in batches through jobs, as views over the same TenantDO the Nova API shows, in the native error envelope.
 */
import { family, router } from '../../lib/app.ts';
import { batchRoutes } from './batch.api.ts';
import { cloudServerRoutes } from './cloudservers.api.ts';
import { createRoutes } from './create.api.ts';
import { jobRoutes } from './jobs.api.ts';
import { volumeRoutes } from './volumes.api.ts';

export const nativeEcs = router();
nativeEcs.use(family('native'));
for (const routes of [batchRoutes, createRoutes, cloudServerRoutes, jobRoutes, volumeRoutes]) nativeEcs.route('/', routes);

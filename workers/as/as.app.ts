/**
 * Auto Scaling under `/as`: at `/as/autoscaling-api/v1/{project_id}` its scaling configurations, groups, policies,
 * group instances, activity logs, tags and quotas.
 */
import { family, router } from '../lib/app.ts';
import { configurationRoutes } from './configurations.api.ts';
import { groupRoutes } from './groups.api.ts';
import { instanceRoutes } from './instances.api.ts';
import { policyRoutes } from './policies.api.ts';

const v1 = router();
v1.route('/', configurationRoutes);
v1.route('/', groupRoutes);
v1.route('/', policyRoutes);
v1.route('/', instanceRoutes);

export const asApp = router();
asApp.use(family('coded'));
asApp.route('/autoscaling-api/v1/:project_id{[0-9a-f-]+}', v1);

/** IAM (Keystone v3 and Flexible Engine's AK/SK credentials and custom policies), served under `/iam`. */
import { family, router } from '../lib/app.ts';
import { assignmentRoutes } from './assignments.api.ts';
import { catalogRoutes } from './catalog.api.ts';
import { credentialRoutes, keystoneCredentialRoutes } from './credentials.api.ts';
import { customPolicyRoutes } from './custom-policies.api.ts';
import { discoveryRoutes } from './discovery.ts';
import { ec2Routes } from './ec2.api.ts';
import { groupRoutes } from './groups.api.ts';
import { projectRoutes } from './projects.api.ts';
import { roleRoutes } from './roles.api.ts';
import { authRoutes } from './tokens.api.ts';
import { userRoutes } from './users.api.ts';

const v3 = router();
for (const routes of [
  authRoutes,
  userRoutes,
  groupRoutes,
  projectRoutes,
  roleRoutes,
  assignmentRoutes,
  keystoneCredentialRoutes,
  catalogRoutes,
  ec2Routes,
]) {
  v3.route('/', routes);
}

const v30 = router();
v30.route('/', credentialRoutes);
v30.route('/', customPolicyRoutes);

export const iamApp = router();
iamApp.use(family('keystone'));
iamApp.route('/', discoveryRoutes);
iamApp.route('/v3', v3);
iamApp.route('/v3.0', v30);

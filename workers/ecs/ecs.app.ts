/**
 * ECS under `/ecs`: Nova v2.1 at `/ecs/v2.1/{project_id}` (microversions 2.1 to MAX_VERSION), and, as 2.18 allows,
 * at `/ecs/v2.1` without the project id (the token's); version discovery at `/ecs` and `/ecs/v2.1`. Servers are
 * built asynchronously by the compute manager (manager.ts).
 */
import { publicRoute } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { actionRoutes } from './actions.api.ts';
import { extensionRoutes } from './extensions.api.ts';
import { flavorRoutes } from './flavors.api.ts';
import { hostRoutes } from './hosts.api.ts';
import { hypervisorRoutes } from './hypervisors.api.ts';
import { instanceActionRoutes } from './instance-actions.api.ts';
import { keypairRoutes } from './keypairs.api.ts';
import { limitRoutes } from './limits.api.ts';
import { MAX_VERSION, MIN_VERSION, microversion } from './microversion.ts';
import { nativeEcs } from './native/native.app.ts';
import { securityGroupRoutes } from './security-groups.api.ts';
import { serverGroupRoutes } from './server-groups.api.ts';
import { serverTagRoutes } from './server-tags.api.ts';
import { serverRoutes } from './servers.api.ts';
import { volumeAttachmentRoutes } from './volume-attachments.api.ts';

function version(origin: string) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: MAX_VERSION,
    min_version: MIN_VERSION,
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${origin}/ecs/v2.1/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  };
}

const nova = router();
nova.use(microversion());
for (const routes of [
  flavorRoutes,
  serverRoutes,
  actionRoutes,
  serverTagRoutes,
  keypairRoutes,
  serverGroupRoutes,
  limitRoutes,
  instanceActionRoutes,
  volumeAttachmentRoutes,
  extensionRoutes,
  hypervisorRoutes,
  securityGroupRoutes,
])
  nova.route('/', routes);

export const ecsApp = router();
ecsApp.use(family('nova'));
ecsApp.get('/', publicRoute('version discovery'), (c) => c.json({ versions: [version(new URL(c.req.url).origin)] }));
ecsApp.get('/v2.1', publicRoute('version discovery'), (c) => c.json({ version: version(new URL(c.req.url).origin) }));
// A project id is hex (and dashes), as Nova's routes require, so that `/v2.1/servers/...` is never read as one.
ecsApp.route('/v2.1/:project_id{[0-9a-f-]+}', nova);
ecsApp.route('/v2.1', nova);
ecsApp.route('/v1/:project_id', nativeEcs);
ecsApp.route('/admin', hostRoutes);

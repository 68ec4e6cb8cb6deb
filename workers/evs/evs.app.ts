/**
 * EVS under `/evs`: Cinder v3 at `/evs/v3/{project_id}` (microversions 3.0 to MAX_VERSION) with its version
 * document at `/evs` and `/evs/v3`; the native cloud volumes at `/evs/v2/{project_id}` (create and extend also at
 * `/evs/v2.1`), their jobs at `/evs/v1/{project_id}/jobs`; the operator's storage pools at `/evs/admin`. Volumes are created, extended,
 * attached and deleted asynchronously by the storage manager (manager.ts).
 */
import { publicRoute } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { cinderBackupRoutes } from './backups.api.ts';
import { catalogRoutes } from './catalog.api.ts';
import { MAX_VERSION, MIN_VERSION, microversion } from './microversion.ts';
import { cloudSnapshotRoutes } from './native/cloudsnapshots.api.ts';
import { cloudVolumeRoutes, cloudVolumeV21Routes } from './native/cloudvolumes.api.ts';
import { evsJobRoutes } from './native/jobs.api.ts';
import { poolRoutes } from './pools.api.ts';
import { snapshotRoutes } from './snapshots.api.ts';
import { volumeActionRoutes } from './volume-actions.api.ts';
import { volumeRoutes } from './volumes.api.ts';

function versions(origin: string) {
  return {
    versions: [
      {
        id: 'v3.0',
        status: 'CURRENT',
        version: MAX_VERSION,
        min_version: MIN_VERSION,
        updated: '2023-01-01T00:00:00Z',
        links: [{ rel: 'self', href: `${origin}/evs/v3/` }],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
      },
    ],
  };
}

const cinder = router();
cinder.use(microversion());
for (const routes of [volumeRoutes, volumeActionRoutes, catalogRoutes, snapshotRoutes, cinderBackupRoutes]) cinder.route('/', routes);

export const evsApp = router();
// Cinder's fault wrapper is Nova's: {"itemNotFound": {"code": 404, "message": ...}}.
evsApp.use(family('nova'));
evsApp.get('/', publicRoute('version discovery'), (c) => c.json(versions(new URL(c.req.url).origin)));
evsApp.get('/v3', publicRoute('version discovery'), (c) => c.json(versions(new URL(c.req.url).origin)));
evsApp.route('/v3/:project_id{[0-9a-f-]+}', cinder);
evsApp.route('/v2/:project_id{[0-9a-f-]+}', cloudVolumeRoutes);
evsApp.route('/v2/:project_id{[0-9a-f-]+}', cloudSnapshotRoutes);
evsApp.route('/v2.1/:project_id{[0-9a-f-]+}', cloudVolumeV21Routes);
evsApp.route('/v1/:project_id{[0-9a-f-]+}', evsJobRoutes);
evsApp.route('/admin', poolRoutes);

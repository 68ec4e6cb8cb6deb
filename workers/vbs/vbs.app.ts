/**
 * VBS under `/vbs`: native backups and backup policies at `/vbs/v2/{project_id}` (VBS's `{"error": {"code",
 * "message"}}`), Cinder's backups there too (Cinder's fault wrapper, the same routes as on the EVS endpoint), and
 * the jobs at `/vbs/v1/{project_id}/jobs`. Backups are stored, restored and deleted by the storage manager.
 */

import { cinderBackupRoutes } from '../evs/backups.api.ts';
import { microversion } from '../evs/microversion.ts';
import { family, router } from '../lib/app.ts';
import { cloudBackupRoutes } from './cloudbackups.api.ts';
import { vbsJobRoutes } from './jobs.api.ts';
import { policyRoutes } from './policies.api.ts';

const v2 = router();
v2.route('/', cloudBackupRoutes);
v2.route('/', policyRoutes);
const cinder = router();
cinder.use(family('nova'));
cinder.use(microversion());
cinder.route('/', cinderBackupRoutes);
v2.route('/', cinder);

export const vbsApp = router();
vbsApp.route('/v2/:project_id{[0-9a-f-]+}', v2);
vbsApp.route('/v1/:project_id{[0-9a-f-]+}', vbsJobRoutes);

/**
 * The policy actions of VBS: backups (native cloudbackups, and the Cinder backups OSC uses, on the EVS endpoint
 * and VBS's own) and backup policies. Each lists the operations (method, path) it covers.
 */
import { defineActions } from '../auth/actions.ts';

const V2 = '/vbs/v2/{project_id}';
/** Cinder's backups API, served on the EVS endpoint (OSC's path) and on VBS's. */
const CINDER = ['/evs/v3/{project_id}', V2];
const onBoth = (method: string, path: string) => CINDER.map((base) => `${method} ${base}${path}`);

export const vbsActions = defineActions('vbs', {
  'backups:create': {
    description: 'Back up volumes (full first, then incremental)',
    scope: 'project',
    operations: [...onBoth('POST', '/backups'), `POST ${V2}/cloudbackups`, 'POST /console/vbs/backups'],
  },
  'backups:list': {
    description: 'List backups',
    scope: 'project',
    operations: [
      ...onBoth('GET', '/backups'),
      ...onBoth('GET', '/backups/detail'),
      'GET /console/vbs',
      'GET /console/vbs/backups',
      'GET /console/vbs/backups/rows',
    ],
  },
  'backups:get': {
    description: 'Show backups',
    scope: 'project',
    operations: onBoth('GET', '/backups/{backup_id}'),
  },
  'backups:update': {
    description: "Change a backup's name and description",
    scope: 'project',
    operations: onBoth('PUT', '/backups/{backup_id}'),
  },
  'backups:delete': {
    description: 'Delete backups (not one that others build on)',
    scope: 'project',
    operations: [
      ...onBoth('DELETE', '/backups/{backup_id}'),
      `POST ${V2}/cloudbackups/{backup_id}`,
      'POST /console/vbs/backups/{backup_id}/delete',
    ],
  },
  'backups:restore': {
    description: 'Restore backups onto a volume, or a new one',
    scope: 'project',
    operations: [
      ...onBoth('POST', '/backups/{backup_id}/restore'),
      `POST ${V2}/cloudbackups/{backup_id}/restore`,
      'POST /console/vbs/backups/{backup_id}/restore',
    ],
  },
  'jobs:get': {
    description: 'Show the jobs of the native VBS API',
    scope: 'project',
    operations: ['GET /vbs/v1/{project_id}/jobs/{job_id}'],
  },
  'policies:create': {
    description: 'Create backup policies',
    scope: 'project',
    operations: [`POST ${V2}/backuppolicy`],
  },
  'policies:list': {
    description: 'List backup policies',
    scope: 'project',
    operations: [`GET ${V2}/backuppolicy`],
  },
  'policies:update': {
    description: "Change a backup policy's name, schedule and retention",
    scope: 'project',
    operations: [`PUT ${V2}/backuppolicy/{backup_policy_id}`],
  },
  'policies:delete': {
    description: 'Delete backup policies',
    scope: 'project',
    operations: [`DELETE ${V2}/backuppolicy/{backup_policy_id}`],
  },
  'policies:bind': {
    description: 'Bind volumes to a backup policy',
    scope: 'project',
    operations: [`POST ${V2}/backuppolicyresources`],
  },
  'policies:unbind': {
    description: 'Unbind volumes from a backup policy',
    scope: 'project',
    operations: [`POST ${V2}/backuppolicyresources/{backup_policy_id}/deleted_resources`],
  },
  'policies:execute': {
    description: 'Run a backup policy now',
    scope: 'project',
    operations: [`POST ${V2}/backuppolicy/{backup_policy_id}/action`],
  },
});

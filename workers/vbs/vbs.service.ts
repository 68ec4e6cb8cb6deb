/** VBS: volume backups and backup policies; reachable natively here and as Cinder backups on the EVS endpoint. */
import { defineService } from '../service.ts';
import { vbsActions } from './vbs.policy.ts';

export const vbsService = defineService({
  name: 'vbs',
  title: 'Volume Backup Service',
  catalog: [{ type: 'vbs', name: 'vbs', path: '/vbs/v2/{project_id}' }],
  policy: { vbs: vbsActions },
  serviceHost: true,
});

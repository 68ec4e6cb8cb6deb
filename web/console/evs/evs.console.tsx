/**
 * The Console's EVS section, mounted at `/console/evs`: volumes (list with live rows, create, a volume's page with
 * attach, detach, extend, snapshot and delete) and snapshots (list, delete). Each route is guarded by the action
 * of its API route and calls the EVS use cases (attach and detach are the compute service's, as in Nova).
 */

import { z } from 'zod';
import { VOLUME_TYPES } from '../../../core/evs/states.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { attachVolume, detachVolume } from '../../../workers/ecs/usecases/attachments.ts';
import { createSnapshot, deleteSnapshot } from '../../../workers/evs/usecases/snapshots.ts';
import { createVolumes, deleteVolume, extendVolume } from '../../../workers/evs/usecases/volumes.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { button, consoleRouter, done, type Failure, f, form } from '../kit.tsx';
import { renderVolume, type VolumeForm, VolumeSummary, volumeOfPath } from './volume.page.tsx';
import { renderSnapshots, renderVolumeRows, renderVolumes } from './volumes.page.tsx';

export const evsConsole = consoleRouter();

evsConsole.get('/', act('evs:volumes:list'), (c) => c.redirect('/console/evs/volumes', 303));
evsConsole.get('/volumes', act('evs:volumes:list'), (c) => renderVolumes(c));
evsConsole.get('/volumes/rows', act('evs:volumes:list'), (c) => renderVolumeRows(c));

evsConsole.post(
  '/volumes',
  act('evs:volumes:create'),
  form(
    z.object({
      name: f.text('a name').pipe(z.string().max(64, 'A name is at most 64 characters.')),
      size: f.int('the size', 1, 32768),
      volume_type: z.enum(VOLUME_TYPES, { error: 'Choose a disk type.' }).default('SATA'),
      zone: f.optional(),
    }),
    async (c, v) => {
      const req = {
        name: v.name,
        description: null,
        size: v.size,
        volumeType: v.volume_type,
        availabilityZone: v.zone,
        metadata: {},
        multiattach: false,
      };
      await createVolumes(callerOf(c), req);
      return done(c, '/console/evs/volumes', `Volume ${v.name} is being created.`);
    },
    (c, failure) => renderVolumes(c, failure, 'create'),
  ),
);

evsConsole.get('/volumes/:volume_id', act('evs:volumes:get'), (c) => renderVolume(c));
evsConsole.get('/volumes/:volume_id/summary', act('evs:volumes:get'), async (c) => {
  const { rows, volume } = await volumeOfPath(c);
  return c.html(<VolumeSummary c={c} rows={rows} v={volume} />);
});

/** A form on a volume's page: its refusal re-renders the page with the message on that form. */
const onVolume = (which: VolumeForm) => (c: AppContext, failure: Failure) => renderVolume(c, failure, which);
const serverField = z.object({ server: z.string({ error: 'Choose a server.' }).trim().min(1, 'Choose a server.') });
const page = (c: AppContext) => `/console/evs/volumes/${c.req.param('volume_id')}`;

evsConsole.post(
  '/volumes/:volume_id/attach',
  act('ecs:servers:attachVolume'),
  form(
    serverField,
    async (c, { server }) => {
      const a = await attachVolume(callerOf(c), server, { volumeId: c.req.param('volume_id')! });
      return done(c, page(c), `The volume is being attached as ${a.device}.`);
    },
    onVolume('attach'),
  ),
);

evsConsole.post(
  '/volumes/:volume_id/detach',
  act('ecs:servers:detachVolume'),
  form(
    serverField,
    async (c, { server }) => {
      await detachVolume(callerOf(c), server, c.req.param('volume_id')!);
      return done(c, page(c), 'The volume is being detached.');
    },
    (c, failure) => renderVolume(c, failure),
  ),
);

evsConsole.post(
  '/volumes/:volume_id/extend',
  act('evs:volumes:extend'),
  form(
    z.object({ new_size: f.int('the new size', 2, 32768) }),
    async (c, { new_size }) => {
      // Flexible Engine extends attached volumes too (Cinder 3.42's rule).
      await extendVolume(callerOf(c), c.req.param('volume_id')!, new_size, true);
      return done(c, page(c), `The volume is being extended to ${new_size} GB.`);
    },
    onVolume('extend'),
  ),
);

evsConsole.post(
  '/volumes/:volume_id/snapshots',
  act('evs:snapshots:create'),
  form(
    z.object({ snapshot_name: f.text('a name for the snapshot').pipe(z.string().max(64, 'A name is at most 64 characters.')) }),
    async (c, { snapshot_name }) => {
      const req = { volumeId: c.req.param('volume_id')!, name: snapshot_name, description: null, metadata: {}, force: true };
      await createSnapshot(callerOf(c), req);
      return done(c, page(c), `Snapshot ${snapshot_name} is being taken.`);
    },
    onVolume('snapshot'),
  ),
);

evsConsole.post(
  '/volumes/:volume_id/delete',
  act('evs:volumes:delete'),
  form(
    z.object({ from: z.enum(['list', 'volume']).default('list') }),
    async (c) => {
      const { volume } = await volumeOfPath(c);
      await deleteVolume(callerOf(c), volume.id);
      return done(c, '/console/evs/volumes', `Volume ${volume.name || volume.id} is being deleted.`);
    },
    (c, failure) =>
      failure.values.from === 'volume' && failure.status !== 404 ? renderVolume(c, failure, 'delete') : renderVolumes(c, failure),
  ),
);

evsConsole.get('/snapshots', act('evs:snapshots:list'), (c) => renderSnapshots(c));
evsConsole.post(
  '/snapshots/:snapshot_id/delete',
  act('evs:snapshots:delete'),
  button(
    async (c) => {
      await deleteSnapshot(callerOf(c), c.req.param('snapshot_id')!);
      return ['/console/evs/snapshots', 'The snapshot is being deleted.'] as const;
    },
    (c, failure) => renderSnapshots(c, failure),
  ),
);

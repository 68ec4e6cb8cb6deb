/**
 * Usage events of volumes: written with the lifecycle change they describe (start when available, a change when
 * extended, stop when deleted), each once, even when the storage manager's step is delivered again.
 */
import { describe, expect, it } from 'vitest';
import { handle } from '../../workers/evs/manager.ts';
import { bindings, computeProject } from '../ecs/fixtures.ts';
import { availableVolume, cinder, waitVolumeStatus } from './fixtures.ts';

describe('volume usage events', () => {
  it('records start, size change and stop once each, with the volume type', async () => {
    const p = await computeProject('evsu');
    const v = await availableVolume(p, { size: 8, volume_type: 'SSD' });
    // The create step delivered again: the volume is ready already, nothing more is recorded.
    await handle(bindings, { kind: 'create', projectId: p.project, volumeId: v.id });
    await cinder(p, 'POST', `/volumes/${v.id}/action`, { 'os-extend': { new_size: 12 } });
    await waitVolumeStatus(p, v.id, 'available');
    await handle(bindings, { kind: 'extend', projectId: p.project, volumeId: v.id });
    await cinder(p, 'DELETE', `/volumes/${v.id}`);
    await waitVolumeStatus(p, v.id, 'deleted');
    await handle(bindings, { kind: 'delete', projectId: p.project, volumeId: v.id });
    const events = (await bindings.TENANT.getByName(p.project).usageOutbox()).map((r) => r.event);
    expect(events.map((e) => [e.id, e.meter, e.action, e.quantity])).toEqual([
      [`${v.id}:start`, 'evs.volume', 'start', 8],
      [`${v.id}:size:12`, 'evs.volume', 'change', 12],
      [`${v.id}:stop`, 'evs.volume', 'stop', 0],
    ]);
    expect(events[0]!.attributes).toEqual({ volume_type: 'SSD', zone: v.availability_zone });
  });

  it('records nothing for a volume that never became available', async () => {
    const p = await computeProject('evsu');
    const res = await cinder(p, 'POST', '/volumes', { volume: { size: 1 } });
    // Deleted while still creating (an operator's force), before its pool hold: no usage at all.
    const id = res.body.volume.id;
    await bindings.TENANT.getByName(p.project).resetVolumeStatus(id, 'error');
    await cinder(p, 'DELETE', `/volumes/${id}`);
    await waitVolumeStatus(p, id, 'deleted');
    const events = (await bindings.TENANT.getByName(p.project).usageOutbox()).map((r) => r.event).filter((e) => e.resourceId === id);
    expect(events).toEqual([]);
  });
});

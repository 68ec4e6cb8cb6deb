/**
 * Usage events of servers (`ecs.server`): a run from ACTIVE to a stop, a new run after a start, a change when a
 * resize moves it to another flavor, a stop at delete, a recovery on another host that is no stop, a host down
 * that is one, and a replayed step that writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { nova } from '../request.ts';
import { activeServer, bindings, type ComputeProject, computeProject, imageId, waitGone, waitStatus } from './fixtures.ts';

const act = (p: ComputeProject, id: string, body: unknown) => nova(p.token, p.project, 'POST', `/servers/${id}/action`, body);
const tenant = (p: ComputeProject) => bindings.TENANT.getByName(p.project);
/** The server's events in the order written (the outbox's sequence: two may share a time). */
const serverEvents = async (p: ComputeProject, id: string) =>
  (await tenant(p).usageOutbox()).map((r) => r.event).filter((e) => e.meter === 'ecs.server' && e.resourceId === id);

describe('server usage events', () => {
  it('records each run, the resize and the delete once, with the flavor, licence and zone', async () => {
    const p = await computeProject('ecsu');
    const s = await activeServer(p);
    const zone = s['OS-EXT-AZ:availability_zone'];
    // The build's last step delivered again: the server is ACTIVE already, nothing more.
    await tenant(p).activate(s.id, 1);
    expect((await act(p, s.id, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, s.id, 'SHUTOFF');
    // The stop's end replayed: still stopped, no second halt.
    await tenant(p).finishAction(s.id, 4);
    expect((await act(p, s.id, { 'os-start': null })).status).toBe(202);
    await waitStatus(p, s.id, 'ACTIVE');
    await tenant(p).finishAction(s.id, 1);
    expect((await act(p, s.id, { resize: { flavorRef: 's3.medium.2' } })).status).toBe(202);
    await waitStatus(p, s.id, 'VERIFY_RESIZE');
    expect((await act(p, s.id, { revertResize: null })).status).toBe(202);
    await waitStatus(p, s.id, 'ACTIVE');
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${s.id}`)).status).toBe(204);
    await waitGone(p, s.id);
    const small = { flavor: 's3.small.1', licence: '', zone };
    const medium = { ...small, flavor: 's3.medium.2' };
    expect((await serverEvents(p, s.id)).map((e) => [e.id, e.action, e.quantity, e.attributes])).toEqual([
      [`${s.id}:run:1`, 'start', 1, small],
      [`${s.id}:halt:1`, 'stop', 0, small],
      [`${s.id}:run:2`, 'start', 1, small],
      [`${s.id}:run:2:change:1`, 'change', 1, medium],
      [`${s.id}:run:2:change:2`, 'change', 1, small],
      [`${s.id}:halt:2`, 'stop', 0, small],
    ]);
  });

  it('carries the Windows licence, keeps a recovered server running and stops one whose host is down', async () => {
    const p = await computeProject('ecsu');
    const s = await activeServer(p, { imageRef: await imageId(p.token, 'OBS Windows Server 2019 Standard'), flavorRef: 's3.large.2' });
    const host = (await tenant(p).server(s.id))!.hostId!;
    // Recovery moves it to another host without a gap: the run goes on.
    await tenant(p).recovering(s.id, host);
    await tenant(p).recovered(s.id, host, 'another-host', 1);
    expect((await serverEvents(p, s.id)).map((e) => e.id)).toEqual([`${s.id}:run:1`]);
    await tenant(p).hostDown(s.id, 'another-host', 'host down');
    await tenant(p).hostDown(s.id, 'another-host', 'host down');
    const events = await serverEvents(p, s.id);
    expect(events.map((e) => [e.id, e.action])).toEqual([
      [`${s.id}:run:1`, 'start'],
      [`${s.id}:halt:1`, 'stop'],
    ]);
    expect(events[0]!.attributes).toEqual({ flavor: 's3.large.2', licence: 'windows', zone: s['OS-EXT-AZ:availability_zone'] });
  });
});

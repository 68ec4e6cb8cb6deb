/**
 * Cinder snapshots: creating -> available with the snapshot's GB held in its volume type's pool and its usage
 * started, the views and list filters, `force` for an attached volume, volumes made from a snapshot (its size,
 * type and zone by default), deletion (refused while a volume is being made from it), cascade with the volume.
 */
import { describe, expect, it } from 'vitest';
import { computeProject } from '../ecs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';
import { setVolumeStatus, usageOf, waitSnapshot } from '../vbs/fixtures.ts';
import { availableVolume, cinder, heldGb, waitVolumeStatus } from './fixtures.ts';

type P = { token: string; project: string };

async function createSnapshot(p: P, snapshot: Record<string, unknown>) {
  const res = await cinder(p, 'POST', '/snapshots', { snapshot });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.snapshot;
}

describe('Cinder snapshots', () => {
  it('makes a snapshot available, holding its GB in the pool and starting its usage; lists, shows and updates it', async () => {
    const p = await computeProject('snap');
    const v = await availableVolume(p, { size: 7, volume_type: 'SSD' });
    const made = await createSnapshot(p, { volume_id: v.id, name: 's1', metadata: { a: '1' } });
    expect(made).toMatchObject({ status: 'creating', size: 7, volume_id: v.id, name: 's1', metadata: { a: '1' } });
    const s = await waitSnapshot(p, made.id, 'available');
    expect(s['os-extended-snapshot-attributes:progress']).toBe('100%');
    expect(await heldGb(v.availability_zone, s.id)).toBe(7);
    expect(await usageOf(p.project, s.id)).toEqual([{ id: `${s.id}:start`, meter: 'evs.snapshot', action: 'start', quantity: 7 }]);

    await createSnapshot(p, { volume_id: v.id, name: 's2' });
    const byName = await cinder(p, 'GET', '/snapshots/detail?name=s1&all_tenants=1');
    expect(byName.body.snapshots.map((x: any) => x.id)).toEqual([s.id]);
    const summary = await cinder(p, 'GET', `/snapshots?volume_id=${v.id}&limit=1&sort=name:asc`);
    expect(summary.body.snapshots).toHaveLength(1);
    expect(summary.body.snapshots[0]).toMatchObject({ id: s.id, name: 's1' });
    expect(summary.body.snapshots_links[0].href).toContain(`marker=${s.id}`);
    const bad = await cinder(p, 'GET', '/snapshots?bogus=1');
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.message).toMatch(/Invalid filters bogus/);

    const renamed = await cinder(p, 'PUT', `/snapshots/${s.id}`, { snapshot: { name: 'renamed', description: 'd' } });
    expect(renamed.body.snapshot).toMatchObject({ name: 'renamed', description: 'd' });
    expect((await cinder(p, 'POST', `/snapshots/${s.id}/metadata`, { metadata: { b: '2' } })).body.metadata).toEqual({ a: '1', b: '2' });
    expect((await cinder(p, 'DELETE', `/snapshots/${s.id}/metadata/a`)).status).toBe(200);
    expect((await cinder(p, 'GET', `/snapshots/${s.id}/metadata`)).body.metadata).toEqual({ b: '2' });
    expect((await cinder(p, 'GET', `/snapshots/${s.id}/metadata/a`)).status).toBe(404);
  });

  it('refuses an attached volume without force (400), takes it with force', async () => {
    const p = await computeProject('snap');
    const v = await availableVolume(p, { size: 2 });
    await setVolumeStatus(p.project, v.id, 'in-use');
    const refused = await cinder(p, 'POST', '/snapshots', { snapshot: { volume_id: v.id } });
    expect(refused.status).toBe(400);
    expect(refused.body.badRequest.message).toMatch(/must be available.*in-use/);
    expect((await cinder(p, 'GET', '/snapshots')).body.snapshots).toEqual([]);
    const forced = await createSnapshot(p, { volume_id: v.id, force: 'true' });
    await waitSnapshot(p, forced.id, 'available');
  });

  it('makes a volume from a snapshot with its size, type and zone by default', async () => {
    const p = await computeProject('snap');
    const v = await availableVolume(p, { size: 3, volume_type: 'SAS' });
    const s = await createSnapshot(p, { volume_id: v.id });
    await waitSnapshot(p, s.id, 'available');
    const res = await cinder(p, 'POST', '/volumes', { volume: { snapshot_id: s.id, name: 'from-snap' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.volume).toMatchObject({ size: 3, volume_type: 'SAS', availability_zone: v.availability_zone, snapshot_id: s.id });
    const smaller = await cinder(p, 'POST', '/volumes', { volume: { snapshot_id: s.id, size: 2 } });
    expect(smaller.status).toBe(400);
    expect(smaller.body.badRequest.message).toMatch(/cannot be smaller than the snapshot size 3GB/);
    const unknown = await cinder(p, 'POST', '/volumes', { volume: { snapshot_id: crypto.randomUUID() } });
    expect(unknown.status).toBe(404);
    await waitVolumeStatus(p, res.body.volume.id, 'available');
  });

  it('refuses to delete a snapshot while a volume is being made from it; deletes it after, releasing its hold', async () => {
    const p = await computeProject('snap');
    const v = await availableVolume(p, { size: 2 });
    const s = await createSnapshot(p, { volume_id: v.id });
    await waitSnapshot(p, s.id, 'available');
    const made = (await cinder(p, 'POST', '/volumes', { volume: { snapshot_id: s.id } })).body.volume;
    await waitVolumeStatus(p, made.id, 'available');
    await setVolumeStatus(p.project, made.id, 'creating');
    const busy = await cinder(p, 'DELETE', `/snapshots/${s.id}`);
    expect(busy.status).toBe(400);
    expect(busy.body.badRequest.message).toMatch(new RegExp(`volume ${made.id} is being created from it`));
    await setVolumeStatus(p.project, made.id, 'available');
    // The volume has a snapshot: Cinder's 400 until it goes.
    const parent = await cinder(p, 'DELETE', `/volumes/${v.id}`);
    expect(parent.status).toBe(400);
    expect((await cinder(p, 'DELETE', `/snapshots/${s.id}`)).status).toBe(202);
    await waitSnapshot(p, s.id, 'deleted');
    expect(await heldGb(v.availability_zone, s.id)).toBeUndefined();
    expect((await usageOf(p.project, s.id)).map((e) => e.action)).toEqual(['start', 'stop']);
  });

  it("deletes a volume's snapshots with it on cascade, their holds released", async () => {
    const p = await computeProject('snap');
    const v = await availableVolume(p, { size: 2 });
    const s = await createSnapshot(p, { volume_id: v.id });
    await waitSnapshot(p, s.id, 'available');
    expect((await cinder(p, 'DELETE', `/volumes/${v.id}?cascade=true`)).status).toBe(202);
    await waitVolumeStatus(p, v.id, 'deleted');
    expect((await cinder(p, 'GET', `/snapshots/${s.id}`)).status).toBe(404);
    expect(await heldGb(v.availability_zone, s.id)).toBeUndefined();
  });

  it('enforces the snapshots quota: 413 overLimit beyond it', async () => {
    const p = await computeProject('snap');
    const op = await operatorAccount();
    const set = await send(await tokenFor(op), 'PUT', `/evs/v3/${op.projects[0]!.id}/os-quota-sets/${p.project}`, {
      quota_set: { snapshots: 1 },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const v = await availableVolume(p, { size: 1 });
    await createSnapshot(p, { volume_id: v.id });
    const over = await cinder(p, 'POST', '/snapshots', { snapshot: { volume_id: v.id } });
    expect(over.status).toBe(413);
    expect(over.body.overLimit.message).toMatch(/snapshots/);
    expect((await cinder(p, 'GET', '/snapshots')).body.snapshots).toHaveLength(1);
  });

  it('refuses bad input in the fault wrapper, writing nothing', async () => {
    const p = await computeProject('snap');
    const v = await availableVolume(p, { size: 1 });
    const cases: [unknown, number, RegExp][] = [
      [{ snapshot: {} }, 400, /volume_id/],
      [{ snapshot: { volume_id: v.id, bogus: 1 } }, 400, /bogus/],
      [{ snapshot: { volume_id: v.id }, extra: 1 }, 400, /extra/],
      [{ snapshot: { volume_id: v.id, force: 'maybe' } }, 400, /force/],
      [{ snapshot: { volume_id: crypto.randomUUID() } }, 404, /could not be found/],
    ];
    for (const [body, status, message] of cases) {
      const res = await cinder(p, 'POST', '/snapshots', body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(JSON.stringify(res.body)).toMatch(message);
    }
    expect((await cinder(p, 'GET', '/snapshots/detail')).body.snapshots).toEqual([]);
    expect((await cinder(p, 'GET', `/snapshots/${crypto.randomUUID()}`)).body.itemNotFound.message).toMatch(
      /Snapshot .* could not be found/,
    );
  });

  it('reverts a volume to its latest snapshot (3.40), refusing an older one or a size that changed', async () => {
    const p = await computeProject('snap');
    const v = await availableVolume(p, { size: 2 });
    const older = await createSnapshot(p, { volume_id: v.id, name: 'older' });
    await waitSnapshot(p, older.id, 'available');
    const latest = await createSnapshot(p, { volume_id: v.id, name: 'latest' });
    await waitSnapshot(p, latest.id, 'available');
    const revert = (id: string, version = '3.40') => cinder(p, 'POST', `/volumes/${v.id}/action`, { revert: { snapshot_id: id } }, version);
    expect((await revert(latest.id, '3.39')).body.badRequest.message).toMatch(/needs microversion 3.40/);
    const old = await revert(older.id);
    expect(old.status).toBe(400);
    expect(old.body.badRequest.message).toMatch(/only supports its latest snapshot/);
    expect((await revert(latest.id)).status).toBe(202);
    expect((await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status).toBe('available');
    expect((await cinder(p, 'POST', `/volumes/${v.id}/action`, { 'os-extend': { new_size: 3 } })).status).toBe(202);
    await waitVolumeStatus(p, v.id, 'available');
    const grown = await revert(latest.id);
    expect(grown.status).toBe(400);
    expect(grown.body.badRequest.message).toMatch(/size 3 GB does not match/);
  });
});

describe('native cloudsnapshots', () => {
  const evs = (p: P, method: string, path: string, body?: unknown) => send(p.token, method, `/evs/v2/${p.project}${path}`, body);

  it('creates, lists, updates, rolls back and deletes, in EVS envelope on refusal', async () => {
    const p = await computeProject('snapn');
    const v = await availableVolume(p, { size: 2 });
    const made = await evs(p, 'POST', '/cloudsnapshots', { snapshot: { volume_id: v.id, name: 'ns' } });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body.snapshot).toMatchObject({ name: 'ns', volume_id: v.id, service_type: 'EVS' });
    const id = made.body.snapshot.id;
    await waitSnapshot(p, id, 'available');
    const listed = await evs(p, 'GET', `/cloudsnapshots/detail?volume_id=${v.id}&limit=10`);
    expect(listed.body).toMatchObject({ count: 1, snapshots: [{ id, status: 'available' }] });
    expect((await evs(p, 'PUT', `/cloudsnapshots/${id}`, { snapshot: { name: 'renamed' } })).body.snapshot.name).toBe('renamed');
    const rolled = await evs(p, 'POST', `/cloudsnapshots/${id}/rollback`, { rollback: { volume_id: v.id } });
    expect(rolled.status, JSON.stringify(rolled.body)).toBe(202);
    expect(rolled.body.rollback).toMatchObject({ volume_id: v.id });
    const missing = await evs(p, 'PUT', `/cloudsnapshots/${crypto.randomUUID()}`, { snapshot: { name: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('EVS.5400');
    const bad = await evs(p, 'POST', '/cloudsnapshots', { snapshot: { volume_id: v.id, bogus: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('EVS.2001');
    expect((await evs(p, 'DELETE', `/cloudsnapshots/${id}`)).status).toBe(202);
    await waitSnapshot(p, id, 'deleted');
  });
});

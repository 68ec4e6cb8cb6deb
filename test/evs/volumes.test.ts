/**
 * Cinder v3 volumes: the lifecycle creating -> available -> extending -> available -> deleting -> gone, with the
 * zone's storage pool holding the volume's size all along; the views the clients read; bad input refused in
 * Cinder's fault wrapper with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { computeProject } from '../ecs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';
import { availableVolume, cinder, createVolume, heldGb, waitVolumeStatus } from './fixtures.ts';

describe('Cinder volumes', () => {
  it('creates a volume that becomes available, holding its size in its zone pool', async () => {
    const p = await computeProject('evs');
    const made = await createVolume(p, { size: 10, volume_type: 'SSD', name: 'data', metadata: { k: 'v' } });
    expect(made).toMatchObject({
      status: 'creating',
      size: 10,
      volume_type: 'SSD',
      name: 'data',
      metadata: { k: 'v' },
      bootable: 'false',
      attachments: [],
    });
    expect(made.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const v = await waitVolumeStatus(p, made.id, 'available');
    expect(await heldGb(v.availability_zone, v.id)).toBe(10);
    const listed = await cinder(p, 'GET', '/volumes?name=data');
    expect(listed.body.volumes).toEqual([{ id: v.id, name: 'data', links: expect.any(Array) }]);
  });

  it('extends an available volume, growing its hold; refuses shrinking', async () => {
    const p = await computeProject('evs');
    const v = await availableVolume(p, { size: 5 });
    const shrink = await cinder(p, 'POST', `/volumes/${v.id}/action`, { 'os-extend': { new_size: 4 } });
    expect(shrink.status).toBe(400);
    expect(shrink.body.badRequest.message).toMatch(/greater than current size/);
    expect((await cinder(p, 'POST', `/volumes/${v.id}/action`, { 'os-extend': { new_size: 20 } })).status).toBe(202);
    const grown = await waitVolumeStatus(p, v.id, 'available');
    expect(grown.size).toBe(20);
    expect(await heldGb(v.availability_zone, v.id)).toBe(20);
  });

  it('deletes a volume: 202, then it is gone and its pool hold released', async () => {
    const p = await computeProject('evs');
    const v = await availableVolume(p);
    expect((await cinder(p, 'DELETE', `/volumes/${v.id}`)).status).toBe(202);
    await waitVolumeStatus(p, v.id, 'deleted');
    expect(await heldGb(v.availability_zone, v.id)).toBeUndefined();
    const gone = await cinder(p, 'GET', `/volumes/${v.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.itemNotFound.message).toBe(`Volume ${v.id} could not be found.`);
  });

  it('refuses bad input in the fault wrapper, writing nothing', async () => {
    const p = await computeProject('evs');
    const cases: [unknown, RegExp][] = [
      [{ volume: { size: 0 } }, /between 1 and 32768/],
      [{ volume: { size: 32769 } }, /between 1 and 32768/],
      [{ volume: { size: 1, volume_type: 'GOLD' } }, /Volume type with name GOLD could not be found/],
      [{ volume: { size: 1, availability_zone: 'mars-1a' } }, /Availability zone 'mars-1a' is invalid/],
      [{ volume: { name: 'x' } }, /Size must be specified/],
      [{ volume: { size: 1, bogus: 1 } }, /bogus/],
      [{ volumes: {} }, /volume/],
    ];
    for (const [body, message] of cases) {
      const res = await cinder(p, 'POST', '/volumes', body);
      expect(res.status === 400 || res.status === 404, JSON.stringify(res.body)).toBe(true);
      expect(JSON.stringify(res.body), JSON.stringify(body)).toMatch(message);
    }
    expect((await cinder(p, 'GET', '/volumes/detail')).body.volumes).toEqual([]);
  });

  it('answers the version document at /evs and /evs/v3 without a token', async () => {
    for (const path of ['/evs', '/evs/v3', '/evs/v3/']) {
      const res = await send(undefined, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.body.versions[0]).toMatchObject({ id: 'v3.0', status: 'CURRENT', min_version: '3.0', version: '3.60' });
    }
  });

  it('refuses a volume quota passed by concurrent creates: exactly the limit is made', async () => {
    const p = await computeProject('evs');
    const op = await operatorAccount();
    const admin = await tokenFor(op);
    const set = await send(admin, 'PUT', `/evs/v3/${op.projects[0]!.id}/os-quota-sets/${p.project}`, { quota_set: { volumes: 3 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const replies = await Promise.all(Array.from({ length: 8 }, () => cinder(p, 'POST', '/volumes', { volume: { size: 1 } })));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(3);
    const refused = replies.filter((r) => r.status !== 202);
    expect(refused.every((r) => r.status === 413 && /volumes/.test(r.body.overLimit.message))).toBe(true);
    expect((await cinder(p, 'GET', '/volumes')).body.volumes).toHaveLength(3);
  });
});

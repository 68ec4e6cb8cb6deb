/** Rebuild from another image, and resize with confirm and revert: states, flavors, hosts and claims. */
import { describe, expect, it } from 'vitest';
import { expectNovaError, nova } from '../request.ts';
import { activeServer, claimsOf, computeProject, imageId, instancesOf, waitStatus } from './fixtures.ts';

describe('rebuild', () => {
  it('boots the new image in place, keeping id and addresses, with a fresh admin password', async () => {
    const p = await computeProject('rebuild');
    const s = await activeServer(p);
    const older = await imageId(p.token, 'OBS Ubuntu 20.04');
    const res = await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { rebuild: { imageRef: older, name: 'renamed' } });
    expect(res.status).toBe(202);
    expect(res.body.server).toMatchObject({ id: s.id, status: 'REBUILD', name: 'renamed', adminPass: expect.any(String) });
    const done = await waitStatus(p, s.id, 'ACTIVE');
    expect(done.image.id).toBe(older);
    expect(done.addresses).toEqual(s.addresses);
    const log = await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { 'os-getConsoleOutput': {} });
    expect(log.body.output).toContain(older);
    expectNovaError(
      await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { rebuild: { imageRef: crypto.randomUUID() } }),
      400,
      'badRequest',
    );
    const bms = await imageId(p.token, 'OBS Ubuntu 22.04 BMS');
    expectNovaError(await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { rebuild: { imageRef: bms } }), 400, 'badRequest');
  });
});

describe('resize', () => {
  it('holds both sizes until confirmed, then keeps only the new one', async () => {
    const p = await computeProject('resize');
    const s = await activeServer(p, { flavorRef: 's3.small.1' });
    expect((await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { resize: { flavorRef: 's3.large.2' } })).status).toBe(202);
    const verify = await waitStatus(p, s.id, 'VERIFY_RESIZE');
    expect(verify.flavor.id).toBe('s3.large.2');
    expect(verify['OS-EXT-STS:vm_state']).toBe('resized');
    const zone = verify['OS-EXT-AZ:availability_zone'];
    expect(await claimsOf(zone, `${s.id}#resize`)).toHaveLength(1);
    expectNovaError(
      await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { resize: { flavorRef: 's3.medium.2' } }),
      409,
      'conflictingRequest',
    );
    expect((await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { confirmResize: null })).status).toBe(204);
    const active = await waitStatus(p, s.id, 'ACTIVE');
    expect(active.flavor.id).toBe('s3.large.2');
    await new Promise((r) => setTimeout(r, 300));
    const claims = await claimsOf(zone, s.id);
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ vcpus: 2, ramMb: 4096 });
    expect(await claimsOf(zone, `${s.id}#resize`)).toHaveLength(0);
    expect(await instancesOf(zone, s.id)).toHaveLength(1);
  });

  it('reverts to the old flavor and frees the new claim; refuses the same flavor', async () => {
    const p = await computeProject('revert');
    const s = await activeServer(p, { flavorRef: 's3.small.1' });
    expectNovaError(
      await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { resize: { flavorRef: 's3.small.1' } }),
      400,
      'badRequest',
    );
    expectNovaError(await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { confirmResize: null }), 409, 'conflictingRequest');
    await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { resize: { flavorRef: 's3.medium.2' } });
    const verify = await waitStatus(p, s.id, 'VERIFY_RESIZE');
    expect((await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { revertResize: null })).status).toBe(202);
    const back = await waitStatus(p, s.id, 'ACTIVE');
    expect(back.flavor.id).toBe('s3.small.1');
    await new Promise((r) => setTimeout(r, 300));
    const zone = verify['OS-EXT-AZ:availability_zone'];
    expect(await claimsOf(zone, `${s.id}#resize`)).toHaveLength(0);
    expect((await claimsOf(zone, s.id))[0]).toMatchObject({ vcpus: 1, ramMb: 1024 });
    expect(await instancesOf(zone, s.id)).toHaveLength(1);
  });
});

/**
 * Nova's own rules where this cloud had its own (issue 18): lock's body, server metadata limits, the power state
 * a rebuild keeps. Each case states what upstream Nova does at microversions 2.1 to 2.26.
 */
import { describe, expect, it } from 'vitest';
import { expectNovaError, nova } from '../request.ts';
import { activeServer, boot, computeProject, imageId, waitStatus } from './fixtures.ts';

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

describe('lock and unlock bodies', () => {
  // nova/api/openstack/compute/lock_server.py validates the lock body only from 2.73 (lock_v2_73), and unlock's
  // never: below 2.73 `{"lock": {}}` is as good as `{"lock": null}`.
  it('accepts null or an object, as Nova does below 2.73', async () => {
    const p = await computeProject('lockbody');
    const s = await activeServer(p);
    const act = (body: unknown) => nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, body);
    // `locked` is shown from 2.9.
    const locked = async () =>
      (await nova(p.token, p.project, 'GET', `/servers/${s.id}`, undefined, { 'OpenStack-API-Version': 'compute 2.9' })).body.server.locked;
    expect((await act({ lock: {} })).status).toBe(202);
    expect(await locked()).toBe(true);
    expect((await act({ unlock: {} })).status).toBe(202);
    expect((await act({ lock: null })).status).toBe(202);
    expect((await act({ unlock: null })).status).toBe(202);
    expect(await locked()).toBe(false);
  });
});

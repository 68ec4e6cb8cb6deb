/**
 * Nova's own rules where this cloud had its own (issue 18): lock's body, server metadata limits, the power state
 * a rebuild keeps, the default quotas. Each case states what upstream Nova does at microversions 2.1 to 2.26.
 */
import { describe, expect, it } from 'vitest';
import { expectNovaError, nova } from '../request.ts';
import { activeServer, bindings, boot, computeProject, imageId, waitStatus } from './fixtures.ts';

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

describe('server metadata limits', () => {
  // Nova's parameter_types.metadata: keys match ^[a-zA-Z0-9-_:. ]{1,255}$, values are strings of at most 255; the
  // metadata_items quota (128, maxServerMeta in /limits) is a 403 on create, rebuild and each metadata change.
  it('refuses more than maxServerMeta items with 403 on create, the metadata routes and rebuild, changing nothing', async () => {
    const p = await computeProject('metaquota');
    const limits = await nova(p.token, p.project, 'GET', '/limits');
    const max = limits.body.limits.absolute.maxServerMeta as number;
    expect(max).toBe(128);
    const image = await imageId(p.token);
    const create = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'm', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }], metadata: many(max + 1) },
    });
    expectNovaError(create, 403, 'forbidden', /Quota exceeded for metadata_items/);
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toEqual([]);

    const s = await activeServer(p, { metadata: many(max) });
    expect(Object.keys(s.metadata)).toHaveLength(max);
    const path = `/servers/${s.id}/metadata`;
    expectNovaError(await nova(p.token, p.project, 'PUT', path, { metadata: many(max + 1) }), 403, undefined, /Quota exceeded/);
    expectNovaError(await nova(p.token, p.project, 'POST', path, { metadata: { extra: 'v' } }), 403, undefined, /Quota exceeded/);
    expectNovaError(await nova(p.token, p.project, 'PUT', `${path}/extra`, { meta: { extra: 'v' } }), 403, undefined, /Quota exceeded/);
    const rebuild = await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, {
      rebuild: { imageRef: image, metadata: many(max + 1) },
    });
    expectNovaError(rebuild, 403, undefined, /Quota exceeded for metadata_items/);
    const after = await nova(p.token, p.project, 'GET', `/servers/${s.id}`);
    expect(after.body.server).toMatchObject({ status: 'ACTIVE', metadata: many(max) });
  });

  it('refuses keys that are empty, too long or outside Nova’s characters with 400, on every door', async () => {
    const p = await computeProject('metakeys');
    const image = await imageId(p.token);
    const s = await activeServer(p, { metadata: { 'a-b_c:d. e': 'ok' } });
    for (const metadata of [{ '': 'v' }, { ['k'.repeat(256)]: 'v' }, { 'a/b': 'v' }, { k: 'v'.repeat(256) }]) {
      const create = await nova(p.token, p.project, 'POST', '/servers', {
        server: { name: 'm', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }], metadata },
      });
      expectNovaError(create, 400, 'badRequest');
      expectNovaError(await nova(p.token, p.project, 'PUT', `/servers/${s.id}/metadata`, { metadata }), 400, 'badRequest');
      expectNovaError(await nova(p.token, p.project, 'POST', `/servers/${s.id}/metadata`, { metadata }), 400, 'badRequest');
      const rebuild = await nova(p.token, p.project, 'POST', `/servers/${s.id}/action`, { rebuild: { imageRef: image, metadata } });
      expectNovaError(rebuild, 400, 'badRequest');
    }
    const key = 'a/b';
    expectNovaError(
      await nova(p.token, p.project, 'PUT', `/servers/${s.id}/metadata/${encodeURIComponent(key)}`, { meta: { [key]: 'v' } }),
      400,
      'badRequest',
    );
    const servers = (await nova(p.token, p.project, 'GET', '/servers')).body.servers;
    expect(servers.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.metadata).toEqual({ 'a-b_c:d. e': 'ok' });
  });
});

describe('rebuild keeps the power state', () => {
  // Nova's compute manager (rebuild_instance) stops a rebuilt server whose vm_state was stopped: it ends SHUTOFF.
  it('leaves a stopped server SHUTOFF, vm_state stopped, after its rebuild', async () => {
    const p = await computeProject('rebuildoff');
    const { id } = await boot(p);
    await waitStatus(p, id, 'ACTIVE');
    expect((await nova(p.token, p.project, 'POST', `/servers/${id}/action`, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, id, 'SHUTOFF');
    const older = await imageId(p.token, 'OBS Ubuntu 20.04');
    const res = await nova(p.token, p.project, 'POST', `/servers/${id}/action`, { rebuild: { imageRef: older } });
    expect(res.status).toBe(202);
    expect(res.body.server.status).toBe('REBUILD');
    const done = await waitStatus(p, id, 'ACTIVE', 'SHUTOFF');
    expect(done).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:power_state': 4 });
    expect(done.image.id).toBe(older);
    // It starts again as any stopped server does.
    expect((await nova(p.token, p.project, 'POST', `/servers/${id}/action`, { 'os-start': null })).status).toBe(202);
    expect((await waitStatus(p, id, 'ACTIVE'))['OS-EXT-STS:power_state']).toBe(1);
  });
});

describe('default quotas', () => {
  // Nova's GET /os-quota-sets/{tenant_id}/defaults answers the cloud's defaults, not the project's own limits.
  it('answers the defaults whatever the project’s own quotas, and nothing of another account', async () => {
    const p = await computeProject('quotadefaults');
    await bindings.TENANT.getByName(p.project).setComputeQuotas({ instances: 3, cores: 6 });
    const own = (await nova(p.token, p.project, 'GET', `/os-quota-sets/${p.project}`)).body.quota_set;
    expect(own).toMatchObject({ instances: 3, cores: 6 });
    const defaults = await nova(p.token, p.project, 'GET', `/os-quota-sets/${p.project}/defaults`);
    expect(defaults.status).toBe(200);
    expect(defaults.body.quota_set).toEqual({
      id: p.project,
      instances: 20,
      cores: 80,
      ram: 163840,
      key_pairs: 100,
      server_groups: 10,
      server_group_members: 16,
      metadata_items: 128,
      injected_files: 5,
      injected_file_content_bytes: 10240,
      injected_file_path_bytes: 255,
      floating_ips: 10,
      fixed_ips: -1,
      security_groups: 100,
      security_group_rules: 5000,
    });
    expect(Object.keys(defaults.body.quota_set).sort()).toEqual(Object.keys(own).sort());
    const other = await computeProject('quotadefaults');
    expectNovaError(await nova(p.token, p.project, 'GET', `/os-quota-sets/${other.project}/defaults`), 404, 'itemNotFound');
  });
});

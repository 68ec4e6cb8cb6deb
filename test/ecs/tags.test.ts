/**
 * Nova server tags (2.26): the `/tags` routes and their answers, Nova's limits (50 tags of 1 to 60 characters
 * without '/' or ','), the states that allow tagging, tags in server bodies and the four list filters; unknown
 * before 2.26; isolated per tenant and authorised per action; and the native API's `server_tags`, stored as the
 * same tags (`key=value`) and shown in its detail.
 */
import { describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../fixtures.ts';
import { call, expectNativeError, expectNovaError, json, nova } from '../request.ts';
import { activeServer, type ComputeProject, computeProject, holdZone, imageId, waitStatus } from './fixtures.ts';

const V226 = { 'OpenStack-API-Version': 'compute 2.26' };
const at = (p: ComputeProject, method: string, path: string, body?: unknown, headers: Record<string, string> = V226) =>
  nova(p.token, p.project, method, path, body, headers);
const tagsOf = async (p: ComputeProject, id: string) => (await at(p, 'GET', `/servers/${id}/tags`)).body.tags;

describe('the tag routes', () => {
  it('add (201, then 204), check (204 or 404), list, replace, remove and clear tags', async () => {
    const p = await computeProject('tags');
    const s = await activeServer(p);
    expect(await tagsOf(p, s.id)).toEqual([]);

    const added = await at(p, 'PUT', `/servers/${s.id}/tags/web`);
    expect(added.status).toBe(201);
    expect(added.body).toBeNull();
    expect(added.headers.get('Location')).toBe(`http://cloud.test/ecs/v2.1/${p.project}/servers/${s.id}/tags/web`);
    expect((await at(p, 'PUT', `/servers/${s.id}/tags/web`)).status).toBe(204);
    expect((await at(p, 'PUT', `/servers/${s.id}/tags/${encodeURIComponent('env=prod')}`, null)).status).toBe(201);
    expect((await at(p, 'PUT', `/servers/${s.id}/tags/${encodeURIComponent('with space')}`)).status).toBe(201);

    const exists = await at(p, 'GET', `/servers/${s.id}/tags/web`);
    expect(exists.status).toBe(204);
    expect(exists.body).toBeNull();
    expectNovaError(await at(p, 'GET', `/servers/${s.id}/tags/db`), 404, 'itemNotFound', /has no tag 'db'/);

    const list = await at(p, 'GET', `/servers/${s.id}/tags`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ tags: ['env=prod', 'web', 'with space'] });

    // A replacement takes a set: duplicates collapse; the answer is the new set.
    const replaced = await at(p, 'PUT', `/servers/${s.id}/tags`, { tags: ['b', 'a', 'b', 'ü-unicode'] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ tags: ['a', 'b', 'ü-unicode'] });
    expect(await tagsOf(p, s.id)).toEqual(['a', 'b', 'ü-unicode']);

    const removed = await at(p, 'DELETE', `/servers/${s.id}/tags/a`);
    expect(removed.status).toBe(204);
    expect(removed.body).toBeNull();
    expectNovaError(await at(p, 'DELETE', `/servers/${s.id}/tags/a`), 404, 'itemNotFound');
    expect(await tagsOf(p, s.id)).toEqual(['b', 'ü-unicode']);

    const cleared = await at(p, 'DELETE', `/servers/${s.id}/tags`);
    expect(cleared.status).toBe(204);
    expect(await tagsOf(p, s.id)).toEqual([]);
    expect((await at(p, 'PUT', `/servers/${s.id}/tags`, { tags: [] })).body).toEqual({ tags: [] });
    expectNovaError(await at(p, 'GET', `/servers/${crypto.randomUUID()}/tags`), 404, 'itemNotFound');
  });

  it("keeps Nova's limits: 50 tags, 1 to 60 characters, no '/' or ','", async () => {
    const p = await computeProject('tags');
    const s = await activeServer(p);
    const path = `/servers/${s.id}/tags`;
    const fifty = Array.from({ length: 50 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    for (const body of [
      { tags: [...fifty, 'one-more'] },
      { tags: ['x'.repeat(61)] },
      { tags: [''] },
      { tags: ['a,b'] },
      { tags: ['a/b'] },
      { tags: [1] },
      { tags: 'a' },
      {},
      { tags: ['a'], extra: true },
    ]) {
      expectNovaError(await at(p, 'PUT', path, body), 400, 'badRequest');
    }
    for (const bad of ['x'.repeat(61), 'a,b', encodeURIComponent('a/b')])
      expectNovaError(await at(p, 'PUT', `${path}/${bad}`), 400, 'badRequest', /Tag '.*' is invalid/);
    expectNovaError(await at(p, 'PUT', `${path}/fine`, { tag: 'fine' }), 400, 'badRequest');
    expect(await tagsOf(p, s.id)).toEqual([]);

    expect((await at(p, 'PUT', path, { tags: fifty })).body.tags).toHaveLength(50);
    expect((await at(p, 'PUT', `${path}/${'y'.repeat(60)}`)).status).toBe(400);
    expectNovaError(await at(p, 'PUT', `${path}/t00`), 400, 'badRequest', /exceeded the per-server limit 50/);
    expect((await at(p, 'DELETE', `${path}/t00`)).status).toBe(204);
    expect((await at(p, 'PUT', `${path}/${'y'.repeat(60)}`)).status).toBe(201);
    expect(await tagsOf(p, s.id)).toHaveLength(50);
  });

  it('are unknown before 2.26: 404 on every route, no tags in bodies, filters ignored', async () => {
    const p = await computeProject('tags');
    const s = await activeServer(p);
    await at(p, 'PUT', `/servers/${s.id}/tags/kept`);
    const v225 = { 'OpenStack-API-Version': 'compute 2.25' };
    for (const [method, path, body] of [
      ['GET', `/servers/${s.id}/tags`],
      ['PUT', `/servers/${s.id}/tags`, { tags: ['x'] }],
      ['DELETE', `/servers/${s.id}/tags`],
      ['GET', `/servers/${s.id}/tags/kept`],
      ['PUT', `/servers/${s.id}/tags/x`],
      ['DELETE', `/servers/${s.id}/tags/kept`],
    ] as const) {
      expectNovaError(await at(p, method, path, body, v225), 404, 'itemNotFound');
      expectNovaError(await at(p, method, path, body, {}), 404, 'itemNotFound');
    }
    expect(await tagsOf(p, s.id)).toEqual(['kept']);
    expect((await at(p, 'GET', `/servers/${s.id}`, undefined, v225)).body.server).not.toHaveProperty('tags');
    expect((await at(p, 'GET', '/servers?tags=absent', undefined, v225)).body.servers).toHaveLength(1);
    expect((await at(p, 'GET', '/servers?tags=absent')).body.servers).toHaveLength(0);
  });
});

describe('tags on servers', () => {
  it('show in show, detail, update and rebuild bodies; change while locked; only in active, stopped states', async () => {
    const p = await computeProject('tags');
    const s = await activeServer(p);
    await at(p, 'PUT', `/servers/${s.id}/tags`, { tags: ['blue', 'red'] });
    expect((await at(p, 'GET', `/servers/${s.id}`)).body.server.tags).toEqual(['blue', 'red']);
    expect((await at(p, 'GET', '/servers/detail')).body.servers[0].tags).toEqual(['blue', 'red']);
    expect((await at(p, 'PUT', `/servers/${s.id}`, { server: { name: 'renamed' } })).body.server.tags).toEqual(['blue', 'red']);
    const rebuilt = await at(p, 'POST', `/servers/${s.id}/action`, { rebuild: { imageRef: await imageId(p.token) } });
    expect(rebuilt.body.server.tags).toEqual(['blue', 'red']);
    // A rebuilding server is still active in Nova's vm_state: tags may change.
    expect((await at(p, 'PUT', `/servers/${s.id}/tags/rebuilt`)).status).toBe(201);
    await waitStatus(p, s.id, 'ACTIVE');
    // A tag does not change the server's `updated` time.
    const before = (await at(p, 'GET', `/servers/${s.id}`)).body.server.updated;
    await at(p, 'PUT', `/servers/${s.id}/tags/later`);
    expect((await at(p, 'GET', `/servers/${s.id}`)).body.server.updated).toBe(before);

    // Locks stop actions, not tags.
    await at(p, 'POST', `/servers/${s.id}/action`, { lock: null });
    expect((await at(p, 'PUT', `/servers/${s.id}/tags/locked`)).status).toBe(201);
    await at(p, 'POST', `/servers/${s.id}/action`, { unlock: null });

    await at(p, 'POST', `/servers/${s.id}/action`, { 'os-stop': null });
    await waitStatus(p, s.id, 'SHUTOFF');
    expect((await at(p, 'DELETE', `/servers/${s.id}/tags/blue`)).status).toBe(204);
    expect(await tagsOf(p, s.id)).toEqual(['later', 'locked', 'rebuilt', 'red']);
  });

  it('refuses tag changes with 409 while the server is still building, but reads them', async () => {
    const p = await computeProject('tags');
    const hold = await holdZone('eu-west-0c', 800);
    const created = await at(p, 'POST', '/servers', {
      server: {
        name: 'building',
        imageRef: await imageId(p.token),
        flavorRef: 's3.small.1',
        networks: [{ uuid: p.network.id }],
        availability_zone: 'eu-west-0c',
      },
    });
    const id = created.body.server.id;
    expect((await at(p, 'GET', `/servers/${id}`)).body.server).toMatchObject({ status: 'BUILD', tags: [] });
    for (const [method, path, body] of [
      ['PUT', `/servers/${id}/tags/x`],
      ['PUT', `/servers/${id}/tags`, { tags: ['x'] }],
      ['DELETE', `/servers/${id}/tags/x`],
      ['DELETE', `/servers/${id}/tags`],
    ] as const) {
      expectNovaError(await at(p, method, path, body), 409, 'conflictingRequest', /vm_state building/);
    }
    expect(await tagsOf(p, id)).toEqual([]);
    await hold.released;
    await waitStatus(p, id, 'ACTIVE');
    expect((await at(p, 'PUT', `/servers/${id}/tags/x`)).status).toBe(201);
  });

  it('filter lists: tags (all), tags-any (one), not-tags (not all), not-tags-any (none), combined', async () => {
    const p = await computeProject('tags');
    const one = await activeServer(p, { name: 'one' });
    const two = await activeServer(p, { name: 'two' });
    const three = await activeServer(p, { name: 'three' });
    await at(p, 'PUT', `/servers/${one.id}/tags`, { tags: ['a', 'b'] });
    await at(p, 'PUT', `/servers/${two.id}/tags`, { tags: ['a'] });
    await at(p, 'PUT', `/servers/${three.id}/tags`, { tags: ['c'] });
    const names = async (query: string, path = '/servers') => {
      const res = await at(p, 'GET', `${path}?${query}`);
      expect(res.status, query).toBe(200);
      return res.body.servers.map((s: { name: string }) => s.name).sort();
    };
    expect(await names('tags=a')).toEqual(['one', 'two']);
    expect(await names('tags=a,b')).toEqual(['one']);
    expect(await names('tags=a,c')).toEqual([]);
    expect(await names('tags-any=b,c')).toEqual(['one', 'three']);
    expect(await names('not-tags=a,b')).toEqual(['three', 'two']);
    expect(await names('not-tags=a')).toEqual(['three']);
    expect(await names('not-tags-any=b,c')).toEqual(['two']);
    expect(await names('tags=a&not-tags-any=b')).toEqual(['two']);
    expect(await names('tags-any=a,c&not-tags=a,b', '/servers/detail')).toEqual(['three', 'two']);
    expect(await names('tags=missing')).toEqual([]);
    expect(await names('name=t&tags-any=a,c')).toEqual(['three', 'two']);
  });
});

describe('tag isolation and authorisation', () => {
  it("another account gets 404 on another's server tags; a viewer reads but cannot change; no token is 401", async () => {
    const victim = await computeProject('tags');
    const s = await activeServer(victim);
    await at(victim, 'PUT', `/servers/${s.id}/tags/secret`);
    const routes = [
      ['GET', `/servers/${s.id}/tags`],
      ['PUT', `/servers/${s.id}/tags`, { tags: ['stolen'] }],
      ['DELETE', `/servers/${s.id}/tags`],
      ['GET', `/servers/${s.id}/tags/secret`],
      ['PUT', `/servers/${s.id}/tags/stolen`],
      ['DELETE', `/servers/${s.id}/tags/secret`],
    ] as const;
    const other = await computeProject('tags');
    for (const [method, path, body] of routes) {
      expectNovaError(await at(other, method, path, body), 404, 'itemNotFound');
      expectNovaError(await nova(other.token, victim.project, method, path, body, V226), 403, 'forbidden');
      expectNovaError(await nova(undefined, victim.project, method, path, body, V226), 401, 'unauthorized');
    }
    const viewer = await createUser(victim.account, victim.token, { role: 'ecs_viewer' });
    const token = await tokenFor(victim.account, { user: viewer.name, password: viewer.password });
    for (const [method, path, body] of routes) {
      const res = await nova(token, victim.project, method, path, body, V226);
      if (method === 'GET') expect(res.status, path).toBeLessThan(300);
      else expectNovaError(res, 403, 'forbidden');
    }
    expect(await tagsOf(victim, s.id)).toEqual(['secret']);
    expect((await at(other, 'GET', '/servers?tags-any=secret')).body.servers).toEqual([]);
  });
});

describe('native server_tags', () => {
  it('are stored as key=value Nova tags, shown in the native detail and filterable; Nova tags show there too', async () => {
    const p = await computeProject('ntags');
    const ecs = async (method: string, path: string, body?: unknown) => {
      const res = await call(`/ecs/v1/${p.project}${path}`, { method, token: p.token, json: body });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    };
    const vpc = await json(
      await call(`/vpc/v1/${p.project}/vpcs`, { method: 'POST', token: p.token, json: { vpc: { name: 'v', cidr: '10.1.0.0/16' } } }),
    );
    const subnet = await json(
      await call(`/vpc/v1/${p.project}/subnets`, {
        method: 'POST',
        token: p.token,
        json: { subnet: { name: 's', cidr: '10.1.1.0/24', gateway_ip: '10.1.1.1', vpc_id: vpc.vpc.id } },
      }),
    );
    const image = await imageId(p.token);
    const withImage = (tags: unknown) => ({
      server: {
        imageRef: image,
        flavorRef: 's3.small.1',
        name: 'native',
        vpcid: vpc.vpc.id,
        nics: [{ subnet_id: subnet.subnet.id }],
        root_volume: { volumetype: 'SSD' },
        server_tags: tags,
      },
    });
    const created = await ecs('POST', '/cloudservers', withImage([{ key: 'env', value: 'prod' }, { key: 'team' }]));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const [id] = created.body.serverIds;
    await waitStatus(p, id, 'ACTIVE');

    expect((await ecs('GET', `/cloudservers/${id}`)).body.server.tags).toEqual(['env=prod', 'team=']);
    expect(await tagsOf(p, id)).toEqual(['env=prod', 'team=']);
    expect((await at(p, 'GET', `/servers?tags=${encodeURIComponent('env=prod')}`)).body.servers.map((s: any) => s.id)).toEqual([id]);

    await at(p, 'PUT', `/servers/${id}/tags/nova-tag`);
    expect((await ecs('GET', `/cloudservers/${id}`)).body.server.tags).toEqual(['env=prod', 'nova-tag', 'team=']);
    const filtered = await ecs('GET', `/cloudservers/detail?tags=${encodeURIComponent('env=prod')}`);
    expect(filtered.body.servers.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await ecs('GET', `/cloudservers/detail?tags=${encodeURIComponent('env=dev')}`)).body).toEqual({ count: 0, servers: [] });
    expect((await ecs('GET', `/cloudservers/detail?not-tags=nova-tag`)).body.count).toBe(0);

    for (const tags of [
      [{ key: 'a,b', value: 'x' }],
      [{ key: 'a', value: 'x/y' }],
      [{ key: 'a=b' }],
      [{ key: '' }],
      [{ key: 'k'.repeat(37) }],
      [{ key: 'k', value: 'v'.repeat(44) }],
      [{ key: 'k' }, { key: 'k', value: 'again' }],
    ]) {
      expectNativeError(await ecs('POST', '/cloudservers', withImage(tags)), 400, 'Ecs.0005');
    }
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toHaveLength(1);
  });
});

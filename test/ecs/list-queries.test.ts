/**
 * The query of every Nova list: which parameters it reads, what a malformed one answers (the same 400 as ever), and
 * that a parameter it does not read changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { newAccount, operatorAccount, tokenFor } from '../fixtures.ts';
import { expectNovaError, nova, send } from '../request.ts';
import { boot, computeProject } from './fixtures.ts';

const at = (minor: number) => ({ 'OpenStack-API-Version': `compute 2.${minor}` });

describe('Nova list queries', () => {
  it('refuses a malformed limit, name or ip6 filter and an unknown marker on the server lists, and ignores the rest', async () => {
    const p = await computeProject('novaq');
    const { id } = await boot(p);
    for (const list of ['/servers', '/servers/detail']) {
      const get = (query: string, headers?: Record<string, string>) =>
        nova(p.token, p.project, 'GET', `${list}?${query}`, undefined, headers);
      expectNovaError(await get('limit=abc'), 400, 'badRequest', /^Invalid limit abc\.$/);
      expectNovaError(await get('limit=-1'), 400, 'badRequest', /^Invalid limit -1\.$/);
      expectNovaError(await get('name=('), 400, 'badRequest', /^Invalid name filter \(\.$/);
      expectNovaError(await get('marker=nope'), 400, 'badRequest', /^marker \[nope\] not found$/);
      // The query is checked before the marker is looked for, as Nova does.
      expectNovaError(await get('marker=nope&limit=abc'), 400, 'badRequest', /^Invalid limit abc\.$/);
      expect((await get('ip6=(')).status).toBe(200);
      expectNovaError(await get('ip6=(', at(5)), 400, 'badRequest', /^Invalid ip6 filter \(\.$/);
      const all = (await nova(p.token, p.project, 'GET', list)).body;
      expect((await get('bogus=1&sort_key=nope&all_tenants=1')).body).toEqual(all);
      expect((await get('limit=5&limit=abc')).status).toBe(200);
      expect((await get('status=deleted')).body.servers.map((s: { id: string }) => s.id)).toEqual([]);
      expect((await get(`name=^vm$&marker=`)).body.servers.map((s: { id: string }) => s.id)).toEqual([id]);
    }
  });

  it('answers limit=0 (and an empty limit) with no server and no next link, on a project that has servers', async () => {
    const p = await computeProject('novaq');
    await boot(p);
    await boot(p, { name: 'vm2' });
    for (const list of ['/servers', '/servers/detail']) {
      for (const limit of ['0', '']) {
        const res = await nova(p.token, p.project, 'GET', `${list}?limit=${limit}`);
        expect(res.status, `${list} ${limit} ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body).toEqual({ servers: [] });
      }
      const one = await nova(p.token, p.project, 'GET', `${list}?limit=1`);
      expect(one.body.servers).toHaveLength(1);
      expect(one.body.servers_links[0].href).toContain(`marker=${one.body.servers[0].id}`);
    }
  });

  it('refuses a changes-since that is not a date with 400, and filters on one that is', async () => {
    const p = await computeProject('novaq');
    const { id } = await boot(p);
    for (const list of ['/servers', '/servers/detail']) {
      const get = (since: string) => nova(p.token, p.project, 'GET', `${list}?changes-since=${encodeURIComponent(since)}`);
      expectNovaError(
        await get('yesterday'),
        400,
        'badRequest',
        "Invalid input for field/attribute changes-since. Value: yesterday. 'yesterday' is not a 'date-time'",
      );
      expectNovaError(await get(''), 400, 'badRequest', /changes-since/);
      expect((await get('2000-01-01T00:00:00Z')).body.servers.map((s: { id: string }) => s.id)).toEqual([id]);
      expect((await get('2999-01-01T00:00:00Z')).body.servers).toEqual([]);
    }
  });

  it('refuses malformed flavor filters, sort keys, limits and markers, and ignores the rest', async () => {
    const token = await tokenFor(await newAccount('novaq'));
    const get = (query: string) => send(token, 'GET', `/ecs/v2.1/flavors/detail?${query}`);
    const all = (await send(token, 'GET', '/ecs/v2.1/flavors/detail')).body.flavors;
    expectNovaError(await get('minRam=abc'), 400, 'badRequest', /^minRam and minDisk must be numbers\.$/);
    expectNovaError(await get('minDisk=Infinity'), 400, 'badRequest', /^minRam and minDisk must be numbers\.$/);
    expectNovaError(await get('sort_key=nope'), 400, 'badRequest', /^Invalid sort_key nope\.$/);
    expectNovaError(await get('limit=1.5'), 400, 'badRequest', /^Invalid limit 1\.5\.$/);
    expectNovaError(await get('marker=nope'), 400, 'badRequest', /^marker \[nope\] not found$/);
    expect((await get('bogus=1&sort_dir=sideways&is_public=none')).body.flavors).toEqual(all);
    expect((await get('minRam=&minDisk=')).body.flavors).toEqual(all);
    expect((await get('sort_key=')).body.flavors).toEqual(all);
    expect((await get('is_public=false')).body.flavors).toEqual(all.filter((f: any) => !f['os-flavor-access:is_public']));
    expect((await get('limit=2')).body.flavors).toEqual(all.slice(0, 2));
    const bySize = (await get('sort_key=memory_mb&sort_dir=desc')).body.flavors.map((f: { ram: number }) => f.ram);
    expect(bySize).toEqual([...bySize].sort((a, b) => b - a));
    expect((await send(token, 'GET', '/ecs/v2.1/flavors?minRam=abc')).status).toBe(400);
  });

  it('ignores parameters the key pair, server group and zone lists do not read', async () => {
    const p = await computeProject('novaq');
    for (const list of ['/os-keypairs', '/os-server-groups', '/os-availability-zone']) {
      const plain = await nova(p.token, p.project, 'GET', list);
      expect((await nova(p.token, p.project, 'GET', `${list}?limit=abc&marker=nope&bogus=1`)).body, list).toEqual(plain.body);
    }
  });

  it('answers a host update that names no field with the host unchanged', async () => {
    const op = await tokenFor(await operatorAccount());
    const [host] = (await send(op, 'GET', '/ecs/admin/hosts?zone=eu-west-0a')).body.hosts;
    const path = `/ecs/admin/hosts/${host.id}`;
    const before = (await send(op, 'GET', path)).body.host;
    const put = await send(op, 'PUT', path, { host: {} });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.host).toEqual(before);
  });

  it('lists the hosts of one zone for the operator, none for an unknown zone', async () => {
    const op = await tokenFor(await operatorAccount());
    const all = (await send(op, 'GET', '/ecs/admin/hosts')).body.hosts;
    const zone = (await send(op, 'GET', '/ecs/admin/hosts?zone=eu-west-0a&bogus=1')).body.hosts;
    expect(zone.length).toBeGreaterThan(0);
    expect(zone.length).toBeLessThan(all.length);
    expect((await send(op, 'GET', '/ecs/admin/hosts?zone=nowhere')).body.hosts).toEqual([]);
    expect((await send(op, 'GET', '/ecs/admin/hosts?zone=')).body.hosts).toHaveLength(all.length);
  });
});

/**
 * Nova servers through the whole pipeline: the 202 of a create, BUILD (scheduling) to ACTIVE through the queue,
 * the port the build plugs into Neutron, the exact 2.1 body, lists with filters and pages, metadata, addresses,
 * interfaces, rename and delete; and the microversion negotiation and version discovery.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VERSION, MIN_VERSION } from '../../workers/ecs/microversion.ts';
import { call, expectNovaError, json, neutron, nova } from '../request.ts';
import { create } from '../vpc/fixtures.ts';
import {
  activeServer,
  type ComputeProject,
  claimsOf,
  computeProject,
  holdZone,
  imageId,
  instancesOf,
  portsOf,
  SERVER_KEYS_2_1,
  SERVER_UPDATE_KEYS_2_1,
  sleep,
  waitGone,
  waitStatus,
} from './fixtures.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const MAC = /^fa:16:3e(:[0-9a-f]{2}){3}$|^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

/** Polls a server from its creation, recording each (status, task_state) it shows, until it is ACTIVE. */
async function watchBuild(p: ComputeProject, id: string) {
  const seen: string[] = [];
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const { body } = await nova(p.token, p.project, 'GET', `/servers/${id}`);
    const s = body.server;
    const state = `${s.status}/${s['OS-EXT-STS:vm_state']}/${s['OS-EXT-STS:task_state']}`;
    if (seen.at(-1) !== state) seen.push(state);
    if (s.status !== 'BUILD') return { seen, server: s };
    await sleep(5);
  }
  throw new Error(`still building: ${seen.join(' -> ')}`);
}

describe('create', () => {
  it('answers 202 with only the five keys, builds BUILD -> ACTIVE and wires a port with its security groups', async () => {
    const p = await computeProject();
    const web = await create(p.token, 'security-groups', 'security_group', { name: 'web' });
    const image = await imageId(p.token);
    // While the zone's placement is held, the new server must wait in BUILD/scheduling.
    const hold = await holdZone('eu-west-0b', 600);
    const res = await nova(p.token, p.project, 'POST', '/servers', {
      server: {
        name: 'vm-1',
        imageRef: image,
        flavorRef: 's3.medium.2',
        networks: [{ uuid: p.network.id }],
        security_groups: [{ name: 'web' }],
        availability_zone: 'eu-west-0b',
        metadata: { role: 'front' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const created = res.body.server;
    expect(Object.keys(res.body)).toEqual(['server']);
    expect(Object.keys(created).sort()).toEqual(['OS-DCF:diskConfig', 'adminPass', 'id', 'links', 'security_groups']);
    expect(created.id).toMatch(UUID);
    expect(created.security_groups).toEqual([{ name: 'web' }]);
    expect(created['OS-DCF:diskConfig']).toBe('MANUAL');
    expect(created.adminPass).toMatch(/^\S{8,}$/);
    expect(created.links).toEqual([
      { rel: 'self', href: `http://cloud.test/ecs/v2.1/${p.project}/servers/${created.id}` },
      { rel: 'bookmark', href: `http://cloud.test/ecs/${p.project}/servers/${created.id}` },
    ]);

    const waiting = (await nova(p.token, p.project, 'GET', `/servers/${created.id}`)).body.server;
    expect(waiting).toMatchObject({
      status: 'BUILD',
      'OS-EXT-STS:vm_state': 'building',
      'OS-EXT-STS:task_state': 'scheduling',
      'OS-EXT-STS:power_state': 0,
      progress: 0,
      hostId: '',
      addresses: {},
      'OS-SRV-USG:launched_at': null,
    });
    expect(Object.keys(waiting).sort()).toEqual([...SERVER_KEYS_2_1].sort());
    const { seen, server: s } = await watchBuild(p, created.id);
    await hold.released;
    // The task states in pipeline order, and ACTIVE at the end.
    seen.unshift('BUILD/building/scheduling');
    const order = ['BUILD/building/scheduling', 'BUILD/building/networking', 'BUILD/building/spawning', 'ACTIVE/active/null'];
    const ranks = seen.map((x) => order.indexOf(x));
    expect(ranks, seen.join(' -> ')).not.toContain(-1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe('ACTIVE/active/null');

    expect(s).toMatchObject({
      id: created.id,
      name: 'vm-1',
      status: 'ACTIVE',
      tenant_id: p.project,
      user_id: p.account.userId,
      metadata: { role: 'front' },
      image: { id: image },
      flavor: { id: 's3.medium.2' },
      progress: 100,
      'OS-EXT-AZ:availability_zone': 'eu-west-0b',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
      'OS-SRV-USG:terminated_at': null,
      security_groups: [{ name: 'web' }],
      key_name: null,
    });
    expect(s.hostId).toMatch(/^[0-9a-f]{32}$/);
    expect(s.created).toMatch(TIME);
    expect(s['OS-SRV-USG:launched_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+$/);
    // Exactly the 2.1 keys: no locked, tags, description, host_status (nor a fault while all is well).
    expect(Object.keys(s).sort()).toEqual([...SERVER_KEYS_2_1].sort());

    // One address from its subnet, and the Neutron port behind it, owned by the server in its zone.
    expect(Object.keys(s.addresses)).toEqual([p.network.name]);
    const [addr] = s.addresses[p.network.name];
    expect(s.addresses[p.network.name]).toHaveLength(1);
    expect(addr).toEqual({
      version: 4,
      addr: expect.stringMatching(/^10\.0\.0\.\d+$/),
      'OS-EXT-IPS:type': 'fixed',
      'OS-EXT-IPS-MAC:mac_addr': expect.stringMatching(MAC),
    });
    const ports = await portsOf(p, s.id);
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatchObject({
      device_id: s.id,
      device_owner: 'compute:eu-west-0b',
      network_id: p.network.id,
      mac_address: addr['OS-EXT-IPS-MAC:mac_addr'],
      fixed_ips: [{ subnet_id: p.subnet.id, ip_address: addr.addr }],
      security_groups: [web.id],
      status: 'ACTIVE',
    });

    // The zone holds one claim sized by the flavor, on the host that runs the instance.
    const claims = await claimsOf('eu-west-0b', s.id);
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ projectId: p.project, vcpus: 1, ramMb: 2048 });
    expect(await instancesOf('eu-west-0b', s.id)).toEqual([claims[0]!.hostId]);
  });

  it("defaults to the project's default security group and only network; max_count makes numbered servers", async () => {
    const p = await computeProject();
    const res = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'many', imageRef: await imageId(p.token), flavorRef: 's3.small.1', min_count: 2, max_count: 2 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.server.security_groups).toEqual([{ name: 'default' }]);
    const list = (await nova(p.token, p.project, 'GET', '/servers')).body.servers;
    expect(list.map((x: { name: string }) => x.name).sort()).toEqual(['many-1', 'many-2']);
    expect(list.map((x: { id: string }) => x.id)).toContain(res.body.server.id);
    const groups = (await neutron(p.token, 'GET', '/security-groups?name=default')).body.security_groups;
    expect(groups).toHaveLength(1);
    for (const x of list) {
      const s = await waitStatus(p, x.id, 'ACTIVE');
      expect(Object.keys(s.addresses)).toEqual([p.network.name]);
      const ports = await portsOf(p, x.id);
      expect(ports).toHaveLength(1);
      expect(ports[0]).toMatchObject({ network_id: p.network.id, security_groups: [groups[0].id] });
    }
  });
});

describe('reading servers', () => {
  it('lists refs and details, filtered by name (a regex), status, flavor and image, paged with limit and marker', async () => {
    const p = await computeProject();
    const ubuntu = await imageId(p.token);
    const centos = await imageId(p.token, 'OBS CentOS 7.4');
    const a = await activeServer(p, { name: 'web-1' });
    const b = await activeServer(p, { name: 'web-2', flavorRef: 's3.medium.2' });
    const c = await activeServer(p, { name: 'db-1', imageRef: centos });
    const stop = await nova(p.token, p.project, 'POST', `/servers/${c.id}/action`, { 'os-stop': null });
    expect(stop.status).toBe(202);
    await waitStatus(p, c.id, 'SHUTOFF');

    const refs = await nova(p.token, p.project, 'GET', '/servers');
    expect(refs.status).toBe(200);
    expect(Object.keys(refs.body)).toEqual(['servers']);
    // Newest first; the short form has exactly id, name and links.
    expect(refs.body.servers.map((s: { id: string }) => s.id)).toEqual([c.id, b.id, a.id]);
    for (const s of refs.body.servers) expect(Object.keys(s).sort()).toEqual(['id', 'links', 'name']);

    const detail = await nova(p.token, p.project, 'GET', '/servers/detail');
    expect(detail.body.servers.map((s: { id: string }) => s.id)).toEqual([c.id, b.id, a.id]);
    // Nova shows `progress` only in the statuses that make progress: not SHUTOFF.
    for (const s of detail.body.servers) {
      const keys = s.status === 'SHUTOFF' ? SERVER_KEYS_2_1.filter((k) => k !== 'progress') : SERVER_KEYS_2_1;
      expect(Object.keys(s).sort()).toEqual([...keys].sort());
    }
    expect(detail.body.servers[2]).toEqual((await nova(p.token, p.project, 'GET', `/servers/${a.id}`)).body.server);

    const names = async (query: string, path = '/servers/detail') => {
      const res = await nova(p.token, p.project, 'GET', `${path}?${query}`);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body.servers.map((s: { name: string }) => s.name).sort();
    };
    expect(await names('name=^web-')).toEqual(['web-1', 'web-2']);
    expect(await names('name=-1$')).toEqual(['db-1', 'web-1']);
    expect(await names('name=web', '/servers')).toEqual(['web-1', 'web-2']);
    expect(await names('status=ACTIVE')).toEqual(['web-1', 'web-2']);
    expect(await names('status=shutoff')).toEqual(['db-1']);
    expect(await names('status=ERROR')).toEqual([]);
    expect(await names('flavor=s3.medium.2')).toEqual(['web-2']);
    expect(await names(`image=${centos}`)).toEqual(['db-1']);
    expect(await names(`image=${ubuntu}&name=2`)).toEqual(['web-2']);
    expectNovaError(await nova(p.token, p.project, 'GET', '/servers?name=(unclosed'), 400, 'badRequest');

    // Pages: limit cuts and links the next page by marker; the last page has no link.
    const first = await nova(p.token, p.project, 'GET', '/servers/detail?limit=2');
    expect(first.body.servers.map((s: { id: string }) => s.id)).toEqual([c.id, b.id]);
    expect(first.body.servers_links).toHaveLength(1);
    expect(first.body.servers_links[0].rel).toBe('next');
    const next = new URL(first.body.servers_links[0].href);
    expect(next.pathname).toBe(`/ecs/v2.1/${p.project}/servers/detail`);
    expect(next.searchParams.get('marker')).toBe(b.id);
    expect(next.searchParams.get('limit')).toBe('2');
    const second = await json(await call(next.pathname + next.search, { token: p.token }));
    expect(second.servers.map((s: { id: string }) => s.id)).toEqual([a.id]);
    expect(second.servers_links).toBeUndefined();
    const refsPage = await nova(p.token, p.project, 'GET', `/servers?limit=1&marker=${c.id}`);
    expect(refsPage.body.servers.map((s: { id: string }) => s.id)).toEqual([b.id]);
    expect(new URL(refsPage.body.servers_links[0].href).searchParams.get('marker')).toBe(b.id);
    expect((await nova(p.token, p.project, 'GET', '/servers?limit=3')).body.servers_links).toBeUndefined();
    expectNovaError(await nova(p.token, p.project, 'GET', `/servers?marker=${crypto.randomUUID()}`), 400, 'badRequest', /marker/);
    expectNovaError(await nova(p.token, p.project, 'GET', '/servers?limit=-1'), 400, 'badRequest');
    expectNovaError(await nova(p.token, p.project, 'GET', '/servers?limit=abc'), 400, 'badRequest');
  });

  it('shows addresses at /ips and the port at /os-interface, and renames', async () => {
    const p = await computeProject();
    const s = await activeServer(p, { name: 'before' });
    const ips = await nova(p.token, p.project, 'GET', `/servers/${s.id}/ips`);
    expect(ips.status).toBe(200);
    expect(ips.body).toEqual({ addresses: s.addresses });

    const [port] = await portsOf(p, s.id);
    const ifaces = await nova(p.token, p.project, 'GET', `/servers/${s.id}/os-interface`);
    expect(ifaces.status).toBe(200);
    expect(ifaces.body).toEqual({
      interfaceAttachments: [
        { port_id: port.id, net_id: p.network.id, mac_addr: port.mac_address, port_state: 'ACTIVE', fixed_ips: port.fixed_ips },
      ],
    });

    const renamed = await nova(p.token, p.project, 'PUT', `/servers/${s.id}`, { server: { name: 'after' } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.server).toMatchObject({ id: s.id, name: 'after', status: 'ACTIVE' });
    // Before 2.75 an update answers Nova's short server body, its addresses without type and MAC.
    expect(Object.keys(renamed.body.server).sort()).toEqual([...SERVER_UPDATE_KEYS_2_1].sort());
    expect(Object.values(renamed.body.server.addresses).flat()).toEqual([{ version: 4, addr: expect.any(String) }]);
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.name).toBe('after');
    expectNovaError(await nova(p.token, p.project, 'PUT', `/servers/${s.id}`, { server: { name: '' } }), 400, 'badRequest');
    expectNovaError(await nova(p.token, p.project, 'PUT', `/servers/${s.id}`, { server: { flavorRef: 'x' } }), 400, 'badRequest');
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.name).toBe('after');
    expectNovaError(await nova(p.token, p.project, 'GET', `/servers/${crypto.randomUUID()}`), 404, 'itemNotFound');
  });

  it('reads and writes metadata: merge, replace, one key, delete', async () => {
    const p = await computeProject();
    const s = await activeServer(p, { metadata: { a: '1', b: '2' } });
    const path = `/servers/${s.id}/metadata`;
    expect((await nova(p.token, p.project, 'GET', path)).body).toEqual({ metadata: { a: '1', b: '2' } });

    const merged = await nova(p.token, p.project, 'POST', path, { metadata: { b: 'two', c: '3' } });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ metadata: { a: '1', b: 'two', c: '3' } });

    const replaced = await nova(p.token, p.project, 'PUT', path, { metadata: { z: '26' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ metadata: { z: '26' } });
    expect((await nova(p.token, p.project, 'GET', path)).body).toEqual({ metadata: { z: '26' } });

    const put = await nova(p.token, p.project, 'PUT', `${path}/k`, { meta: { k: 'v' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ meta: { k: 'v' } });
    expect((await nova(p.token, p.project, 'GET', `${path}/k`)).body).toEqual({ meta: { k: 'v' } });
    expectNovaError(await nova(p.token, p.project, 'PUT', `${path}/k`, { meta: { other: 'v' } }), 400, 'badRequest');
    expectNovaError(await nova(p.token, p.project, 'PUT', `${path}/k`, { meta: { k: 'v', l: 'w' } }), 400, 'badRequest');
    expectNovaError(await nova(p.token, p.project, 'POST', path, { metadata: { k: 'x'.repeat(256) } }), 400, 'badRequest');
    expectNovaError(await nova(p.token, p.project, 'POST', path, { meta: { k: 'v' } }), 400, 'badRequest');

    const del = await nova(p.token, p.project, 'DELETE', `${path}/z`);
    expect(del.status).toBe(204);
    expect(del.body).toBeNull();
    expectNovaError(await nova(p.token, p.project, 'GET', `${path}/z`), 404, 'itemNotFound');
    expectNovaError(await nova(p.token, p.project, 'DELETE', `${path}/z`), 404, 'itemNotFound');
    expect((await nova(p.token, p.project, 'GET', `/servers/${s.id}`)).body.server.metadata).toEqual({ k: 'v' });
  });
});

describe('delete', () => {
  it('answers 204 with an empty body, then the server, its port, its claim and its instance are gone', async () => {
    const p = await computeProject();
    const s = await activeServer(p);
    const zone = s['OS-EXT-AZ:availability_zone'];
    expect(await claimsOf(zone, s.id)).toHaveLength(1);
    const del = await call(`/ecs/v2.1/${p.project}/servers/${s.id}`, { method: 'DELETE', token: p.token });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    await waitGone(p, s.id);
    expect(await portsOf(p, s.id)).toEqual([]);
    expect(await claimsOf(zone, s.id)).toEqual([]);
    expect(await instancesOf(zone, s.id)).toEqual([]);
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toEqual([]);
    expectNovaError(await nova(p.token, p.project, 'DELETE', `/servers/${s.id}`), 404, 'itemNotFound');
  });
});

describe('microversions and discovery', () => {
  it('discovers v2.1 with its version range at /ecs and /ecs/v2.1', async () => {
    const root = await call('/ecs');
    expect(root.status).toBe(200);
    const versions = (await json(root)).versions;
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ id: 'v2.1', status: 'CURRENT', version: MAX_VERSION, min_version: MIN_VERSION });
    expect(MIN_VERSION).toBe('2.1');
    for (const path of ['/ecs/v2.1', '/ecs/v2.1/']) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      const { version } = await json(res);
      expect(version).toMatchObject({ id: 'v2.1', status: 'CURRENT', version: MAX_VERSION, min_version: '2.1' });
      expect(version.links[0]).toEqual({ rel: 'self', href: 'http://cloud.test/ecs/v2.1/' });
    }
  });

  it('answers the asked microversion in the headers, latest as the maximum, and 406 outside the range', async () => {
    const p = await computeProject();
    const s = await activeServer(p);
    for (const [asked, answered] of [
      [{}, MIN_VERSION],
      [{ 'OpenStack-API-Version': 'compute 2.1' }, '2.1'],
      [{ 'OpenStack-API-Version': 'compute latest' }, MAX_VERSION],
      [{ 'X-OpenStack-Nova-API-Version': '2.1' }, '2.1'],
      [{ 'OpenStack-API-Version': 'volume 3.50, compute 2.1' }, '2.1'],
    ] as const) {
      const res = await nova(p.token, p.project, 'GET', `/servers/${s.id}`, undefined, asked);
      expect(res.status, JSON.stringify(asked)).toBe(200);
      expect(res.headers.get('OpenStack-API-Version'), JSON.stringify(asked)).toBe(`compute ${answered}`);
      expect(res.headers.get('X-OpenStack-Nova-API-Version')).toBe(answered);
      expect(res.headers.get('Vary')).toContain('OpenStack-API-Version');
    }
    // At 2.1 the body has exactly the 2.1 keys.
    const at21 = await nova(p.token, p.project, 'GET', `/servers/${s.id}`, undefined, { 'OpenStack-API-Version': 'compute 2.1' });
    expect(Object.keys(at21.body.server).sort()).toEqual([...SERVER_KEYS_2_1].sort());
    for (const key of ['locked', 'tags', 'description', 'host_status', 'trusted_image_certificates'])
      expect(at21.body.server).not.toHaveProperty(key);

    const beyond = `2.${Number(MAX_VERSION.split('.')[1]) + 1}`;
    for (const v of [beyond, '2.0', '3.0', '1.1']) {
      const res = await nova(p.token, p.project, 'GET', '/servers', undefined, { 'OpenStack-API-Version': `compute ${v}` });
      expect(res.status, v).toBe(406);
      expect(JSON.stringify(res.body)).toContain(v);
    }
    // A bad version string is a bad request; nothing is created by a refused negotiation.
    expectNovaError(await nova(p.token, p.project, 'GET', '/servers', undefined, { 'OpenStack-API-Version': 'compute two' }), 400);
    const refused = await nova(
      p.token,
      p.project,
      'POST',
      '/servers',
      { server: { name: 'x', imageRef: await imageId(p.token), flavorRef: 's3.small.1' } },
      { 'OpenStack-API-Version': `compute ${beyond}` },
    );
    expect(refused.status).toBe(406);
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers.map((x: { id: string }) => x.id)).toEqual([s.id]);
  });
});

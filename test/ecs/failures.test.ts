/**
 * Nova failures: a build that cannot finish ends in ERROR with a fault and releases everything it held (claim,
 * ports, instance); a request that is refused (400, 403) writes nothing at all.
 */
import { describe, expect, it } from 'vitest';
import { call, expectNovaError, neutron, nova } from '../request.ts';
import { create } from '../vpc/fixtures.ts';
import {
  boot,
  type ComputeProject,
  claimsOf,
  computeProject,
  holdZone,
  imageId,
  instancesOf,
  portsOf,
  waitStatus,
  zoneHosts,
} from './fixtures.ts';

/** What a refused request must leave untouched: servers, ports, quota usage. */
async function footprint(p: ComputeProject) {
  const servers = (await nova(p.token, p.project, 'GET', '/servers/detail')).body.servers;
  const ports = (await neutron(p.token, 'GET', '/ports')).body.ports;
  const quota = (await nova(p.token, p.project, 'GET', `/os-quota-sets/${p.project}/detail`)).body.quota_set;
  return { servers, ports, used: [quota.instances.in_use, quota.cores.in_use, quota.ram.in_use] };
}

describe('builds that fail', () => {
  it('no capacity: a bare-metal server in a zone without bare-metal hosts ends in ERROR and holds nothing', async () => {
    const p = await computeProject();
    const before = await zoneHosts('eu-west-0c');
    expect(before.some((h) => h.kind === 'baremetal')).toBe(false);
    const { id } = await boot(p, {
      name: 'bms',
      flavorRef: 'physical.s4.medium',
      imageRef: await imageId(p.token, 'OBS Ubuntu 22.04 BMS'),
      availability_zone: 'eu-west-0c',
    });
    const s = await waitStatus(p, id, 'ERROR');
    expect(s).toMatchObject({
      'OS-EXT-STS:vm_state': 'error',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 0,
      'OS-EXT-AZ:availability_zone': 'eu-west-0c',
      addresses: {},
      hostId: '',
    });
    expect(s.fault).toEqual({ code: 500, message: expect.stringMatching(/No valid host/i), created: expect.any(String) });
    expect(s.fault.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // The ERROR body is the 2.1 body plus the fault.
    expect(Object.keys(s)).toContain('fault');
    expect(await portsOf(p, id)).toEqual([]);
    expect(await claimsOf('eu-west-0c', id)).toEqual([]);
    expect(await instancesOf('eu-west-0c', id)).toEqual([]);
    // The listed status filter finds it; it still counts against the quota until deleted, as in Nova.
    const errors = (await nova(p.token, p.project, 'GET', '/servers?status=ERROR')).body.servers;
    expect(errors.map((x: { id: string }) => x.id)).toEqual([id]);

    // Deleting a server in ERROR works and frees its quota.
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${id}`)).status).toBe(204);
    const quota = async () => (await nova(p.token, p.project, 'GET', `/os-quota-sets/${p.project}/detail`)).body.quota_set.instances.in_use;
    for (let i = 0; i < 100 && (await quota()) !== 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await quota()).toBe(0);
  });

  it('networking fails after placement (its fixed IP was taken meanwhile): ERROR, and the claim is released', async () => {
    const p = await computeProject();
    const zone = 'eu-west-0a';
    const hold = await holdZone(zone, 600);
    const { id } = await boot(p, { networks: [{ uuid: p.network.id, fixed_ip: '10.0.0.50' }], availability_zone: zone });
    // While the build waits for placement, someone else takes its address.
    const taken = await create(p.token, 'ports', 'port', { network_id: p.network.id, fixed_ips: [{ ip_address: '10.0.0.50' }] });
    await hold.released;
    const s = await waitStatus(p, id, 'ERROR');
    expect(s.fault).toEqual({ code: expect.any(Number), message: expect.stringContaining('10.0.0.50'), created: expect.any(String) });
    expect(s.fault.code).toBeGreaterThanOrEqual(400);
    expect(await portsOf(p, id)).toEqual([]);
    expect(await claimsOf(zone, id)).toEqual([]);
    expect(await instancesOf(zone, id)).toEqual([]);
    // The other port is untouched.
    const other = (await neutron(p.token, 'GET', `/ports/${taken.id}`)).body.port;
    expect(other).toMatchObject({ device_id: '', fixed_ips: [{ ip_address: '10.0.0.50', subnet_id: p.subnet.id }] });
  });
});

describe('refused requests write nothing', () => {
  it('answers 400 to bad references and bad input', async () => {
    const p = await computeProject();
    const other = await create(p.token, 'networks', 'network', { name: 'second' });
    const ubuntu = await imageId(p.token);
    const bms = await imageId(p.token, 'OBS Ubuntu 22.04 BMS');
    const windows = await imageId(p.token, 'OBS Windows Server 2019 Standard');
    const before = await footprint(p);
    const base = { name: 'bad', imageRef: ubuntu, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }] };
    const cases: [string, unknown][] = [
      ['unknown flavor', { server: { ...base, flavorRef: 'x9.huge.1' } }],
      ['unknown image', { server: { ...base, imageRef: crypto.randomUUID() } }],
      ['bare-metal flavor, virtual image', { server: { ...base, flavorRef: 'physical.s4.medium' } }],
      ['virtual flavor, bare-metal image', { server: { ...base, imageRef: bms } }],
      ['image needs more memory', { server: { ...base, imageRef: windows } }],
      ['unknown zone', { server: { ...base, availability_zone: 'eu-west-0z' } }],
      ["another region's zone", { server: { ...base, availability_zone: 'eu-west-1a' } }],
      ['user_data not base64', { server: { ...base, user_data: 'not base64 at all!' } }],
      ['user_data over 32 KiB', { server: { ...base, user_data: btoa('x'.repeat(32 * 1024 + 1)) } }],
      ['unknown key pair', { server: { ...base, key_name: 'nobody' } }],
      ['unknown security group', { server: { ...base, security_groups: [{ name: 'nosuch' }] } }],
      ['unknown network', { server: { ...base, networks: [{ uuid: crypto.randomUUID() }] } }],
      ['unknown port', { server: { ...base, networks: [{ port: crypto.randomUUID() }] } }],
      ['network without uuid or port', { server: { ...base, networks: [{}] } }],
      ['unknown server group', { server: base, 'os:scheduler_hints': { group: crypto.randomUUID() } }],
      ['unknown field', { server: { ...base, bogus: true } }],
      ['unknown top-level field', { server: base, bogus: true }],
      ['no name', { server: { ...base, name: undefined } }],
      ['no flavor', { server: { ...base, flavorRef: undefined } }],
      ['min_count over max_count', { server: { ...base, min_count: 3, max_count: 2 } }],
      ['max_count zero', { server: { ...base, max_count: 0 } }],
      ['metadata value too long', { server: { ...base, metadata: { k: 'v'.repeat(256) } } }],
      ['no server', { name: 'bad' }],
    ];
    for (const [label, body] of cases) {
      const res = await nova(p.token, p.project, 'POST', '/servers', body);
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(400);
      expectNovaError(res, 400, 'badRequest');
    }
    // Without a network named, a project with several networks is ambiguous (409, as Nova).
    expect(other.id).toBeTruthy();
    expectNovaError(
      await nova(p.token, p.project, 'POST', '/servers', { server: { ...base, networks: undefined } }),
      409,
      'conflictingRequest',
    );
    const malformed = await call(`/ecs/v2.1/${p.project}/servers`, {
      method: 'POST',
      token: p.token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"server": {',
    });
    expect(malformed.status).toBe(400);
    expect(await footprint(p)).toEqual(before);
  });

  it('answers 403 in the forbidden envelope when the instances or cores quota would be passed, writing nothing', async () => {
    const p = await computeProject();
    const image = await imageId(p.token);
    const before = await footprint(p);
    // 6 x 16 vCPUs pass the 80 cores; 21 servers pass the 20 instances.
    const cores = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'big', imageRef: image, flavorRef: 'c6.4xlarge.2', networks: [{ uuid: p.network.id }], min_count: 6, max_count: 6 },
    });
    expectNovaError(cores, 403, 'forbidden', /Quota exceeded for cores/);
    const instances = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'many', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }], min_count: 21, max_count: 21 },
    });
    expectNovaError(instances, 403, 'forbidden', /Quota exceeded for instances/);
    expect(await footprint(p)).toEqual(before);

    // Without min_count, as many as fit are made (Nova's rule): 5 of the 7 asked; then the quota is full.
    const some = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'fit', imageRef: image, flavorRef: 'c6.4xlarge.2', networks: [{ uuid: p.network.id }], max_count: 7 },
    });
    expect(some.status, JSON.stringify(some.body)).toBe(202);
    const made = (await nova(p.token, p.project, 'GET', '/servers')).body.servers;
    expect(made.map((s: { name: string }) => s.name).sort()).toEqual(['fit-1', 'fit-2', 'fit-3', 'fit-4', 'fit-5']);
    const full = await footprint(p);
    expect(full.used).toEqual([5, 80, 5 * 32768]);
    expectNovaError(
      await nova(p.token, p.project, 'POST', '/servers', {
        server: { name: 'one-more', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }] },
      }),
      403,
      'forbidden',
      /Quota exceeded for cores/,
    );
    expect((await footprint(p)).servers.map((s: { id: string }) => s.id).sort()).toEqual(
      full.servers.map((s: { id: string }) => s.id).sort(),
    );
    for (const s of made) await waitStatus(p, s.id, 'ACTIVE');
  });
});

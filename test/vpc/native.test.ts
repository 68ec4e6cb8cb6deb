/**
 * The Flexible Engine native VPC v1 API under /vpc/v1/{project_id}: VPCs, subnets, public IPs, bandwidths and
 * security groups, as views over the same TenantDO the Neutron API shows, in the native error envelope.
 */
import { describe, expect, it } from 'vitest';
import { createUser, newAccount, tokenFor } from '../fixtures.ts';
import { expectNativeError, native, neutron, send } from '../request.ts';

const POOL = /^80\.158\.(1[6-9]|2\d|3[01])\.\d{1,3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Tenant {
  project: string;
  token: string;
}

async function fresh(): Promise<Tenant> {
  const account = await newAccount('native');
  return { project: account.projects[0]!.id, token: await tokenFor(account) };
}

/** A native call in a tenant's own project. */
const v1 = (t: Tenant, method: string, path: string, body?: unknown) => native('vpc', t, method, path, body);

/** Expects 200 and answers the object under `key`. */
async function ok(t: Tenant, method: string, path: string, body: unknown, key: string) {
  const res = await v1(t, method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body[key];
}

/** Every native list and the Neutron networks and ports: what a refused call must leave as it was. */
async function snapshot(t: Tenant) {
  const out: Record<string, unknown> = {};
  for (const c of ['vpcs', 'subnets', 'publicips', 'bandwidths', 'security-groups', 'security-group-rules']) {
    const res = await v1(t, 'GET', `/${c}`);
    expect(res.status).toBe(200);
    out[c] = res.body;
  }
  for (const c of ['networks', 'ports']) out[c] = (await neutron(t.token, 'GET', `/${c}`)).body;
  return out;
}

/** A call that must be refused in the native envelope, changing nothing. */
async function refused(t: Tenant, [method, path, body]: [string, string, unknown?], status: number, code: string, message?: RegExp) {
  const before = await snapshot(t);
  const res = await v1(t, method, path, body);
  expectNativeError(res, status, code, message);
  expect(await snapshot(t), `${method} ${path} changed something`).toEqual(before);
  return res;
}

/** Polls a GET until the object's status is `status` (the TenantDO's alarm moves it within ~50 ms). */
async function settled(t: Tenant, path: string, key: string, status: string) {
  const deadline = Date.now() + 2000;
  for (;;) {
    const got = await ok(t, 'GET', path, undefined, key);
    if (got.status === status) return got;
    if (Date.now() > deadline) throw new Error(`${path} is still ${got.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Creates a VPC and waits until it is OK; answers what the POST answered (CREATING). */
async function newVpc(t: Tenant, vpc: Record<string, unknown> = {}) {
  const created = await ok(t, 'POST', '/vpcs', { vpc: { name: 'vpc-1', cidr: '10.0.0.0/16', ...vpc } }, 'vpc');
  await settled(t, `/vpcs/${created.id}`, 'vpc', 'OK');
  return created;
}

/** Creates a subnet and waits until it is ACTIVE; answers what the POST answered (UNKNOWN). */
async function newSubnet(t: Tenant, vpcId: string, subnet: Record<string, unknown> = {}) {
  const body = { subnet: { name: 'sub-1', cidr: '10.0.1.0/24', gateway_ip: '10.0.1.1', vpc_id: vpcId, ...subnet } };
  const created = await ok(t, 'POST', '/subnets', body, 'subnet');
  await settled(t, `/subnets/${created.id}`, 'subnet', 'ACTIVE');
  return created;
}

/** A public IP with a dedicated bandwidth. */
const newPublicIp = (t: Tenant, publicip: Record<string, unknown> = {}, bandwidth: Record<string, unknown> = {}) =>
  ok(
    t,
    'POST',
    '/publicips',
    {
      publicip: { type: '5_bgp', ip_version: 4, ...publicip },
      bandwidth: { name: 'bw-1', size: 10, share_type: 'PER', charge_mode: 'traffic', ...bandwidth },
    },
    'publicip',
  );

/** A random address high in the pool, away from the low addresses other tests are handed first. */
const highAddress = () => `80.158.${28 + Math.floor(Math.random() * 4)}.${1 + Math.floor(Math.random() * 254)}`;

describe('VPCs', () => {
  it('creates a VPC CREATING that becomes OK, shows, lists, updates and deletes it', async () => {
    const t = await fresh();
    const vpc = await newVpc(t, { name: 'web', description: 'front' });
    expect(vpc).toEqual({
      id: expect.stringMatching(UUID),
      name: 'web',
      cidr: '10.0.0.0/16',
      status: 'CREATING',
      routes: [],
      description: 'front',
      enterprise_project_id: '0',
    });
    expect(await settled(t, `/vpcs/${vpc.id}`, 'vpc', 'OK')).toEqual({ ...vpc, status: 'OK' });

    const other = await newVpc(t, { name: 'db', cidr: '192.168.0.0/16' });
    const list = await v1(t, 'GET', '/vpcs');
    expect(list.body.vpcs.map((v: { id: string }) => v.id).sort()).toEqual([vpc.id, other.id].sort());
    expect((await v1(t, 'GET', `/vpcs?id=${other.id}`)).body.vpcs.map((v: { name: string }) => v.name)).toEqual(['db']);

    const updated = await ok(
      t,
      'PUT',
      `/vpcs/${vpc.id}`,
      { vpc: { name: 'web-2', description: 'renamed', cidr: '10.0.0.0/8', routes: [{ destination: '0.0.0.0/0', nexthop: '10.0.0.9' }] } },
      'vpc',
    );
    expect(updated).toMatchObject({
      id: vpc.id,
      name: 'web-2',
      description: 'renamed',
      cidr: '10.0.0.0/8',
      routes: [{ destination: '0.0.0.0/0', nexthop: '10.0.0.9' }],
    });
    expect(await ok(t, 'GET', `/vpcs/${vpc.id}`, undefined, 'vpc')).toEqual(updated);
    // The same VPC is the Neutron router.
    expect((await neutron(t.token, 'GET', `/routers/${vpc.id}`)).body.router).toMatchObject({ name: 'web-2', routes: updated.routes });

    const gone = await v1(t, 'DELETE', `/vpcs/${vpc.id}`);
    expect(gone.status).toBe(204);
    expectNativeError(await v1(t, 'GET', `/vpcs/${vpc.id}`), 404, 'VPC.0101');
    expectNativeError(await v1(t, 'DELETE', `/vpcs/${vpc.id}`), 404, 'VPC.0101');
  });

  it('refuses bad VPC bodies with 400 naming the problem, creating nothing', async () => {
    const t = await fresh();
    const post = (vpc: Record<string, unknown>): [string, string, unknown] => ['POST', '/vpcs', { vpc }];
    await refused(t, post({ name: 'a', cidr: '10.0.0.0/33' }), 400, 'VPC.0101', /10\.0\.0\.0\/33/);
    await refused(t, post({ name: 'a', cidr: '10.0.0.5/16' }), 400, 'VPC.0101');
    await refused(t, post({ name: 'a', cidr: '8.8.0.0/16' }), 400, 'VPC.0101', /10\.0\.0\.0\/8/);
    await refused(t, post({ name: 'a', cidr: '10.0.0.0/16', colour: 'blue' }), 400, 'VPC.0101', /colour/);
    await refused(t, post({ name: 'bad name!', cidr: '10.0.0.0/16' }), 400, 'VPC.0101', /vpc\.name/);
    await refused(t, post({ name: 'a', description: '<script>' }), 400, 'VPC.0101', /vpc\.description/);
    await refused(t, ['POST', '/vpcs', { vpc: { name: 'a' }, extra: 1 }], 400, 'VPC.0101', /extra/);
    const vpc = await newVpc(t);
    await refused(
      t,
      ['PUT', `/vpcs/${vpc.id}`, { vpc: { routes: [{ destination: '0.0.0.0/0', nexthop: '192.168.0.1' }] } }],
      400,
      'VPC.0101',
    );
    await refused(t, ['PUT', `/vpcs/${vpc.id}`, { vpc: { status: 'OK' } }], 400, 'VPC.0101', /status/);
  });

  it('pages with limit and marker in id order, and refuses a bad limit or an unknown marker', async () => {
    const t = await fresh();
    const ids = [];
    for (const cidr of ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']) ids.push((await newVpc(t, { cidr })).id);
    ids.sort();
    const first = await v1(t, 'GET', '/vpcs?limit=2');
    expect(first.body.vpcs.map((v: { id: string }) => v.id)).toEqual(ids.slice(0, 2));
    const rest = await v1(t, 'GET', `/vpcs?limit=2&marker=${ids[1]}`);
    expect(rest.body.vpcs.map((v: { id: string }) => v.id)).toEqual(ids.slice(2));
    expectNativeError(await v1(t, 'GET', '/vpcs?limit=-1'), 400, 'VPC.0101');
    expectNativeError(await v1(t, 'GET', `/vpcs?marker=${crypto.randomUUID()}`), 400, 'VPC.0101', /marker/);
    expectNativeError(await v1(t, 'GET', '/nowhere'), 404);
  });
});

describe('subnets', () => {
  it('creates a subnet UNKNOWN that becomes ACTIVE, whose id is a Neutron network with the router at its gateway', async () => {
    const t = await fresh();
    const vpc = await newVpc(t);
    const subnet = await newSubnet(t, vpc.id, {
      name: 'app',
      primary_dns: '100.125.0.41',
      secondary_dns: '100.126.0.41',
      availability_zone: 'eu-west-0b',
      dhcp_enable: true,
    });
    expect(subnet).toEqual({
      id: expect.stringMatching(UUID),
      name: 'app',
      description: '',
      cidr: '10.0.1.0/24',
      dnsList: ['100.125.0.41', '100.126.0.41'],
      status: 'UNKNOWN',
      vpc_id: vpc.id,
      gateway_ip: '10.0.1.1',
      dhcp_enable: true,
      primary_dns: '100.125.0.41',
      secondary_dns: '100.126.0.41',
      availability_zone: 'eu-west-0b',
      neutron_network_id: subnet.id,
      neutron_subnet_id: expect.stringMatching(UUID),
    });
    expect(subnet.neutron_subnet_id).not.toBe(subnet.id);
    expect(await settled(t, `/subnets/${subnet.id}`, 'subnet', 'ACTIVE')).toEqual({ ...subnet, status: 'ACTIVE' });

    const network = await neutron(t.token, 'GET', `/networks/${subnet.id}`);
    expect(network.status).toBe(200);
    expect(network.body.network).toMatchObject({ id: subnet.id, name: 'app', subnets: [subnet.neutron_subnet_id] });
    const neutronSubnet = await neutron(t.token, 'GET', `/subnets/${subnet.neutron_subnet_id}`);
    expect(neutronSubnet.body.subnet).toMatchObject({ network_id: subnet.id, cidr: '10.0.1.0/24', gateway_ip: '10.0.1.1' });
    const ports = await neutron(t.token, 'GET', `/ports?device_id=${vpc.id}&device_owner=network:router_interface`);
    expect(ports.body.ports).toHaveLength(1);
    expect(ports.body.ports[0]).toMatchObject({
      network_id: subnet.id,
      fixed_ips: [{ subnet_id: subnet.neutron_subnet_id, ip_address: '10.0.1.1' }],
    });
  });

  it('lists by vpc_id, updates through its VPC, refuses to delete a VPC with subnets, then deletes both', async () => {
    const t = await fresh();
    const vpc = await newVpc(t);
    const other = await newVpc(t, { name: 'other', cidr: '192.168.0.0/16' });
    const a = await newSubnet(t, vpc.id);
    const b = await newSubnet(t, other.id, { name: 'b', cidr: '192.168.1.0/24', gateway_ip: '192.168.1.1' });
    const all = await v1(t, 'GET', '/subnets');
    expect(all.body.subnets.map((s: { id: string }) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect((await v1(t, 'GET', `/subnets?vpc_id=${other.id}`)).body.subnets.map((s: { id: string }) => s.id)).toEqual([b.id]);

    const updated = await ok(
      t,
      'PUT',
      `/vpcs/${vpc.id}/subnets/${a.id}`,
      { subnet: { name: 'a-2', dnsList: ['100.125.0.41', '8.8.8.8'], dhcp_enable: false } },
      'subnet',
    );
    expect(updated).toMatchObject({ id: a.id, name: 'a-2', dhcp_enable: false, primary_dns: '100.125.0.41', secondary_dns: '8.8.8.8' });
    expect(await ok(t, 'GET', `/subnets/${a.id}`, undefined, 'subnet')).toMatchObject({
      name: 'a-2',
      dnsList: ['100.125.0.41', '8.8.8.8'],
    });
    expectNativeError(await v1(t, 'PUT', `/vpcs/${other.id}/subnets/${a.id}`, { subnet: { name: 'x' } }), 404, 'VPC.0202');

    await refused(t, ['DELETE', `/vpcs/${vpc.id}`], 409, 'VPC.0111');
    await refused(t, ['DELETE', `/vpcs/${other.id}/subnets/${a.id}`], 404, 'VPC.0202');
    expect((await v1(t, 'DELETE', `/vpcs/${vpc.id}/subnets/${a.id}`)).status).toBe(204);
    expectNativeError(await v1(t, 'GET', `/subnets/${a.id}`), 404, 'VPC.0202');
    expect((await neutron(t.token, 'GET', `/networks/${a.id}`)).status).toBe(404);
    expect((await neutron(t.token, 'GET', `/ports?device_id=${vpc.id}`)).body.ports).toEqual([]);
    expect((await v1(t, 'DELETE', `/vpcs/${vpc.id}`)).status).toBe(204);
    expectNativeError(await v1(t, 'DELETE', `/vpcs/${vpc.id}/subnets/${a.id}`), 404);
  });

  it('refuses bad subnets with 400 in the native envelope, creating nothing', async () => {
    const t = await fresh();
    const vpc = await newVpc(t);
    await newSubnet(t, vpc.id);
    const post = (subnet: Record<string, unknown>): [string, string, unknown] => [
      'POST',
      '/subnets',
      { subnet: { name: 's', vpc_id: vpc.id, ...subnet } },
    ];
    await refused(t, post({ cidr: '10.0.2.0/33', gateway_ip: '10.0.2.1' }), 400, 'VPC.0201', /10\.0\.2\.0\/33/);
    await refused(t, post({ cidr: 'ten', gateway_ip: '10.0.2.1' }), 400, 'VPC.0201');
    await refused(t, post({ cidr: '192.168.2.0/24', gateway_ip: '192.168.2.1' }), 400, 'VPC.0201', /not inside the VPC/);
    await refused(t, post({ cidr: '10.0.1.128/25', gateway_ip: '10.0.1.129' }), 400, 'VPC.0201', /overlaps/);
    await refused(t, post({ cidr: '10.0.3.0/24', gateway_ip: '10.0.2.1' }), 400, 'VPC.0201', /10\.0\.2\.1/);
    await refused(t, post({ cidr: '10.0.3.0/24', gateway_ip: '10.0.3.0' }), 400, 'VPC.0201');
    await refused(t, post({ cidr: '10.0.3.0/24' }), 400, 'VPC.0201', /gateway_ip/);
    await refused(t, post({ cidr: '10.0.3.0/24', gateway_ip: '10.0.3.1', availability_zone: 'eu-west-1a' }), 400, 'VPC.0201', /eu-west-1a/);
    await refused(t, post({ cidr: '10.0.3.0/24', gateway_ip: '10.0.3.1', primary_dns: 'dns' }), 400, 'VPC.0201');
    await refused(t, post({ cidr: '10.0.3.0/24', gateway_ip: '10.0.3.1', secondary_dns: '8.8.8.8' }), 400, 'VPC.0201', /secondary_dns/);
    await refused(t, post({ cidr: '10.0.3.0/24', gateway_ip: '10.0.3.1', network_id: 'x' }), 400, 'VPC.0201', /network_id/);
    await refused(t, post({ cidr: '10.0.3.0/24', gateway_ip: '10.0.3.1', vpc_id: crypto.randomUUID() }), 404, 'VPC.0101');
  });
});

describe('public IPs and bandwidths', () => {
  it('allocates a public IP with its bandwidth, binds it DOWN -> ACTIVE -> DOWN, and releases its address', async () => {
    const t = await fresh();
    const address = highAddress();
    const eip = await newPublicIp(t, { ip_address: address });
    expect(eip).toEqual({
      id: expect.stringMatching(UUID),
      status: 'DOWN',
      type: '5_bgp',
      public_ip_address: address,
      ip_version: 4,
      tenant_id: t.project,
      create_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      bandwidth_id: expect.stringMatching(UUID),
      bandwidth_size: 10,
      bandwidth_share_type: 'PER',
      bandwidth_name: 'bw-1',
      port_id: null,
      private_ip_address: null,
    });
    expect(await ok(t, 'GET', `/publicips/${eip.id}`, undefined, 'publicip')).toEqual(eip);

    const vpc = await newVpc(t);
    const subnet = await newSubnet(t, vpc.id);
    const port = await neutron(t.token, 'POST', '/ports', { port: { network_id: subnet.id } });
    expect(port.status).toBe(201);
    const fixed = port.body.port.fixed_ips[0].ip_address;
    const bound = await ok(t, 'PUT', `/publicips/${eip.id}`, { publicip: { port_id: port.body.port.id } }, 'publicip');
    expect(bound).toEqual({ ...eip, status: 'ACTIVE', port_id: port.body.port.id, private_ip_address: fixed });
    expect((await v1(t, 'GET', `/publicips?port_id=${port.body.port.id}`)).body.publicips.map((e: { id: string }) => e.id)).toEqual([
      eip.id,
    ]);
    const unbound = await ok(t, 'PUT', `/publicips/${eip.id}`, { publicip: { port_id: null } }, 'publicip');
    expect(unbound).toEqual(eip);
    // Terraform unbinds with an empty body.
    await ok(t, 'PUT', `/publicips/${eip.id}`, { publicip: { port_id: port.body.port.id } }, 'publicip');
    expect(await ok(t, 'PUT', `/publicips/${eip.id}`, { publicip: {} }, 'publicip')).toMatchObject({ status: 'DOWN', port_id: null });
    await refused(t, ['PUT', `/publicips/${eip.id}`, { publicip: { port_id: crypto.randomUUID() } }], 404, 'VPC.0402');

    // Held by this EIP, the address cannot be had by anyone else.
    const someone = await fresh();
    const taken = await v1(someone, 'POST', '/publicips', {
      publicip: { type: '5_bgp', ip_address: address },
      bandwidth: { name: 'b', size: 1, share_type: 'PER' },
    });
    expectNativeError(taken, 409, 'VPC.0509');

    expect((await v1(t, 'DELETE', `/publicips/${eip.id}`)).status).toBe(204);
    expectNativeError(await v1(t, 'GET', `/publicips/${eip.id}`), 404, 'VPC.0504');
    expectNativeError(await v1(t, 'GET', `/bandwidths/${eip.bandwidth_id}`), 404, 'VPC.0602');
    expectNativeError(await v1(t, 'DELETE', `/publicips/${eip.id}`), 404, 'VPC.0504');
    // The address went back to the pool: another project can have it now.
    const again = await newPublicIp(someone, { ip_address: address });
    expect(again.public_ip_address).toBe(address);
    expect(again.id).not.toBe(eip.id);
  });

  it('shows, renames and resizes a bandwidth, which its public IP reflects; sizes outside 1..1000 are refused', async () => {
    const t = await fresh();
    const eip = await newPublicIp(t, {}, { name: 'bw-a', size: 5, charge_mode: 'bandwidth' });
    expect(eip.public_ip_address).toMatch(POOL);
    const bandwidth = await ok(t, 'GET', `/bandwidths/${eip.bandwidth_id}`, undefined, 'bandwidth');
    expect(bandwidth).toEqual({
      id: eip.bandwidth_id,
      name: 'bw-a',
      size: 5,
      share_type: 'PER',
      charge_mode: 'bandwidth',
      bandwidth_type: 'bgp',
      publicip_info: [{ publicip_id: eip.id, publicip_address: eip.public_ip_address, publicip_type: '5_bgp', ip_version: 4 }],
      tenant_id: t.project,
    });
    expect((await v1(t, 'GET', '/bandwidths')).body.bandwidths).toEqual([bandwidth]);

    const resized = await ok(t, 'PUT', `/bandwidths/${bandwidth.id}`, { bandwidth: { name: 'bw-b', size: 1000 } }, 'bandwidth');
    expect(resized).toEqual({ ...bandwidth, name: 'bw-b', size: 1000 });
    expect(await ok(t, 'GET', `/publicips/${eip.id}`, undefined, 'publicip')).toMatchObject({
      bandwidth_size: 1000,
      bandwidth_name: 'bw-b',
    });

    const put = (body: unknown): [string, string, unknown] => ['PUT', `/bandwidths/${bandwidth.id}`, body];
    await refused(t, put({ bandwidth: { size: 0 } }), 400, 'VPC.0601', /size/);
    await refused(t, put({ bandwidth: { size: 1001 } }), 400, 'VPC.0601', /1001/);
    await refused(t, put({ bandwidth: { size: 'big' } }), 400, 'VPC.0601', /bandwidth\.size/);
    await refused(t, put({ bandwidth: { share_type: 'WHOLE' } }), 400, 'VPC.0601', /share_type/);
    await refused(t, ['PUT', `/bandwidths/${crypto.randomUUID()}`, { bandwidth: { size: 2 } }], 404, 'VPC.0602');
  });

  it('refuses bad public IP requests with 400, allocating nothing', async () => {
    const t = await fresh();
    const post = (publicip: Record<string, unknown>, bandwidth: Record<string, unknown>): [string, string, unknown] => [
      'POST',
      '/publicips',
      { publicip: { type: '5_bgp', ...publicip }, bandwidth: { name: 'b', size: 5, share_type: 'PER', ...bandwidth } },
    ];
    await refused(t, post({}, { size: 0 }), 400, 'VPC.0501', /size/);
    await refused(t, post({}, { size: 1001 }), 400, 'VPC.0501', /1001/);
    await refused(t, post({}, { size: 2.5 }), 400, 'VPC.0501', /bandwidth\.size/);
    await refused(t, post({}, { size: undefined }), 400, 'VPC.0501', /bandwidth\.size/);
    await refused(t, post({}, { share_type: 'WHOLE' }), 400, 'VPC.0501', /bandwidth\.id/);
    await refused(t, post({}, { share_type: 'WHOLE', id: crypto.randomUUID() }), 404, 'VPC.0602');
    await refused(t, post({}, { charge_mode: 'free' }), 400, 'VPC.0501', /charge_mode/);
    await refused(t, post({ type: '5_telcom' }, {}), 400, 'VPC.0501', /5_telcom/);
    await refused(t, post({ ip_version: 6 }, {}), 400, 'VPC.0501', /ip_version/);
    await refused(t, post({ ip_address: '1.2.3.4' }, {}), 400, 'VPC.0501');
    await refused(t, post({ port_id: 'p' }, {}), 400, 'VPC.0501', /port_id/);
  });
});

describe('security groups', () => {
  it('creates a group with its default rules, adds, shows, lists and deletes rules, then deletes the group', async () => {
    const t = await fresh();
    const vpc = await newVpc(t);
    const group = await ok(t, 'POST', '/security-groups', { security_group: { name: 'web', vpc_id: vpc.id } }, 'security_group');
    expect(group).toEqual({
      id: expect.stringMatching(UUID),
      name: 'web',
      description: '',
      vpc_id: vpc.id,
      enterprise_project_id: '0',
      security_group_rules: expect.any(Array),
    });
    expect(group.security_group_rules.map((r: { direction: string; ethertype: string }) => `${r.direction}/${r.ethertype}`).sort()).toEqual(
      ['egress/IPv4', 'egress/IPv6'],
    );
    const plain = await ok(t, 'POST', '/security-groups', { security_group: { name: 'plain' } }, 'security_group');
    expect(plain.vpc_id).toBeNull();
    const byVpc = await v1(t, 'GET', `/security-groups?vpc_id=${vpc.id}`);
    expect(byVpc.body.security_groups.map((g: { id: string }) => g.id)).toEqual([group.id]);
    const names = (await v1(t, 'GET', '/security-groups')).body.security_groups.map((g: { name: string }) => g.name);
    expect(names.sort()).toEqual(['default', 'plain', 'web']);

    const rule = await ok(
      t,
      'POST',
      '/security-group-rules',
      {
        security_group_rule: {
          security_group_id: group.id,
          direction: 'ingress',
          ethertype: 'IPv4',
          protocol: 'tcp',
          port_range_min: 22,
          port_range_max: 22,
          remote_ip_prefix: '0.0.0.0/0',
          description: 'ssh',
        },
      },
      'security_group_rule',
    );
    expect(rule).toEqual({
      id: expect.stringMatching(UUID),
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: '0.0.0.0/0',
      remote_group_id: null,
      security_group_id: group.id,
      tenant_id: t.project,
      description: 'ssh',
    });
    expect(await ok(t, 'GET', `/security-group-rules/${rule.id}`, undefined, 'security_group_rule')).toEqual(rule);
    expect((await ok(t, 'GET', `/security-groups/${group.id}`, undefined, 'security_group')).security_group_rules).toContainEqual(rule);
    const rules = await v1(t, 'GET', `/security-group-rules?security_group_id=${group.id}`);
    expect(rules.body.security_group_rules).toHaveLength(3);
    // The same group and rule through Neutron.
    expect((await neutron(t.token, 'GET', `/security-group-rules/${rule.id}`)).body.security_group_rule).toMatchObject({
      security_group_id: group.id,
      port_range_min: 22,
    });

    const ruleBody = (rule: Record<string, unknown>): [string, string, unknown] => [
      'POST',
      '/security-group-rules',
      { security_group_rule: { security_group_id: group.id, direction: 'ingress', ...rule } },
    ];
    await refused(t, ruleBody({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }), 409, 'VPC.0709');
    await refused(t, ruleBody({ protocol: 'tcp', port_range_min: 80, port_range_max: 70 }), 400, 'VPC.0701');
    await refused(t, ruleBody({ direction: 'sideways' }), 400, 'VPC.0701', /direction/);
    await refused(t, ruleBody({ priority: 1 }), 400, 'VPC.0701', /priority/);
    await refused(t, ruleBody({ security_group_id: crypto.randomUUID() }), 404, 'VPC.0702');
    await refused(t, ['POST', '/security-groups', { security_group: { name: 'x', tags: [] } }], 400, 'VPC.0701', /tags/);
    await refused(t, ['POST', '/security-groups', { security_group: { name: 'default' } }], 409, 'VPC.0709');

    expect((await v1(t, 'DELETE', `/security-group-rules/${rule.id}`)).status).toBe(204);
    expectNativeError(await v1(t, 'GET', `/security-group-rules/${rule.id}`), 404, 'VPC.0702');
    expect((await v1(t, 'DELETE', `/security-groups/${group.id}`)).status).toBe(204);
    expectNativeError(await v1(t, 'GET', `/security-groups/${group.id}`), 404, 'VPC.0702');
    expectNativeError(await v1(t, 'DELETE', `/security-groups/${group.id}`), 404, 'VPC.0702');
  });
});

describe('isolation and policy', () => {
  /** One of everything in a tenant, with the id routes that reach each object. */
  async function everything(t: Tenant) {
    const vpc = await newVpc(t);
    const subnet = await newSubnet(t, vpc.id);
    const eip = await newPublicIp(t);
    const group = await ok(t, 'POST', '/security-groups', { security_group: { name: 'g', vpc_id: vpc.id } }, 'security_group');
    const rule = await ok(
      t,
      'POST',
      '/security-group-rules',
      { security_group_rule: { security_group_id: group.id, direction: 'ingress', protocol: 'icmp' } },
      'security_group_rule',
    );
    const ids = [vpc.id, subnet.id, eip.id, eip.bandwidth_id, group.id, rule.id];
    const idRoutes: [string, string, unknown?][] = [
      ['GET', `/vpcs/${vpc.id}`],
      ['PUT', `/vpcs/${vpc.id}`, { vpc: { name: 'stolen' } }],
      ['DELETE', `/vpcs/${vpc.id}`],
      ['GET', `/subnets/${subnet.id}`],
      ['PUT', `/vpcs/${vpc.id}/subnets/${subnet.id}`, { subnet: { name: 'stolen' } }],
      ['DELETE', `/vpcs/${vpc.id}/subnets/${subnet.id}`],
      ['GET', `/publicips/${eip.id}`],
      ['PUT', `/publicips/${eip.id}`, { publicip: { port_id: null } }],
      ['DELETE', `/publicips/${eip.id}`],
      ['GET', `/bandwidths/${eip.bandwidth_id}`],
      ['PUT', `/bandwidths/${eip.bandwidth_id}`, { bandwidth: { size: 1 } }],
      ['GET', `/security-groups/${group.id}`],
      ['DELETE', `/security-groups/${group.id}`],
      ['GET', `/security-group-rules/${rule.id}`],
      ['DELETE', `/security-group-rules/${rule.id}`],
    ];
    const creates: [string, string, unknown][] = [
      ['POST', '/vpcs', { vpc: { name: 'x', cidr: '10.0.0.0/16' } }],
      ['POST', '/subnets', { subnet: { name: 'x', cidr: '10.0.9.0/24', gateway_ip: '10.0.9.1', vpc_id: vpc.id } }],
      ['POST', '/publicips', { publicip: { type: '5_bgp' }, bandwidth: { name: 'x', size: 1, share_type: 'PER' } }],
      ['POST', '/security-groups', { security_group: { name: 'x' } }],
      ['POST', '/security-group-rules', { security_group_rule: { security_group_id: group.id, direction: 'egress', protocol: 'udp' } }],
    ];
    return { ids, idRoutes, creates };
  }

  it("never shows or touches another account's objects: 404 on every id route, absent from every list", async () => {
    const owner = await fresh();
    const stranger = await fresh();
    const { ids, idRoutes } = await everything(owner);
    const before = await snapshot(owner);
    for (const [method, path, body] of idRoutes) {
      const res = await v1(stranger, method, path, body);
      expectNativeError(res, 404);
    }
    const seen = JSON.stringify(await snapshot(stranger));
    for (const id of ids) expect(seen).not.toContain(id);
    expect(await snapshot(owner)).toEqual(before);
  });

  it('answers 403 when the path names a project that is not the token’s, on every route', async () => {
    const owner = await fresh();
    const stranger = await fresh();
    const { idRoutes, creates } = await everything(owner);
    const before = await snapshot(owner);
    const lists = ['vpcs', 'subnets', 'publicips', 'bandwidths', 'security-groups', 'security-group-rules'].map((c): [string, string] => [
      'GET',
      `/${c}`,
    ]);
    for (const [method, path, body] of [...lists, ...idRoutes, ...creates]) {
      const res = await send(stranger.token, method, `/vpc/v1/${owner.project}${path}`, body);
      expectNativeError(res, 403);
    }
    expect(await snapshot(owner)).toEqual(before);
    expect((await snapshot(stranger)).vpcs).toEqual({ vpcs: [] });
  });

  it('authorises each route by its action: a read-only user lists but cannot create', async () => {
    const account = await newAccount('native-ro');
    const admin = await tokenFor(account);
    const user = await createUser(account, admin, { role: 'readonly' });
    const reader: Tenant = {
      project: account.projects[0]!.id,
      token: await tokenFor(account, { user: user.name, password: user.password }),
    };
    expect((await v1(reader, 'GET', '/vpcs')).status).toBe(200);
    expectNativeError(await v1(reader, 'POST', '/vpcs', { vpc: { name: 'x', cidr: '10.0.0.0/16' } }), 403, undefined, /vpc:vpcs:create/);
    expectNativeError(
      await v1(reader, 'POST', '/publicips', { publicip: { type: '5_bgp' }, bandwidth: { name: 'x', size: 1, share_type: 'PER' } }),
      403,
      undefined,
      /eip:publicips:create/,
    );
    expect((await v1({ project: reader.project, token: admin }, 'GET', '/vpcs')).body.vpcs).toEqual([]);
    expectNativeError(await send('', 'GET', `/vpc/v1/${reader.project}/vpcs`), 401);
  });
});

/** Neutron v2.0 under /vpc/v2.0: the happy paths, field by field, in the shapes the openstack CLI reads. */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { call, json, neutron, V2 } from '../request.ts';
import { create, externalNetworkId, listIds, networkWithSubnet } from './fixtures.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function fresh() {
  const account = await newAccount('neutron');
  return { account, project: account.projects[0]!.id, token: await tokenFor(account) };
}

describe('discovery', () => {
  it('lists the version, the resources and the extensions clients probe', async () => {
    const { token } = await fresh();
    const versions = await json(await call('/vpc', { token }));
    expect(versions.versions).toEqual([{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: 'http://cloud.test/vpc/v2.0/' }] }]);
    const root = await json(await call('/vpc/v2.0', { token }));
    expect(root.resources.map((r: { collection: string }) => r.collection)).toContain('floatingips');
    const ext = await neutron(token, 'GET', '/extensions');
    expect(ext.body.extensions.map((e: { alias: string }) => e.alias)).toEqual(
      expect.arrayContaining(['router', 'external-net', 'security-group', 'quotas', 'quota_details', 'pagination', 'sorting', 'fields']),
    );
    expect((await neutron(token, 'GET', '/extensions/router')).body.extension.alias).toBe('router');
    const missing = await neutron(token, 'GET', '/extensions/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError.type).toBe('ExtensionNotFound');
    expect(missing.headers.get('X-Openstack-Request-Id')).toMatch(/^req-/);
  });
});

describe('networks', () => {
  it('creates, shows, updates, lists and deletes a network', async () => {
    const { token, project } = await fresh();
    const created = await neutron(token, 'POST', '/networks', { network: { name: 'web', description: 'front', mtu: 1400 } });
    expect(created.status).toBe(201);
    const n = created.body.network;
    expect(n).toMatchObject({
      name: 'web',
      description: 'front',
      admin_state_up: true,
      status: 'ACTIVE',
      subnets: [],
      shared: false,
      mtu: 1400,
      'router:external': false,
      port_security_enabled: true,
      tenant_id: project,
      project_id: project,
      revision_number: expect.any(Number),
      tags: [],
    });
    expect(n.id).toMatch(UUID);
    expect(n.created_at).toMatch(TIME);
    expect(n.updated_at).toMatch(TIME);
    expect(n.availability_zones).toEqual(['eu-west-0a', 'eu-west-0b', 'eu-west-0c']);

    expect((await neutron(token, 'GET', `/networks/${n.id}`)).body.network).toEqual(n);
    const updated = await neutron(token, 'PUT', `/networks/${n.id}`, { network: { name: 'web2', admin_state_up: false } });
    expect(updated.status).toBe(200);
    expect(updated.body.network).toMatchObject({ id: n.id, name: 'web2', admin_state_up: false, description: 'front', mtu: 1400 });
    expect((await neutron(token, 'GET', `/networks/${n.id}`)).body.network.name).toBe('web2');

    const list = (await neutron(token, 'GET', '/networks')).body.networks;
    expect(list.map((x: { name: string }) => x.name).sort()).toEqual(['admin_external_net', 'web2']);

    const del = await neutron(token, 'DELETE', `/networks/${n.id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeNull();
    expect((await neutron(token, 'GET', `/networks/${n.id}`)).status).toBe(404);
    expect(await listIds(token, '/networks?router:external=false')).toEqual([]);
  });

  it('shows the shared external network, which cannot be changed or deleted', async () => {
    const { token } = await fresh();
    const ext = await externalNetworkId(token);
    const shown = (await neutron(token, 'GET', `/networks/${ext}`)).body.network;
    expect(shown).toMatchObject({ name: 'admin_external_net', 'router:external': true, shared: true, status: 'ACTIVE' });
    const sub = (await neutron(token, 'GET', `/subnets/${shown.subnets[0]}`)).body.subnet;
    expect(sub).toMatchObject({ network_id: ext, cidr: '80.158.16.0/20', gateway_ip: '80.158.16.1' });
    expect((await neutron(token, 'PUT', `/networks/${ext}`, { network: { name: 'mine' } })).status).toBe(403);
    expect((await neutron(token, 'DELETE', `/networks/${ext}`)).status).toBe(403);
    expect((await neutron(token, 'POST', '/subnets', { subnet: { network_id: ext, cidr: '10.1.0.0/24' } })).status).toBe(403);
    expect((await neutron(token, 'POST', '/ports', { port: { network_id: ext } })).status).toBe(403);
    expect((await neutron(token, 'GET', `/networks/${ext}`)).body.network.name).toBe('admin_external_net');
  });
});

describe('subnets', () => {
  it('defaults the gateway to the first host and the pool to the rest', async () => {
    const { token, project } = await fresh();
    const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24');
    expect(subnet).toMatchObject({
      network_id: network.id,
      cidr: '10.0.0.0/24',
      ip_version: 4,
      gateway_ip: '10.0.0.1',
      enable_dhcp: true,
      dns_nameservers: [],
      allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }],
      host_routes: [],
      ipv6_ra_mode: null,
      ipv6_address_mode: null,
      subnetpool_id: null,
      tenant_id: project,
      project_id: project,
    });
    expect(subnet.id).toMatch(UUID);
    expect((await neutron(token, 'GET', `/networks/${network.id}`)).body.network.subnets).toEqual([subnet.id]);
    expect((await neutron(token, 'GET', `/subnets/${subnet.id}`)).body.subnet).toEqual(subnet);
  });

  it('splits the default pool around a gateway in the middle, and uses it all without a gateway', async () => {
    const { token } = await fresh();
    const net = await create(token, 'networks', 'network', { name: 'n' });
    const mid = await create(token, 'subnets', 'subnet', { network_id: net.id, cidr: '10.0.1.0/24', gateway_ip: '10.0.1.100' });
    expect(mid.allocation_pools).toEqual([
      { start: '10.0.1.1', end: '10.0.1.99' },
      { start: '10.0.1.101', end: '10.0.1.254' },
    ]);
    const none = await create(token, 'subnets', 'subnet', { network_id: net.id, cidr: '10.0.2.0/24', gateway_ip: null });
    expect(none.gateway_ip).toBeNull();
    expect(none.allocation_pools).toEqual([{ start: '10.0.2.1', end: '10.0.2.254' }]);
    const pools = await create(token, 'subnets', 'subnet', {
      network_id: net.id,
      cidr: '10.0.3.0/24',
      allocation_pools: [
        { start: '10.0.3.50', end: '10.0.3.60' },
        { start: '10.0.3.10', end: '10.0.3.20' },
      ],
      dns_nameservers: ['100.125.0.41', '100.126.0.41'],
      host_routes: [{ destination: '172.16.0.0/16', nexthop: '10.0.3.254' }],
    });
    expect(pools.allocation_pools).toEqual([
      { start: '10.0.3.10', end: '10.0.3.20' },
      { start: '10.0.3.50', end: '10.0.3.60' },
    ]);
    expect(pools.dns_nameservers).toEqual(['100.125.0.41', '100.126.0.41']);
    expect(pools.host_routes).toEqual([{ destination: '172.16.0.0/16', nexthop: '10.0.3.254' }]);
  });

  it('updates name, DNS and routes, and deletes', async () => {
    const { token } = await fresh();
    const { subnet } = await networkWithSubnet(token, '192.168.5.0/24');
    const res = await neutron(token, 'PUT', `/subnets/${subnet.id}`, {
      subnet: { name: 'renamed', dns_nameservers: ['8.8.8.8'], enable_dhcp: false },
    });
    expect(res.status).toBe(200);
    expect(res.body.subnet).toMatchObject({ id: subnet.id, name: 'renamed', dns_nameservers: ['8.8.8.8'], enable_dhcp: false });
    expect(res.body.subnet.cidr).toBe('192.168.5.0/24');
    expect((await neutron(token, 'DELETE', `/subnets/${subnet.id}`)).status).toBe(204);
    expect((await neutron(token, 'GET', `/subnets/${subnet.id}`)).status).toBe(404);
  });
});

describe('ports', () => {
  it('creates a port with the first free address, a MAC and the default security group', async () => {
    const { token, project } = await fresh();
    const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24');
    const port = await create(token, 'ports', 'port', { network_id: network.id, name: 'p1' });
    const groups = (await neutron(token, 'GET', '/security-groups?name=default')).body.security_groups;
    expect(port).toMatchObject({
      name: 'p1',
      network_id: network.id,
      admin_state_up: true,
      status: 'DOWN',
      device_owner: '',
      device_id: '',
      fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.2' }],
      security_groups: [groups[0].id],
      allowed_address_pairs: [],
      port_security_enabled: true,
      tenant_id: project,
      project_id: project,
    });
    expect(port.id).toMatch(UUID);
    expect(port.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect((await neutron(token, 'GET', `/ports/${port.id}`)).body.port).toEqual(port);

    const second = await create(token, 'ports', 'port', { network_id: network.id });
    expect(second.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: '10.0.0.3' }]);
    expect(second.mac_address).not.toBe(port.mac_address);
  });

  it('takes the address and MAC asked for, updates, and frees the address on delete', async () => {
    const { token } = await fresh();
    const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24');
    const port = await create(token, 'ports', 'port', {
      network_id: network.id,
      fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.50' }],
      mac_address: 'FA:16:3E:00:00:01',
      allowed_address_pairs: [{ ip_address: '10.0.0.200' }],
    });
    expect(port.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: '10.0.0.50' }]);
    expect(port.mac_address).toBe('fa:16:3e:00:00:01');
    expect(port.allowed_address_pairs).toEqual([{ ip_address: '10.0.0.200', mac_address: 'fa:16:3e:00:00:01' }]);

    const updated = await neutron(token, 'PUT', `/ports/${port.id}`, {
      port: { name: 'srv', device_id: 'server-1', device_owner: 'compute:eu-west-0a', fixed_ips: [{ ip_address: '10.0.0.60' }] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.port).toMatchObject({
      name: 'srv',
      device_id: 'server-1',
      device_owner: 'compute:eu-west-0a',
      status: 'ACTIVE',
      fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.0.0.60' }],
    });
    // The old address went back: another port may take it now.
    const reuse = await create(token, 'ports', 'port', { network_id: network.id, fixed_ips: [{ ip_address: '10.0.0.50' }] });
    expect(reuse.fixed_ips[0].ip_address).toBe('10.0.0.50');

    expect(await listIds(token, '/ports?device_id=server-1')).toEqual([port.id]);
    expect((await neutron(token, 'DELETE', `/ports/${port.id}`)).status).toBe(204);
    expect((await neutron(token, 'GET', `/ports/${port.id}`)).status).toBe(404);
    const again = await create(token, 'ports', 'port', { network_id: network.id, fixed_ips: [{ ip_address: '10.0.0.60' }] });
    expect(again.fixed_ips[0].ip_address).toBe('10.0.0.60');
  });

  it('a port on a network without subnets has no address; without port security it has no groups', async () => {
    const { token } = await fresh();
    const net = await create(token, 'networks', 'network', { name: 'bare' });
    const port = await create(token, 'ports', 'port', { network_id: net.id, port_security_enabled: false });
    expect(port).toMatchObject({ fixed_ips: [], security_groups: [], port_security_enabled: false });
  });
});

describe('routers', () => {
  it('creates a router, sets its gateway, adds and removes an interface, and deletes it', async () => {
    const { token, project } = await fresh();
    const ext = await externalNetworkId(token);
    const { network, subnet } = await networkWithSubnet(token, '192.168.10.0/24');
    const created = await neutron(token, 'POST', '/routers', { router: { name: 'r1' } });
    expect(created.status).toBe(201);
    const r = created.body.router;
    expect(r).toMatchObject({
      name: 'r1',
      admin_state_up: true,
      status: 'ACTIVE',
      external_gateway_info: null,
      routes: [],
      tenant_id: project,
      project_id: project,
    });
    expect(r.id).toMatch(UUID);

    const gw = await neutron(token, 'PUT', `/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext } } });
    expect(gw.status).toBe(200);
    expect(gw.body.router.external_gateway_info).toMatchObject({ network_id: ext, enable_snat: true });

    const add = await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: subnet.id });
    expect(add.status).toBe(200);
    expect(add.body).toMatchObject({
      id: r.id,
      subnet_id: subnet.id,
      subnet_ids: [subnet.id],
      network_id: network.id,
      tenant_id: project,
      project_id: project,
    });
    const iface = (await neutron(token, 'GET', `/ports/${add.body.port_id}`)).body.port;
    expect(iface).toMatchObject({
      device_id: r.id,
      device_owner: 'network:router_interface',
      status: 'ACTIVE',
      security_groups: [],
      fixed_ips: [{ subnet_id: subnet.id, ip_address: '192.168.10.1' }],
    });
    expect(await listIds(token, `/ports?device_id=${r.id}`)).toEqual([iface.id]);
    // An ordinary port does not get the gateway address the interface sits on.
    const p = await create(token, 'ports', 'port', { network_id: network.id });
    expect(p.fixed_ips[0].ip_address).toBe('192.168.10.2');

    const routes = await neutron(token, 'PUT', `/routers/${r.id}`, {
      router: { routes: [{ destination: '172.16.0.0/24', nexthop: '192.168.10.9' }] },
    });
    expect(routes.body.router.routes).toEqual([{ destination: '172.16.0.0/24', nexthop: '192.168.10.9' }]);

    const remove = await neutron(token, 'PUT', `/routers/${r.id}/remove_router_interface`, { subnet_id: subnet.id });
    expect(remove.status).toBe(200);
    expect(remove.body).toMatchObject({ id: r.id, port_id: iface.id, subnet_id: subnet.id, network_id: network.id });
    expect((await neutron(token, 'GET', `/ports/${iface.id}`)).status).toBe(404);

    const clear = await neutron(token, 'PUT', `/routers/${r.id}`, { router: { external_gateway_info: null } });
    expect(clear.body.router.external_gateway_info).toBeNull();
    expect((await neutron(token, 'DELETE', `/routers/${r.id}`)).status).toBe(204);
    expect((await neutron(token, 'GET', `/routers/${r.id}`)).status).toBe(404);
  });

  it('removes an interface by port id too', async () => {
    const { token } = await fresh();
    const { subnet } = await networkWithSubnet(token, '10.20.0.0/24');
    const r = await create(token, 'routers', 'router', { name: 'r' });
    const add = await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: subnet.id });
    const remove = await neutron(token, 'PUT', `/routers/${r.id}/remove_router_interface`, { port_id: add.body.port_id });
    expect(remove.status).toBe(200);
    expect(remove.body.subnet_id).toBe(subnet.id);
    expect(await listIds(token, `/ports?device_id=${r.id}`)).toEqual([]);
    // Once the interface is gone the subnet may be joined again.
    expect((await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: subnet.id })).status).toBe(200);
  });
});

describe('security groups', () => {
  it('gives every project a default group: egress anywhere, ingress from its own members', async () => {
    const { token, project } = await fresh();
    const list = (await neutron(token, 'GET', '/security-groups')).body.security_groups;
    expect(list).toHaveLength(1);
    const g = list[0];
    expect(g).toMatchObject({ name: 'default', tenant_id: project, project_id: project, stateful: true });
    const rules = g.security_group_rules.map((r: Record<string, unknown>) => ({
      direction: r.direction,
      ethertype: r.ethertype,
      protocol: r.protocol,
      remote_group_id: r.remote_group_id,
      remote_ip_prefix: r.remote_ip_prefix,
      port_range_min: r.port_range_min,
      port_range_max: r.port_range_max,
      security_group_id: r.security_group_id,
    }));
    const base = { protocol: null, remote_ip_prefix: null, port_range_min: null, port_range_max: null, security_group_id: g.id };
    expect(rules).toHaveLength(4);
    expect(rules).toEqual(
      expect.arrayContaining([
        { ...base, direction: 'egress', ethertype: 'IPv4', remote_group_id: null },
        { ...base, direction: 'egress', ethertype: 'IPv6', remote_group_id: null },
        { ...base, direction: 'ingress', ethertype: 'IPv4', remote_group_id: g.id },
        { ...base, direction: 'ingress', ethertype: 'IPv6', remote_group_id: g.id },
      ]),
    );
    // The same group every time: reading it twice does not make a second one.
    expect(await listIds(token, '/security-groups')).toEqual([g.id]);
    const ruleIds = await listIds(token, `/security-group-rules?security_group_id=${g.id}`);
    expect(ruleIds.sort()).toEqual(g.security_group_rules.map((r: { id: string }) => r.id).sort());
  });

  it('creates a group with two egress rules, adds, shows and deletes rules, renames and deletes the group', async () => {
    const { token, project } = await fresh();
    const g = await create(token, 'security-groups', 'security_group', { name: 'web', description: 'http' });
    expect(g).toMatchObject({ name: 'web', description: 'http', tenant_id: project });
    expect(g.security_group_rules.map((r: { direction: string; ethertype: string }) => `${r.direction}/${r.ethertype}`).sort()).toEqual([
      'egress/IPv4',
      'egress/IPv6',
    ]);
    const rule = await create(token, 'security-group-rules', 'security_group_rule', {
      security_group_id: g.id,
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 80,
      port_range_max: 443,
      remote_ip_prefix: '0.0.0.0/0',
      description: 'web',
    });
    expect(rule).toMatchObject({
      security_group_id: g.id,
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 80,
      port_range_max: 443,
      remote_ip_prefix: '0.0.0.0/0',
      remote_group_id: null,
      description: 'web',
      tenant_id: project,
      project_id: project,
    });
    expect(rule.id).toMatch(UUID);
    expect((await neutron(token, 'GET', `/security-group-rules/${rule.id}`)).body.security_group_rule).toEqual(rule);
    const shown = (await neutron(token, 'GET', `/security-groups/${g.id}`)).body.security_group;
    expect(shown.security_group_rules.map((r: { id: string }) => r.id)).toContain(rule.id);

    const icmp = await create(token, 'security-group-rules', 'security_group_rule', {
      security_group_id: g.id,
      direction: 'ingress',
      protocol: 'icmp',
      port_range_min: 8,
      port_range_max: 0,
      remote_group_id: g.id,
    });
    expect(icmp).toMatchObject({ protocol: 'icmp', port_range_min: 8, port_range_max: 0, remote_group_id: g.id });
    const single = await create(token, 'security-group-rules', 'security_group_rule', {
      security_group_id: g.id,
      direction: 'ingress',
      protocol: 'udp',
      port_range_min: 53,
    });
    expect(single).toMatchObject({ port_range_min: 53, port_range_max: 53 });

    const renamed = await neutron(token, 'PUT', `/security-groups/${g.id}`, { security_group: { name: 'web2', description: 'd' } });
    expect(renamed.body.security_group).toMatchObject({ id: g.id, name: 'web2', description: 'd' });

    expect((await neutron(token, 'DELETE', `/security-group-rules/${rule.id}`)).status).toBe(204);
    expect((await neutron(token, 'GET', `/security-group-rules/${rule.id}`)).status).toBe(404);
    expect((await neutron(token, 'DELETE', `/security-groups/${g.id}`)).status).toBe(204);
    expect((await neutron(token, 'GET', `/security-groups/${g.id}`)).status).toBe(404);
    expect(await listIds(token, `/security-group-rules?security_group_id=${g.id}`)).toEqual([]);
  });

  it('puts a port in the groups asked for', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token);
    const g = await create(token, 'security-groups', 'security_group', { name: 'app' });
    const port = await create(token, 'ports', 'port', { network_id: network.id, security_groups: [g.id] });
    expect(port.security_groups).toEqual([g.id]);
    const moved = await neutron(token, 'PUT', `/ports/${port.id}`, { port: { security_groups: [] } });
    expect(moved.body.port.security_groups).toEqual([]);
    expect((await neutron(token, 'DELETE', `/security-groups/${g.id}`)).status).toBe(204);
  });
});

describe('floating IPs', () => {
  it('allocates from the pool, binds with PUT, unbinds, and releases', async () => {
    const { token, project } = await fresh();
    const ext = await externalNetworkId(token);
    const { network, subnet } = await networkWithSubnet(token, '192.168.1.0/24');
    const router = await create(token, 'routers', 'router', { name: 'r', external_gateway_info: { network_id: ext } });
    await neutron(token, 'PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
    const port = await create(token, 'ports', 'port', { network_id: network.id });

    const created = await neutron(token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext, description: 'fip' } });
    expect(created.status).toBe(201);
    const f = created.body.floatingip;
    expect(f).toMatchObject({
      floating_network_id: ext,
      port_id: null,
      fixed_ip_address: null,
      router_id: null,
      status: 'DOWN',
      description: 'fip',
      tenant_id: project,
      project_id: project,
    });
    expect(f.id).toMatch(UUID);
    expect(f.floating_ip_address).toMatch(/^80\.158\.(1[6-9]|2\d|3[01])\.\d{1,3}$/);

    const bound = await neutron(token, 'PUT', `/floatingips/${f.id}`, { floatingip: { port_id: port.id } });
    expect(bound.status).toBe(200);
    expect(bound.body.floatingip).toMatchObject({
      id: f.id,
      floating_ip_address: f.floating_ip_address,
      port_id: port.id,
      fixed_ip_address: port.fixed_ips[0].ip_address,
      router_id: router.id,
      status: 'ACTIVE',
    });
    expect(await listIds(token, `/floatingips?port_id=${port.id}`)).toEqual([f.id]);

    const unbound = await neutron(token, 'PUT', `/floatingips/${f.id}`, { floatingip: { port_id: null } });
    expect(unbound.body.floatingip).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' });
    expect(unbound.body.floatingip.floating_ip_address).toBe(f.floating_ip_address);

    expect((await neutron(token, 'DELETE', `/floatingips/${f.id}`)).status).toBe(204);
    expect((await neutron(token, 'GET', `/floatingips/${f.id}`)).status).toBe(404);
    expect(await listIds(token, '/floatingips')).toEqual([]);
  });

  it('binds at creation, and deleting the port unbinds it', async () => {
    const { token } = await fresh();
    const ext = await externalNetworkId(token);
    const { network } = await networkWithSubnet(token, '10.8.0.0/24');
    const port = await create(token, 'ports', 'port', { network_id: network.id });
    const f = await create(token, 'floatingips', 'floatingip', { floating_network_id: ext, port_id: port.id });
    expect(f).toMatchObject({ port_id: port.id, fixed_ip_address: '10.8.0.2', status: 'ACTIVE' });
    expect((await neutron(token, 'DELETE', `/ports/${port.id}`)).status).toBe(204);
    expect((await neutron(token, 'GET', `/floatingips/${f.id}`)).body.floatingip).toMatchObject({
      port_id: null,
      fixed_ip_address: null,
      status: 'DOWN',
    });
    expect((await neutron(token, 'DELETE', `/floatingips/${f.id}`)).status).toBe(204);
  });
});

describe('quotas', () => {
  it("shows the project's limits, and with /details the usage", async () => {
    const { token, project } = await fresh();
    const limits = await neutron(token, 'GET', `/quotas/${project}`);
    expect(limits.status).toBe(200);
    expect(limits.body).toEqual({
      quota: { network: 100, subnet: 100, port: 500, router: 5, floatingip: 10, security_group: 100, security_group_rule: 5000 },
    });
    const { network } = await networkWithSubnet(token);
    await create(token, 'ports', 'port', { network_id: network.id });
    await create(token, 'routers', 'router', { name: 'r' });
    const details = await neutron(token, 'GET', `/quotas/${project}/details`);
    expect(details.status).toBe(200);
    expect(details.body.quota).toEqual({
      network: { limit: 100, used: 1, reserved: 0 },
      subnet: { limit: 100, used: 1, reserved: 0 },
      port: { limit: 500, used: 1, reserved: 0 },
      router: { limit: 5, used: 1, reserved: 0 },
      floatingip: { limit: 10, used: 0, reserved: 0 },
      // The default group and its four rules exist once a port has used it.
      security_group: { limit: 100, used: 1, reserved: 0 },
      security_group_rule: { limit: 5000, used: 4, reserved: 0 },
    });
  });
});

describe('list semantics', () => {
  async function threeNetworks() {
    const ctx = await fresh();
    const names = ['bravo', 'alpha', 'charlie'];
    const nets: Record<string, any> = {};
    for (const name of names) nets[name] = await create(ctx.token, 'networks', 'network', { name, admin_state_up: name !== 'charlie' });
    return { ...ctx, nets };
  }

  it('filters on attributes; a repeated key means any of its values; booleans and lists match too', async () => {
    const { token, nets } = await threeNetworks();
    expect(await listIds(token, '/networks?name=alpha')).toEqual([nets.alpha.id]);
    expect((await listIds(token, '/networks?name=alpha&name=charlie')).sort()).toEqual([nets.alpha.id, nets.charlie.id].sort());
    expect(await listIds(token, '/networks?admin_state_up=false')).toEqual([nets.charlie.id]);
    expect(await listIds(token, '/networks?name=alpha&admin_state_up=false')).toEqual([]);
    expect(await listIds(token, '/networks?name=nobody')).toEqual([]);
    expect(await listIds(token, `/networks?id=${nets.bravo.id}`)).toEqual([nets.bravo.id]);

    const sub = await create(token, 'subnets', 'subnet', { network_id: nets.alpha.id, cidr: '10.1.0.0/24' });
    const port = await create(token, 'ports', 'port', { network_id: nets.alpha.id, fixed_ips: [{ ip_address: '10.1.0.77' }] });
    await create(token, 'ports', 'port', { network_id: nets.alpha.id });
    expect(await listIds(token, `/ports?fixed_ips=ip_address%3D10.1.0.77`)).toEqual([port.id]);
    expect((await listIds(token, `/ports?fixed_ips=subnet_id%3D${sub.id}`)).length).toBe(2);
    expect((await listIds(token, `/ports?network_id=${nets.alpha.id}`)).length).toBe(2);
    expect(await listIds(token, `/ports?network_id=${nets.bravo.id}`)).toEqual([]);
  });

  it('answers only the fields asked for', async () => {
    const { token, nets } = await threeNetworks();
    const one = await neutron(token, 'GET', '/networks?name=alpha&fields=id&fields=name');
    expect(one.body.networks).toEqual([{ id: nets.alpha.id, name: 'alpha' }]);
    const shown = await neutron(token, 'GET', `/networks/${nets.alpha.id}?fields=status`);
    expect(shown.body.network).toEqual({ status: 'ACTIVE' });
  });

  it('sorts by sort_key and sort_dir', async () => {
    const { token, nets } = await threeNetworks();
    const asc = await listIds(token, '/networks?router:external=false&sort_key=name&sort_dir=asc');
    expect(asc).toEqual([nets.alpha.id, nets.bravo.id, nets.charlie.id]);
    const desc = await listIds(token, '/networks?router:external=false&sort_key=name&sort_dir=desc');
    expect(desc).toEqual([nets.charlie.id, nets.bravo.id, nets.alpha.id]);
    const twoKeys = await listIds(
      token,
      '/networks?router:external=false&sort_key=admin_state_up&sort_dir=asc&sort_key=name&sort_dir=desc',
    );
    expect(twoKeys).toEqual([nets.charlie.id, nets.bravo.id, nets.alpha.id]);
    const bad = await neutron(token, 'GET', '/networks?sort_key=nope&sort_dir=asc');
    expect(bad.status).toBe(400);
    expect(bad.body.NeutronError.message).toContain('nope');
    const badDir = await neutron(token, 'GET', '/networks?sort_key=name&sort_dir=sideways');
    expect(badDir.status).toBe(400);
    expect(badDir.body.NeutronError.message).toContain('sideways');
    expect((await neutron(token, 'GET', '/networks?sort_key=name')).status).toBe(400);
  });

  it('pages with limit and marker, links the next page, and pages backwards with page_reverse', async () => {
    const { token } = await fresh();
    const names = ['n1', 'n2', 'n3', 'n4', 'n5'];
    for (const name of names) await create(token, 'networks', 'network', { name });
    const base = '/networks?router:external=false&sort_key=name&sort_dir=asc';

    const first = await neutron(token, 'GET', `${base}&limit=2`);
    expect(first.body.networks.map((n: { name: string }) => n.name)).toEqual(['n1', 'n2']);
    const next = first.body.networks_links.find((l: { rel: string }) => l.rel === 'next');
    expect(next.href).toContain(`marker=${first.body.networks[1].id}`);
    expect(next.href.startsWith(`http://cloud.test${V2}/networks?`)).toBe(true);

    // Following the next links visits every item once, in order, and stops.
    const seen: string[] = [];
    let href: string | undefined = `http://cloud.test${V2}${base}&limit=2`;
    for (let pages = 0; href && pages < 10; pages++) {
      const page: any = await json(await call(href.slice('http://cloud.test'.length), { token }));
      seen.push(...page.networks.map((n: { name: string }) => n.name));
      href = page.networks_links?.find((l: { rel: string }) => l.rel === 'next')?.href;
      if (page.networks.length === 0) break;
    }
    expect(seen).toEqual(names);

    const afterN2 = await neutron(token, 'GET', `${base}&limit=2&marker=${first.body.networks[1].id}`);
    expect(afterN2.body.networks.map((n: { name: string }) => n.name)).toEqual(['n3', 'n4']);

    const last = await neutron(token, 'GET', `${base}&limit=2&page_reverse=true`);
    expect(last.body.networks.map((n: { name: string }) => n.name)).toEqual(['n4', 'n5']);
    const n4 = last.body.networks[0].id;
    const before = await neutron(token, 'GET', `${base}&limit=2&page_reverse=true&marker=${n4}`);
    expect(before.body.networks.map((n: { name: string }) => n.name)).toEqual(['n2', 'n3']);

    const badMarker = await neutron(token, 'GET', `${base}&limit=2&marker=${crypto.randomUUID()}`);
    expect(badMarker.status).toBe(400);
    expect((await neutron(token, 'GET', `${base}&limit=-1`)).status).toBe(400);
  });

  it('answers a name where an id belongs with 404, as the CLI expects before it lists by name', async () => {
    const { token } = await fresh();
    const { network, subnet } = await networkWithSubnet(token);
    const port = await create(token, 'ports', 'port', { network_id: network.id, name: 'p' });
    const router = await create(token, 'routers', 'router', { name: 'r' });
    const group = await create(token, 'security-groups', 'security_group', { name: 'g' });
    for (const [path, name] of [
      ['/networks', network.name],
      ['/subnets', subnet.name],
      ['/ports', 'p'],
      ['/routers', 'r'],
      ['/security-groups', 'g'],
      ['/security-groups', 'default'],
    ] as const) {
      const res = await neutron(token, 'GET', `${path}/${name}`);
      expect(res.status, `${path}/${name}`).toBe(404);
      expect(res.body.NeutronError.type).toMatch(/NotFound$/);
    }
    expect(await listIds(token, `/networks?name=${encodeURIComponent(network.name)}`)).toEqual([network.id]);
    expect(await listIds(token, '/ports?name=p')).toEqual([port.id]);
    expect(await listIds(token, '/routers?name=r')).toEqual([router.id]);
    expect(await listIds(token, '/security-groups?name=g')).toEqual([group.id]);
  });
});

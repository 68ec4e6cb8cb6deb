/** Bad input to Neutron: a clear error in the NeutronError envelope, and nothing changed (the lists prove it). */
import { describe, expect, it } from 'vitest';
import { newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { expectNeutronError, neutron } from '../request.ts';
import { create, externalNetworkId, listIds, networkWithSubnet, setQuota, snapshot } from './fixtures.ts';

async function fresh() {
  const account = await newAccount('neutron-err');
  return { account, project: account.projects[0]!.id, token: await tokenFor(account) };
}

/** Runs a call that must be refused, and checks that no collection changed. */
async function refused(
  token: string,
  [method, path, body]: [string, string, unknown?],
  status: number,
  type?: string,
  message?: string | RegExp,
) {
  const before = await snapshot(token);
  const res = await neutron(token, method, path, body);
  expectNeutronError(res, status, type, message);
  expect(await snapshot(token), `${method} ${path} changed something`).toEqual(before);
  return res;
}

describe('subnets', () => {
  it('refuses invalid CIDRs, host bits, overlaps in one network, and gateways or pools outside the subnet', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token, '10.0.0.0/24');
    const post = (subnet: Record<string, unknown>): [string, string, unknown] => [
      'POST',
      '/subnets',
      { subnet: { network_id: network.id, ...subnet } },
    ];
    await refused(token, post({ cidr: 'not-a-cidr' }), 400, 'InvalidInput', 'not-a-cidr');
    await refused(token, post({ cidr: '10.1.0.0/33' }), 400, 'InvalidInput');
    await refused(token, post({ cidr: '10.1.0.0' }), 400, 'InvalidInput');
    await refused(token, post({ cidr: '10.1.0.300/24' }), 400, 'InvalidInput');
    await refused(token, post({ cidr: '10.1.0.5/24' }), 400, 'InvalidInput', '10.1.0.5/24');
    await refused(token, post({ cidr: '10.0.0.128/25' }), 400, 'InvalidInput', /overlaps/);
    await refused(token, post({ cidr: '10.0.0.0/16' }), 400, 'InvalidInput', /overlaps/);
    await refused(token, post({ cidr: '10.2.0.0/24', gateway_ip: '10.3.0.1' }), 400, 'GatewayIpNotInSubnet');
    await refused(token, post({ cidr: '10.2.0.0/24', gateway_ip: '10.2.0.0' }), 400, 'GatewayIpNotInSubnet');
    await refused(token, post({ cidr: '10.2.0.0/24', gateway_ip: '10.2.0.255' }), 400, 'GatewayIpNotInSubnet');
    await refused(token, post({ cidr: '10.2.0.0/24', gateway_ip: 'gateway' }), 400, 'InvalidInput');
    await refused(
      token,
      post({ cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.0.10', end: '10.2.1.10' }] }),
      400,
      'OutOfBoundsAllocationPool',
    );
    await refused(
      token,
      post({ cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.0.1', end: '10.2.0.20' }] }),
      409,
      'GatewayConflictWithAllocationPools',
    );
    await refused(
      token,
      post({ cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.0.30', end: '10.2.0.20' }] }),
      400,
      'InvalidAllocationPool',
    );
    await refused(
      token,
      post({
        cidr: '10.2.0.0/24',
        allocation_pools: [
          { start: '10.2.0.10', end: '10.2.0.20' },
          { start: '10.2.0.15', end: '10.2.0.30' },
        ],
      }),
      400,
      'OverlappingAllocationPools',
    );
    await refused(token, post({ cidr: '10.2.0.0/24', dns_nameservers: ['dns.example'] }), 400, 'InvalidInput');
    await refused(token, post({ cidr: '10.2.0.0/24', ip_version: 6 }), 400);
    await refused(
      token,
      ['POST', '/subnets', { subnet: { network_id: crypto.randomUUID(), cidr: '10.9.0.0/24' } }],
      404,
      'NetworkNotFound',
    );
    // The same CIDR in another network is fine: overlap is checked within a network (or a router).
    const other = await create(token, 'networks', 'network', { name: 'other' });
    await create(token, 'subnets', 'subnet', { network_id: other.id, cidr: '10.0.0.0/24' });
  });

  it('refuses a subnet update that moves the gateway into the pool', async () => {
    const { token } = await fresh();
    const { subnet } = await networkWithSubnet(token, '10.0.0.0/24');
    await refused(
      token,
      ['PUT', `/subnets/${subnet.id}`, { subnet: { gateway_ip: '10.0.0.50' } }],
      409,
      'GatewayConflictWithAllocationPools',
    );
    await refused(token, ['PUT', `/subnets/${subnet.id}`, { subnet: { cidr: '10.0.1.0/24' } }], 400);
  });

  it('refuses to move the gateway onto an address a port holds', async () => {
    const { token } = await fresh();
    const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24', {
      allocation_pools: [{ start: '10.0.0.100', end: '10.0.0.200' }],
    });
    // An address asked for explicitly may lie outside the pools, so the pools alone do not protect it.
    await create(token, 'ports', 'port', { network_id: network.id, fixed_ips: [{ ip_address: '10.0.0.50' }] });
    await refused(token, ['PUT', `/subnets/${subnet.id}`, { subnet: { gateway_ip: '10.0.0.50' } }], 409, 'GatewayIpInUse');
    const moved = await neutron(token, 'PUT', `/subnets/${subnet.id}`, { subnet: { gateway_ip: '10.0.0.51' } });
    expect(moved.status).toBe(200);
    expect(moved.body.subnet.gateway_ip).toBe('10.0.0.51');
  });

  it('refuses to join overlapping subnets of two networks to one router', async () => {
    const { token } = await fresh();
    const a = await networkWithSubnet(token, '10.0.0.0/24');
    const b = await networkWithSubnet(token, '10.0.0.0/25');
    const r = await create(token, 'routers', 'router', { name: 'r' });
    expect((await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: a.subnet.id })).status).toBe(200);
    await refused(token, ['PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: b.subnet.id }], 400, undefined, /overlaps/);
    // Nor may a network already on the router grow an overlapping subnet.
    await refused(token, ['POST', '/subnets', { subnet: { network_id: a.network.id, cidr: '10.0.0.0/16' } }], 400, 'InvalidInput');
  });

  it('refuses to join a network whose other subnet overlaps one already on the router', async () => {
    const { token } = await fresh();
    const a = await networkWithSubnet(token, '10.0.0.0/24');
    const net = await create(token, 'networks', 'network', { name: 'two-subnets' });
    const b1 = await create(token, 'subnets', 'subnet', { network_id: net.id, cidr: '10.5.0.0/24' });
    await create(token, 'subnets', 'subnet', { network_id: net.id, cidr: '10.0.0.0/25' });
    const r = await create(token, 'routers', 'router', { name: 'r' });
    expect((await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: a.subnet.id })).status).toBe(200);
    // Joining b1 brings its whole network, and with it 10.0.0.0/25, onto the router.
    await refused(token, ['PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: b1.id }], 400, undefined, /overlaps/);
  });

  it('refuses a second interface on the same subnet, and an interface on a subnet without a gateway', async () => {
    const { token } = await fresh();
    const { subnet, network } = await networkWithSubnet(token, '10.0.0.0/24');
    const bare = await create(token, 'subnets', 'subnet', { network_id: network.id, cidr: '10.0.1.0/24', gateway_ip: null });
    const r = await create(token, 'routers', 'router', { name: 'r' });
    expect((await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: subnet.id })).status).toBe(200);
    await refused(token, ['PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: subnet.id }], 409);
    await refused(token, ['PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: bare.id }], 400);
    await refused(token, ['PUT', `/routers/${r.id}/add_router_interface`, {}], 400);
    await refused(token, ['PUT', `/routers/${r.id}/remove_router_interface`, { subnet_id: bare.id }], 404);
    const r2 = await create(token, 'routers', 'router', { name: 'r2' });
    await refused(token, ['PUT', `/routers/${r2.id}/add_router_interface`, { subnet_id: subnet.id }], 409);
  });
});

describe('ports', () => {
  it('refuses a fixed IP outside the subnet, taken, or the gateway, and a MAC in use', async () => {
    const { token } = await fresh();
    const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24');
    const other = await networkWithSubnet(token, '10.7.0.0/24');
    const p = await create(token, 'ports', 'port', {
      network_id: network.id,
      fixed_ips: [{ ip_address: '10.0.0.10' }],
      mac_address: 'fa:16:3e:aa:bb:cc',
    });
    const post = (port: Record<string, unknown>): [string, string, unknown] => [
      'POST',
      '/ports',
      { port: { network_id: network.id, ...port } },
    ];
    await refused(token, post({ fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.1.0.5' }] }), 400, 'InvalidIpForSubnet');
    await refused(token, post({ fixed_ips: [{ ip_address: '192.168.0.5' }] }), 400, 'InvalidIpForSubnet');
    await refused(token, post({ fixed_ips: [{ ip_address: '10.0.0.255' }] }), 400, 'InvalidIpForSubnet');
    await refused(token, post({ fixed_ips: [{ ip_address: '10.0.0.10' }] }), 409, 'IpAddressAlreadyAllocated', '10.0.0.10');
    await refused(token, post({ fixed_ips: [{ ip_address: '10.0.0.1' }] }), 409, 'IpAddressAlreadyAllocated');
    await refused(token, post({ fixed_ips: [{ ip_address: 'ten' }] }), 400, 'InvalidInput');
    await refused(token, post({ fixed_ips: [{ subnet_id: other.subnet.id }] }), 400, 'InvalidInput');
    await refused(token, post({ mac_address: 'FA:16:3E:AA:BB:CC' }), 409, 'MacAddressInUse');
    await refused(token, post({ mac_address: 'not-a-mac' }), 400, 'InvalidInput');
    await refused(token, post({ mac_address: '01:00:5e:00:00:01' }), 400, 'InvalidInput');
    await refused(token, post({ security_groups: [crypto.randomUUID()] }), 404, 'SecurityGroupNotFound');
    await refused(token, ['POST', '/ports', { port: { network_id: crypto.randomUUID() } }], 404, 'NetworkNotFound');
    // A second port taking the first one's address through an update is refused too, and the first keeps it.
    const q = await create(token, 'ports', 'port', { network_id: network.id });
    await refused(
      token,
      ['PUT', `/ports/${q.id}`, { port: { fixed_ips: [{ ip_address: '10.0.0.10' }] } }],
      409,
      'IpAddressAlreadyAllocated',
    );
    expect((await neutron(token, 'GET', `/ports/${p.id}`)).body.port.fixed_ips[0].ip_address).toBe('10.0.0.10');
  });

  it('refuses security groups on a port without port security', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token);
    const g = await create(token, 'security-groups', 'security_group', { name: 'g' });
    await refused(
      token,
      ['POST', '/ports', { port: { network_id: network.id, port_security_enabled: false, security_groups: [g.id] } }],
      409,
      'PortSecurityAndIPRequiredForSecurityGroups',
    );
  });
});

describe('ports tied to routers and floating IPs', () => {
  it("refuses to change a port's fixed IPs so that its floating IP loses its address", async () => {
    const { token } = await fresh();
    const ext = await externalNetworkId(token);
    const { network } = await networkWithSubnet(token, '10.0.0.0/24');
    const port = await create(token, 'ports', 'port', { network_id: network.id, fixed_ips: [{ ip_address: '10.0.0.5' }] });
    const fip = await create(token, 'floatingips', 'floatingip', { floating_network_id: ext, port_id: port.id });
    await refused(
      token,
      ['PUT', `/ports/${port.id}`, { port: { fixed_ips: [{ ip_address: '10.0.0.6' }] } }],
      400,
      undefined,
      /floating|Elastic/i,
    );
    await refused(token, ['PUT', `/ports/${port.id}`, { port: { fixed_ips: [] } }], 400);
    // Keeping the bound address while adding another is fine.
    const kept = await neutron(token, 'PUT', `/ports/${port.id}`, {
      port: { fixed_ips: [{ ip_address: '10.0.0.5' }, { ip_address: '10.0.0.6' }] },
    });
    expect(kept.status).toBe(200);
    expect((await neutron(token, 'GET', `/floatingips/${fip.id}`)).body.floatingip.fixed_ip_address).toBe('10.0.0.5');
  });

  it('lets a stale interface port go: one whose router does not exist', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token, '10.0.0.0/24');
    const stale = await create(token, 'ports', 'port', {
      network_id: network.id,
      device_owner: 'network:router_interface',
      device_id: crypto.randomUUID(),
    });
    expect((await neutron(token, 'DELETE', `/ports/${stale.id}`)).status).toBe(204);
    // One that names a live router is that router's to remove.
    const r = await create(token, 'routers', 'router', { name: 'r' });
    const bound = await create(token, 'ports', 'port', {
      network_id: network.id,
      device_owner: 'network:router_interface',
      device_id: r.id,
    });
    await refused(token, ['DELETE', `/ports/${bound.id}`], 409, 'L3PortInUse');
    expect((await neutron(token, 'PUT', `/routers/${r.id}/remove_router_interface`, { port_id: bound.id })).status).toBe(200);
    expect(await listIds(token, '/ports')).toEqual([]);
  });
});

describe('security group rules', () => {
  it('refuses bad port ranges, unknown protocols, a prefix with a remote group, and duplicates', async () => {
    const { token } = await fresh();
    const g = await create(token, 'security-groups', 'security_group', { name: 'g' });
    const rule = (r: Record<string, unknown>): [string, string, unknown] => [
      'POST',
      '/security-group-rules',
      { security_group_rule: { security_group_id: g.id, direction: 'ingress', ...r } },
    ];
    await refused(token, rule({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }), 400, 'SecurityGroupInvalidPortRange');
    await refused(token, rule({ protocol: 'tcp', port_range_min: 0, port_range_max: 80 }), 400, 'SecurityGroupInvalidPortRange');
    await refused(token, rule({ protocol: 'udp', port_range_min: 1, port_range_max: 65536 }), 400, 'SecurityGroupInvalidPortRange');
    await refused(token, rule({ protocol: 'icmp', port_range_min: 256 }), 400, 'SecurityGroupInvalidIcmpValue');
    await refused(token, rule({ port_range_min: 22, port_range_max: 22 }), 400, 'SecurityGroupProtocolRequiredWithPorts');
    await refused(token, rule({ protocol: 'gre', port_range_min: 22, port_range_max: 22 }), 400, 'SecurityGroupInvalidPortRange');
    await refused(token, rule({ protocol: 'http' }), 400, 'SecurityGroupRuleInvalidProtocol', 'http');
    await refused(token, rule({ protocol: '256' }), 400, 'SecurityGroupRuleInvalidProtocol');
    await refused(
      token,
      rule({ protocol: 'tcp', remote_ip_prefix: '10.0.0.0/8', remote_group_id: g.id }),
      400,
      'SecurityGroupRemoteGroupAndRemoteIpPrefix',
    );
    await refused(token, rule({ remote_ip_prefix: '10.0.0.0/33' }), 400, 'InvalidInput');
    await refused(token, rule({ direction: 'sideways' }), 400);
    await refused(token, rule({ remote_group_id: crypto.randomUUID() }), 404, 'SecurityGroupNotFound');
    await refused(
      token,
      ['POST', '/security-group-rules', { security_group_rule: { security_group_id: crypto.randomUUID(), direction: 'ingress' } }],
      404,
      'SecurityGroupNotFound',
    );

    await create(token, 'security-group-rules', 'security_group_rule', {
      security_group_id: g.id,
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: '0.0.0.0/0',
    });
    await refused(
      token,
      rule({ protocol: 'TCP', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }),
      409,
      'SecurityGroupRuleExists',
    );
    // The default group's egress rule exists already in every new group.
    await refused(
      token,
      ['POST', '/security-group-rules', { security_group_rule: { security_group_id: g.id, direction: 'egress' } }],
      409,
      'SecurityGroupRuleExists',
    );
  });

  it('refuses to delete a group in use by a port or named by another group, and the default group', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token);
    const g = await create(token, 'security-groups', 'security_group', { name: 'g' });
    const h = await create(token, 'security-groups', 'security_group', { name: 'h' });
    const port = await create(token, 'ports', 'port', { network_id: network.id, security_groups: [g.id] });
    await refused(token, ['DELETE', `/security-groups/${g.id}`], 409, 'SecurityGroupInUse');
    await create(token, 'security-group-rules', 'security_group_rule', {
      security_group_id: h.id,
      direction: 'ingress',
      remote_group_id: g.id,
    });
    await neutron(token, 'PUT', `/ports/${port.id}`, { port: { security_groups: [] } });
    await refused(token, ['DELETE', `/security-groups/${g.id}`], 409, 'SecurityGroupInUse');

    const def = (await listIds(token, '/security-groups?name=default'))[0]!;
    await refused(token, ['DELETE', `/security-groups/${def}`], 409, 'SecurityGroupCannotRemoveDefault');
    await refused(
      token,
      ['PUT', `/security-groups/${def}`, { security_group: { name: 'other' } }],
      409,
      'SecurityGroupCannotUpdateDefault',
    );
    await refused(token, ['POST', '/security-groups', { security_group: { name: 'default' } }], 409);
  });
});

describe('deletes that would orphan something', () => {
  it('refuses to delete a subnet or network with ports, a router with interfaces, or an interface port directly', async () => {
    const { token } = await fresh();
    const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24');
    const port = await create(token, 'ports', 'port', { network_id: network.id });
    await refused(token, ['DELETE', `/subnets/${subnet.id}`], 409, 'SubnetInUse');
    await refused(token, ['DELETE', `/networks/${network.id}`], 409, 'NetworkInUse');
    expect((await neutron(token, 'DELETE', `/ports/${port.id}`)).status).toBe(204);

    const r = await create(token, 'routers', 'router', { name: 'r' });
    const add = await neutron(token, 'PUT', `/routers/${r.id}/add_router_interface`, { subnet_id: subnet.id });
    await refused(token, ['DELETE', `/routers/${r.id}`], 409, 'RouterInUse');
    await refused(token, ['DELETE', `/ports/${add.body.port_id}`], 409, 'L3PortInUse');
    await refused(token, ['DELETE', `/subnets/${subnet.id}`], 409, 'SubnetInUse');
    await refused(token, ['DELETE', `/networks/${network.id}`], 409, 'NetworkInUse');

    expect((await neutron(token, 'PUT', `/routers/${r.id}/remove_router_interface`, { subnet_id: subnet.id })).status).toBe(200);
    expect((await neutron(token, 'DELETE', `/routers/${r.id}`)).status).toBe(204);
    expect((await neutron(token, 'DELETE', `/networks/${network.id}`)).status).toBe(204);
    expect(await listIds(token, `/subnets?network_id=${network.id}`)).toEqual([]);
  });
});

describe('validation at the edge', () => {
  it('refuses unknown body attributes, wrong types, empty and malformed bodies with 400', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token);
    const g = await create(token, 'security-groups', 'security_group', { name: 'g' });
    const ext = await externalNetworkId(token);
    const cases: [string, string, unknown][] = [
      ['POST', '/networks', { network: { name: 'x', color: 'red' } }],
      ['POST', '/networks', { network: { name: 42 } }],
      ['POST', '/networks', { network: { name: 'x', shared: true } }],
      ['POST', '/networks', { netwerk: { name: 'x' } }],
      ['PUT', `/networks/${network.id}`, { network: { id: crypto.randomUUID() } }],
      ['POST', '/subnets', { subnet: { network_id: network.id, cidr: '10.9.0.0/24', colour: 1 } }],
      ['POST', '/ports', { port: { network_id: network.id, bogus: true } }],
      ['POST', '/routers', { router: { name: 'r', ha: true } }],
      ['POST', '/security-groups', { security_group: { name: 'x', rules: [] } }],
      ['POST', '/security-group-rules', { security_group_rule: { security_group_id: g.id, direction: 'ingress', port: 22 } }],
      ['POST', '/floatingips', { floatingip: { floating_network_id: ext, bandwidth: 10 } }],
      ['POST', '/networks', undefined],
    ];
    for (const c of cases) {
      const res = await refused(token, c, 400);
      expect(res.body.NeutronError.message, JSON.stringify(c)).toMatch(/Invalid input|body/);
    }
    const malformed = await neutron(token, 'POST', '/networks');
    expectNeutronError(malformed, 400);
  });

  it('refuses a filter on an unknown attribute with 400, even when the list is empty', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token);
    await create(token, 'ports', 'port', { network_id: network.id });
    for (const path of ['/networks?colour=red', '/subnets?colour=red', '/ports?colour=red', '/security-groups?colour=red']) {
      expectNeutronError(await neutron(token, 'GET', path), 400, undefined, 'colour');
    }
    // A project with no routers, rules filtered or floating IPs still refuses the unknown filter.
    for (const path of ['/routers?colour=red', '/floatingips?colour=red', '/security-group-rules?colour=red']) {
      expectNeutronError(await neutron(token, 'GET', path), 400, undefined, 'colour');
    }
  });

  it('refuses a floating IP on a network that is not external, or an address outside the pool', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token);
    const ext = await externalNetworkId(token);
    await refused(token, ['POST', '/floatingips', { floatingip: { floating_network_id: network.id } }], 400);
    await refused(
      token,
      ['POST', '/floatingips', { floatingip: { floating_network_id: ext, floating_ip_address: '10.0.0.9' } }],
      400,
      'InvalidIpAddress',
    );
    await refused(token, ['POST', '/floatingips', { floatingip: { floating_network_id: ext, port_id: crypto.randomUUID() } }], 404);
    const r = await create(token, 'routers', 'router', { name: 'r' });
    await refused(token, ['PUT', `/routers/${r.id}`, { router: { external_gateway_info: { network_id: network.id } } }], 400);
  });

  it('gives the address asked for once in the whole region: a second project asking for it gets 409', async () => {
    const first = await fresh();
    const second = await fresh();
    const ext = await externalNetworkId(first.token);
    const wanted = '80.158.27.77';
    const f = await create(first.token, 'floatingips', 'floatingip', { floating_network_id: ext, floating_ip_address: wanted });
    expect(f.floating_ip_address).toBe(wanted);
    await refused(
      second.token,
      ['POST', '/floatingips', { floatingip: { floating_network_id: ext, floating_ip_address: wanted } }],
      409,
      'IpAddressInUse',
    );
    await refused(
      first.token,
      ['POST', '/floatingips', { floatingip: { floating_network_id: ext, floating_ip_address: wanted } }],
      409,
      'IpAddressInUse',
    );
    // Released, it may be asked for again, by anyone.
    expect((await neutron(first.token, 'DELETE', `/floatingips/${f.id}`)).status).toBe(204);
    const again = await create(second.token, 'floatingips', 'floatingip', { floating_network_id: ext, floating_ip_address: wanted });
    expect(again.floating_ip_address).toBe(wanted);
  });

  it('refuses to bind a floating IP to a port that already has one, or to an address the port lacks', async () => {
    const { token } = await fresh();
    const ext = await externalNetworkId(token);
    const { network } = await networkWithSubnet(token);
    const port = await create(token, 'ports', 'port', { network_id: network.id });
    const bare = await create(token, 'ports', 'port', { network_id: network.id, fixed_ips: [] });
    await create(token, 'floatingips', 'floatingip', { floating_network_id: ext, port_id: port.id });
    const f2 = await create(token, 'floatingips', 'floatingip', { floating_network_id: ext });
    await refused(token, ['PUT', `/floatingips/${f2.id}`, { floatingip: { port_id: port.id } }], 409, 'FloatingIPPortAlreadyAssociated');
    await refused(token, ['PUT', `/floatingips/${f2.id}`, { floatingip: { port_id: bare.id } }], 400);
    const other = await create(token, 'ports', 'port', { network_id: network.id });
    await refused(token, ['PUT', `/floatingips/${f2.id}`, { floatingip: { port_id: other.id, fixed_ip_address: '10.0.0.99' } }], 400);
  });
});

describe('quotas', () => {
  it('refuses creation past a quota with 409 OverQuota; only the operator raises it', async () => {
    const { token, project } = await fresh();
    const operator = await operatorToken();
    expect(await setQuota(operator, project, { network: 2, router: 1, security_group: 1 })).toMatchObject({
      network: 2,
      router: 1,
      security_group: 1,
    });
    await create(token, 'networks', 'network', { name: 'n1' });
    await create(token, 'networks', 'network', { name: 'n2' });
    await refused(token, ['POST', '/networks', { network: { name: 'n3' } }], 409, 'OverQuota', 'network');
    await create(token, 'routers', 'router', { name: 'r1' });
    await refused(token, ['POST', '/routers', { router: { name: 'r2' } }], 409, 'OverQuota');
    // The default group counts: one group is the quota, so no other may be made.
    await refused(token, ['POST', '/security-groups', { security_group: { name: 'g' } }], 409, 'OverQuota');

    const self = await neutron(token, 'PUT', `/quotas/${project}`, { quota: { network: 50 } });
    expectNeutronError(self, 403);
    expect((await neutron(token, 'GET', `/quotas/${project}`)).body.quota.network).toBe(2);

    expectNeutronError(await neutron(operator, 'PUT', `/quotas/${project}`, { quota: { network: 1 } }), 409, 'OverQuota');
    expectNeutronError(await neutron(operator, 'PUT', `/quotas/${project}`, { quota: { volumes: 1 } }), 400);
    expectNeutronError(await neutron(operator, 'PUT', `/quotas/${crypto.randomUUID()}`, { quota: { network: 1 } }), 404);
    await setQuota(operator, project, { network: 3 });
    await create(token, 'networks', 'network', { name: 'n3' });
    const details = await neutron(token, 'GET', `/quotas/${project}/details`);
    expect(details.body.quota.network).toEqual({ limit: 3, used: 3, reserved: 0 });
    // The defaults stay the defaults.
    const defaults = await neutron(token, 'GET', `/quotas/${project}/default`);
    expect(defaults.body.quota).toMatchObject({ network: 100, router: 5, security_group: 100, floatingip: 10 });
  });

  it('counts floating IPs against their quota and frees the slot on release', async () => {
    const { token, project } = await fresh();
    const operator = await operatorToken();
    const ext = await externalNetworkId(token);
    await setQuota(operator, project, { floatingip: 1 });
    const f = await create(token, 'floatingips', 'floatingip', { floating_network_id: ext });
    await refused(token, ['POST', '/floatingips', { floatingip: { floating_network_id: ext } }], 409, 'OverQuota');
    expect((await neutron(token, 'DELETE', `/floatingips/${f.id}`)).status).toBe(204);
    await create(token, 'floatingips', 'floatingip', { floating_network_id: ext });
  });
});

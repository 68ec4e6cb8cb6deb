/**
 * Neutron's bulk create (issue 18): `{"networks": [...]}`, subnets and ports are made all or none, answered as the
 * list in the order given; one refused item (an overlap, a missing network, a bad field) leaves nothing behind.
 */
import { describe, expect, it } from 'vitest';
import { manyAccounts } from '../fixtures.ts';
import { expectNeutronError, neutron } from '../request.ts';
import { networkWithSubnet, snapshot } from './fixtures.ts';

const fresh = async () => (await manyAccounts(1, 'bulk'))[0]!;

describe('bulk create', () => {
  it('makes several networks and their subnets in one request each', async () => {
    const { token } = await fresh();
    const nets = await neutron(token, 'POST', '/networks', { networks: [{ name: 'a' }, { name: 'b', mtu: 1400 }] });
    expect(nets.status).toBe(201);
    expect(nets.body.networks.map((n: { name: string; mtu: number }) => [n.name, n.mtu])).toEqual([
      ['a', 1500],
      ['b', 1400],
    ]);
    const [a, b] = nets.body.networks;
    const subs = await neutron(token, 'POST', '/subnets', {
      subnets: [
        { network_id: a.id, cidr: '10.1.0.0/24', ip_version: 4, name: 'sa' },
        { network_id: b.id, cidr: '10.2.0.0/24', ip_version: 4, name: 'sb' },
      ],
    });
    expect(subs.status).toBe(201);
    expect(subs.body.subnets.map((s: { name: string; network_id: string; cidr: string }) => [s.name, s.network_id, s.cidr])).toEqual([
      ['sa', a.id, '10.1.0.0/24'],
      ['sb', b.id, '10.2.0.0/24'],
    ]);
    const ports = await neutron(token, 'POST', '/ports', {
      ports: [
        { network_id: a.id, name: 'p1' },
        { network_id: b.id, name: 'p2' },
      ],
    });
    expect(ports.status).toBe(201);
    expect(ports.body.ports.map((p: { name: string; fixed_ips: unknown[] }) => [p.name, p.fixed_ips.length])).toEqual([
      ['p1', 1],
      ['p2', 1],
    ]);
    // The one-item form answers one item, as before.
    const one = await neutron(token, 'POST', '/networks', { network: { name: 'c' } });
    expect([one.status, one.body.network.name]).toEqual([201, 'c']);
  });

  it('makes none when one item is refused, whatever its place in the list', async () => {
    const { token } = await fresh();
    const { network } = await networkWithSubnet(token, '10.0.0.0/24');
    const before = await snapshot(token);
    const overlap = await neutron(token, 'POST', '/subnets', {
      subnets: [
        { network_id: network.id, cidr: '10.0.1.0/24', ip_version: 4 },
        { network_id: network.id, cidr: '10.0.1.128/25', ip_version: 4 },
      ],
    });
    expectNeutronError(overlap, 400, 'InvalidInput', /overlaps with another subnet/);
    const missing = await neutron(token, 'POST', '/ports', {
      ports: [{ network_id: network.id }, { network_id: '00000000-0000-4000-8000-000000000000' }],
    });
    expectNeutronError(missing, 404, 'NetworkNotFound');
    const bad = await neutron(token, 'POST', '/networks', { networks: [{ name: 'ok' }, { name: 'x', mtu: 10 }] });
    expectNeutronError(bad, 400, undefined, /'networks\.1\.mtu'/);
    expect((await neutron(token, 'POST', '/networks', { networks: [] })).status).toBe(400);
    expect(await snapshot(token)).toEqual(before);
  });
});

/**
 * Usage events of the network (`vpc.eip`, `vpc.bandwidth`, `vpc.vpn`): an EIP and its dedicated bandwidth from
 * allocation to release, each bandwidth resize a change, a VPN connection while it exists, each once even when the
 * step is driven again; and security groups, which are free, never write any.
 */
import { describe, expect, it } from 'vitest';
import { bindings } from '../ecs/fixtures.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { call, native, neutron, send } from '../request.ts';
import { externalNetworkId } from './fixtures.ts';

const REGION = 'eu-west-0';

async function fresh() {
  const account = await newAccount('vpcu');
  const project = account.projects[0]!.id;
  return { project, token: await tokenFor(account), tenant: bindings.TENANT.getByName(project) };
}

/** The outbox in the order written (events of one transaction share their time, so `usageEvents` cannot tell). */
const rows = async (tenant: ReturnType<typeof bindings.TENANT.getByName>) =>
  (await tenant.usageOutbox()).map(({ event: e }) => [e.id, e.meter, e.action, e.quantity, e.attributes]);

describe('network usage events', () => {
  it('meters a public IP and its bandwidth from allocation to release, each resize once', async () => {
    const t = await fresh();
    const created = await native('vpc', t, 'POST', '/publicips', {
      publicip: { type: '5_bgp' },
      bandwidth: { name: 'bw', size: 5, share_type: 'PER', charge_mode: 'bandwidth' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const { id, bandwidth_id: bw } = created.body.publicip;
    const resize = (size: number) => native('vpc', t, 'PUT', `/bandwidths/${bw}`, { bandwidth: { size } });
    expect((await resize(20)).status).toBe(200);
    // The same update delivered again, and a rename: the size did not change, nothing is written.
    expect((await resize(20)).status).toBe(200);
    expect((await native('vpc', t, 'PUT', `/bandwidths/${bw}`, { bandwidth: { name: 'renamed' } })).status).toBe(200);
    expect((await resize(5)).status).toBe(200);
    expect((await native('vpc', t, 'DELETE', `/publicips/${id}`)).status).toBe(204);
    const mode = { charge_mode: 'bandwidth', share_type: 'PER' };
    expect(await rows(t.tenant)).toEqual([
      [`${id}:start`, 'vpc.eip', 'start', 1, { region: REGION }],
      [`${bw}:start`, 'vpc.bandwidth', 'start', 5, mode],
      [`${bw}:change:1`, 'vpc.bandwidth', 'change', 20, mode],
      [`${bw}:change:2`, 'vpc.bandwidth', 'change', 5, mode],
      [`${id}:stop`, 'vpc.eip', 'stop', 0, { region: REGION }],
      [`${bw}:stop`, 'vpc.bandwidth', 'stop', 0, mode],
    ]);
  });

  it('writes a redelivered allocation once, and nothing for one whose pool step failed', async () => {
    const t = await fresh();
    const ext = await externalNetworkId(t.token);
    const fip = await neutron(t.token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext } });
    expect(fip.status).toBe(201);
    const id = fip.body.floatingip.id;
    const bw = (await t.tenant.usageOutbox()).map((r) => r.event).find((e) => e.meter === 'vpc.bandwidth')!.resourceId;
    // The allocation saga driven again with the same EIP id: the record is allocated already.
    const again = await t.tenant.allocateEip(
      { id, region: REGION, bandwidth: { shareType: 'PER', size: 5, chargeMode: 'traffic' } },
      t.project,
    );
    expect('ok' in again).toBe(true);
    expect((await neutron(t.token, 'DELETE', `/floatingips/${id}`)).status).toBe(204);
    // An address no pool has: the allocation is refused and leaves no usage.
    const refused = await t.tenant.allocateEip(
      { id: crypto.randomUUID(), region: REGION, bandwidth: { shareType: 'PER', size: 5, chargeMode: 'traffic' } },
      t.project,
      { address: '192.0.2.1' },
    );
    expect('error' in refused).toBe(true);
    const mode = { charge_mode: 'traffic', share_type: 'PER' };
    expect(await rows(t.tenant)).toEqual([
      [`${id}:start`, 'vpc.eip', 'start', 1, { region: REGION }],
      [`${bw}:start`, 'vpc.bandwidth', 'start', 5, mode],
      [`${id}:stop`, 'vpc.eip', 'stop', 0, { region: REGION }],
      [`${bw}:stop`, 'vpc.bandwidth', 'stop', 0, mode],
    ]);
  });

  it('meters a VPN connection while it exists, and nothing for policies, services or security groups', async () => {
    const t = await fresh();
    const V = '/vpc/v2.0';
    const post = async (path: string, body: unknown) => {
      const res = await send(t.token, 'POST', V + path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const sg = (await post('/security-groups', { security_group: { name: 'web' } })).security_group;
    const rule = (
      await post('/security-group-rules', {
        security_group_rule: { security_group_id: sg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 80, port_range_max: 80 },
      })
    ).security_group_rule;
    expect((await neutron(t.token, 'DELETE', `/security-group-rules/${rule.id}`)).status).toBe(204);
    expect((await neutron(t.token, 'DELETE', `/security-groups/${sg.id}`)).status).toBe(204);
    expect(await t.tenant.usageOutbox()).toEqual([]);

    const ext = await externalNetworkId(t.token);
    const net = (await post('/networks', { network: { name: 'n' } })).network;
    const subnet = (await post('/subnets', { subnet: { network_id: net.id, cidr: '10.50.1.0/24' } })).subnet;
    const router = (await post('/routers', { router: { name: 'r', external_gateway_info: { network_id: ext } } })).router;
    await call(`${V}/routers/${router.id}/add_router_interface`, { method: 'PUT', token: t.token, json: { subnet_id: subnet.id } });
    const ike = (await post('/vpn/ikepolicies', { ikepolicy: { name: 'ike' } })).ikepolicy;
    const ipsec = (await post('/vpn/ipsecpolicies', { ipsecpolicy: { name: 'ipsec' } })).ipsecpolicy;
    const svc = (await post('/vpn/vpnservices', { vpnservice: { router_id: router.id, subnet_id: subnet.id } })).vpnservice;
    const conn = (
      await post('/vpn/ipsec-site-connections', {
        ipsec_site_connection: {
          vpnservice_id: svc.id,
          ikepolicy_id: ike.id,
          ipsecpolicy_id: ipsec.id,
          peer_address: '203.0.113.9',
          psk: 's',
          peer_cidrs: ['172.20.0.0/16'],
        },
      })
    ).ipsec_site_connection;
    expect((await neutron(t.token, 'DELETE', `/vpn/ipsec-site-connections/${conn.id}`)).status).toBe(204);
    expect(await rows(t.tenant)).toEqual([
      [`${conn.id}:start`, 'vpc.vpn', 'start', 1, {}],
      [`${conn.id}:stop`, 'vpc.vpn', 'stop', 0, {}],
    ]);
  });
});

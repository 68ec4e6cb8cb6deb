/** VPNaaS: policies, a VPN service on a router, endpoint groups, IPsec site connections; validation and in-use rules. */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { call, json, send } from '../request.ts';

const V = '/vpc/v2.0';

async function setup() {
  const a = await newAccount();
  const token = await tokenFor(a);
  const post = (path: string, body: unknown) => send(token, 'POST', V + path, body);
  const ext = (await json(await call(`${V}/networks?router:external=true`, { token }))).networks[0].id;
  const net = (await post('/networks', { network: { name: 'n' } })).body.network;
  const subnet = (await post('/subnets', { subnet: { network_id: net.id, cidr: '10.50.1.0/24' } })).body.subnet;
  const routerRes = (await post('/routers', { router: { name: 'r' } })).body.router;
  await call(`${V}/routers/${routerRes.id}/add_router_interface`, { method: 'PUT', token, json: { subnet_id: subnet.id } });
  return { a, token, post, ext, net, subnet, router: routerRes };
}

describe('VPNaaS', () => {
  it('builds a site connection that comes up ACTIVE, with Neutron defaults, and refuses deleting what it uses', async () => {
    const { token, post, ext, subnet, router } = await setup();
    const noGateway = await post('/vpn/vpnservices', { vpnservice: { router_id: router.id, subnet_id: subnet.id } });
    expect(noGateway.status).toBe(400);
    await call(`${V}/routers/${router.id}`, { method: 'PUT', token, json: { router: { external_gateway_info: { network_id: ext } } } });
    const ike = await post('/vpn/ikepolicies', { ikepolicy: { name: 'ike', ike_version: 'v2' } });
    expect(ike.status).toBe(201);
    expect(ike.body.ikepolicy).toMatchObject({
      name: 'ike',
      ike_version: 'v2',
      auth_algorithm: 'sha1',
      encryption_algorithm: 'aes-128',
      pfs: 'group5',
      lifetime: { units: 'seconds', value: 3600 },
    });
    const ipsec = await post('/vpn/ipsecpolicies', { ipsecpolicy: { name: 'ipsec', encryption_algorithm: 'aes-256' } });
    expect(ipsec.body.ipsecpolicy).toMatchObject({
      transform_protocol: 'esp',
      encapsulation_mode: 'tunnel',
      encryption_algorithm: 'aes-256',
    });
    const svc = await post('/vpn/vpnservices', { vpnservice: { name: 'svc', router_id: router.id, subnet_id: subnet.id } });
    expect(svc.status).toBe(201);
    expect(svc.body.vpnservice).toMatchObject({
      router_id: router.id,
      subnet_id: subnet.id,
      status: 'PENDING_CREATE',
      admin_state_up: true,
    });
    const base = {
      vpnservice_id: svc.body.vpnservice.id,
      ikepolicy_id: ike.body.ikepolicy.id,
      ipsecpolicy_id: ipsec.body.ipsecpolicy.id,
      peer_address: '203.0.113.9',
      psk: 'secret',
    };
    const overlap = await post('/vpn/ipsec-site-connections', { ipsec_site_connection: { ...base, peer_cidrs: ['10.50.0.0/16'] } });
    expect(overlap.status).toBe(400);
    const badDpd = await post('/vpn/ipsec-site-connections', {
      ipsec_site_connection: { ...base, peer_cidrs: ['172.20.0.0/16'], dpd: { interval: 60, timeout: 30 } },
    });
    expect(badDpd.status).toBe(400);
    const noPeer = await post('/vpn/ipsec-site-connections', { ipsec_site_connection: { ...base } });
    expect(noPeer.status).toBe(400);
    const conn = await post('/vpn/ipsec-site-connections', {
      ipsec_site_connection: { ...base, name: 'to-branch', peer_cidrs: ['172.20.0.0/16'] },
    });
    expect(conn.status).toBe(201);
    expect(conn.body.ipsec_site_connection).toMatchObject({
      peer_address: '203.0.113.9',
      peer_id: '203.0.113.9',
      peer_cidrs: ['172.20.0.0/16'],
      dpd: { action: 'hold', interval: 30, timeout: 120 },
      initiator: 'bi-directional',
      mtu: 1500,
      status: 'PENDING_CREATE',
    });
    const id = conn.body.ipsec_site_connection.id;
    let status = '';
    for (let i = 0; i < 40 && status !== 'ACTIVE'; i++) {
      status = (await json(await call(`${V}/vpn/ipsec-site-connections/${id}`, { token }))).ipsec_site_connection.status;
      if (status !== 'ACTIVE') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('ACTIVE');
    expect((await call(`${V}/vpn/ikepolicies/${ike.body.ikepolicy.id}`, { method: 'DELETE', token })).status).toBe(409);
    expect((await call(`${V}/vpn/vpnservices/${svc.body.vpnservice.id}`, { method: 'DELETE', token })).status).toBe(409);
    expect(
      (await call(`${V}/routers/${router.id}/remove_router_interface`, { method: 'PUT', token, json: { subnet_id: subnet.id } })).status,
    ).toBe(409);
    const updated = await call(`${V}/vpn/ipsec-site-connections/${id}`, {
      method: 'PUT',
      token,
      json: { ipsec_site_connection: { dpd: { interval: 10 } } },
    });
    expect((await json(updated)).ipsec_site_connection.dpd).toEqual({ action: 'hold', interval: 10, timeout: 120 });
    expect((await call(`${V}/vpn/ipsec-site-connections/${id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(`${V}/vpn/ikepolicies/${ike.body.ikepolicy.id}`, { method: 'DELETE', token })).status).toBe(204);
  });

  it('uses endpoint groups when the service has no subnet, checking their types', async () => {
    const { token, post, ext, subnet, router } = await setup();
    await call(`${V}/routers/${router.id}`, { method: 'PUT', token, json: { router: { external_gateway_info: { network_id: ext } } } });
    const ike = (await post('/vpn/ikepolicies', { ikepolicy: {} })).body.ikepolicy;
    const ipsec = (await post('/vpn/ipsecpolicies', { ipsecpolicy: {} })).body.ipsecpolicy;
    const svc = (await post('/vpn/vpnservices', { vpnservice: { router_id: router.id } })).body.vpnservice;
    const local = await post('/vpn/endpoint-groups', { endpoint_group: { type: 'subnet', endpoints: [subnet.id] } });
    expect(local.status).toBe(201);
    const peer = (await post('/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: ['192.168.77.0/24'] } })).body
      .endpoint_group;
    expect((await post('/vpn/endpoint-groups', { endpoint_group: { type: 'subnet', endpoints: [crypto.randomUUID()] } })).status).toBe(404);
    expect((await post('/vpn/endpoint-groups', { endpoint_group: { type: 'cidr', endpoints: ['300.1.1.0/24'] } })).status).toBe(400);
    const base = { vpnservice_id: svc.id, ikepolicy_id: ike.id, ipsecpolicy_id: ipsec.id, peer_address: '198.51.100.7', psk: 'k' };
    const swapped = await post('/vpn/ipsec-site-connections', {
      ipsec_site_connection: { ...base, local_ep_group_id: peer.id, peer_ep_group_id: local.body.endpoint_group.id },
    });
    expect(swapped.status).toBe(400);
    const ok = await post('/vpn/ipsec-site-connections', {
      ipsec_site_connection: { ...base, local_ep_group_id: local.body.endpoint_group.id, peer_ep_group_id: peer.id },
    });
    expect(ok.status).toBe(201);
    expect((await call(`${V}/vpn/endpoint-groups/${peer.id}`, { method: 'DELETE', token })).status).toBe(409);
  });

  it('rejects malformed attributes with 400 naming the field, and hides other accounts', async () => {
    const { token, post } = await setup();
    const bad = await post('/vpn/ikepolicies', { ikepolicy: { lifetime: { units: 'seconds', value: 5 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.NeutronError.message).toContain('ikepolicy.lifetime.value');
    expect((await post('/vpn/ikepolicies', { ikepolicy: { encryption_algorithm: 'rot13' } })).status).toBe(400);
    expect((await post('/vpn/ikepolicies', { ikepolicy: { colour: 'red' } })).status).toBe(400);
    const mine = (await post('/vpn/ikepolicies', { ikepolicy: { name: 'mine' } })).body.ikepolicy;
    const other = await tokenFor(await newAccount());
    expect((await call(`${V}/vpn/ikepolicies/${mine.id}`, { token: other })).status).toBe(404);
    expect((await call(`${V}/vpn/ikepolicies/${mine.id}`, { method: 'DELETE', token: other })).status).toBe(404);
    expect(
      (await call(`${V}/vpn/ikepolicies/${mine.id}`, { method: 'PUT', token: other, json: { ikepolicy: { name: 'x' } } })).status,
    ).toBe(404);
    expect((await json(await call(`${V}/vpn/ikepolicies`, { token: other }))).ikepolicies).toEqual([]);
    expect((await call(`${V}/vpn/ikepolicies/${mine.id}`, { token })).status).toBe(200);
  });
});

/**
 * The Console's VPC and EIP sections as a person sees them: VPCs and subnets, security groups and rules, peerings,
 * VPN and Elastic IPs are listed after they are made; a refused form shows the reason next to the field that
 * caused it; another account's resources are neither shown nor reachable; a user without the policy is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activeServer, type ComputeProject, computeProject, portsOf } from '../ecs/fixtures.ts';
import { createUser, newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { neutron } from '../request.ts';
import { setQuota } from '../vpc/fixtures.ts';
import { type ConsoleSession, cookieSet, signIn, type WebReply } from './console.ts';

/** The id at the end of a redirect's location (`/console/vpc/vpcs/<id>`). */
const idOf = (r: WebReply) => r.location?.split('/').pop() ?? '';

/** The message shown next to a field (the kit's `<p id="<field>-error">`), or undefined. */
function errorOf(html: string, field: string): string | undefined {
  return new RegExp(`<p class="error" id="${field}-error" role="alert">([^<]*)</p>`).exec(html)?.[1];
}

/** Creates a VPC through its form and answers its id. */
async function vpc(s: ConsoleSession, name: string, cidr = '192.168.0.0/16') {
  const r = await s.post('/console/vpc/vpcs', { name, cidr });
  expect(r.status, r.html.slice(0, 400)).toBe(303);
  return idOf(r);
}

describe('the Console: VPCs and subnets', () => {
  let s: ConsoleSession;
  beforeAll(async () => {
    s = await signIn(await newAccount('cvpc'));
  });

  it('creates a VPC from the form and lists it, then adds a subnet with its gateway defaulted', async () => {
    const created = await s.post('/console/vpc/vpcs', { name: 'web-vpc', cidr: '10.20.0.0/16', description: 'for the web' });
    expect(created.status).toBe(303);
    expect(created.location).toMatch(/^\/console\/vpc\/vpcs\/[0-9a-f-]{36}$/);
    const list = await s.page('/console/vpc/vpcs');
    expect(list.status).toBe(200);
    expect(list.html).toContain('web-vpc');
    expect(list.html).toContain('10.20.0.0/16');
    expect(list.html).toContain('<caption>VPCs</caption>');

    const id = idOf(created);
    const sub = await s.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'web-a', cidr: '10.20.1.0/24', dhcp_enable: 'on' });
    expect(sub.status, sub.html.slice(0, 400)).toBe(303);
    expect(sub.location).toBe(`/console/vpc/vpcs/${id}`);
    // The redirect leaves its one-time message for the page it leads to (encoded by the kit, then by the cookie).
    expect(decodeURIComponent(cookieSet(sub, 'fe_flash') ?? '')).toBe('Subnet web-a is being created.');
    const page = await s.page(sub.location!);
    expect(page.html).toContain('web-a');
    expect(page.html).toContain('<td>10.20.1.1</td>');
    const rows = await s.page(`/console/vpc/vpcs/${id}/subnets/rows`);
    expect(rows.html).toContain('10.20.1.0/24');
    expect(rows.html).not.toContain('<html');
  });

  it('shows a CIDR outside the VPC, a bad name and an overlap next to their fields, keeping what was typed', async () => {
    const id = await vpc(s, 'narrow', '192.168.0.0/24');
    const outside = await s.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'far', cidr: '10.9.0.0/24' });
    expect(outside.status).toBe(400);
    expect(errorOf(outside.html, 'cidr')).toMatch(/not inside the VPC cidr 192\.168\.0\.0\/24/);
    expect(outside.html).toMatch(/id="cidr"[^>]*value="10\.9\.0\.0\/24"|value="10\.9\.0\.0\/24"[^>]*id="cidr"/);
    expect(outside.html).toContain('aria-invalid="true"');

    const unnamed = await s.post('/console/vpc/vpcs', { name: '', cidr: '10.0.0.0/16' });
    expect(unnamed.status).toBe(400);
    expect(errorOf(unnamed.html, 'name')).toBe('Enter a name for the VPC.');
    const badName = await s.post('/console/vpc/vpcs', { name: 'no spaces', cidr: '10.0.0.0/16' });
    expect(errorOf(badName.html, 'name')).toMatch(/letters, digits/);
    const badCidr = await s.post('/console/vpc/vpcs', { name: 'x', cidr: '10.0.0.1/16' });
    expect(badCidr.status).toBe(400);
    expect(errorOf(badCidr.html, 'cidr')).toMatch(/not a valid IPv4 CIDR/);

    expect((await s.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'a', cidr: '192.168.0.0/25' })).status).toBe(303);
    const overlap = await s.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'b', cidr: '192.168.0.64/26' });
    expect(overlap.status).toBe(400);
    expect(errorOf(overlap.html, 'cidr')).toMatch(/overlap/i);
    const gateway = await s.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'c', cidr: '192.168.0.128/26', gateway_ip: '192.168.0.1' });
    expect(gateway.status).toBe(400);
    expect(errorOf(gateway.html, 'gateway_ip')).toMatch(/Gateway IP/);
  });

  it('refuses to delete a VPC that still has a subnet, in words, then deletes both', async () => {
    const id = await vpc(s, 'doomed', '172.16.0.0/16');
    const sub = await s.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'only', cidr: '172.16.0.0/24' });
    const refused = await s.post(`/console/vpc/vpcs/${id}/delete`);
    expect(refused.status).toBe(409);
    expect(refused.html).toMatch(/role="alert" class="banner">[^<]*subnet/);
    const page = await s.page(sub.location!);
    const subnetId = /\/subnets\/([0-9a-f-]{36})\/delete/.exec(page.html)?.[1];
    expect((await s.post(`/console/vpc/vpcs/${id}/subnets/${subnetId}/delete`)).status).toBe(303);
    const gone = await s.post(`/console/vpc/vpcs/${id}/delete`);
    expect(gone.status).toBe(303);
    expect((await s.page('/console/vpc/vpcs')).html).not.toContain('doomed');
    expect((await s.page(`/console/vpc/vpcs/${id}`)).status).toBe(404);
  });

  it('shows the VPC quota as the reason at the top of the form', async () => {
    const a = await newAccount('cvpc-quota');
    const q = await signIn(a);
    await setQuota(await operatorToken(), q.project, { router: 1 });
    await vpc(q, 'first');
    const second = await q.post('/console/vpc/vpcs', { name: 'second', cidr: '10.1.0.0/16' });
    expect(second.status).toBe(409);
    expect(second.html).toMatch(/<p role="alert" class="banner">[^<]*[Qq]uota/);
  });
});

describe('the Console: security groups, peerings and VPN', () => {
  let s: ConsoleSession;
  beforeAll(async () => {
    s = await signIn(await newAccount('csg'));
  });

  it('creates a group, adds and removes a rule, and shows a rule refusal next to its field', async () => {
    const created = await s.post('/console/vpc/security-groups', { name: 'web', description: 'HTTP in' });
    expect(created.status).toBe(303);
    const page = created.location!;
    const list = await s.page('/console/vpc/security-groups');
    expect(list.html).toContain('>web</a>');
    expect(list.html).toContain('>default</a>');

    const add = await s.post(`${page}/rules`, {
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: '443',
      remote_ip_prefix: '0.0.0.0/0',
    });
    expect(add.status, add.html.slice(0, 300)).toBe(303);
    let shown = await s.page(page);
    expect(shown.html).toMatch(/<th scope="row">ingress<\/th><td>IPv4<\/td><td>tcp<\/td><td>443<\/td><td>0\.0\.0\.0\/0<\/td>/);

    const noProtocol = await s.post(`${page}/rules`, { direction: 'ingress', ethertype: 'IPv4', protocol: '', port_range_min: '22' });
    expect(noProtocol.status).toBe(400);
    expect(errorOf(noProtocol.html, 'protocol')).toMatch(/need a protocol/);
    const notNumber = await s.post(`${page}/rules`, { direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 'ssh' });
    expect(errorOf(notNumber.html, 'port_range_min')).toBe('Enter the first port as a number.');
    const twice = await s.post(`${page}/rules`, {
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: '443',
      remote_ip_prefix: '0.0.0.0/0',
    });
    expect(twice.status).toBe(409);
    expect(twice.html).toMatch(/role="alert" class="banner">Security group rule already exists/);

    const ruleId = /aria-label="Remove the ingress rule ([0-9a-f-]{36})"/.exec(shown.html)?.[1];
    expect((await s.post(`${page}/rules/${ruleId}/delete`)).status).toBe(303);
    shown = await s.page(page);
    expect(shown.html).not.toContain('<td>443</td>');
    expect((await s.post(`${page}/delete`)).status).toBe(303);
    expect((await s.page('/console/vpc/security-groups')).html).not.toContain('>web</a>');
  });

  it('refuses a group named default next to the name', async () => {
    const r = await s.post('/console/vpc/security-groups', { name: 'default' });
    expect(r.status).toBe(409);
    expect(errorOf(r.html, 'name')).toMatch(/Default security group already exists/);
  });

  it('peers two VPCs of the project (ACTIVE at once), refuses overlapping ones, and deletes the peering', async () => {
    const a = await vpc(s, 'peer-a', '10.50.0.0/16');
    const b = await vpc(s, 'peer-b', '10.60.0.0/16');
    const c = await vpc(s, 'peer-c', '10.50.0.0/20');
    const made = await s.post('/console/vpc/peerings', { name: 'a-to-b', request_vpc_id: a, accept_vpc_id: b });
    expect(made.status, made.html.slice(0, 300)).toBe(303);
    const list = await s.page('/console/vpc/peerings');
    expect(list.html).toContain('a-to-b');
    expect(list.html).toContain('data-status="ACTIVE"');
    const overlap = await s.post('/console/vpc/peerings', { name: 'a-to-c', request_vpc_id: a, accept_vpc_id: c });
    expect(overlap.status).toBe(400);
    expect(errorOf(overlap.html, 'accept_vpc_id')).toMatch(/overlap/);
    const peeringId = /\/console\/vpc\/peerings\/([0-9a-f-]{36})\/delete/.exec(list.html)?.[1];
    expect((await s.post(`/console/vpc/peerings/${peeringId}/delete`)).status).toBe(303);
    expect((await s.page('/console/vpc/peerings')).html).not.toContain('a-to-b');
  });

  it('creates IKE and IPsec policies, a VPN service and a site connection, each listed, and a bad peer next to its field', async () => {
    const id = await vpc(s, 'vpn-vpc', '10.70.0.0/16');
    await s.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'vpn-sub', cidr: '10.70.1.0/24' });
    const ike = await s.post('/console/vpc/vpn/ikepolicies', {
      ike_name: 'ike-1',
      ike_auth_algorithm: 'sha256',
      ike_encryption_algorithm: 'aes-256',
      ike_version: 'v2',
      ike_pfs: 'group14',
    });
    expect(ike.status, ike.html.slice(0, 300)).toBe(303);
    const ipsec = await s.post('/console/vpc/vpn/ipsecpolicies', {
      ipsec_name: 'ipsec-1',
      ipsec_transform_protocol: 'esp',
      ipsec_auth_algorithm: 'sha256',
      ipsec_encryption_algorithm: 'aes-256',
      ipsec_pfs: 'group14',
    });
    expect(ipsec.status).toBe(303);
    let page = await s.page('/console/vpc/vpn');
    const subnetId = /<option value="([0-9a-f-]{36})">vpn-sub /.exec(page.html)?.[1];
    // A VPN service needs its VPC on the Internet: the refusal says so next to the subnet, until it is connected.
    const unconnected = await s.post('/console/vpc/vpn/vpnservices', { service_name: 'svc', service_subnet_id: subnetId! });
    expect(unconnected.status).toBe(400);
    expect(errorOf(unconnected.html, 'service_subnet_id')).toMatch(/external gateway/);
    expect((await s.post(`/console/vpc/vpcs/${id}/gateway`, { connected: 'on' })).status).toBe(303);
    expect((await s.post('/console/vpc/vpn/vpnservices', { service_name: 'svc', service_subnet_id: subnetId! })).status).toBe(303);

    page = await s.page('/console/vpc/vpn');
    const option = (name: string) => new RegExp(`<option value="([0-9a-f-]{36})">${name}</option>`).exec(page.html)?.[1] ?? '';
    const conn = {
      conn_name: 'to-office',
      conn_vpnservice_id: option('svc'),
      conn_ikepolicy_id: option('ike-1'),
      conn_ipsecpolicy_id: option('ipsec-1'),
      conn_peer_address: '203.0.113.10',
      conn_peer_cidrs: '172.20.0.0/16, 172.21.0.0/16',
      conn_psk: 'secret-key',
    };
    const badPeer = await s.post('/console/vpc/vpn/ipsec-site-connections', { ...conn, conn_peer_address: 'office' });
    expect(badPeer.status).toBe(400);
    expect(errorOf(badPeer.html, 'conn_peer_address')).toMatch(/IPv4 address/);
    expect(badPeer.html).not.toContain('secret-key');
    expect((await s.post('/console/vpc/vpn/ipsec-site-connections', conn)).status).toBe(303);
    const tables = await s.page('/console/vpc/vpn/tables');
    expect(tables.html).toContain('ike-1');
    expect(tables.html).toContain('ipsec-1');
    expect(tables.html).toContain('<td>172.20.0.0/16, 172.21.0.0/16</td>');
    expect(tables.html).toContain('to-office');
    // The service is in use by the connection: its deletion is refused in words.
    const svcId = option('svc');
    const inUse = await s.post(`/console/vpc/vpn/vpnservices/${svcId}/delete`);
    expect(inUse.status).toBe(409);
    expect(inUse.html).toMatch(/role="alert" class="banner">[^<]*in use/);
  });
});

describe('the Console: Elastic IPs', () => {
  let p: ComputeProject;
  let s: ConsoleSession;
  beforeAll(async () => {
    p = await computeProject('ceip');
    s = await signIn(p.account);
  });

  it('allocates an EIP with its bandwidth, binds it to a server by choosing the server, unbinds and releases it', async () => {
    const server = await activeServer(p, { name: 'web-1' });
    const made = await s.post('/console/eip/eips', { bandwidth_size: '10', charge_mode: 'traffic' });
    expect(made.status, made.html.slice(0, 300)).toBe(303);
    let list = await s.page('/console/eip/eips');
    expect(list.html).toContain('10 Mbit/s (by traffic)');
    expect(list.html).toContain('not bound');
    expect(list.html).toContain('data-status="UNBOUND"');
    const eipId = /\/console\/eip\/eips\/([0-9a-f-]{36})\/bind/.exec(list.html)?.[1] ?? '';

    const bind = await s.page(`/console/eip/eips/${eipId}/bind`);
    const [port] = await portsOf(p, server.id);
    expect(bind.html).toContain(`<option value="${port.id}">web-1 — ${port.fixed_ips[0].ip_address}</option>`);
    const bound = await s.post(`/console/eip/eips/${eipId}/bind`, { port_id: port.id });
    expect(bound.status, bound.html.slice(0, 300)).toBe(303);
    list = await s.page('/console/eip/eips');
    expect(list.html).toContain(`web-1 — ${port.fixed_ips[0].ip_address}`);
    expect(list.html).toContain('data-status="BOUND"');
    const fip = await neutron(p.token, 'GET', `/floatingips/${eipId}`);
    expect(fip.body.floatingip.port_id).toBe(port.id);

    expect((await s.post(`/console/eip/eips/${eipId}/unbind`)).status).toBe(303);
    expect((await neutron(p.token, 'GET', `/floatingips/${eipId}`)).body.floatingip.port_id).toBeNull();
    expect((await s.post(`/console/eip/eips/${eipId}/release`)).status).toBe(303);
    expect((await neutron(p.token, 'GET', `/floatingips/${eipId}`)).status).toBe(404);
  });

  it('shows a bandwidth out of range next to its field', async () => {
    const r = await s.post('/console/eip/eips', { bandwidth_size: '5000', charge_mode: 'traffic' });
    expect(r.status).toBe(400);
    expect(errorOf(r.html, 'bandwidth_size')).toBe('The bandwidth is at most 1000.');
  });
});

describe('the Console VPC pages: isolation and policy', () => {
  it("neither shows nor reaches another account's VPC, subnet, group or EIP", async () => {
    const owner = await signIn(await newAccount('cvpc-owner'));
    const intruder = await signIn(await newAccount('cvpc-intruder'));
    const id = await vpc(owner, 'private-vpc', '10.80.0.0/16');
    const sg = idOf(await owner.post('/console/vpc/security-groups', { name: 'private-sg' }));
    await owner.post('/console/eip/eips', { bandwidth_size: '5', charge_mode: 'traffic' });
    const eipId = /\/console\/eip\/eips\/([0-9a-f-]{36})\/release/.exec((await owner.page('/console/eip/eips')).html)?.[1];

    expect((await intruder.page('/console/vpc/vpcs')).html).not.toContain('private-vpc');
    expect((await intruder.page('/console/vpc/security-groups')).html).not.toContain('private-sg');
    expect((await intruder.page(`/console/vpc/vpcs/${id}`)).status).toBe(404);
    expect((await intruder.page(`/console/vpc/security-groups/${sg}`)).status).toBe(404);
    expect((await intruder.post(`/console/vpc/vpcs/${id}/delete`)).status).toBe(404);
    expect((await intruder.post(`/console/vpc/vpcs/${id}/subnets`, { name: 'x', cidr: '10.80.1.0/24' })).status).toBe(404);
    expect((await intruder.post(`/console/vpc/security-groups/${sg}/delete`)).status).toBe(404);
    expect((await intruder.post(`/console/eip/eips/${eipId}/release`)).status).toBe(404);
    expect((await intruder.page(`/console/eip/eips/${eipId}/bind`)).status).toBe(404);
    // The owner's resources are all still there.
    expect((await owner.page(`/console/vpc/vpcs/${id}`)).status).toBe(200);
    expect((await owner.page(`/console/vpc/security-groups/${sg}`)).status).toBe(200);
    expect((await owner.page('/console/eip/eips')).html).toContain(`/console/eip/eips/${eipId}/release`);
  });

  it('lets a read-only user see the pages and refuses it every change', async () => {
    const a = await newAccount('cvpc-ro');
    const viewer = await createUser(a, await tokenFor(a), { role: 'readonly' });
    const s = await signIn(a, { user: viewer.name, password: viewer.password });
    expect((await s.page('/console/vpc/vpcs')).status).toBe(200);
    expect((await s.page('/console/eip/eips')).status).toBe(200);
    const refused = await s.post('/console/vpc/vpcs', { name: 'nope', cidr: '10.0.0.0/16' });
    expect(refused.status).toBe(403);
    expect(refused.html).toMatch(/role="alert"[^>]*>[^<]*vpc:vpcs:create/);
    expect((await s.post('/console/eip/eips', { bandwidth_size: '5', charge_mode: 'traffic' })).status).toBe(403);
    expect((await s.page('/console/vpc/vpcs')).html).not.toContain('nope');
  });
});

/**
 * LBaaS v2 load balancers as octaviaclient drives them: the catalog entry, create with a VIP port taken from the
 * subnet, PENDING_* to ACTIVE through the alarm, Octavia's 409 while pending, the status tree, list filters and
 * pages, delete with and without cascade, Octavia's faults, and the load balancer's usage events.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { bindings, computeProject } from '../ecs/fixtures.ts';
import { createUser, tokenFor } from '../fixtures.ts';
import { call, json, neutron } from '../request.ts';
import { externalNetworkId } from '../vpc/fixtures.ts';
import { activeLb, child, expectStatus, lbaas, waitLb } from './fixtures.ts';

describe('load balancers', () => {
  it('are in the catalog as load-balancer, at /elb (octaviaclient appends /v2.0)', async () => {
    const p = await computeProject('elbcat');
    const res = await call('/iam/v3/auth/catalog', { token: p.token });
    const entry = (await json(res)).catalog.find((e: any) => e.type === 'load-balancer');
    expect(entry.name).toBe('octavia');
    expect(new URL(entry.endpoints[0].url).pathname).toBe('/elb');
  });

  it('take their VIP from the subnet like any port, and become ACTIVE and ONLINE', async () => {
    const p = await computeProject('elbvip');
    const made = await expectStatus(
      lbaas(p, 'POST', '/loadbalancers', { loadbalancer: { name: 'lb1', vip_subnet_id: p.subnet.id, admin_state_up: true } }),
      201,
    );
    const lb = made.loadbalancer;
    expect(lb).toMatchObject({
      name: 'lb1',
      provisioning_status: 'PENDING_CREATE',
      operating_status: 'OFFLINE',
      vip_subnet_id: p.subnet.id,
      vip_network_id: p.network.id,
      vip_address: '10.0.0.2',
      provider: 'vlb',
      project_id: p.project,
      listeners: [],
      pools: [],
    });
    const port = (await neutron(p.token, 'GET', `/ports/${lb.vip_port_id}`)).body.port;
    expect(port).toMatchObject({
      device_owner: 'Octavia',
      device_id: lb.id,
      fixed_ips: [{ subnet_id: p.subnet.id, ip_address: '10.0.0.2' }],
    });
    const active = await waitLb(p, lb.id);
    expect(active.operating_status).toBe('ONLINE');
    // vip_address is honoured, and an address already taken is refused.
    const second = await activeLb(p, { vip_address: '10.0.0.77' });
    expect(second.vip_address).toBe('10.0.0.77');
    const taken = await lbaas(p, 'POST', '/loadbalancers', { loadbalancer: { vip_subnet_id: p.subnet.id, vip_address: '10.0.0.77' } });
    expect(taken.status).toBe(409);
    expect(taken.body.faultstring).toBe(`IP address 10.0.0.77 already allocated in subnet ${p.subnet.id}.`);
  });

  it("are immutable while pending: Octavia's 409, word for word, until the alarm settles the change", async () => {
    const p = await computeProject('elblock');
    const lb = await activeLb(p);
    const listener = await expectStatus(
      lbaas(p, 'POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 } }),
      201,
    );
    expect(listener.listener.provisioning_status).toBe('PENDING_CREATE');
    expect((await lbaas(p, 'GET', `/loadbalancers/${lb.id}`)).body.loadbalancer.provisioning_status).toBe('PENDING_UPDATE');
    const refused = await lbaas(p, 'PUT', `/loadbalancers/${lb.id}`, { loadbalancer: { name: 'x' } });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      faultcode: 'Client',
      faultstring: `Load Balancer ${lb.id} is immutable and cannot be updated.`,
      debuginfo: null,
    });
    const again = await lbaas(p, 'POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'TCP', protocol_port: 81 } });
    expect(again.status).toBe(409);
    await waitLb(p, lb.id);
    const settled = (await lbaas(p, 'GET', `/listeners/${listener.listener.id}`)).body.listener;
    expect([settled.provisioning_status, settled.operating_status]).toEqual(['ACTIVE', 'ONLINE']);
    const dup = await lbaas(p, 'POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'TCP', protocol_port: 80 } });
    expect([dup.status, dup.body.faultstring]).toEqual([
      409,
      'Another Listener on this Load Balancer is already using protocol TCP and protocol_port 80',
    ]);
  });

  it('show their status tree, and list with filters, pages and fields', async () => {
    const p = await computeProject('elbtree');
    const lb = await activeLb(p, { name: 'tree' });
    const l = await child(p, lb.id, 'listeners', 'listener', { loadbalancer_id: lb.id, protocol: 'TCP', protocol_port: 443, name: 'l' });
    const pool = await child(p, lb.id, 'pools', 'pool', { listener_id: l.id, protocol: 'TCP', lb_algorithm: 'SOURCE_IP', name: 'pl' });
    const m = await child(p, lb.id, `pools/${pool.id}/members`, 'member', { address: '10.0.0.50', protocol_port: 443, name: 'm' });
    expect(m.operating_status).toBe('NO_MONITOR');
    const hm = await child(p, lb.id, 'healthmonitors', 'healthmonitor', {
      pool_id: pool.id,
      type: 'TCP',
      delay: 5,
      timeout: 3,
      max_retries: 2,
      name: 'h',
    });
    const tree = (await lbaas(p, 'GET', `/loadbalancers/${lb.id}/status`)).body;
    const st = (x: { id: string; name: string }, op = 'ONLINE') => ({
      id: x.id,
      name: x.name,
      provisioning_status: 'ACTIVE',
      operating_status: op,
    });
    // No guest answers at 10.0.0.50: the monitor's first round marks it down (max_retries_down defaults to 3, so not yet).
    const memberStatus = tree.statuses.loadbalancer.pools[0].members[0].operating_status;
    expect(['ONLINE', 'ERROR']).toContain(memberStatus);
    const poolTree = {
      ...st(pool, memberStatus === 'ERROR' ? 'ERROR' : 'ONLINE'),
      health_monitor: { ...st(hm), type: 'TCP' },
      members: [{ ...st(m, memberStatus), address: '10.0.0.50', protocol_port: 443 }],
    };
    expect(tree.statuses.loadbalancer.listeners[0].pools).toEqual([poolTree]);
    expect(tree.statuses.loadbalancer.id).toBe(lb.id);
    const shown = (await lbaas(p, 'GET', `/pools/${pool.id}`)).body.pool;
    expect(shown).toMatchObject({
      listeners: [{ id: l.id }],
      members: [{ id: m.id }],
      healthmonitor_id: hm.id,
      loadbalancers: [{ id: lb.id }],
    });
    expect((await lbaas(p, 'GET', `/loadbalancers/${lb.id}`)).body.loadbalancer).toMatchObject({
      listeners: [{ id: l.id }],
      pools: [{ id: pool.id }],
    });
    const other = await activeLb(p, { name: 'other' });
    const byName = (await lbaas(p, 'GET', '/loadbalancers?name=tree')).body;
    expect(byName.loadbalancers.map((x: any) => x.id)).toEqual([lb.id]);
    const first = (await lbaas(p, 'GET', '/loadbalancers?limit=1&sort_key=name&sort_dir=asc&fields=id&fields=name')).body;
    expect(first.loadbalancers).toEqual([{ id: other.id, name: 'other' }]);
    expect(first.loadbalancers_links[0].rel).toBe('next');
    const next = (await lbaas(p, 'GET', `/loadbalancers?limit=1&sort_key=name&sort_dir=asc&marker=${other.id}`)).body;
    expect(next.loadbalancers.map((x: any) => x.id)).toEqual([lb.id]);
    expect((await lbaas(p, 'GET', '/loadbalancers?bogus=1')).status).toBe(400);
  });

  it('refuse a delete with children unless cascade, which takes them and the VIP port away', async () => {
    const p = await computeProject('elbdel');
    const lb = await activeLb(p);
    const l = await child(p, lb.id, 'listeners', 'listener', { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 });
    const pool = await child(p, lb.id, 'pools', 'pool', { listener_id: l.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' });
    await child(p, lb.id, `pools/${pool.id}/members`, 'member', { address: '10.0.0.9', protocol_port: 80 });
    const plain = await lbaas(p, 'DELETE', `/loadbalancers/${lb.id}`);
    expect([plain.status, plain.body.faultstring]).toEqual([400, `Cannot delete Load Balancer ${lb.id} - it has children`]);
    expect((await lbaas(p, 'DELETE', `/loadbalancers/${lb.id}?cascade=true`)).status).toBe(204);
    expect((await lbaas(p, 'GET', `/loadbalancers/${lb.id}`)).body.loadbalancer.provisioning_status).toBe('PENDING_DELETE');
    await waitLb(p, lb.id, 'DELETED');
    const gone = await lbaas(p, 'GET', `/loadbalancers/${lb.id}`);
    expect(gone).toMatchObject({
      status: 404,
      body: { faultcode: 'Client', faultstring: `Load Balancer ${lb.id} not found.`, debuginfo: null },
    });
    expect((await lbaas(p, 'GET', `/pools/${pool.id}`)).status).toBe(404);
    expect((await lbaas(p, 'GET', '/listeners')).body.listeners).toEqual([]);
    expect((await neutron(p.token, 'GET', `/ports/${lb.vip_port_id}`)).status).toBe(404);
  });

  it("validate at the edge, in Octavia's envelope", async () => {
    const p = await computeProject('elbval');
    const lb = await activeLb(p);
    const bad = await lbaas(p, 'POST', '/listeners', { listener: { loadbalancer_id: lb.id, protocol: 'SMTP', protocol_port: 25 } });
    expect([bad.status, bad.body.faultcode]).toEqual([400, 'Client']);
    expect(bad.body.faultstring).toMatch(/^Invalid input for field 'listener.protocol'/);
    const unknown = await lbaas(p, 'POST', '/loadbalancers', { loadbalancer: { vip_subnet_id: p.subnet.id, colour: 'red' } });
    expect(unknown.status).toBe(400);
    const noSubnet = await lbaas(p, 'POST', '/loadbalancers', { loadbalancer: { vip_subnet_id: crypto.randomUUID() } });
    expect(noSubnet.status).toBe(400);
    const both = await lbaas(p, 'POST', '/pools', { pool: { protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } });
    expect([both.status, both.body.faultstring]).toEqual([
      400,
      'Validation failure: Exactly one of listener_id or loadbalancer_id must be given.',
    ]);
    const l = await child(p, lb.id, 'listeners', 'listener', { loadbalancer_id: lb.id, protocol: 'UDP', protocol_port: 53 });
    const mismatch = await lbaas(p, 'POST', '/pools', { pool: { listener_id: l.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } });
    expect([mismatch.status, mismatch.body.faultstring]).toEqual([
      400,
      "Validation failure: The pool protocol 'HTTP' is invalid while the listener protocol is 'UDP'.",
    ]);
    const missing = crypto.randomUUID();
    expect((await lbaas(p, 'GET', `/healthmonitors/${missing}`)).body.faultstring).toBe(`Health Monitor ${missing} not found.`);
  });

  it('take an Elastic IP on their VIP port (Neutron floating IP), which the delete unbinds', async () => {
    const p = await computeProject('elbeip');
    const ext = await externalNetworkId(p.token);
    const router = (await neutron(p.token, 'POST', '/routers', { router: { name: 'r', external_gateway_info: { network_id: ext } } })).body
      .router;
    await neutron(p.token, 'PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: p.subnet.id });
    const lb = await activeLb(p);
    const fip = await neutron(p.token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext, port_id: lb.vip_port_id } });
    expect(fip.status, JSON.stringify(fip.body)).toBe(201);
    expect(fip.body.floatingip).toMatchObject({ port_id: lb.vip_port_id, fixed_ip_address: lb.vip_address });
    await lbaas(p, 'DELETE', `/loadbalancers/${lb.id}`);
    await waitLb(p, lb.id, 'DELETED');
    expect((await neutron(p.token, 'GET', `/floatingips/${fip.body.floatingip.id}`)).body.floatingip.port_id).toBeNull();
  });

  it('meter elb.loadbalancer from create to removal, written with the change', async () => {
    const p = await computeProject('elbuse');
    const lb = await activeLb(p);
    await lbaas(p, 'DELETE', `/loadbalancers/${lb.id}`);
    await waitLb(p, lb.id, 'DELETED');
    const events = await runInDurableObject(bindings.TENANT.getByName(p.project), async (_o, state) =>
      state.storage.sql.exec("SELECT id, meter, action, quantity FROM usage_events WHERE meter = 'elb.loadbalancer'").toArray(),
    );
    expect(events).toEqual([
      { id: `${lb.id}:start`, meter: 'elb.loadbalancer', action: 'start', quantity: 1 },
      { id: `${lb.id}:stop`, meter: 'elb.loadbalancer', action: 'stop', quantity: 0 },
    ]);
  });

  it('are read, not changed, by the elb_viewer and readonly roles: 403 in the Octavia envelope', async () => {
    const p = await computeProject('elbpol');
    const lb = await activeLb(p);
    for (const role of ['elb_viewer', 'readonly']) {
      const user = await createUser(p.account, p.token, { role });
      const token = await tokenFor(p.account, { user: user.name, password: user.password, scope: { project: { id: p.project } } });
      expect((await lbaas({ token }, 'GET', `/loadbalancers/${lb.id}`)).status).toBe(200);
      const refused = await lbaas({ token }, 'PUT', `/loadbalancers/${lb.id}`, { loadbalancer: { name: 'x' } });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ faultcode: 'Client', debuginfo: null });
      expect(refused.body.faultstring).toContain('elb:loadbalancers:update');
    }
  });

  it("hide another project's load balancers: 404", async () => {
    const p = await computeProject('elbown');
    const lb = await activeLb(p);
    const q = await computeProject('elbother');
    const token = await tokenFor(q.account, { scope: { project: { id: q.project } } });
    expect((await lbaas({ token }, 'GET', `/loadbalancers/${lb.id}`)).status).toBe(404);
    expect((await lbaas({ token }, 'GET', '/loadbalancers')).body.loadbalancers).toEqual([]);
  });
});

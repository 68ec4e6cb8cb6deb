/**
 * Neutron route by route: another project's objects answer 404 (never 403: existence is not revealed) and never
 * change; lists never show them; a role without the action answers 403 (deny by default); no identity answers 401.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, createUser, newAccount, tokenFor } from '../fixtures.ts';
import { expectNeutronError, neutron } from '../request.ts';
import { create, externalNetworkId, networkWithSubnet, snapshot } from './fixtures.ts';

interface Ids {
  project: string;
  network: string;
  subnet: string;
  port: string;
  router: string;
  group: string;
  rule: string;
  fip: string;
}

type Route = [method: string, path: string, body?: unknown];

/** Every Neutron route that names an object, with a body it would accept from the owner. */
const OBJECT_ROUTES: Route[] = [
  ['GET', '/networks/{network}'],
  ['PUT', '/networks/{network}', { network: { name: 'taken' } }],
  ['DELETE', '/networks/{network}'],
  ['GET', '/subnets/{subnet}'],
  ['PUT', '/subnets/{subnet}', { subnet: { name: 'taken' } }],
  ['DELETE', '/subnets/{subnet}'],
  ['GET', '/ports/{port}'],
  ['PUT', '/ports/{port}', { port: { name: 'taken' } }],
  ['DELETE', '/ports/{port}'],
  ['GET', '/routers/{router}'],
  ['PUT', '/routers/{router}', { router: { name: 'taken' } }],
  ['DELETE', '/routers/{router}'],
  ['PUT', '/routers/{router}/add_router_interface', { subnet_id: '{subnet}' }],
  ['PUT', '/routers/{router}/remove_router_interface', { subnet_id: '{subnet}' }],
  ['GET', '/security-groups/{group}'],
  ['PUT', '/security-groups/{group}', { security_group: { name: 'taken' } }],
  ['DELETE', '/security-groups/{group}'],
  ['GET', '/security-group-rules/{rule}'],
  ['DELETE', '/security-group-rules/{rule}'],
  ['GET', '/floatingips/{fip}'],
  ['PUT', '/floatingips/{fip}', { floatingip: { port_id: null } }],
  ['DELETE', '/floatingips/{fip}'],
  ['GET', '/quotas/{project}'],
  ['GET', '/quotas/{project}/details'],
];

/** Routes that list or create in the caller's own project. */
const PROJECT_ROUTES: Route[] = [
  ['GET', '/networks'],
  ['POST', '/networks', { network: { name: 'n' } }],
  ['GET', '/subnets'],
  ['POST', '/subnets', { subnet: { network_id: '{network}', cidr: '10.99.0.0/24' } }],
  ['GET', '/ports'],
  ['POST', '/ports', { port: { network_id: '{network}' } }],
  ['GET', '/routers'],
  ['POST', '/routers', { router: { name: 'r' } }],
  ['GET', '/security-groups'],
  ['POST', '/security-groups', { security_group: { name: 'g' } }],
  ['GET', '/security-group-rules'],
  ['POST', '/security-group-rules', { security_group_rule: { security_group_id: '{group}', direction: 'ingress', protocol: 'udp' } }],
  ['GET', '/floatingips'],
  ['POST', '/floatingips', { floatingip: { floating_network_id: '{external}' } }],
  ['PUT', '/quotas/{project}', { quota: { network: 1 } }],
];

const fill = (text: string, ids: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? `{${k}}`);

function send([method, path, body]: Route, ids: Record<string, string>, token?: string) {
  const filled = body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body), ids));
  return neutron(token, method, fill(path, ids), filled);
}

/** One of every kind of object, wired together: a port with a floating IP on a routed subnet. */
async function objectsOf(a: Account, token: string): Promise<Ids> {
  const ext = await externalNetworkId(token);
  const { network, subnet } = await networkWithSubnet(token, '10.0.0.0/24');
  const router = await create(token, 'routers', 'router', { name: 'r', external_gateway_info: { network_id: ext } });
  const add = await neutron(token, 'PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
  expect(add.status).toBe(200);
  const group = await create(token, 'security-groups', 'security_group', { name: 'g' });
  const rule = await create(token, 'security-group-rules', 'security_group_rule', {
    security_group_id: group.id,
    direction: 'ingress',
    protocol: 'tcp',
    port_range_min: 22,
    port_range_max: 22,
  });
  const port = await create(token, 'ports', 'port', { network_id: network.id, security_groups: [group.id] });
  const fip = await create(token, 'floatingips', 'floatingip', { floating_network_id: ext, port_id: port.id });
  return {
    project: a.projects[0]!.id,
    network: network.id,
    subnet: subnet.id,
    port: port.id,
    router: router.id,
    group: group.id,
    rule: rule.id,
    fip: fip.id,
  };
}

let victim: Account;
let victimToken: string;
let ids: Ids;
let before: unknown;

beforeAll(async () => {
  victim = await newAccount('victim');
  victimToken = await tokenFor(victim);
  ids = await objectsOf(victim, victimToken);
  before = await snapshot(victimToken);
});

describe('tenant isolation', () => {
  it("another account's administrator gets 404 on every route that names an object, and nothing changes", async () => {
    const other = await newAccount('intruder');
    const token = await tokenFor(other);
    for (const route of OBJECT_ROUTES) {
      const res = await send(route, { ...ids }, token);
      expectNeutronError(res, 404);
      expect(res.body.NeutronError.message, `${route[0]} ${route[1]}`).not.toMatch(/policy|authori[sz]ed|permission/i);
    }
    expect(await snapshot(victimToken)).toEqual(before);
  });

  it("the same user scoped to its account's other project does not reach them either", async () => {
    const token = await tokenFor(victim, { scope: { project: { id: victim.projects[1]!.id } } });
    for (const route of OBJECT_ROUTES.filter(([, path]) => !path.startsWith('/quotas'))) {
      expectNeutronError(await send(route, { ...ids }, token), 404);
    }
    expect(await snapshot(victimToken)).toEqual(before);
  });

  it("an intruder's own objects cannot be tied to the victim's: ports, subnets, interfaces, bindings, groups", async () => {
    const other = await newAccount('intruder');
    const token = await tokenFor(other);
    const ext = await externalNetworkId(token);
    const own = await networkWithSubnet(token, '10.0.0.0/24');
    const ownPort = await create(token, 'ports', 'port', { network_id: own.network.id });
    const ownRouter = await create(token, 'routers', 'router', { name: 'mine' });
    const ownGroup = await create(token, 'security-groups', 'security_group', { name: 'mine' });
    const ownFip = await create(token, 'floatingips', 'floatingip', { floating_network_id: ext });
    const intruderBefore = await snapshot(token);
    const cross: Route[] = [
      ['POST', '/ports', { port: { network_id: ids.network } }],
      ['POST', '/subnets', { subnet: { network_id: ids.network, cidr: '10.50.0.0/24' } }],
      ['PUT', `/floatingips/${ownFip.id}`, { floatingip: { port_id: ids.port } }],
      ['POST', '/floatingips', { floatingip: { floating_network_id: ext, port_id: ids.port } }],
      ['PUT', `/routers/${ownRouter.id}/add_router_interface`, { subnet_id: ids.subnet }],
      ['PUT', `/routers/${ownRouter.id}/remove_router_interface`, { port_id: ids.port }],
      ['POST', '/security-group-rules', { security_group_rule: { security_group_id: ids.group, direction: 'ingress' } }],
      [
        'POST',
        '/security-group-rules',
        { security_group_rule: { security_group_id: ownGroup.id, direction: 'ingress', remote_group_id: ids.group } },
      ],
      ['POST', '/ports', { port: { network_id: own.network.id, security_groups: [ids.group] } }],
      ['PUT', `/ports/${ownPort.id}`, { port: { security_groups: [ids.group] } }],
    ];
    for (const route of cross) {
      const res = await send(route, {}, token);
      expectNeutronError(res, 404);
    }
    expect(await snapshot(token)).toEqual(intruderBefore);
    expect(await snapshot(victimToken)).toEqual(before);
  });

  it('refuses to create in another project by naming it in the body', async () => {
    const other = await newAccount('intruder');
    const token = await tokenFor(other);
    const ext = await externalNetworkId(token);
    const own = await networkWithSubnet(token, '10.0.0.0/24');
    const group = (await neutron(token, 'GET', '/security-groups')).body.security_groups[0].id;
    const mine = await snapshot(token);
    for (const [path, body] of [
      ['/networks', { network: { name: 'n', tenant_id: ids.project } }],
      ['/networks', { network: { name: 'n', project_id: ids.project } }],
      ['/subnets', { subnet: { network_id: own.network.id, cidr: '10.1.0.0/24', tenant_id: ids.project } }],
      ['/ports', { port: { network_id: own.network.id, project_id: ids.project } }],
      ['/routers', { router: { name: 'r', tenant_id: ids.project } }],
      ['/security-groups', { security_group: { name: 'g', project_id: ids.project } }],
      ['/security-group-rules', { security_group_rule: { security_group_id: group, direction: 'ingress', tenant_id: ids.project } }],
      ['/floatingips', { floatingip: { floating_network_id: ext, project_id: ids.project } }],
    ] as const) {
      expectNeutronError(await neutron(token, 'POST', path, body), 403);
    }
    expect(await snapshot(victimToken)).toEqual(before);
    expect(await snapshot(token)).toEqual(mine);
  });

  it("lists never show another project's objects, whatever the filters", async () => {
    const other = await newAccount('intruder');
    const token = await tokenFor(other);
    await networkWithSubnet(token, '10.0.0.0/24');
    const lists = [
      '/networks',
      `/networks?tenant_id=${ids.project}`,
      `/networks?id=${ids.network}`,
      '/subnets',
      `/subnets?network_id=${ids.network}`,
      '/ports',
      `/ports?device_id=${ids.router}`,
      `/ports?network_id=${ids.network}`,
      '/routers',
      `/routers?project_id=${ids.project}`,
      '/security-groups',
      `/security-groups?id=${ids.group}`,
      '/security-group-rules',
      `/security-group-rules?security_group_id=${ids.group}`,
      '/floatingips',
      `/floatingips?port_id=${ids.port}`,
    ];
    for (const path of lists) {
      const res = await neutron(token, 'GET', path);
      expect(res.status, path).toBe(200);
      const body = JSON.stringify(res.body);
      for (const id of Object.values(ids)) expect(body, path).not.toContain(id);
    }
    // The victim still sees its own.
    const mine = JSON.stringify((await neutron(victimToken, 'GET', '/ports')).body);
    expect(mine).toContain(ids.port);
  });
});

describe('deny by default', () => {
  it('a user with only ecs_viewer gets 403 on every Neutron route, and nothing changes', async () => {
    const viewer = await createUser(victim, victimToken, { role: 'ecs_viewer' });
    const token = await tokenFor(victim, { user: viewer.name, password: viewer.password });
    const all = { ...ids, external: await externalNetworkId(victimToken) };
    for (const route of [...OBJECT_ROUTES, ...PROJECT_ROUTES]) {
      const res = await send(route, all, token);
      expectNeutronError(res, 403);
      expect(res.body.NeutronError.type, `${route[0]} ${route[1]}`).toBe('HTTPForbidden');
    }
    expect(await snapshot(victimToken)).toEqual(before);
  });

  it('vpc_viewer reads networks but changes nothing, and reaches no floating IPs (they are eip actions)', async () => {
    const viewer = await createUser(victim, victimToken, { role: 'vpc_viewer' });
    const token = await tokenFor(victim, { user: viewer.name, password: viewer.password });
    expect((await neutron(token, 'GET', `/networks/${ids.network}`)).status).toBe(200);
    expect((await neutron(token, 'GET', '/ports')).status).toBe(200);
    expect((await neutron(token, 'GET', `/quotas/${ids.project}`)).status).toBe(200);
    expectNeutronError(await neutron(token, 'PUT', `/networks/${ids.network}`, { network: { name: 'x' } }), 403);
    expectNeutronError(await neutron(token, 'POST', '/networks', { network: { name: 'x' } }), 403);
    expectNeutronError(await neutron(token, 'DELETE', `/ports/${ids.port}`), 403);
    expectNeutronError(await neutron(token, 'GET', '/floatingips'), 403);
    expect(await snapshot(victimToken)).toEqual(before);
  });

  it('without a token every route answers 401 in the Neutron envelope', async () => {
    const all = { ...ids, external: await externalNetworkId(victimToken) };
    for (const route of [...OBJECT_ROUTES, ...PROJECT_ROUTES, ['GET', ''] as Route, ['GET', '/extensions'] as Route]) {
      const res = await send(route, all);
      expectNeutronError(res, 401);
      expect(res.body.NeutronError.type, `${route[0]} ${route[1]}`).toBe('HTTPUnauthorized');
    }
    for (const token of ['not-a-token', `${victimToken}x`]) {
      expectNeutronError(await neutron(token, 'GET', `/networks/${ids.network}`), 401);
    }
    expect(await snapshot(victimToken)).toEqual(before);
  });
});

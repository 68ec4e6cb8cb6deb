/**
 * Nova route by route: another account's servers, key pairs and server groups answer 404 (existence is not
 * revealed) and never change; lists never show them; another project's path is refused; a role without the
 * action answers 403 (deny by default); no identity answers 401.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, tokenFor } from '../fixtures.ts';
import { expectNovaError, neutron, nova } from '../request.ts';
import { activeServer, type ComputeProject, computeProject, imageId } from './fixtures.ts';

type Route = [method: string, path: string, body?: unknown];

/** Every Nova route that names one of the project's objects, with a body the owner could send. */
const OBJECT_ROUTES: Route[] = [
  ['GET', '/servers/{server}'],
  ['PUT', '/servers/{server}', { server: { name: 'taken' } }],
  ['DELETE', '/servers/{server}'],
  ['GET', '/servers/{server}/ips'],
  ['GET', '/servers/{server}/os-interface'],
  ['GET', '/servers/{server}/os-instance-actions'],
  ['GET', '/servers/{server}/metadata'],
  ['POST', '/servers/{server}/metadata', { metadata: { x: 'y' } }],
  ['PUT', '/servers/{server}/metadata', { metadata: { x: 'y' } }],
  ['GET', '/servers/{server}/metadata/k'],
  ['PUT', '/servers/{server}/metadata/k', { meta: { k: 'taken' } }],
  ['DELETE', '/servers/{server}/metadata/k'],
  ['POST', '/servers/{server}/action', { 'os-stop': null }],
  ['POST', '/servers/{server}/action', { reboot: { type: 'HARD' } }],
  ['POST', '/servers/{server}/action', { 'os-getConsoleOutput': {} }],
  ['GET', '/os-keypairs/{keypair}'],
  ['DELETE', '/os-keypairs/{keypair}'],
  ['GET', '/os-server-groups/{group}'],
  ['DELETE', '/os-server-groups/{group}'],
];

/** Routes that list, create or read in the caller's own project. */
const PROJECT_ROUTES: Route[] = [
  ['GET', '/servers'],
  ['GET', '/servers/detail'],
  ['POST', '/servers', { server: { name: 'n', imageRef: '{image}', flavorRef: 's3.small.1', networks: [{ uuid: '{network}' }] } }],
  ['GET', '/os-keypairs'],
  ['POST', '/os-keypairs', { keypair: { name: 'new' } }],
  ['GET', '/os-server-groups'],
  ['POST', '/os-server-groups', { server_group: { name: 'g', policies: ['affinity'] } }],
  ['GET', '/os-availability-zone'],
  ['GET', '/limits'],
  ['GET', '/os-quota-sets/{project}'],
  ['GET', '/os-quota-sets/{project}/defaults'],
  ['GET', '/flavors'],
];

const fill = (text: string, ids: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? `{${k}}`);

function send([method, path, body]: Route, project: string, ids: Record<string, string>, token?: string) {
  const filled = body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body), ids));
  return nova(token, project, method, fill(path, ids), filled);
}

let victim: ComputeProject;
let ids: Record<string, string>;
let before: unknown;

/** Everything of the victim's that a refused call could have changed. */
async function snapshot() {
  const t = victim.token;
  const get = async (path: string) => {
    const res = await nova(t, victim.project, 'GET', path);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  return {
    servers: await get('/servers/detail'),
    metadata: await get(`/servers/${ids.server}/metadata`),
    keypairs: await get('/os-keypairs'),
    groups: await get('/os-server-groups'),
    limits: await get('/limits'),
    ports: (await neutron(t, 'GET', '/ports')).body,
  };
}

beforeAll(async () => {
  victim = await computeProject('victim');
  const key = await nova(victim.token, victim.project, 'POST', '/os-keypairs', { keypair: { name: 'vkey' } });
  const group = await nova(victim.token, victim.project, 'POST', '/os-server-groups', {
    server_group: { name: 'vgroup', policies: ['anti-affinity'] },
  });
  const s = await activeServer(
    victim,
    { name: 'secret-vm', key_name: 'vkey', metadata: { k: 'v' } },
    { 'os:scheduler_hints': { group: group.body.server_group.id } },
  );
  const sg = (await neutron(victim.token, 'GET', '/security-groups?name=default')).body.security_groups[0];
  const [port] = (await neutron(victim.token, 'GET', `/ports?device_id=${s.id}`)).body.ports;
  ids = {
    server: s.id,
    keypair: key.body.keypair.name,
    group: group.body.server_group.id,
    network: victim.network.id,
    securityGroup: sg.id,
    port: port.id,
    project: victim.project,
  };
  before = await snapshot();
}, 30_000);

describe('tenant isolation', () => {
  it("another account's administrator gets 404 on every route that names an object, and nothing changes", async () => {
    const other = await computeProject('intruder');
    // The intruder has objects of the same names, which must not be confused with the victim's.
    for (const route of OBJECT_ROUTES) {
      const res = await send(route, other.project, ids, other.token);
      expectNovaError(res, 404, 'itemNotFound');
      expect(res.body.itemNotFound.message, `${route[0]} ${route[1]}`).not.toMatch(/policy|authori[sz]ed|permission/i);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("the victim's project in the path is refused the same way whether the object exists or not", async () => {
    const other = await computeProject('intruder');
    for (const route of OBJECT_ROUTES) {
      const real = await send(route, victim.project, ids, other.token);
      const ghost = await send(
        route,
        victim.project,
        { ...ids, server: crypto.randomUUID(), group: crypto.randomUUID(), keypair: 'ghost' },
        other.token,
      );
      expectNovaError(real, 403, 'forbidden');
      expect(ghost.status).toBe(real.status);
      expect(ghost.body).toEqual(real.body);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("the same user scoped to its account's other project does not reach them either", async () => {
    const token = await tokenFor(victim.account, { scope: { project: { id: victim.account.projects[1]!.id } } });
    for (const route of OBJECT_ROUTES) {
      expectNovaError(await send(route, victim.account.projects[1]!.id, ids, token), 404, 'itemNotFound');
    }
    expect(await snapshot()).toEqual(before);
  });

  it("cannot build on another account's network, port, security group, key pair or server group", async () => {
    const other = await computeProject('intruder');
    const image = await imageId(other.token);
    const base = { name: 'stolen', imageRef: image, flavorRef: 's3.small.1', networks: [{ uuid: other.network.id }] };
    for (const body of [
      { server: { ...base, networks: [{ uuid: ids.network }] } },
      { server: { ...base, networks: [{ port: ids.port }] } },
      { server: { ...base, security_groups: [{ name: ids.securityGroup }] } },
      { server: { ...base, key_name: 'vkey' } },
      { server: base, 'os:scheduler_hints': { group: ids.group } },
    ]) {
      expectNovaError(await nova(other.token, other.project, 'POST', '/servers', body), 400, 'badRequest');
    }
    expect((await nova(other.token, other.project, 'GET', '/servers')).body.servers).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("lists never show another account's servers, key pairs or groups, whatever the filters", async () => {
    const other = await computeProject('intruder');
    const own = await activeServer(other, { name: 'secret-vm' });
    await nova(other.token, other.project, 'POST', '/os-keypairs', { keypair: { name: 'vkey' } });
    const victimIds = [ids.server, ids.group, ids.port];
    for (const path of [
      '/servers',
      '/servers/detail',
      '/servers/detail?name=secret',
      '/servers/detail?all_tenants=1',
      `/servers/detail?project_id=${victim.project}`,
      `/servers/detail?tenant_id=${victim.project}`,
      '/servers/detail?ip=10.0.0',
      `/servers/detail?image=${await imageId(other.token)}`,
      '/os-keypairs',
      '/os-server-groups',
    ]) {
      const res = await nova(other.token, other.project, 'GET', path);
      expect(res.status, path).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of victimIds) expect(text, path).not.toContain(id);
      expect(text, path).not.toContain(victim.project);
    }
    const mine = (await nova(other.token, other.project, 'GET', '/servers/detail')).body.servers;
    expect(mine.map((s: { id: string }) => s.id)).toEqual([own.id]);
    const theirs = (await nova(victim.token, victim.project, 'GET', '/servers')).body.servers;
    expect(theirs.map((s: { id: string }) => s.id)).toEqual([ids.server]);
  });
});

describe('deny by default', () => {
  it('without a token every route answers 401 in the Nova envelope', async () => {
    const all = { ...ids, image: await imageId(victim.token) };
    for (const route of [...OBJECT_ROUTES, ...PROJECT_ROUTES]) {
      const res = await send(route, victim.project, all);
      expectNovaError(res, 401, 'unauthorized');
    }
    for (const token of ['not-a-token', `${victim.token}x`]) {
      expectNovaError(await nova(token, victim.project, 'GET', `/servers/${ids.server}`), 401, 'unauthorized');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a user with only vpc_viewer gets 403 on every compute route, and nothing changes', async () => {
    const viewer = await createUser(victim.account, victim.token, { role: 'vpc_viewer' });
    const token = await tokenFor(victim.account, { user: viewer.name, password: viewer.password });
    const all = { ...ids, image: await imageId(victim.token) };
    for (const route of [...OBJECT_ROUTES, ...PROJECT_ROUTES]) {
      const res = await send(route, victim.project, all, token);
      expectNovaError(res, 403, 'forbidden');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('ecs_viewer reads servers but changes nothing', async () => {
    const viewer = await createUser(victim.account, victim.token, { role: 'ecs_viewer' });
    const token = await tokenFor(victim.account, { user: viewer.name, password: viewer.password });
    const all = { ...ids, image: await imageId(victim.token) };
    for (const route of [...OBJECT_ROUTES, ...PROJECT_ROUTES]) {
      const res = await send(route, victim.project, all, token);
      const reads = route[0] === 'GET';
      if (reads) expect(res.status, `${route[0]} ${route[1]}`).toBe(200);
      else expectNovaError(res, 403, 'forbidden');
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the victim still owns its objects', () => {
  it('reaches every object route itself', async () => {
    for (const route of OBJECT_ROUTES.filter(([m]) => m === 'GET')) {
      const res = await send(route, victim.project, ids, victim.token);
      expect(res.status, `${route[0]} ${route[1]}`).toBe(200);
    }
    // The refusals above were not for lack of a working object: the owner's own write goes through.
    const res = await nova(victim.token, victim.project, 'PUT', `/servers/${ids.server}/metadata/k`, { meta: { k: 'mine' } });
    expect(res.status).toBe(200);
    expect((await nova(victim.token, victim.project, 'GET', `/servers/${ids.server}`)).body.server.metadata).toEqual({ k: 'mine' });
  });
});

/**
 * Route by route: no identity answers 401; an identity without the action answers 403 (deny by default); another
 * account's objects answer 404 (tenant isolation, existence not revealed) and never change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, createUser, newAccount, roleId, tokenFor } from '../fixtures.ts';
import { call, json } from '../request.ts';

interface Ids {
  user: string;
  group: string;
  project: string;
  domain: string;
  role: string;
  policy: string;
  access: string;
}

type Route = [method: string, path: string, body?: unknown];

const assignmentRoutes = (['projects/{project}', 'domains/{domain}'] as const).flatMap((target) =>
  (['users/{user}', 'groups/{group}'] as const).flatMap((actor): Route[] => [
    ['GET', `/iam/v3/${target}/${actor}/roles`],
    ['PUT', `/iam/v3/${target}/${actor}/roles/{role}`],
    ['GET', `/iam/v3/${target}/${actor}/roles/{role}`],
    ['HEAD', `/iam/v3/${target}/${actor}/roles/{role}`],
    ['DELETE', `/iam/v3/${target}/${actor}/roles/{role}`],
  ]),
);

const policy = { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['ecs:servers:get'] }] };

/** Every identity route that acts on an object of an account, with a valid body where it needs one. */
const OBJECT_ROUTES: Route[] = [
  ['GET', '/iam/v3/users/{user}'],
  ['PATCH', '/iam/v3/users/{user}', { user: { description: 'changed' } }],
  ['DELETE', '/iam/v3/users/{user}'],
  ['GET', '/iam/v3/users/{user}/groups'],
  ['GET', '/iam/v3/users/{user}/projects'],
  ['GET', '/iam/v3/groups/{group}'],
  ['PATCH', '/iam/v3/groups/{group}', { group: { description: 'changed' } }],
  ['DELETE', '/iam/v3/groups/{group}'],
  ['GET', '/iam/v3/groups/{group}/users'],
  ['PUT', '/iam/v3/groups/{group}/users/{user}'],
  ['GET', '/iam/v3/groups/{group}/users/{user}'],
  ['HEAD', '/iam/v3/groups/{group}/users/{user}'],
  ['DELETE', '/iam/v3/groups/{group}/users/{user}'],
  ['GET', '/iam/v3/projects/{project}'],
  ['PATCH', '/iam/v3/projects/{project}', { project: { description: 'changed' } }],
  ['DELETE', '/iam/v3/projects/{project}'],
  ['GET', '/iam/v3/domains/{domain}'],
  ['PATCH', '/iam/v3/domains/{domain}', { domain: { description: 'changed' } }],
  ['DELETE', '/iam/v3/domains/{domain}'],
  ['GET', '/iam/v3/roles/{role}'],
  ['PATCH', '/iam/v3/roles/{role}', { role: { description: 'changed' } }],
  ['DELETE', '/iam/v3/roles/{role}'],
  ...assignmentRoutes,
  ['GET', '/iam/v3.0/OS-CREDENTIAL/credentials/{access}'],
  ['PUT', '/iam/v3.0/OS-CREDENTIAL/credentials/{access}', { credential: { description: 'changed' } }],
  ['DELETE', '/iam/v3.0/OS-CREDENTIAL/credentials/{access}'],
  ['POST', '/iam/v3.0/OS-CREDENTIAL/credentials', { credential: { user_id: '{user}' } }],
  ['GET', '/iam/v3.0/OS-CREDENTIAL/credentials?user_id={user}'],
  ['GET', '/iam/v3/credentials/{access}'],
  ['GET', '/iam/v3.0/OS-ROLE/roles/{policy}'],
  ['PATCH', '/iam/v3.0/OS-ROLE/roles/{policy}', { role: { description: 'changed' } }],
  ['DELETE', '/iam/v3.0/OS-ROLE/roles/{policy}'],
];

/** Routes that list or create within the caller's own account. */
const ACCOUNT_ROUTES: Route[] = [
  ['GET', '/iam/v3/users'],
  ['POST', '/iam/v3/users', { user: { name: 'intruder' } }],
  ['GET', '/iam/v3/groups'],
  ['POST', '/iam/v3/groups', { group: { name: 'intruders' } }],
  ['GET', '/iam/v3/projects'],
  ['POST', '/iam/v3/projects', { project: { name: 'intruder-project' } }],
  ['GET', '/iam/v3/domains'],
  ['POST', '/iam/v3/domains', { domain: { name: 'intruder-domain' } }],
  ['GET', '/iam/v3/roles'],
  ['POST', '/iam/v3/roles', { role: { name: 'intruder-role' } }],
  ['GET', '/iam/v3/role_assignments'],
  ['GET', '/iam/v3.0/OS-ROLE/roles'],
  ['POST', '/iam/v3.0/OS-ROLE/roles', { role: { display_name: 'intruder-policy', type: 'XA', policy } }],
];

const fill = (text: string, ids: Ids) => text.replace(/\{(\w+)\}/g, (_, k: keyof Ids) => ids[k]);

function send([method, path, body]: Route, ids: Ids, token?: string) {
  const filled = body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body), ids));
  return call(fill(path, ids), { method, token, json: filled });
}

async function objectsOf(a: Account, admin: string): Promise<Ids> {
  const u = await createUser(a, admin);
  const g = await json(await call('/iam/v3/groups', { method: 'POST', token: admin, json: { group: { name: 'g1' } } }));
  const r = await json(await call('/iam/v3/roles', { method: 'POST', token: admin, json: { role: { name: 'custom-role' } } }));
  const p = await json(
    await call('/iam/v3.0/OS-ROLE/roles', { method: 'POST', token: admin, json: { role: { display_name: 'p1', type: 'XA', policy } } }),
  );
  const cred = await json(
    await call('/iam/v3.0/OS-CREDENTIAL/credentials', { method: 'POST', token: admin, json: { credential: { user_id: u.id } } }),
  );
  return {
    user: u.id,
    group: g.group.id,
    project: a.projects[0]!.id,
    domain: a.domainId,
    role: r.role.id,
    policy: p.role.id,
    access: cred.credential.access,
  };
}

let victim: Account;
let victimAdmin: string;
let ids: Ids;

beforeAll(async () => {
  victim = await newAccount('victim');
  victimAdmin = await tokenFor(victim);
  ids = await objectsOf(victim, victimAdmin);
});

describe('without an identity', () => {
  it('every route answers 401 in the Keystone envelope', async () => {
    for (const route of [
      ...OBJECT_ROUTES,
      ...ACCOUNT_ROUTES,
      ['GET', '/iam/v3/auth/catalog'] as Route,
      ['GET', '/iam/v3/auth/projects'] as Route,
    ]) {
      const res = await send(route, ids);
      expect(res.status, `${route[0]} ${route[1]}`).toBe(401);
      if (route[0] !== 'HEAD') expect((await json(res)).error.code).toBe(401);
    }
  });

  it('forged, unsigned, wrongly signed and expired tokens answer 401', async () => {
    const real = await tokenFor(victim);
    const [header, payload] = real.split('.');
    const b64 = (o: unknown) => btoa(JSON.stringify(o)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_');
    const claims = JSON.parse(atob(payload!.replaceAll('-', '+').replaceAll('_', '/')));
    const forged = [
      `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      `${header}.${b64({ ...claims, usr: { ...claims.usr, op: true } })}.${real.split('.')[2]}`,
      `${header}.${b64({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 })}.${real.split('.')[2]}`,
      `${header}.${payload}.${'A'.repeat(86)}`,
      'not-a-token',
    ];
    for (const token of forged) expect((await call('/iam/v3/users', { token })).status).toBe(401);
    expect((await call('/iam/v3/users', { token: real })).status).toBe(200);
  });
});

describe('deny by default', () => {
  it('a user whose roles do not name the action gets 403 on every route, and nothing changes', async () => {
    const viewer = await createUser(victim, victimAdmin, { role: 'ecs_viewer' });
    const token = await tokenFor(victim, { user: viewer.name, password: viewer.password });
    for (const route of [...OBJECT_ROUTES, ...ACCOUNT_ROUTES]) {
      const res = await send(route, ids, token);
      // Keystone lets a token read the project it is scoped to; nothing else is allowed without the action.
      const ownScope = route[0] === 'GET' && route[1] === '/iam/v3/projects/{project}';
      expect(res.status, `${route[0]} ${route[1]}`).toBe(ownScope ? 200 : 403);
    }
    expect((await call(`/iam/v3/users/${ids.user}`, { token: victimAdmin })).status).toBe(200);
  });

  it('a custom policy allows exactly its actions, and an explicit Deny wins', async () => {
    const admin = victimAdmin;
    const allowUsers = { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['iam:users:*'] }] };
    const denyDelete = { Version: '1.1', Statement: [{ Effect: 'Deny', Action: ['iam:users:delete'] }] };
    const p1 = await json(
      await call('/iam/v3.0/OS-ROLE/roles', {
        method: 'POST',
        token: admin,
        json: { role: { display_name: 'users-all', type: 'AX', policy: allowUsers } },
      }),
    );
    const p2 = await json(
      await call('/iam/v3.0/OS-ROLE/roles', {
        method: 'POST',
        token: admin,
        json: { role: { display_name: 'no-delete', type: 'AX', policy: denyDelete } },
      }),
    );
    const u = await createUser(victim, admin);
    const g = await json(await call('/iam/v3/groups', { method: 'POST', token: admin, json: { group: { name: 'user-managers' } } }));
    await call(`/iam/v3/groups/${g.group.id}/users/${u.id}`, { method: 'PUT', token: admin });
    for (const p of [p1, p2]) {
      expect(
        (await call(`/iam/v3/domains/${victim.domainId}/groups/${g.group.id}/roles/${p.role.id}`, { method: 'PUT', token: admin })).status,
      ).toBe(204);
    }
    const token = await tokenFor(victim, { user: u.name, password: u.password });
    const target = await createUser(victim, admin);
    expect((await call('/iam/v3/users', { token })).status).toBe(200);
    expect((await call(`/iam/v3/users/${target.id}`, { method: 'PATCH', token, json: { user: { description: 'x' } } })).status).toBe(200);
    expect((await call(`/iam/v3/users/${target.id}`, { method: 'DELETE', token })).status).toBe(403);
    expect((await call('/iam/v3/groups', { token })).status).toBe(403);
  });

  it('rejects a policy document with a malformed action', async () => {
    const bad = { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['iam users'] }] };
    const res = await call('/iam/v3.0/OS-ROLE/roles', {
      method: 'POST',
      token: victimAdmin,
      json: { role: { display_name: 'bad', type: 'AX', policy: bad } },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('role.policy.Statement.0.Action.0');
  });
});

describe('tenant isolation', () => {
  it("another account's administrator gets 404 on every object route, and nothing changes", async () => {
    const other = await newAccount('intruder');
    const token = await tokenFor(other);
    for (const route of OBJECT_ROUTES) {
      const res = await send(route, ids, token);
      // Changing or deleting an account is an operator action: refused before anything is looked up.
      const operatorOnly = route[1] === '/iam/v3/domains/{domain}' && route[0] !== 'GET';
      expect(res.status, `${route[0]} ${route[1]}`).toBeOneOf(operatorOnly ? [403] : [404, 400]);
    }
    const user = await json(await call(`/iam/v3/users/${ids.user}`, { token: victimAdmin }));
    expect(user.user.description).toBe('');
    expect((await call(`/iam/v3/groups/${ids.group}`, { token: victimAdmin })).status).toBe(200);
    expect((await call(`/iam/v3.0/OS-CREDENTIAL/credentials/${ids.access}`, { token: victimAdmin })).status).toBe(200);
  });

  it("lists never show another account's objects, whatever the filters", async () => {
    const other = await newAccount('intruder');
    const token = await tokenFor(other);
    const lists = [
      `/iam/v3/users?domain_id=${victim.domainId}`,
      `/iam/v3/groups?domain_id=${victim.domainId}`,
      `/iam/v3/projects?domain_id=${victim.domainId}`,
      '/iam/v3/domains',
      `/iam/v3/roles?domain_id=${victim.domainId}`,
      `/iam/v3/role_assignments?scope.project.id=${ids.project}`,
      '/iam/v3.0/OS-ROLE/roles',
      '/iam/v3.0/OS-CREDENTIAL/credentials',
      '/iam/v3/credentials',
    ];
    for (const path of lists) {
      const body = JSON.stringify(await json(await call(path, { token })));
      expect(body, path).not.toContain(victim.domainId);
      expect(body, path).not.toContain(ids.user);
      expect(body, path).not.toContain(ids.access);
    }
  });

  it('a role of one account cannot be granted in another', async () => {
    const other = await newAccount('intruder');
    const token = await tokenFor(other);
    const res = await call(`/iam/v3/projects/${other.projects[0]!.id}/users/${other.userId}/roles/${ids.role}`, { method: 'PUT', token });
    expect(res.status).toBe(404);
    expect((await roleId(token, 'readonly')).length).toBe(32);
  });
});

/** Helpers for the Neutron tests: calls under /vpc/v2.0, creation that must succeed, and the error envelope. */
import { expect } from 'vitest';
import { type Account, bootstrapAccounts, call, json, operatorAccount, tokenFor } from '../fixtures.ts';

export const V2 = '/vpc/v2.0';

/** The region's external network id (stable per region, shown to every project). */
export async function externalNetworkId(token: string): Promise<string> {
  const body = await json(await call(`${V2}/networks?router:external=true`, { token }));
  return body.networks[0].id;
}

/** Sends a Neutron request and answers the status and the parsed body (null when empty). */
export async function neutron(token: string | undefined, method: string, path: string, body?: unknown) {
  const res = await call(V2 + path, { method, token, json: body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Creates one resource, expecting 201, and answers it. */
export async function create(token: string, collection: string, resource: string, fields: Record<string, unknown> = {}) {
  const res = await neutron(token, 'POST', `/${collection}`, { [resource]: fields });
  expect(res.status, `create ${resource}: ${JSON.stringify(res.body)}`).toBe(201);
  return res.body[resource];
}

/** The ids a list answers, in order. */
export async function listIds(token: string, path: string): Promise<string[]> {
  const res = await neutron(token, 'GET', path);
  expect(res.status, `GET ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  const key = Object.keys(res.body).find((k) => !k.endsWith('_links'))!;
  return res.body[key].map((x: { id: string }) => x.id);
}

/** Asserts a Neutron error: the status, the envelope, and (optionally) its type and a piece of its message. */
export function expectNeutronError(res: { status: number; body: any }, status: number, type?: string, message?: string | RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(['NeutronError']);
  expect(res.body.NeutronError).toEqual({ type: expect.any(String), message: expect.any(String), detail: expect.any(String) });
  expect(res.body.NeutronError.message.length).toBeGreaterThan(0);
  if (type) expect(res.body.NeutronError.type).toBe(type);
  if (message) expect(res.body.NeutronError.message).toMatch(message);
}

/** Every collection of the project as the token sees it, to prove that a refused call changed nothing. */
export async function snapshot(token: string) {
  const collections = ['networks', 'subnets', 'ports', 'routers', 'security-groups', 'security-group-rules', 'floatingips'];
  return Promise.all(
    collections.map(async (c) => {
      const res = await neutron(token, 'GET', `/${c}`);
      expect(res.status).toBe(200);
      return res.body;
    }),
  );
}

/** A network with one subnet. */
export async function networkWithSubnet(token: string, cidr = '10.0.0.0/24', subnet: Record<string, unknown> = {}) {
  const network = await create(token, 'networks', 'network', { name: `net-${cidr}` });
  const sub = await create(token, 'subnets', 'subnet', { network_id: network.id, cidr, ip_version: 4, name: `sub-${cidr}`, ...subnet });
  return { network, subnet: sub };
}

let seq = 0;
/** Many fresh customer accounts in one bootstrap call, each with a project-scoped token. */
export async function manyAccounts(n: number, prefix = 'net'): Promise<{ account: Account; token: string }[]> {
  const stamp = `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
  const accounts = await bootstrapAccounts(
    Array.from({ length: n }, (_, i) => ({ domain: `${stamp}-${i}`, user: `${stamp}-${i}-admin`, password: 'Secret-pass-123' })),
  );
  return Promise.all(accounts.map(async (account) => ({ account, token: await tokenFor(account) })));
}

/** The operator's token. */
export async function operatorToken(): Promise<string> {
  return tokenFor(await operatorAccount());
}

/** Sets a project's Neutron quotas as the operator, expecting 200. */
export async function setQuota(operator: string, projectId: string, quota: Record<string, number>) {
  const res = await neutron(operator, 'PUT', `/quotas/${projectId}`, { quota });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.quota;
}

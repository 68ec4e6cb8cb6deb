/** Fixtures of the Neutron tests: resources created as they must be, the ids a list answers, what a refused call keeps. */
import { expect } from 'vitest';
import { neutron } from '../request.ts';

/** The region's external network id (stable per region, shown to every project). */
export async function externalNetworkId(token: string): Promise<string> {
  const { body } = await neutron(token, 'GET', '/networks?router:external=true');
  return body.networks[0].id;
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

/** Sets a project's Neutron quotas as the operator, expecting 200. */
export async function setQuota(operator: string, projectId: string, quota: Record<string, number>) {
  const res = await neutron(operator, 'PUT', `/quotas/${projectId}`, { quota });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.quota;
}

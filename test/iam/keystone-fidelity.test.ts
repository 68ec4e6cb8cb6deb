/**
 * Keystone's behaviour where this cloud had gaps (issue 18): regions, services and endpoints listed (as the
 * token's catalog has them), `GET /v3/domains/default` naming the caller's account, and one precision for a
 * token's expires_at whether it is issued or validated.
 */
import { describe, expect, it } from 'vitest';
import { newAccount, passwordAuth, tokenFor } from '../fixtures.ts';
import { call, keystone } from '../request.ts';

describe('regions, services and endpoints', () => {
  it('lists the regions and shows one, to any identity', async () => {
    const a = await newAccount('kreg');
    const token = await tokenFor(a);
    const list = await keystone(token, 'GET', '/regions');
    expect(list.status).toBe(200);
    expect(list.body.regions).toEqual([
      { id: 'eu-west-0', description: 'Paris', parent_region_id: null, links: { self: 'http://cloud.test/iam/v3/regions/eu-west-0' } },
      { id: 'eu-west-1', description: 'Amsterdam', parent_region_id: null, links: { self: 'http://cloud.test/iam/v3/regions/eu-west-1' } },
    ]);
    expect((await keystone(token, 'GET', '/regions/eu-west-1')).body.region.description).toBe('Amsterdam');
    const missing = await keystone(token, 'GET', '/regions/mars-1');
    expect([missing.status, missing.body.error.message]).toEqual([404, 'Could not find region: mars-1.']);
    expect((await keystone(undefined, 'GET', '/regions')).status).toBe(401);
  });

  it('lists the services and endpoints of the catalog, with the same ids, filtered as Keystone filters', async () => {
    const a = await newAccount('ksvc');
    const issued = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: passwordAuth(a, a.user, a.password, { project: { id: a.projects[0]!.id } }),
    });
    const token = issued.headers.get('X-Subject-Token')!;
    const { catalog } = ((await issued.json()) as { token: { catalog: any[] } }).token;
    const services = (await keystone(token, 'GET', '/services')).body.services;
    expect(services.map((s: { id: string }) => s.id).sort()).toEqual(catalog.map((s) => s.id).sort());
    const compute = (await keystone(token, 'GET', '/services?type=compute')).body.services;
    expect(compute).toEqual([
      {
        id: catalog.find((s) => s.type === 'compute').id,
        type: 'compute',
        name: 'nova',
        enabled: true,
        description: '',
        links: expect.any(Object),
      },
    ]);
    const endpoints = (await keystone(token, 'GET', `/endpoints?service_id=${compute[0].id}&interface=public`)).body.endpoints;
    expect(endpoints.map((e: any) => [e.region_id, e.interface, e.url])).toEqual([
      ['eu-west-0', 'public', 'http://cloud.test/ecs/v2.1/$(project_id)s'],
      ['eu-west-1', 'public', 'http://cloud.test/ecs/v2.1/$(project_id)s'],
    ]);
    const inToken = catalog.find((s) => s.type === 'compute').endpoints.map((e: { id: string }) => e.id);
    expect(inToken).toContain(endpoints[0].id);
    const one = await keystone(token, 'GET', `/endpoints/${endpoints[0].id}`);
    expect(one.body.endpoint).toMatchObject({ service_id: compute[0].id, region: 'eu-west-0', enabled: true });
  });
});

describe('the default domain', () => {
  it("answers GET /v3/domains/default with the caller's own account", async () => {
    const a = await newAccount('kdef');
    const token = await tokenFor(a);
    const res = await keystone(token, 'GET', '/domains/default');
    expect(res.status).toBe(200);
    expect(res.body.domain).toMatchObject({ id: a.domainId, name: a.domain, enabled: true });
  });
});

describe('token times', () => {
  it('gives expires_at with the same precision when issued and when validated', async () => {
    const a = await newAccount('kexp');
    const issued = await call('/iam/v3/auth/tokens', { method: 'POST', json: passwordAuth(a, a.user, a.password) });
    const token = issued.headers.get('X-Subject-Token')!;
    const first = ((await issued.json()) as { token: { expires_at: string } }).token.expires_at;
    const checked = await call('/iam/v3/auth/tokens', { headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } });
    const again = ((await checked.json()) as { token: { expires_at: string } }).token.expires_at;
    expect(again).toBe(first);
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}000Z$/);
  });
});

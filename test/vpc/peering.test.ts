/** VPC peering within a project and across accounts (accept, reject, delete), and routes through peerings. */
import { env as workerEnv } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import { type Account, newAccount, tokenFor } from '../fixtures.ts';
import { call, json } from '../request.ts';

const env = workerEnv as unknown as Env;

/** A native VPC with a CIDR, made through the project's TenantDO (the native API has its own tests). */
async function vpc(a: Account, cidr: string): Promise<string> {
  const id = crypto.randomUUID();
  const r = await env.TENANT.getByName(a.projects[0]!.id).createVpc({ id, name: `vpc-${cidr}`, cidr }, true);
  expect('ok' in r).toBe(true);
  return id;
}

const peerings = (token: string, method: string, path = '', body?: unknown) =>
  call(`/vpc/v2.0/vpc/peerings${path}`, { method, token, json: body });

describe('VPC peering', () => {
  it('is ACTIVE at once within a project, refuses overlapping CIDRs and duplicates, and blocks VPC deletion', async () => {
    const a = await newAccount();
    const token = await tokenFor(a);
    const v1 = await vpc(a, '10.1.0.0/16');
    const v2 = await vpc(a, '10.2.0.0/16');
    const v3 = await vpc(a, '10.1.128.0/17');
    const created = await peerings(token, 'POST', '', {
      peering: { name: 'p1', request_vpc_info: { vpc_id: v1 }, accept_vpc_info: { vpc_id: v2 } },
    });
    expect(created.status).toBe(201);
    const { peering } = await json(created);
    expect(peering).toMatchObject({
      name: 'p1',
      status: 'ACTIVE',
      request_vpc_info: { vpc_id: v1, tenant_id: a.projects[0]!.id },
      accept_vpc_info: { vpc_id: v2, tenant_id: a.projects[0]!.id },
    });
    const overlap = await peerings(token, 'POST', '', {
      peering: { name: 'p2', request_vpc_info: { vpc_id: v1 }, accept_vpc_info: { vpc_id: v3 } },
    });
    expect(overlap.status).toBe(400);
    expect((await json(overlap)).NeutronError.message).toContain('overlap');
    const duplicate = await peerings(token, 'POST', '', {
      peering: { name: 'p3', request_vpc_info: { vpc_id: v2 }, accept_vpc_info: { vpc_id: v1 } },
    });
    expect(duplicate.status).toBe(409);
    expect((await json(await peerings(token, 'GET'))).peerings).toHaveLength(1);
    const deleteVpc = await env.TENANT.getByName(a.projects[0]!.id).deleteVpc(v1);
    expect('error' in deleteVpc && deleteVpc.error.status).toBe(409);
    expect((await peerings(token, 'DELETE', `/${peering.id}`)).status).toBe(204);
    expect((await peerings(token, 'GET', `/${peering.id}`)).status).toBe(404);
  });

  it('waits for the other account to accept; routes go through it only when ACTIVE; deletion reaches both sides', async () => {
    const a = await newAccount();
    const b = await newAccount();
    const ta = await tokenFor(a);
    const tb = await tokenFor(b);
    const va = await vpc(a, '192.168.0.0/20');
    const vb = await vpc(b, '172.16.0.0/16');
    const created = await peerings(ta, 'POST', '', {
      peering: { name: 'a-to-b', request_vpc_info: { vpc_id: va }, accept_vpc_info: { vpc_id: vb, tenant_id: b.projects[0]!.id } },
    });
    expect(created.status).toBe(201);
    const { peering } = await json(created);
    expect(peering.status).toBe('PENDING_ACCEPTANCE');
    const theirs = await json(await peerings(tb, 'GET', `/${peering.id}`));
    expect(theirs.peering.status).toBe('PENDING_ACCEPTANCE');
    const early = await call('/vpc/v2.0/vpc/routes', {
      method: 'POST',
      token: ta,
      json: { route: { type: 'peering', nexthop: peering.id, destination: '172.16.0.0/16', vpc_id: va } },
    });
    expect(early.status).toBe(409);
    expect((await peerings(ta, 'PUT', `/${peering.id}/accept`)).status).toBe(409);
    const accepted = await peerings(tb, 'PUT', `/${peering.id}/accept`);
    expect(accepted.status).toBe(200);
    expect((await json(accepted)).status).toBe('ACTIVE');
    expect((await json(await peerings(ta, 'GET', `/${peering.id}`))).peering.status).toBe('ACTIVE');
    const route = await call('/vpc/v2.0/vpc/routes', {
      method: 'POST',
      token: ta,
      json: { route: { type: 'peering', nexthop: peering.id, destination: '172.16.0.0/16', vpc_id: va } },
    });
    expect(route.status).toBe(201);
    expect((await json(route)).route).toMatchObject({ type: 'peering', nexthop: peering.id, destination: '172.16.0.0/16', vpc_id: va });
    const ownCidr = await call('/vpc/v2.0/vpc/routes', {
      method: 'POST',
      token: ta,
      json: { route: { type: 'peering', nexthop: peering.id, destination: '192.168.1.0/24', vpc_id: va } },
    });
    expect(ownCidr.status).toBe(400);
    expect((await peerings(tb, 'DELETE', `/${peering.id}`)).status).toBe(204);
    expect((await peerings(ta, 'GET', `/${peering.id}`)).status).toBe(404);
    expect((await json(await call('/vpc/v2.0/vpc/routes', { token: ta }))).routes).toEqual([]);
  });

  it('a rejected request stays REJECTED on both sides; a third account sees nothing', async () => {
    const a = await newAccount();
    const b = await newAccount();
    const c = await newAccount();
    const [ta, tb, tc] = await Promise.all([tokenFor(a), tokenFor(b), tokenFor(c)]);
    const va = await vpc(a, '10.10.0.0/16');
    const vb = await vpc(b, '10.20.0.0/16');
    const { peering } = await json(
      await peerings(ta, 'POST', '', {
        peering: { name: 'x', request_vpc_info: { vpc_id: va }, accept_vpc_info: { vpc_id: vb, tenant_id: b.projects[0]!.id } },
      }),
    );
    expect((await peerings(tc, 'GET', `/${peering.id}`)).status).toBe(404);
    expect((await peerings(tc, 'PUT', `/${peering.id}/accept`)).status).toBe(404);
    expect((await json(await peerings(tc, 'GET'))).peerings).toEqual([]);
    const rejected = await peerings(tb, 'PUT', `/${peering.id}/reject`);
    expect((await json(rejected)).status).toBe('REJECTED');
    expect((await json(await peerings(ta, 'GET', `/${peering.id}`))).peering.status).toBe('REJECTED');
  });

  it('refuses a peering to a VPC that does not exist in the named project, writing nothing', async () => {
    const a = await newAccount();
    const b = await newAccount();
    const ta = await tokenFor(a);
    const va = await vpc(a, '10.30.0.0/16');
    const res = await peerings(ta, 'POST', '', {
      peering: {
        name: 'x',
        request_vpc_info: { vpc_id: va },
        accept_vpc_info: { vpc_id: crypto.randomUUID(), tenant_id: b.projects[0]!.id },
      },
    });
    expect(res.status).toBe(404);
    expect((await json(await peerings(ta, 'GET'))).peerings).toEqual([]);
  });
});

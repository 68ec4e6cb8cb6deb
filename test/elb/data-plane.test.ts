/**
 * The local data plane: requests to a listener at `/elb/data/{loadbalancer_id}/{port}/...` reach the members'
 * guests (each answers its server's name and the request line) by the pool's algorithm and persistence; the
 * health monitor takes a stopped server's member out of rotation after its retries and brings it back once the
 * server is started again.
 */
import { describe, expect, it } from 'vitest';
import { activeServer, boot, type ComputeProject, computeProject, sleep, waitStatus } from '../ecs/fixtures.ts';
import { call, nova } from '../request.ts';
import { child, httpTree, lbaas, waitLb } from './fixtures.ts';

/** Three ACTIVE servers named web-1..3, with their addresses. */
async function webServers(p: ComputeProject) {
  const made = [];
  for (const name of ['web-1', 'web-2', 'web-3']) made.push(await boot(p, { name }));
  const servers = await Promise.all(made.map((s) => waitStatus(p, s.id, 'ACTIVE')));
  return servers.map((s) => ({ id: s.id as string, name: s.name as string, address: s.addresses[p.network.name][0].addr as string }));
}

/** Sends `n` requests through the listener and answers who served each (the first line of the guest's answer). */
async function servedBy(p: ComputeProject, lbId: string, n: number, init: RequestInit = {}, path = '/') {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call(`/elb/data/${lbId}/80${path}`, { token: p.token, ...init });
    const body = await res.text();
    out.push(res.status === 200 ? body.split('\n')[0]! : `${res.status}`);
  }
  return out;
}

/** Polls a member until its operating status is `status` (8 s at most). */
async function waitMember(p: ComputeProject, poolId: string, id: string, status: string) {
  const until = Date.now() + 8_000;
  let last = '';
  while (Date.now() < until) {
    last = (await lbaas(p, 'GET', `/pools/${poolId}/members/${id}`)).body.member.operating_status;
    if (last === status) return;
    await sleep(100);
  }
  throw new Error(`member ${id} is ${last}, not ${status}`);
}

describe('the local data plane', () => {
  it('balances round robin across three members, and the monitor takes a stopped one out and back', async () => {
    const p = await computeProject('elbrr');
    const web = await webServers(p);
    const { lb, pool } = await httpTree(p);
    const members = [];
    for (const w of web)
      members.push(await child(p, lb.id, `pools/${pool.id}/members`, 'member', { address: w.address, protocol_port: 80, name: w.name }));
    const first = await call(`/elb/data/${lb.id}/80/hello?x=1`, { token: p.token });
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('web-1\nGET /hello?x=1 HTTP/1.1\n');
    expect(first.headers.get('X-ELB-Member')).toBe(members[0].id);
    expect(await servedBy(p, lb.id, 5)).toEqual(['web-2', 'web-3', 'web-1', 'web-2', 'web-3']);

    await child(p, lb.id, 'healthmonitors', 'healthmonitor', {
      pool_id: pool.id,
      type: 'HTTP',
      delay: 1,
      timeout: 1,
      max_retries: 1,
      max_retries_down: 1,
      url_path: '/health',
    });
    expect((await nova(p.token, p.project, 'POST', `/servers/${web[1]!.id}/action`, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, web[1]!.id, 'SHUTOFF');
    await waitMember(p, pool.id, members[1].id, 'ERROR');
    expect((await lbaas(p, 'GET', `/pools/${pool.id}`)).body.pool.operating_status).toBe('DEGRADED');
    // Six requests so far: the rotation of the two left goes on from there.
    expect(await servedBy(p, lb.id, 4)).toEqual(['web-1', 'web-3', 'web-1', 'web-3']);

    expect((await nova(p.token, p.project, 'POST', `/servers/${web[1]!.id}/action`, { 'os-start': null })).status).toBe(202);
    await waitStatus(p, web[1]!.id, 'ACTIVE');
    await waitMember(p, pool.id, members[1].id, 'ONLINE');
    expect((await lbaas(p, 'GET', `/pools/${pool.id}`)).body.pool.operating_status).toBe('ONLINE');
    // Ten requests so far: position 10 of the three-member rotation is web-2.
    expect(await servedBy(p, lb.id, 3)).toEqual(['web-2', 'web-3', 'web-1']);
  }, 60_000);

  it('keeps a session on one member (HTTP_COOKIE, SOURCE_IP), and answers 503 when no member can take it', async () => {
    const p = await computeProject('elbsticky');
    const a = await activeServer(p, { name: 'app-a' });
    const b = await activeServer(p, { name: 'app-b' });
    const { lb, pool } = await httpTree(p, { persistence: { type: 'HTTP_COOKIE' } });
    for (const s of [a, b])
      await child(p, lb.id, `pools/${pool.id}/members`, 'member', { address: s.addresses[p.network.name][0].addr, protocol_port: 80 });
    const res = await call(`/elb/data/${lb.id}/80/`, { token: p.token });
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    expect(cookie).toBe(`FE_ELB_MEMBER=${res.headers.get('X-ELB-Member')}`);
    expect((await res.text()).split('\n')[0]).toBe('app-a');
    expect(await servedBy(p, lb.id, 3, { headers: { Cookie: cookie } })).toEqual(['app-a', 'app-a', 'app-a']);
    expect(await servedBy(p, lb.id, 2)).toEqual(['app-b', 'app-a']);

    expect((await lbaas(p, 'PUT', `/pools/${pool.id}`, { pool: { lb_algorithm: 'SOURCE_IP', session_persistence: null } })).status).toBe(
      200,
    );
    await waitLb(p, lb.id);
    const fromOne = await servedBy(p, lb.id, 3, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(new Set(fromOne).size).toBe(1);

    const nowhere = await call(`/elb/data/${lb.id}/8080/`, { token: p.token });
    expect([nowhere.status, await nowhere.text()]).toEqual([503, `Nothing listens on port 8080 of load balancer ${lb.id}.\n`]);
    const stranger = await computeProject('elbstranger');
    expect((await call(`/elb/data/${lb.id}/80/`, { token: stranger.token })).status).toBe(404);
  }, 60_000);
});

/**
 * Fixtures of the ELB tests: LBaaS v2 calls in a project, load balancers awaited until ACTIVE (the TenantDO's alarm
 * settles them), and a whole tree (listener, pool, members, monitor) built the way octaviaclient builds it.
 */
import { expect } from 'vitest';
import { type ComputeProject, sleep } from '../ecs/fixtures.ts';
import { type Reply, send } from '../request.ts';

type Project = Pick<ComputeProject, 'token' | 'project' | 'subnet'>;

/** An LBaaS v2 call, at the path octaviaclient builds from the catalog (`/elb` + `/v2.0/lbaas`). */
export function lbaas(p: Pick<Project, 'token'>, method: string, path: string, body?: unknown): Promise<Reply> {
  return send(p.token, method, `/elb/v2.0/lbaas${path}`, body);
}

/** Answers the body of a reply with the expected status, or fails with what came back. */
export async function expectStatus(reply: Promise<Reply>, status: number): Promise<any> {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** Polls a load balancer until its provisioning_status is `status` (5 s at most); null once it is gone. */
export async function waitLb(p: Pick<Project, 'token'>, id: string, status = 'ACTIVE', timeoutMs = 5_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  let last: Reply | undefined;
  while (Date.now() < until) {
    last = await lbaas(p, 'GET', `/loadbalancers/${id}`);
    if (last.status === 404 && status === 'DELETED') return null;
    if (last.status === 200 && last.body.loadbalancer.provisioning_status === status) return last.body.loadbalancer;
    await sleep(50);
  }
  throw new Error(`load balancer ${id} did not get to ${status} in ${timeoutMs} ms: ${last?.status} ${JSON.stringify(last?.body)}`);
}

/** Creates a load balancer on the project's subnet and waits until it is ACTIVE. */
export async function activeLb(p: Project, lb: Record<string, unknown> = {}): Promise<any> {
  const body = await expectStatus(
    lbaas(p, 'POST', '/loadbalancers', { loadbalancer: { name: 'lb', vip_subnet_id: p.subnet.id, ...lb } }),
    201,
  );
  return waitLb(p, body.loadbalancer.id);
}

/** Creates a child (`listeners`, `pools`, `healthmonitors`, `pools/{id}/members`) and waits for its load balancer. */
export async function child(p: Project, lbId: string, path: string, key: string, body: Record<string, unknown>): Promise<any> {
  const made = await expectStatus(lbaas(p, 'POST', `/${path}`, { [key]: body }), 201);
  await waitLb(p, lbId);
  return made[key];
}

/** A load balancer with an HTTP listener on `port` and a pool of `algorithm`, all ACTIVE. */
export async function httpTree(p: Project, opts: { port?: number; algorithm?: string; persistence?: unknown } = {}) {
  const lb = await activeLb(p);
  const listener = await child(p, lb.id, 'listeners', 'listener', {
    loadbalancer_id: lb.id,
    protocol: 'HTTP',
    protocol_port: opts.port ?? 80,
  });
  const pool = await child(p, lb.id, 'pools', 'pool', {
    listener_id: listener.id,
    protocol: 'HTTP',
    lb_algorithm: opts.algorithm ?? 'ROUND_ROBIN',
    ...(opts.persistence ? { session_persistence: opts.persistence } : {}),
  });
  return { lb, listener, pool };
}

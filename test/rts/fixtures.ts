/** Fixtures of the RTS tests: a project to make stacks in, Heat requests, and waiting for a stack's status. */
import { expect } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { type Reply, send } from '../request.ts';

export interface HeatProject {
  token: string;
  project: string;
}

let seq = 0;
/** A fresh account's first project with a project-scoped token. */
export async function heatProject(prefix = 'rts'): Promise<HeatProject> {
  const account = await newAccount(`${prefix}${seq++}`);
  const p = account.projects[0]!;
  return { token: await tokenFor(account, { scope: { project: { id: p.id } } }), project: p.id };
}

/** A request under the project's RTS endpoint, `/rts/v1/{project}`. */
export function heat(p: HeatProject, method: string, path: string, body?: unknown, token = p.token): Promise<Reply> {
  return send(token, method, `/rts/v1/${p.project}${path}`, body);
}

/** Creates a stack (201 expected) and answers its id. */
export async function createStack(p: HeatProject, name: string, template: unknown, extra: Record<string, unknown> = {}) {
  const res = await heat(p, 'POST', '/stacks', {
    stack_name: name,
    template,
    disable_rollback: true,
    parameters: {},
    files: {},
    environment: {},
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.stack.id as string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a stack until its status is not `*_IN_PROGRESS` (25 s at most) and answers it. */
export async function settled(p: HeatProject, name: string, id: string, timeoutMs = 25_000) {
  const until = Date.now() + timeoutMs;
  let last: Reply | undefined;
  while (Date.now() < until) {
    last = await heat(p, 'GET', `/stacks/${name}/${id}`);
    if (last.status === 404) return null;
    if (!String(last.body.stack.stack_status).endsWith('IN_PROGRESS')) return last.body.stack;
    await sleep(100);
  }
  throw new Error(`stack ${name} did not settle: ${JSON.stringify(last?.body)}`);
}

/** What the project holds, kind by kind (ids), through the services' own APIs. */
export async function inventory(p: HeatProject) {
  const get = async (path: string, key: string) => {
    const r = await send(p.token, 'GET', path);
    expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBe(200);
    return (r.body[key] as { id: string; name?: string }[]).map((x) => x.id).sort();
  };
  return {
    networks: await get('/vpc/v2.0/networks', 'networks'),
    subnets: await get('/vpc/v2.0/subnets', 'subnets'),
    routers: await get('/vpc/v2.0/routers', 'routers'),
    ports: await get('/vpc/v2.0/ports', 'ports'),
    security_groups: await get('/vpc/v2.0/security-groups', 'security_groups'),
    floatingips: await get('/vpc/v2.0/floatingips', 'floatingips'),
    servers: await get(`/ecs/v2.1/${p.project}/servers`, 'servers'),
    volumes: await get(`/evs/v3/${p.project}/volumes`, 'volumes'),
    server_groups: await get(`/ecs/v2.1/${p.project}/os-server-groups`, 'server_groups'),
  };
}

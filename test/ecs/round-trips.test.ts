/**
 * Durable Object round trips of the compute paths: one build makes at most five calls (the tenant's start, the
 * zone's claim, the tenant's placement and ports, the host's spawn, the tenant's activation), counted on the
 * Worker's own bindings wrapped in proxies that record every RPC call of every stub they hand out.
 */
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import { handle } from '../../workers/ecs/manager.ts';
import { nova } from '../request.ts';
import { bindings, boot, computeProject, holdZone, waitStatus } from './fixtures.ts';

/** The most Durable Object calls one build may make. */
const MOST_CALLS_PER_BUILD = 5;

type Namespace = { getByName(name: string): object };

/** A namespace whose stubs record each RPC call as `BINDING.method`. */
function counted<N extends Namespace>(binding: string, ns: N, calls: string[]): N {
  return new Proxy(ns, {
    get(target, prop) {
      if (prop !== 'getByName') return Reflect.get(target, prop, target);
      return (name: string) =>
        new Proxy(target.getByName(name), {
          get(stub, method) {
            const value = Reflect.get(stub, method, stub);
            if (typeof method !== 'string' || typeof value !== 'function' || method === 'then') return value;
            return (...args: unknown[]) => {
              calls.push(`${binding}.${method}`);
              return Reflect.apply(value, stub, args);
            };
          },
        });
    },
  });
}

/** The Worker's bindings with every Durable Object namespace counted. */
function countingEnv(calls: string[]): Env {
  return {
    ...bindings,
    TENANT: counted('TENANT', bindings.TENANT, calls),
    ZONE: counted('ZONE', bindings.ZONE, calls),
    HOST: counted('HOST', bindings.HOST, calls),
    EIP_POOL: counted('EIP_POOL', bindings.EIP_POOL, calls),
  } as Env;
}

describe('Durable Object round trips', () => {
  /** Counts the calls of one build, of a server in an affinity group when `group` is set (the old path read the groups). */
  async function countedBuild(extra: Record<string, unknown> = {}) {
    const p = await computeProject();
    const zone = 'eu-west-0a';
    const group = (await nova(p.token, p.project, 'POST', '/os-server-groups', { server_group: { name: 'g', policies: ['affinity'] } }))
      .body.server_group;
    // Held at placement, so that the counted build below runs every step (the queue's own copy waits too).
    const hold = await holdZone(zone, 300);
    const hints = extra.group ? { 'os:scheduler_hints': { group: group.id } } : {};
    const { id } = await boot(p, { availability_zone: zone }, hints);
    const calls: string[] = [];
    const counting = handle(countingEnv(calls), { kind: 'build', projectId: p.project, serverId: id });
    await hold.released;
    await counting;
    await waitStatus(p, id, 'ACTIVE');
    return calls;
  }

  it(`one build makes at most ${MOST_CALLS_PER_BUILD} calls: tenant, zone, tenant, host, tenant`, async () => {
    for (const extra of [{}, { group: true }]) {
      const calls = await countedBuild(extra);
      expect(calls).toEqual(['TENANT.startBuild', 'ZONE.claim', 'TENANT.placed', 'HOST.spawn', 'TENANT.activate']);
      expect(calls.length).toBeLessThanOrEqual(MOST_CALLS_PER_BUILD);
    }
  });

  it('a server read by id (Nova and native) asks its project one call for that server alone', async () => {
    const p = await computeProject();
    const { id } = await boot(p);
    await waitStatus(p, id, 'ACTIVE');
    const shown = await nova(p.token, p.project, 'GET', `/servers/${id}`);
    expect(shown.status).toBe(200);
    const record = await bindings.TENANT.getByName(p.project).serverRecord(id);
    expect('ok' in record && record.ok?.server.id).toBe(id);
    if (!('ok' in record) || !record.ok) return;
    // Only the server's own rows: its one port, that port's network, no other project rows.
    expect(record.ok.ports.map((x) => x.deviceId)).toEqual([id]);
    expect(record.ok.networks.map((n) => n.id)).toEqual([p.network.id]);
  });
});

/**
 * Redelivery and races of the compute manager: a build message delivered more than once makes one claim, one
 * port and one instance; a server deleted while it builds ends gone with nothing left behind.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ComputeMessage } from '../../core/ecs/messages.ts';
import { handle } from '../../workers/ecs/manager.ts';
import worker from '../../workers/index.ts';
import { nova } from '../request.ts';
import {
  bindings,
  boot,
  type ComputeProject,
  claimsOf,
  computeProject,
  holdZone,
  instancesOf,
  portsOf,
  sleep,
  waitGone,
  waitStatus,
} from './fixtures.ts';

/** Feeds messages to the Worker's queue handler as one batch and answers which were acked. */
async function deliver(messages: ComputeMessage[]) {
  const batch = createMessageBatch<ComputeMessage>(
    'fe-compute',
    messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  await worker.queue(batch, bindings);
  return getQueueResult(batch, createExecutionContext());
}

/** Everything a server holds in its zone and project. */
async function holdings(p: ComputeProject, zone: string, id: string) {
  return { claims: await claimsOf(zone, id), ports: await portsOf(p, id), instances: await instancesOf(zone, id) };
}

describe('redelivered builds', () => {
  it('the same build message, delivered twice at once and again later, makes one claim, one port, one instance', async () => {
    const p = await computeProject();
    const zone = 'eu-west-0a';
    const { id } = await boot(p, { availability_zone: zone });
    const message: ComputeMessage = { kind: 'build', projectId: p.project, serverId: id };
    // The queue delivers it once by itself; here two more copies race it through the default export's handler.
    const result = await deliver([message, message]);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(result.retryMessages).toEqual([]);
    const s = await waitStatus(p, id, 'ACTIVE');
    await handle(bindings, message);
    await handle(bindings, message);

    const held = await holdings(p, zone, id);
    expect(held.claims).toHaveLength(1);
    expect(held.ports).toHaveLength(1);
    expect(held.instances).toEqual([held.claims[0]!.hostId]);
    expect((await nova(p.token, p.project, 'GET', `/servers/${id}`)).body.server).toEqual({
      ...s,
      updated: expect.any(String),
    });
    // Still one address on the server, the one of its one port.
    expect(s.addresses[p.network.name]).toEqual([
      expect.objectContaining({ addr: held.ports[0].fixed_ips[0].ip_address, 'OS-EXT-IPS-MAC:mac_addr': held.ports[0].mac_address }),
    ]);
    const hosts = await bindings.ZONE.getByName(zone).hosts(zone);
    expect(hosts.find((h) => h.id === held.claims[0]!.hostId)!.used.count).toBeGreaterThanOrEqual(1);
  });

  it('a build held at placement and delivered many times still makes one of each', async () => {
    const p = await computeProject();
    const zone = 'eu-west-0a';
    const hold = await holdZone(zone, 400);
    const { id } = await boot(p, { availability_zone: zone });
    const message: ComputeMessage = { kind: 'build', projectId: p.project, serverId: id };
    const copies = Promise.all([handle(bindings, message), handle(bindings, message), deliver([message, message, message])]);
    await hold.released;
    await copies;
    await waitStatus(p, id, 'ACTIVE');
    const held = await holdings(p, zone, id);
    expect(held.claims).toHaveLength(1);
    expect(held.ports).toHaveLength(1);
    expect(held.instances).toEqual([held.claims[0]!.hostId]);
  });

  it('a build message for a server that is gone or failed does nothing', async () => {
    const p = await computeProject();
    const s = await waitStatus(p, (await boot(p)).id, 'ACTIVE');
    const zone = s['OS-EXT-AZ:availability_zone'];
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${s.id}`)).status).toBe(204);
    await waitGone(p, s.id);
    await handle(bindings, { kind: 'build', projectId: p.project, serverId: s.id });
    await handle(bindings, { kind: 'delete', projectId: p.project, serverId: s.id });
    expect(await holdings(p, zone, s.id)).toEqual({ claims: [], ports: [], instances: [] });
    await handle(bindings, { kind: 'build', projectId: p.project, serverId: crypto.randomUUID() });
  });
});

describe('deleted while building', () => {
  it('a server deleted while it waits for placement ends gone, with no port, claim or instance', async () => {
    const p = await computeProject();
    const zone = 'eu-west-0b';
    const hold = await holdZone(zone, 500);
    const { id } = await boot(p, { availability_zone: zone });
    const del = await nova(p.token, p.project, 'DELETE', `/servers/${id}`);
    expect(del.status).toBe(204);
    const shown = await nova(p.token, p.project, 'GET', `/servers/${id}`);
    if (shown.status === 200) expect(shown.body.server['OS-EXT-STS:task_state']).toBe('deleting');
    await hold.released;
    await waitGone(p, id);
    // Let any step still in flight finish before looking.
    await sleep(300);
    expect(await holdings(p, zone, id)).toEqual({ claims: [], ports: [], instances: [] });
  });

  it('servers deleted at every moment of their build end gone, with nothing left behind', async () => {
    const p = await computeProject();
    const zone = 'eu-west-0a';
    const delays = [0, 0, 5, 10, 20, 30, 50, 80, 120, 200];
    const ids = await Promise.all(
      delays.map(async (delay, i) => {
        const { id } = await boot(p, { name: `race-${i}`, availability_zone: zone });
        if (delay) await sleep(delay);
        const del = await nova(p.token, p.project, 'DELETE', `/servers/${id}`);
        expect(del.status).toBe(204);
        return id;
      }),
    );
    for (const id of ids) await waitGone(p, id);
    await sleep(300);
    for (const id of ids) expect(await holdings(p, zone, id), id).toEqual({ claims: [], ports: [], instances: [] });
    expect((await nova(p.token, p.project, 'GET', '/servers')).body.servers).toEqual([]);
    const quota = (await nova(p.token, p.project, 'GET', `/os-quota-sets/${p.project}/detail`)).body.quota_set;
    expect(quota.instances.in_use).toBe(0);
  });
});

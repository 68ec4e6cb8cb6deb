/** VM auto-recovery: a failed host's servers come back ACTIVE elsewhere with the same ids and addresses. */
import { env as workerEnv } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import { claimRequest } from '../../workers/ecs/spawn.ts';
import { type Account, newAccount, operatorAccount, tokenFor } from '../fixtures.ts';
import { call, json, nova } from '../request.ts';
import { activeServer, computeProject } from './fixtures.ts';

const env = workerEnv as unknown as Env;

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function network(token: string) {
  const net = await json(await call('/vpc/v2.0/networks', { method: 'POST', token, json: { network: { name: 'n' } } }));
  await call('/vpc/v2.0/subnets', { method: 'POST', token, json: { subnet: { network_id: net.network.id, cidr: '10.9.0.0/24' } } });
  return net.network.id as string;
}

async function servers(a: Account, token: string, netId: string, zone: string, n: number, autoRecovery = true) {
  const pid = a.projects[0]!.id;
  const image = (await json(await call('/ims/v2/images?name=OBS Ubuntu 22.04', { token }))).images[0].id;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call(`/ecs/v2.1/${pid}/servers`, {
      method: 'POST',
      token,
      json: {
        server: { name: `vm-${i}`, imageRef: image, flavorRef: 'c6.2xlarge.2', networks: [{ uuid: netId }], availability_zone: zone },
      },
    });
    expect(res.status).toBe(202);
    const id = (await json(res)).server.id as string;
    if (!autoRecovery) await env.TENANT.getByName(pid).setAutoRecovery(id, false);
    ids.push(id);
  }
  const tenant = env.TENANT.getByName(pid);
  const rows = await until(
    () => Promise.all(ids.map((id) => tenant.server(id))),
    (rs) => rs.every((r) => r?.status === 'ACTIVE'),
  );
  return rows.map((r) => r!);
}

describe('VM auto-recovery', () => {
  it('rebuilds the servers of a failed host on other hosts with the same ids and addresses; others go to ERROR', async () => {
    const a = await newAccount();
    const token = await tokenFor(a);
    const op = await tokenFor(await operatorAccount());
    const pid = a.projects[0]!.id;
    const netId = await network(token);
    const recoverable = await servers(a, token, netId, 'eu-west-0c', 3);
    const pinned = await servers(a, token, netId, 'eu-west-0c', 1, false);
    // Fail the host that carries the most of them.
    const byHost = new Map<string, number>();
    for (const s of [...recoverable, ...pinned]) byHost.set(s.hostId!, (byHost.get(s.hostId!) ?? 0) + 1);
    const [failedHost] = [...byHost.entries()].sort((x, y) => y[1] - x[1])[0]!;
    const before = new Map(
      await Promise.all(
        [...recoverable, ...pinned].map(
          async (s) => [s.id, (await json(await call(`/ecs/v2.1/${pid}/servers/${s.id}`, { token }))).server.addresses] as const,
        ),
      ),
    );
    const failed = await call(`/ecs/admin/hosts/${failedHost}/fail`, { method: 'POST', token: op, json: { immediate: true } });
    expect(failed.status).toBe(202);
    expect((await json(failed)).host).toMatchObject({ alive: false });
    const tenant = env.TENANT.getByName(pid);
    const onFailed = [...recoverable, ...pinned].filter((s) => s.hostId === failedHost);
    const after = await until(
      () => Promise.all(onFailed.map((s) => tenant.server(s.id))),
      (rs) => rs.every((r) => r && r.taskState === null && (r.status === 'ACTIVE' || r.status === 'ERROR') && r.hostId !== failedHost),
    );
    for (const r of after) {
      const wasPinned = pinned.some((p) => p.id === r!.id);
      if (wasPinned) {
        expect(r!.status).toBe('ERROR');
        expect(r!.fault?.message).toContain(failedHost);
      } else {
        expect(r!.status).toBe('ACTIVE');
        expect(r!.hostId).not.toBe(failedHost);
      }
      const shown = (await json(await call(`/ecs/v2.1/${pid}/servers/${r!.id}`, { token }))).server;
      expect(shown.id).toBe(r!.id);
      expect(shown.addresses).toEqual(before.get(r!.id));
    }
    const events = await json(await call(`/ecs/v2.1/${pid}/servers/${after[0]!.id}/os-instance-actions`, { token }));
    expect(events.instanceActions.map((e: { action: string }) => e.action)).toContain('evacuate');
    const hosts = await json(await call('/ecs/admin/hosts?zone=eu-west-0c', { token: op }));
    expect(hosts.hosts.find((h: { id: string }) => h.id === failedHost).used.servers).toBe(0);
    await call(`/ecs/admin/hosts/${failedHost}/revive`, { method: 'POST', token: op });
  });

  it('declares a host failed after missed heartbeats when its agent stops', async () => {
    const a = await newAccount();
    const token = await tokenFor(a);
    const op = await tokenFor(await operatorAccount());
    const netId = await network(token);
    const [s] = await servers(a, token, netId, 'eu-west-0b', 1);
    expect((await call(`/ecs/admin/hosts/${s!.hostId}/fail`, { method: 'POST', token: op, json: {} })).status).toBe(202);
    const tenant = env.TENANT.getByName(a.projects[0]!.id);
    const moved = await until(
      () => tenant.server(s!.id),
      (r) => r?.status === 'ACTIVE' && r.hostId !== s!.hostId,
    );
    expect(moved?.hostId).not.toBe(s!.hostId);
    await call(`/ecs/admin/hosts/${s!.hostId}/revive`, { method: 'POST', token: op });
  });

  it('only the operator manages hosts', async () => {
    const token = await tokenFor(await newAccount());
    expect((await call('/ecs/admin/hosts', { token })).status).toBe(403);
    expect((await call('/ecs/admin/hosts/eu-west-0a-cmp-01/fail', { method: 'POST', token, json: { immediate: true } })).status).toBe(403);
  });
});

describe('VM auto-recovery and server groups', () => {
  it('keeps an anti-affinity group apart when a member is rebuilt elsewhere', async () => {
    const p = await computeProject('recovery-group');
    const op = await tokenFor(await operatorAccount());
    const group = (
      await nova(p.token, p.project, 'POST', '/os-server-groups', { server_group: { name: 'apart', policies: ['anti-affinity'] } })
    ).body.server_group;
    const hints = { 'os:scheduler_hints': { group: group.id } };
    const a = await activeServer(p, { availability_zone: 'eu-west-0a', name: 'a' }, hints);
    const b = await activeServer(p, { availability_zone: 'eu-west-0a', name: 'b' }, hints);
    const tenant = env.TENANT.getByName(p.project);
    const [hostA, hostB] = [(await tenant.server(a.id))!.hostId!, (await tenant.server(b.id))!.hostId!];
    expect(hostA).not.toBe(hostB);
    // Recovery asks the zone by the same rules as the build: the group goes with the claim.
    const request = await claimRequest(env, p.project, (await tenant.server(a.id))!);
    expect(request.group).toEqual({ id: group.id, policy: 'anti-affinity' });
    await call(`/ecs/admin/hosts/${hostA}/fail`, { method: 'POST', token: op, json: { immediate: true } });
    try {
      const moved = await until(
        () => tenant.server(a.id),
        (r) => r?.status === 'ACTIVE' && r.hostId !== hostA,
      );
      expect(moved?.hostId).not.toBe(hostA);
      expect(moved?.hostId).not.toBe(hostB);
    } finally {
      await call(`/ecs/admin/hosts/${hostA}/revive`, { method: 'POST', token: op });
    }
  });
});

/**
 * Batch operations are taken whole, as Flexible Engine does: a create of `count` servers (native) or of min_count
 * (Nova) records all of them or none, within the quota even when requests race; a batch action or delete is
 * refused as a whole when one of its servers is unknown or in a state that does not allow it, and then nothing
 * happens to any of them. Each server's steps stay idempotent under redelivery.
 */
import { describe, expect, it } from 'vitest';
import { handle } from '../../workers/ecs/manager.ts';
import { expectNativeError, nova, send } from '../request.ts';
import {
  bindings,
  claimsOf,
  computeProject,
  created,
  ecs,
  imageId,
  instancesOf,
  type NativeTenant,
  nativeServer,
  nativeSnapshot,
  nativeTenant,
  ok,
  serverBody,
  settled,
} from './fixtures.ts';

/** The servers of the project by id, with their status and task state. */
async function states(t: NativeTenant) {
  const { servers } = await ok(ecs(t, 'GET', '/cloudservers/detail'));
  return Object.fromEntries(servers.map((s: any) => [s.id, [s.status, s['OS-EXT-STS:task_state'] || null]]));
}

/** The actions os-instance-actions records for a server, newest first. */
async function recorded(t: NativeTenant, id: string): Promise<string[]> {
  const res = await ok(send(t.token, 'GET', `/ecs/v2.1/${t.project}/servers/${id}/os-instance-actions`));
  return res.instanceActions.map((a: { action: string }) => a.action);
}

const eip = { eip: { iptype: '5_bgp', bandwidth: { size: 2, sharetype: 'PER' } } };

describe('batch create', () => {
  it('two native creates racing for the last of the quota: one gets all its servers, the other none, EIPs included', async () => {
    const t = await nativeTenant();
    unwrapOk(await bindings.TENANT.getByName(t.project).setComputeQuotas({ instances: 3 }));
    const before = await nativeSnapshot(t);
    const answers = await Promise.all([1, 2].map(() => ecs(t, 'POST', '/cloudservers', serverBody(t, { count: 2, publicip: eip }))));
    const won = answers.filter((a) => a.status === 200);
    const lost = answers.filter((a) => a.status !== 200);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expectNativeError(lost[0]!, 400, 'Ecs.0001', /quota/i);
    await settled(t, won[0]!.body.job_id);
    const after = await nativeSnapshot(t);
    expect(after.servers.servers.map((s: { id: string }) => s.id).sort()).toEqual([...won[0]!.body.serverIds].sort());
    // The loser's NICs and EIPs, made before its servers, were undone with them.
    expect(after.publicips.publicips).toHaveLength(before.publicips.publicips.length + 2);
    expect(after.ports.ports).toHaveLength(before.ports.ports.length + 2);
  });

  it('the TenantDO records a batch whole or not at all: over the quota, or one bad reference, leaves no server and no job', async () => {
    const p = await computeProject('batch');
    const tenant = bindings.TENANT.getByName(p.project);
    unwrapOk(await tenant.setComputeQuotas({ instances: 2 }));
    const image = await imageId(p.token);
    const input = (name: string, keyName?: string) => ({
      id: crypto.randomUUID(),
      name,
      userId: 'u',
      flavor: { id: 's3.small.1', vcpus: 1, ramMb: 1024, diskGb: 40 },
      imageId: image,
      zone: 'eu-west-0a',
      nics: [{ networkId: p.network.id }],
      securityGroups: [],
      keyName,
    });
    const job = { id: crypto.randomUUID(), type: 'createServer', until: 'ACTIVE' } as const;
    const over = await tenant.createServers(p.project, [input('a'), input('b'), input('c')], 'req-1', job);
    expect(over).toEqual({ error: expect.objectContaining({ status: 403, kind: 'OverQuota' }) });
    const badKey = await tenant.createServers(p.project, [input('a'), input('b', 'no-such-key')], 'req-2', job);
    expect(badKey).toEqual({ error: expect.objectContaining({ status: 400, kind: 'KeypairNotFound' }) });
    expect((await tenant.list(['servers', 'jobs', 'server_events'])) as unknown).toEqual({ servers: [], jobs: [], server_events: [] });
  });

  it('Nova min_count racing for the last of the quota: one request gets all, the other 403 and nothing', async () => {
    const p = await computeProject('batch');
    unwrapOk(await bindings.TENANT.getByName(p.project).setComputeQuotas({ instances: 3 }));
    const body = { server: { name: 'm', imageRef: await imageId(p.token), flavorRef: 's3.small.1', min_count: 2, max_count: 2 } };
    const answers = await Promise.all([1, 2].map(() => nova(p.token, p.project, 'POST', '/servers', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 403]);
    const { servers } = (await nova(p.token, p.project, 'GET', '/servers')).body;
    expect(servers.map((s: { name: string }) => s.name).sort()).toEqual(['m-1', 'm-2']);
  });

  it('the build messages of a batch, redelivered, still make one claim, port and instance per server', async () => {
    const t = await nativeTenant();
    const { ids } = await created(t, { count: 3, availability_zone: 'eu-west-0b' });
    const builds = ids.map((serverId) => ({ kind: 'build' as const, projectId: t.project, serverId }));
    await Promise.all([...builds, ...builds].map((m) => handle(bindings, m)));
    for (const id of ids) {
      const claims = await claimsOf('eu-west-0b', id);
      expect(claims).toHaveLength(1);
      expect(await instancesOf('eu-west-0b', id)).toEqual([claims[0]!.hostId]);
      expect((await ok(send(t.token, 'GET', `/vpc/v2.0/ports?device_id=${id}`))).ports).toHaveLength(1);
    }
  });
});

describe('batch actions and deletes', () => {
  it('an action one server cannot take is refused for all: the others are left as they were, nothing recorded', async () => {
    const t = await nativeTenant();
    const { ids } = await created(t, { count: 3 });
    const [a, b, c] = ids as [string, string, string];
    await settled(t, (await ok(ecs(t, 'POST', '/cloudservers/action', { 'os-stop': { servers: [{ id: c }] } }))).job_id);
    const before = await states(t);
    expect(before).toEqual({ [a]: ['ACTIVE', null], [b]: ['ACTIVE', null], [c]: ['SHUTOFF', null] });

    // c is already stopped: stopping a, b and c stops none (c is last, so a server-by-server loop would have stopped a and b).
    const stop = await ecs(t, 'POST', '/cloudservers/action', { 'os-stop': { servers: [{ id: a }, { id: b }, { id: c }] } });
    expectNativeError(stop, 409, 'Ecs.0100', new RegExp(c));
    // a and b are running: starting c, a and b starts none.
    const start = await ecs(t, 'POST', '/cloudservers/action', { 'os-start': { servers: [{ id: c }, { id: a }] } });
    expectNativeError(start, 409, 'Ecs.0100');
    const unknown = await ecs(t, 'POST', '/cloudservers/action', {
      reboot: { type: 'SOFT', servers: [{ id: a }, { id: crypto.randomUUID() }] },
    });
    expectNativeError(unknown, 404, 'Ecs.0114');
    expect(await states(t)).toEqual(before);
    expect(await recorded(t, a)).toEqual(['create']);
    expect(await recorded(t, c)).toEqual(['stop', 'create']);

    // The same batch without the odd one out goes through, once.
    const job = await settled(
      t,
      (await ok(ecs(t, 'POST', '/cloudservers/action', { 'os-stop': { servers: [{ id: a }, { id: b }] } }))).job_id,
    );
    expect(job.entities.sub_jobs_total).toBe(2);
    expect(await states(t)).toEqual({ [a]: ['SHUTOFF', null], [b]: ['SHUTOFF', null], [c]: ['SHUTOFF', null] });
    expect(await recorded(t, a)).toEqual(['stop', 'create']);
  });

  it('a delete naming a locked or unknown server deletes none, and releases no EIP; without it, all go', async () => {
    const t = await nativeTenant();
    const withEip = await created(t, { name: 'eip', publicip: eip });
    const { ids } = await created(t, { count: 2 });
    const all = [...withEip.ids, ...ids];
    const locked = ids[1]!;
    expect((await send(t.token, 'POST', `/ecs/v2.1/${t.project}/servers/${locked}/action`, { lock: null })).status).toBe(202);
    const before = await nativeSnapshot(t);

    const refused = await ecs(t, 'POST', '/cloudservers/delete', { servers: all.map((id) => ({ id })), delete_publicip: true });
    expectNativeError(refused, 409, 'Ecs.0100', /locked/);
    const unknown = await ecs(t, 'POST', '/cloudservers/delete', {
      servers: [{ id: withEip.ids[0] }, { id: crypto.randomUUID() }],
      delete_publicip: true,
    });
    expectNativeError(unknown, 404, 'Ecs.0114');
    expect(await nativeSnapshot(t)).toEqual(before);
    for (const id of all) expect((await nativeServer(t, id))['OS-EXT-STS:task_state'] ?? null).toBeNull();

    expect((await send(t.token, 'POST', `/ecs/v2.1/${t.project}/servers/${locked}/action`, { unlock: null })).status).toBe(202);
    const gone = await ok(ecs(t, 'POST', '/cloudservers/delete', { servers: all.map((id) => ({ id })), delete_publicip: true }));
    await settled(t, gone.job_id);
    const after = await nativeSnapshot(t);
    expect(after.servers).toEqual({ count: 0, servers: [] });
    expect(after.publicips.publicips).toEqual([]);
  });
});

/** Fails unless a TenantDO result is `{ok}`. */
function unwrapOk(r: { ok: unknown } | { error: unknown }) {
  expect(r, JSON.stringify(r)).toHaveProperty('ok');
}

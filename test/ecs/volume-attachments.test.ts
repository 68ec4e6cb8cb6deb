/**
 * Nova `os-volume_attachments`: a volume attached to a server goes attaching -> in-use and shows on both sides
 * (the server's attachments and volumes_attached, Cinder's attachments), detached it goes detaching -> available;
 * the refusals Nova makes (another zone, in use, a server building or locked, a taken device, bad bodies) write
 * nothing; a multi-attach volume on two servers; the operator's swap; an attach given up on is rolled back.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { StorageMessage } from '../../core/evs/messages.ts';
import { consumeStorage } from '../../workers/evs/manager.ts';
import { availableVolume, cinder, waitVolumeStatus } from '../evs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { expectNativeError, expectNovaError, nova } from '../request.ts';
import { networkWithSubnet } from '../vpc/fixtures.ts';
import {
  activeServer,
  bindings,
  boot,
  type ComputeProject,
  computeProject,
  created,
  ecs,
  holdHost,
  holdZone,
  nativeServer,
  nativeTenant,
  ok,
  settled,
  sleep,
  waitStatus,
} from './fixtures.ts';

const zoneOf = (s: any): string => s['OS-EXT-AZ:availability_zone'];

/** Polls a volume until its status is `last`, answering every status seen on the way (each once, in order). */
async function statusesUntil(p: ComputeProject, id: string, last: string): Promise<string[]> {
  const seen: string[] = [];
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const status = (await cinder(p, 'GET', `/volumes/${id}`)).body.volume.status as string;
    if (seen.at(-1) !== status) seen.push(status);
    if (status === last) return seen;
    await sleep(5);
  }
  throw new Error(`volume ${id} never got ${last}: saw ${seen.join(', ')}`);
}

/** A server and a volume in its zone, both ready. */
async function serverAndVolume(p: ComputeProject, volume: Record<string, unknown> = {}) {
  const server = await activeServer(p);
  const v = await availableVolume(p, { size: 5, availability_zone: zoneOf(server), ...volume });
  return { server, volume: v };
}

const attach = (p: ComputeProject, serverId: string, body: Record<string, unknown>) =>
  nova(p.token, p.project, 'POST', `/servers/${serverId}/os-volume_attachments`, { volumeAttachment: body });

describe('volume attachments', () => {
  it('pages the list with limit and offset, and refuses a bad one', async () => {
    const p = await computeProject('att');
    const { server, volume } = await serverAndVolume(p);
    const more = await Promise.all([1, 2].map(() => availableVolume(p, { size: 1, availability_zone: zoneOf(server) })));
    for (const v of [volume, ...more]) {
      expect((await attach(p, server.id, { volumeId: v.id })).status).toBe(200);
      await waitVolumeStatus(p, v.id, 'in-use');
    }
    const list = (q: string) => nova(p.token, p.project, 'GET', `/servers/${server.id}/os-volume_attachments${q}`);
    const all = (await list('')).body.volumeAttachments.map((a: any) => a.device);
    expect(all).toEqual(['/dev/vdb', '/dev/vdc', '/dev/vdd']);
    expect((await list('?limit=2')).body.volumeAttachments.map((a: any) => a.device)).toEqual(['/dev/vdb', '/dev/vdc']);
    expect((await list('?limit=1&offset=2')).body.volumeAttachments.map((a: any) => a.device)).toEqual(['/dev/vdd']);
    expectNovaError(await list('?limit=-1'), 400, 'badRequest');
  });

  it('attaches (attaching -> in-use), lists and shows it on the server and in Cinder, then detaches (detaching -> available)', async () => {
    const p = await computeProject('att');
    const { server, volume } = await serverAndVolume(p);
    // The server's host held while it plugs the disk in (then out), so that each transition is seen.
    const hostId = (await bindings.TENANT.getByName(p.project).server(server.id))!.hostId!;
    let held = await holdHost(hostId, 400);
    const res = await attach(p, server.id, { volumeId: volume.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ volumeAttachment: { id: volume.id, serverId: server.id, volumeId: volume.id, device: '/dev/vdb' } });
    expect(await statusesUntil(p, volume.id, 'in-use')).toEqual(['attaching', 'in-use']);
    await held.released;

    const listed = await nova(p.token, p.project, 'GET', `/servers/${server.id}/os-volume_attachments`);
    expect(listed.body).toEqual({ volumeAttachments: [res.body.volumeAttachment] });
    const shown = await nova(p.token, p.project, 'GET', `/servers/${server.id}/os-volume_attachments/${volume.id}`);
    expect(shown.body).toEqual(res.body);
    const v = (await cinder(p, 'GET', `/volumes/${volume.id}`)).body.volume;
    expect(v.attachments).toEqual([expect.objectContaining({ server_id: server.id, volume_id: volume.id, device: '/dev/vdb' })]);
    const s = (await nova(p.token, p.project, 'GET', `/servers/${server.id}`, undefined, { 'OpenStack-API-Version': 'compute 2.3' })).body
      .server;
    expect(s['os-extended-volumes:volumes_attached']).toEqual([{ id: volume.id, delete_on_termination: false }]);
    const s21 = (await nova(p.token, p.project, 'GET', `/servers/${server.id}`)).body.server;
    expect(s21['os-extended-volumes:volumes_attached']).toEqual([{ id: volume.id }]);

    held = await holdHost(hostId, 400);
    const detach = await nova(p.token, p.project, 'DELETE', `/servers/${server.id}/os-volume_attachments/${volume.id}`);
    expect(detach.status).toBe(202);
    expect(await statusesUntil(p, volume.id, 'available')).toEqual(['detaching', 'available']);
    await held.released;
    expect((await cinder(p, 'GET', `/volumes/${volume.id}`)).body.volume.attachments).toEqual([]);
    expect((await nova(p.token, p.project, 'GET', `/servers/${server.id}/os-volume_attachments`)).body.volumeAttachments).toEqual([]);
    const gone = await nova(p.token, p.project, 'GET', `/servers/${server.id}/os-volume_attachments/${volume.id}`);
    expectNovaError(gone, 404, 'itemNotFound', `Instance ${server.id} is not attached to volume ${volume.id}`);
  });

  it('gives the device asked, and refuses one in use (409) or malformed (400)', async () => {
    const p = await computeProject('att');
    const { server, volume } = await serverAndVolume(p);
    const other = await availableVolume(p, { size: 1, availability_zone: zoneOf(server) });
    const res = await attach(p, server.id, { volumeId: volume.id, device: '/dev/vdc' });
    expect(res.body.volumeAttachment.device).toBe('/dev/vdc');
    expectNovaError(await attach(p, server.id, { volumeId: other.id, device: '/dev/vdc' }), 409, 'conflictingRequest', /is in use/);
    expectNovaError(await attach(p, server.id, { volumeId: other.id, device: 'vdd' }), 400, 'badRequest', /device/);
    await waitVolumeStatus(p, volume.id, 'in-use');
    expect((await cinder(p, 'GET', `/volumes/${other.id}`)).body.volume.status).toBe('available');
  });

  it('refuses what Nova refuses, changing nothing', async () => {
    const p = await computeProject('att');
    const { server, volume } = await serverAndVolume(p);
    const elsewhere = zoneOf(server) === 'eu-west-0a' ? 'eu-west-0b' : 'eu-west-0a';
    const far = await availableVolume(p, { size: 1, availability_zone: elsewhere });
    expectNovaError(await attach(p, server.id, { volumeId: far.id }), 400, 'badRequest', /zone/);
    // Below 2.49 there is no tag, below 2.79 no delete_on_termination (MAX_VERSION is 2.26).
    expectNovaError(await attach(p, server.id, { volumeId: volume.id, tag: 'x' }), 400, 'badRequest', /tag/);
    expectNovaError(await attach(p, server.id, { volumeId: volume.id, delete_on_termination: true }), 400, 'badRequest');
    expectNovaError(await attach(p, server.id, { volumeId: 'not-a-uuid' }), 400, 'badRequest');
    const missing = crypto.randomUUID();
    expectNovaError(await attach(p, server.id, { volumeId: missing }), 404, 'itemNotFound', `Volume ${missing} could not be found.`);

    // In use and not multi-attach: a second server may not have it.
    expect((await attach(p, server.id, { volumeId: volume.id })).status).toBe(200);
    await waitVolumeStatus(p, volume.id, 'in-use');
    const second = await activeServer(p, { availability_zone: zoneOf(server) });
    expectNovaError(await attach(p, second.id, { volumeId: volume.id }), 400, 'badRequest', /in-use/);
    expectNovaError(await attach(p, server.id, { volumeId: volume.id }), 400, 'badRequest', /already attached/);

    // A server still building (its zone held, so that its build waits for its claim).
    const spare = await availableVolume(p, { size: 1, availability_zone: zoneOf(server) });
    const held = await holdZone(zoneOf(server), 1500);
    const building = await boot(p, { availability_zone: zoneOf(server) });
    expectNovaError(await attach(p, building.id, { volumeId: spare.id }), 409, 'conflictingRequest', /attach_volume.*building/);
    expect((await cinder(p, 'GET', `/volumes/${spare.id}`)).body.volume.status).toBe('available');
    await held.released;

    // A locked server: neither attach nor detach.
    expect((await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { lock: null })).status).toBe(202);
    expectNovaError(await attach(p, server.id, { volumeId: spare.id }), 409, 'conflictingRequest', /locked/);
    const detach = await nova(p.token, p.project, 'DELETE', `/servers/${server.id}/os-volume_attachments/${volume.id}`);
    expectNovaError(detach, 409, 'conflictingRequest', /locked/);
    expect((await cinder(p, 'GET', `/volumes/${volume.id}`)).body.volume.status).toBe('in-use');
    expect((await cinder(p, 'GET', `/volumes/${spare.id}`)).body.volume.status).toBe('available');
    const notThere = await nova(p.token, p.project, 'DELETE', `/servers/${second.id}/os-volume_attachments/${spare.id}`);
    expectNovaError(notThere, 404, 'itemNotFound', /is not attached/);
  });

  it('attaches a multi-attach volume to two servers; it stays in-use until the last detach', async () => {
    const p = await computeProject('att');
    const { server, volume } = await serverAndVolume(p, { multiattach: true });
    const second = await activeServer(p, { availability_zone: zoneOf(server) });
    expect((await attach(p, server.id, { volumeId: volume.id })).status).toBe(200);
    await waitVolumeStatus(p, volume.id, 'in-use');
    expect((await attach(p, second.id, { volumeId: volume.id })).status).toBe(200);
    await waitVolume2(p, volume.id, 2);
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${server.id}/os-volume_attachments/${volume.id}`)).status).toBe(202);
    const one = await waitVolume2(p, volume.id, 1);
    expect(one.status).toBe('in-use');
    expect(one.attachments.map((a: any) => a.server_id)).toEqual([second.id]);
    expect((await nova(p.token, p.project, 'DELETE', `/servers/${second.id}/os-volume_attachments/${volume.id}`)).status).toBe(202);
    await waitVolumeStatus(p, volume.id, 'available');
  });

  it("swaps a server's volume for another (an operator's): the old one available, the new one in-use at its device", async () => {
    const account = await operatorAccount();
    const project = account.projects[0]!.id;
    const token = await tokenFor(account, { scope: { project: { id: project } } });
    const { network, subnet } = await networkWithSubnet(token, '10.9.0.0/24');
    const op: ComputeProject = { account, token, project, region: account.projects[0]!.name, network, subnet };
    const { server, volume } = await serverAndVolume(op);
    const bigger = await availableVolume(op, { size: 6, availability_zone: zoneOf(server) });
    const small = await availableVolume(op, { size: 1, availability_zone: zoneOf(server) });
    expect((await attach(op, server.id, { volumeId: volume.id, device: '/dev/vdd' })).status).toBe(200);
    await waitVolumeStatus(op, volume.id, 'in-use');
    const swap = (to: string) =>
      nova(token, project, 'PUT', `/servers/${server.id}/os-volume_attachments/${volume.id}`, { volumeAttachment: { volumeId: to } });
    expectNovaError(await swap(small.id), 400, 'badRequest', /same size or larger/);
    expect((await swap(bigger.id)).status).toBe(202);
    await waitVolumeStatus(op, volume.id, 'available');
    await waitVolumeStatus(op, bigger.id, 'in-use');
    const listed = (await nova(token, project, 'GET', `/servers/${server.id}/os-volume_attachments`)).body.volumeAttachments;
    expect(listed).toEqual([{ id: bigger.id, serverId: server.id, volumeId: bigger.id, device: '/dev/vdd' }]);

    // A customer may not swap at all: 403 before anything is read.
    const p = await computeProject('att');
    const mine = await serverAndVolume(p);
    const refused = await nova(p.token, p.project, 'PUT', `/servers/${mine.server.id}/os-volume_attachments/${mine.volume.id}`, {
      volumeAttachment: { volumeId: mine.volume.id },
    });
    expectNovaError(refused, 403, 'forbidden');
  });

  it('rolls back an attach whose message was given up on: the volume is available again, not left attaching', async () => {
    const p = await computeProject('att');
    const { server, volume } = await serverAndVolume(p);
    expect((await attach(p, server.id, { volumeId: volume.id })).status).toBe(200);
    await waitVolumeStatus(p, volume.id, 'in-use');
    // A dead letter for an attach that was done changes nothing.
    await dead({ kind: 'attach', projectId: p.project, volumeId: volume.id, serverId: server.id });
    expect((await cinder(p, 'GET', `/volumes/${volume.id}`)).body.volume.status).toBe('in-use');

    const other = await availableVolume(p, { size: 1, availability_zone: zoneOf(server) });
    const stub = bindings.TENANT.getByName(p.project);
    // Reserved in the TenantDO with no message sent, as if every delivery of it had failed; then dead-lettered.
    await stubReserve(stub, other.id, server.id);
    expect((await cinder(p, 'GET', `/volumes/${other.id}`)).body.volume.status).toBe('attaching');
    await dead({ kind: 'attach', projectId: p.project, volumeId: other.id, serverId: server.id });
    const back = (await cinder(p, 'GET', `/volumes/${other.id}`)).body.volume;
    expect(back).toMatchObject({ status: 'available', attachments: [] });
    expect((await nova(p.token, p.project, 'GET', `/servers/${server.id}/os-volume_attachments`)).body.volumeAttachments).toHaveLength(1);
  });
});

describe('native attachvolume / detachvolume', () => {
  it('attaches and detaches with jobs that succeed once the volume is in-use, then available; the server lists it', async () => {
    const t = await nativeTenant('10.0.7.0/24');
    const { ids } = await created(t);
    const server = await nativeServer(t, ids[0]!);
    const p = { token: t.token, project: t.project };
    const volume = await availableVolume(p, { size: 10, availability_zone: server['OS-EXT-AZ:availability_zone'] });
    const attached = await ok(ecs(t, 'POST', `/cloudservers/${server.id}/attachvolume`, { volumeAttachment: { volumeId: volume.id } }));
    const job = await settled(t, attached.job_id);
    expect(job).toMatchObject({ job_type: 'attachVolume', entities: { sub_jobs: [{ entities: { volume_id: volume.id } }] } });
    expect((await cinder(p, 'GET', `/volumes/${volume.id}`)).body.volume.status).toBe('in-use');
    // Its system disk first (made with it), then the volume attached.
    expect((await nativeServer(t, server.id))['os-extended-volumes:volumes_attached']).toEqual([
      { id: expect.any(String), delete_on_termination: 'true', bootIndex: '0', device: '/dev/vda' },
      { id: volume.id, delete_on_termination: 'false', device: '/dev/vdb' },
    ]);
    expectNativeError(
      await ecs(t, 'POST', `/cloudservers/${server.id}/attachvolume`, { volumeAttachment: { volumeId: volume.id } }),
      400,
      'Ecs.0005',
      /already attached/,
    );
    const detached = await ok(ecs(t, 'DELETE', `/cloudservers/${server.id}/detachvolume/${volume.id}`), 202);
    expect((await settled(t, detached.job_id)).job_type).toBe('detachVolume');
    expect((await cinder(p, 'GET', `/volumes/${volume.id}`)).body.volume).toMatchObject({ status: 'available', attachments: [] });
    expectNativeError(await ecs(t, 'DELETE', `/cloudservers/${server.id}/detachvolume/${volume.id}`), 404);
  });

  it('fails the attach job of an attach given up on, instead of leaving it RUNNING', async () => {
    const t = await nativeTenant('10.0.8.0/24');
    const { ids } = await created(t);
    const server = await nativeServer(t, ids[0]!);
    const p = { token: t.token, project: t.project };
    const volume = await availableVolume(p, { size: 1, availability_zone: server['OS-EXT-AZ:availability_zone'] });
    const stub = bindings.TENANT.getByName(t.project);
    // The attach reserved with its job, as the native route records them, and no message sent; then dead-lettered.
    await stubReserve(stub, volume.id, server.id);
    const jobId = crypto.randomUUID();
    await runInDurableObject(stub, async (_o, state) => {
      const targets = JSON.stringify([{ kind: 'attachment', id: volume.id, serverId: server.id, until: 'attached' }]);
      state.storage.sql.exec(
        "INSERT INTO jobs (id, type, targets, sub_job_ids, created_at) VALUES (?, 'attachVolume', ?, ?, ?)",
        jobId,
        targets,
        JSON.stringify([crypto.randomUUID()]),
        new Date().toISOString(),
      );
    });
    expect((await ok(ecs(t, 'GET', `/jobs/${jobId}`))).status).toBe('RUNNING');
    await dead({ kind: 'attach', projectId: t.project, volumeId: volume.id, serverId: server.id });
    const job = await ok(ecs(t, 'GET', `/jobs/${jobId}`));
    expect(job).toMatchObject({ status: 'FAIL', fail_reason: expect.stringMatching(/attach was given up/) });
    expect(job.entities.sub_jobs[0].entities).toEqual({ volume_id: volume.id, server_id: server.id });
  });
});

/** Waits until a volume has `n` attachments shown, and answers it. */
async function waitVolume2(p: ComputeProject, id: string, n: number) {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const v = (await cinder(p, 'GET', `/volumes/${id}`)).body.volume;
    if (v.attachments.length === n && v.status === 'in-use') return v;
    await sleep(20);
  }
  throw new Error(`volume ${id} never had ${n} attachments`);
}

/** Feeds one message to the storage dead-letter consumer. */
async function dead(body: StorageMessage) {
  const batch = createMessageBatch<StorageMessage>('fe-storage-dlq', [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 6, body },
  ]);
  await consumeStorage(batch, bindings);
  await getQueueResult(batch, createExecutionContext());
}

/** Reserves an attach in the TenantDO without queueing its step. */
async function stubReserve(stub: DurableObjectStub, volumeId: string, serverId: string) {
  await runInDurableObject(stub, async (_o, state) => {
    const now = new Date().toISOString();
    state.storage.sql.exec(
      "INSERT INTO volume_attachments (id, volume_id, server_id, device, status, delete_on_termination, created_at) VALUES (?, ?, ?, '/dev/vdz', 'attaching', 0, ?)",
      crypto.randomUUID(),
      volumeId,
      serverId,
      now,
    );
    state.storage.sql.exec("UPDATE volumes SET status = 'attaching' WHERE id = ?", volumeId);
  });
}

describe('a server whose disk is being restored', () => {
  it('does not start until the restore is done (409), then starts', async () => {
    const p = await computeProject('att');
    const { server, volume } = await serverAndVolume(p);
    expect((await attach(p, server.id, { volumeId: volume.id })).status).toBe(200);
    await waitVolumeStatus(p, volume.id, 'in-use');
    expect((await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, server.id, 'SHUTOFF');
    // A backup is being restored onto the disk (VBS takes only a stopped server's disks).
    const stub = bindings.TENANT.getByName(p.project);
    const setStatus = (status: string) =>
      runInDurableObject(stub, (_o, state) => {
        state.storage.sql.exec('UPDATE volumes SET status = ? WHERE id = ?', status, volume.id);
      });
    await setStatus('restoring-backup');
    const refused = await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { 'os-start': null });
    expectNovaError(refused, 409, 'conflictingRequest', /being restored from a backup/);
    await setStatus('in-use');
    expect((await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { 'os-start': null })).status).toBe(202);
    await waitStatus(p, server.id, 'ACTIVE');
  });
});

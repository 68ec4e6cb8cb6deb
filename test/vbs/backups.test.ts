/**
 * Volume backups, through Cinder's `/backups` on the EVS endpoint (OSC's path), VBS's own, and the native
 * `/cloudbackups` with jobs: the chain (full, then incremental with the modelled stored GB), the volume
 * `backing-up` meanwhile, restores onto a new volume (size, type and metadata carried) or an existing one (refused
 * when in use or smaller), deletion refused while others build on a backup, usage events, and the envelopes.
 */
import { describe, expect, it } from 'vitest';
import { computeProject, sleep } from '../ecs/fixtures.ts';
import { availableVolume, cinder, heldGb, waitVolumeStatus } from '../evs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { call, send } from '../request.ts';
import { setVolumeStatus, usageOf, waitBackup } from './fixtures.ts';

type P = { token: string; project: string };
const vbs = (p: P, method: string, path: string, body?: unknown) => send(p.token, method, `/vbs${path.replace('{p}', p.project)}`, body);

/** OSC's `volume backup create` body. */
async function backup(p: P, volumeId: string, name = 'bk', extra: Record<string, unknown> = {}) {
  const res = await cinder(p, 'POST', '/backups', {
    backup: {
      volume_id: volumeId,
      container: null,
      name,
      description: null,
      incremental: false,
      force: false,
      snapshot_id: null,
      ...extra,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(Object.keys(res.body.backup).sort()).toEqual(['id', 'links', 'name']);
  return waitBackup(p, res.body.backup.id, 'available');
}

/** A request whose body is sent as it is (malformed JSON). */
async function raw(p: P, method: string, path: string, body: string) {
  const res = await call(`/vbs${path.replace('{p}', p.project)}`, {
    method,
    token: p.token,
    body,
    headers: { 'Content-Type': 'application/json' },
  });
  return { status: res.status, body: await res.json<any>() };
}

async function job(p: P, id: string) {
  for (let i = 0; i < 300; i++) {
    const r = await vbs(p, 'GET', `/v1/{p}/jobs/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (r.body.status === 'SUCCESS' || r.body.status === 'FAIL') return r.body;
    await sleep(30);
  }
  throw new Error(`job ${id} did not finish`);
}

describe('Cinder backups', () => {
  it('backs up a volume full first, then incremental; the volume is backing-up meanwhile; usage counts stored GB', async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 20, volume_type: 'SSD', metadata: { role: 'db' } });
    const res = await cinder(p, 'POST', '/backups', { backup: { volume_id: v.id, name: 'full' } });
    expect(res.status).toBe(202);
    // The step runs through the queue: the volume is taken until the backup is stored.
    const during = (await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status;
    expect(['backing-up', 'available']).toContain(during);
    const full = await waitBackup(p, res.body.backup.id, 'available');
    expect(full).toMatchObject({
      size: 20,
      is_incremental: false,
      volume_id: v.id,
      availability_zone: v.availability_zone,
      object_count: 20,
    });
    expect((await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status).toBe('available');

    const inc = await backup(p, v.id, 'inc');
    // A tenth of the parent's 20 GB changed: 2 GB stored.
    expect(inc).toMatchObject({ is_incremental: true, size: 20, object_count: 2, has_dependent_backups: false });
    expect((await cinder(p, 'GET', `/backups/${full.id}`)).body.backup.has_dependent_backups).toBe(true);
    expect(await usageOf(p.project, full.id)).toEqual([{ id: `${full.id}:start`, meter: 'vbs.backup', action: 'start', quantity: 20 }]);
    expect(await usageOf(p.project, inc.id)).toEqual([{ id: `${inc.id}:start`, meter: 'vbs.backup', action: 'start', quantity: 2 }]);

    const listed = await cinder(p, 'GET', '/backups/detail?all_tenants=1&name=inc');
    expect(listed.body.backups.map((b: any) => b.id)).toEqual([inc.id]);
    expect((await cinder(p, 'GET', '/backups')).body.backups.map((b: any) => b.name).sort()).toEqual(['full', 'inc']);
    // The same backups through VBS's Cinder-style API.
    expect((await vbs(p, 'GET', '/v2/{p}/backups/detail')).body.backups).toHaveLength(2);
  });

  it('counts what a volume grew by since the last backup in the next incremental', async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 10 });
    await backup(p, v.id, 'full');
    expect((await cinder(p, 'POST', `/volumes/${v.id}/action`, { 'os-extend': { new_size: 15 } })).status).toBe(202);
    await waitVolumeStatus(p, v.id, 'available');
    const inc = await backup(p, v.id, 'grown');
    // A tenth of the parent's 10 GB, plus the 5 GB it grew by.
    expect(inc).toMatchObject({ size: 15, is_incremental: true, object_count: 6 });
  });

  it('restores onto a new volume after the source volume is gone (the disk lost)', async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 2, volume_type: 'SSD', metadata: { k: 'v' } });
    const b = await backup(p, v.id);
    expect((await cinder(p, 'DELETE', `/volumes/${v.id}`)).status).toBe(202);
    await waitVolumeStatus(p, v.id, 'deleted');
    const res = await cinder(p, 'POST', `/backups/${b.id}/restore`, { restore: null });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const restored = await waitVolumeStatus(p, res.body.restore.volume_id, 'available');
    expect(restored).toMatchObject({ size: 2, volume_type: 'SSD', availability_zone: v.availability_zone, metadata: { k: 'v' } });
    expect(restored.name).toBe(`restore_backup_${b.id}`);
  });

  it('refuses to delete a backup others build on (400), deletes the newest first, stopping usage', async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 4 });
    const full = await backup(p, v.id, 'a');
    const inc = await backup(p, v.id, 'b');
    const refused = await cinder(p, 'DELETE', `/backups/${full.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.badRequest.message).toMatch(/Incremental backups exist for this backup/);
    expect((await cinder(p, 'DELETE', `/backups/${inc.id}`)).status).toBe(202);
    await waitBackup(p, inc.id, 'deleted');
    expect((await cinder(p, 'DELETE', `/backups/${full.id}`)).status).toBe(202);
    await waitBackup(p, full.id, 'deleted');
    expect((await usageOf(p.project, full.id)).map((e) => e.action)).toEqual(['start', 'stop']);
  });

  it('restores a backup onto a new volume carrying the source size, type and metadata', async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 6, volume_type: 'SAS', metadata: { app: 'web', tier: '1' } });
    const b = await backup(p, v.id);
    const res = await cinder(p, 'POST', `/backups/${b.id}/restore`, { restore: { volume_id: null, name: 'restored' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.restore).toMatchObject({ backup_id: b.id, volume_name: 'restored' });
    const restored = await waitVolumeStatus(p, res.body.restore.volume_id, 'available');
    expect(restored).toMatchObject({
      name: 'restored',
      size: 6,
      volume_type: 'SAS',
      availability_zone: v.availability_zone,
      metadata: { app: 'web', tier: '1' },
    });
    expect(await heldGb(v.availability_zone, restored.id)).toBe(6);
    expect((await usageOf(p.project, restored.id)).map((e) => [e.meter, e.action, e.quantity])).toEqual([['evs.volume', 'start', 6]]);
    expect((await cinder(p, 'GET', `/backups/${b.id}`)).body.backup.status).toBe('available');
  });

  it("makes a volume from a backup (3.47 backup_id): restored onto it, at least the backup's size", async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 6, volume_type: 'SSD', metadata: { app: 'db' } });
    const b = await backup(p, v.id);
    const body = (size?: number) => ({ volume: { backup_id: b.id, name: 'from-backup', ...(size ? { size } : {}) } });
    expect((await cinder(p, 'POST', '/volumes', body())).body.badRequest.message).toMatch(/needs microversion 3.47/);
    const small = await cinder(p, 'POST', '/volumes', body(5), '3.47');
    expect(small.status).toBe(400);
    expect(small.body.badRequest.message).toMatch(/cannot be smaller than the backup size 6 GB/);
    const res = await cinder(p, 'POST', '/volumes', body(8), '3.47');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.volume).toMatchObject({ name: 'from-backup', size: 8, volume_type: 'SSD', backup_id: b.id });
    const made = await waitVolumeStatus(p, res.body.volume.id, 'available');
    expect(made.metadata).toEqual({ app: 'db' });
  });

  it("restores onto an existing volume: refused in use or smaller (400), else its metadata takes the backup's", async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 5, metadata: { k: 'from-backup' } });
    const b = await backup(p, v.id);
    const small = await availableVolume(p, { size: 4 });
    const big = await availableVolume(p, { size: 8, metadata: { own: 'x', k: 'old' } });
    const smaller = await cinder(p, 'POST', `/backups/${b.id}/restore`, { restore: { volume_id: small.id } });
    expect(smaller.status).toBe(400);
    expect(smaller.body.badRequest.message).toMatch(/volume size 4 is smaller than backup size 5/);
    await setVolumeStatus(p.project, big.id, 'in-use');
    const inUse = await cinder(p, 'POST', `/backups/${b.id}/restore`, { restore: { volume_id: big.id } });
    expect(inUse.status).toBe(400);
    expect(inUse.body.badRequest.message).toMatch(/must be available, but the current status is "in-use"/);
    await setVolumeStatus(p.project, big.id, 'available');
    const ok = await cinder(p, 'POST', `/backups/${b.id}/restore`, { restore: { volume_id: big.id } });
    expect(ok.status).toBe(202);
    const after = await waitVolume(p, big.id);
    expect(after).toMatchObject({ size: 8, metadata: { own: 'x', k: 'from-backup' } });
  });

  it('refuses bad input and what Cinder refuses, writing nothing', async () => {
    const p = await computeProject('vbs');
    const v = await availableVolume(p, { size: 1 });
    const cases: [unknown, number, RegExp][] = [
      [{ backup: {} }, 400, /volume_id/],
      [{ backup: { volume_id: v.id, bogus: 1 } }, 400, /bogus/],
      [{ backup: { volume_id: v.id }, extra: 1 }, 400, /extra/],
      [{ backup: { volume_id: v.id, incremental: true } }, 400, /No backups available to do an incremental backup/],
      [{ backup: { volume_id: crypto.randomUUID() } }, 404, /could not be found/],
    ];
    for (const [body, status, message] of cases) {
      const res = await cinder(p, 'POST', '/backups', body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(JSON.stringify(res.body)).toMatch(message);
    }
    await setVolumeStatus(p.project, v.id, 'in-use');
    const attached = await cinder(p, 'POST', '/backups', { backup: { volume_id: v.id } });
    expect(attached.status).toBe(400);
    expect(attached.body.badRequest.message).toMatch(/must be available/);
    expect((await cinder(p, 'GET', '/backups/detail')).body.backups).toEqual([]);
    expect((await cinder(p, 'GET', `/backups/${crypto.randomUUID()}`)).body.itemNotFound.message).toMatch(/Backup .* could not be found/);
  });

  it('enforces the backups quota: 413 overLimit beyond it', async () => {
    const p = await computeProject('vbs');
    const op = await operatorAccount();
    const admin = await tokenFor(op);
    const set = await send(admin, 'PUT', `/evs/v3/${op.projects[0]!.id}/os-quota-sets/${p.project}`, { quota_set: { backups: 1 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const v = await availableVolume(p, { size: 1 });
    await backup(p, v.id);
    const over = await cinder(p, 'POST', '/backups', { backup: { volume_id: v.id } });
    expect(over.status).toBe(413);
    expect(over.body.overLimit.message).toMatch(/backups/);
  });
});

/** Polls a volume until it is available again. */
const waitVolume = (p: P, id: string) => waitVolumeStatus(p, id, 'available');

describe('native cloudbackups', () => {
  it('creates, restores and deletes with jobs, backing up an attached volume', async () => {
    const p = await computeProject('vbsn');
    const v = await availableVolume(p, { size: 3 });
    await setVolumeStatus(p.project, v.id, 'in-use');
    const made = await vbs(p, 'POST', '/v2/{p}/cloudbackups', {
      backup: { volume_id: v.id, name: 'nb-1', tags: [{ key: 'k', value: 'v' }] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const created = await job(p, made.body.job_id);
    expect(created).toMatchObject({ status: 'SUCCESS', job_type: 'bksCreateBackup', entities: { volume_id: v.id } });
    const backupId = created.entities.backup_id;
    expect((await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status).toBe('in-use');

    const target = await availableVolume(p, { size: 3 });
    const restore = await vbs(p, 'POST', `/v2/{p}/cloudbackups/${backupId}/restore`, { restore: { volume_id: target.id } });
    expect(restore.status, JSON.stringify(restore.body)).toBe(200);
    expect(await job(p, restore.body.job_id)).toMatchObject({
      status: 'SUCCESS',
      job_type: 'bksRestoreBackup',
      entities: { volume_id: target.id },
    });

    const del = await vbs(p, 'POST', `/v2/{p}/cloudbackups/${backupId}`);
    expect(del.status).toBe(200);
    expect(await job(p, del.body.job_id)).toMatchObject({ status: 'SUCCESS', job_type: 'bksDeleteBackup' });
    expect((await cinder(p, 'GET', `/backups/${backupId}`)).status).toBe(404);
  });

  it("refuses in VBS's envelope, never a 500", async () => {
    const p = await computeProject('vbsn');
    const v = await availableVolume(p, { size: 1 });
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/v2/{p}/cloudbackups', { backup: { volume_id: v.id, name: 'autobk_x' } }, 400, 'VBS.0001'],
      ['POST', '/v2/{p}/cloudbackups', { backup: { volume_id: v.id, name: 'bad name' } }, 400, 'VBS.0001'],
      ['POST', '/v2/{p}/cloudbackups', { backup: { volume_id: v.id, name: 'ok', description: '<b>' } }, 400, 'VBS.0001'],
      ['POST', '/v2/{p}/cloudbackups', { backup: { volume_id: crypto.randomUUID(), name: 'ok' } }, 404, 'VBS.0005'],
      ['POST', `/v2/{p}/cloudbackups/${crypto.randomUUID()}/restore`, { restore: { volume_id: v.id } }, 404, 'VBS.0006'],
      ['POST', '/v2/{p}/cloudbackups', '{"backup": ', 400, 'VBS.0001'],
      ['GET', `/v1/{p}/jobs/${crypto.randomUUID()}`, undefined, 400, 'Common.0011'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = typeof body === 'string' ? await raw(p, method, path, body) : await vbs(p, method, path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error?.code, JSON.stringify(res.body)).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
    }
    expect((await cinder(p, 'GET', '/backups')).body.backups).toEqual([]);
  });
});

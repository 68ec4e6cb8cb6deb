/**
 * The native cloud volumes API: batch creation with a job whose status follows the volumes, Flexible Engine's
 * list filters, tags, extend and delete jobs, and its `{"error": {"code", "message"}}` envelope.
 */
import { describe, expect, it } from 'vitest';
import { computeProject, sleep } from '../ecs/fixtures.ts';
import { send } from '../request.ts';
import { availableVolume, cinder } from './fixtures.ts';

type P = { token: string; project: string };
const evs = (p: P, method: string, path: string, body?: unknown) => send(p.token, method, `/evs${path.replace('{p}', p.project)}`, body);

async function job(p: P, id: string, until: string[] = ['SUCCESS', 'FAIL']) {
  for (let i = 0; i < 200; i++) {
    const r = await evs(p, 'GET', `/v1/{p}/jobs/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    if (until.includes(r.body.status)) return r.body;
    await sleep(30);
  }
  throw new Error(`job ${id} did not finish`);
}

describe('native cloud volumes', () => {
  it('creates a batch with a job that succeeds once every volume is available', async () => {
    const p = await computeProject('evsn');
    const res = await evs(p, 'POST', '/v2.1/{p}/cloudvolumes', {
      volume: { availability_zone: 'eu-west-0a', volume_type: 'SAS', size: 10, name: 'batch', count: 3, tags: { env: 'test' } },
      bssParam: { chargingMode: 'postPaid' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.volume_ids).toHaveLength(3);
    const done = await job(p, res.body.job_id);
    expect(done).toMatchObject({ status: 'SUCCESS', job_type: 'batchCreateVolumes' });
    expect(done.entities.sub_jobs.map((s: any) => s.entities.volume_id).sort()).toEqual([...res.body.volume_ids].sort());
    const listed = await evs(
      p,
      'GET',
      `/v2/{p}/cloudvolumes/detail?ids=${encodeURIComponent(JSON.stringify(res.body.volume_ids.slice(0, 2)))}`,
    );
    expect(listed.body.count).toBe(2);
    expect(listed.body.volumes.map((v: any) => v.name).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^batch-000[123]$/)]));
    for (const v of listed.body.volumes)
      expect(v).toMatchObject({ status: 'available', service_type: 'EVS', tags: { env: 'test' }, volume_type: 'SAS' });
  });

  it('extends and deletes with jobs, edits tags both ways', async () => {
    const p = await computeProject('evsn');
    const made = await evs(p, 'POST', '/v2/{p}/cloudvolumes', {
      volume: { availability_zone: 'eu-west-0b', volume_type: 'SSD', size: 10 },
    });
    await job(p, made.body.job_id);
    const id = made.body.volume_ids[0];
    const ext = await evs(p, 'POST', `/v2.1/{p}/cloudvolumes/${id}/action`, { 'os-extend': { new_size: 30 } });
    expect(ext.status).toBe(202);
    expect((await job(p, ext.body.job_id)).status).toBe('SUCCESS');
    expect((await evs(p, 'GET', `/v2/{p}/cloudvolumes/${id}`)).body.volume.size).toBe(30);
    expect((await evs(p, 'PUT', `/v2/{p}/os-vendor-tags/volumes/${id}`, { tags: { a: '1', b: '2' } })).body.tags).toEqual({
      a: '1',
      b: '2',
    });
    expect((await evs(p, 'POST', `/v2/{p}/cloudvolumes/${id}/tags/action`, { action: 'delete', tags: [{ key: 'a' }] })).status).toBe(204);
    expect((await evs(p, 'GET', `/v2/{p}/os-vendor-tags/volumes/${id}`)).body.tags).toEqual({ b: '2' });
    const del = await evs(p, 'DELETE', `/v2/{p}/cloudvolumes/${id}`);
    expect(del.status).toBe(200);
    expect((await job(p, del.body.job_id)).status).toBe('SUCCESS');
    expect((await cinder(p, 'GET', `/volumes/${id}`)).status).toBe(404);
    // The create job ended a success; the volume's later deletion does not make it a failure.
    expect((await job(p, made.body.job_id)).status).toBe('SUCCESS');
  });

  it("makes a volume from a backup: the backup restored onto it, with the source's size and metadata", async () => {
    const p = await computeProject('evsn');
    const src = await availableVolume(p, { size: 12, volume_type: 'SAS', metadata: { app: 'db' } });
    const bk = await cinder(p, 'POST', '/backups', { backup: { volume_id: src.id, name: 'bk' } });
    expect(bk.status, JSON.stringify(bk.body)).toBe(202);
    for (let i = 0; i < 200 && (await cinder(p, 'GET', `/backups/${bk.body.backup.id}`)).body.backup.status !== 'available'; i++)
      await sleep(30);
    const made = await evs(p, 'POST', '/v2/{p}/cloudvolumes', {
      volume: { availability_zone: src.availability_zone, volume_type: 'SAS', name: 'from-backup', backup_id: bk.body.backup.id },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(202);
    expect((await job(p, made.body.job_id)).status).toBe('SUCCESS');
    const v = (await evs(p, 'GET', `/v2/{p}/cloudvolumes/${made.body.volume_ids[0]}`)).body.volume;
    expect(v).toMatchObject({ size: 12, volume_type: 'SAS', status: 'available', name: 'from-backup' });
    expect(v.metadata.app).toBe('db');
  });

  it("answers in EVS's envelope: bad input, unknown volume, unknown job", async () => {
    const p = await computeProject('evsn');
    const bad = await evs(p, 'POST', '/v2/{p}/cloudvolumes', { volume: { volume_type: 'SSD', size: 10 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'EVS.2001', message: expect.stringMatching(/availability_zone/) });
    const small = await evs(p, 'POST', '/v2/{p}/cloudvolumes', {
      volume: { availability_zone: 'eu-west-0a', volume_type: 'SSD', size: 5 },
    });
    expect(small.body.error.code).toBe('EVS.2001');
    const missing = await evs(p, 'GET', `/v2/{p}/cloudvolumes/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('EVS.5400');
    const noJob = await evs(p, 'GET', `/v1/{p}/jobs/${crypto.randomUUID()}`);
    expect(noJob.status).toBe(400);
    expect(noJob.body.error).toEqual({ code: 'Common.0011', message: 'No jobs found.' });
  });
});

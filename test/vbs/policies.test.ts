/**
 * Backup policies: CRUD with VBS's field names and rules, binding volumes (each succeeds or fails alone), a run now
 * with its retention (the oldest automatic backup merged into the next, which becomes the full one), the month's
 * first kept when asked, and the TenantDO's alarm running a policy that is due. Then the seed's recovery case: a
 * stopped server's system and data disks restored in place from their backups.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { beyondRetention } from '../../durable/vbs/policies.ts';
import { nextRun } from '../../durable/vbs/schedule.ts';
import { activeServer, bindings, computeProject, sleep, waitStatus } from '../ecs/fixtures.ts';
import { availableVolume, cinder, waitVolumeStatus } from '../evs/fixtures.ts';
import { nova, send } from '../request.ts';
import { usageOf, waitBackup } from './fixtures.ts';

type P = { token: string; project: string };
const vbs = (p: P, method: string, path: string, body?: unknown) => send(p.token, method, `/vbs/v2/${p.project}${path}`, body);

const schedule = (s: Record<string, unknown> = {}) => ({
  start_time: '02:00',
  frequency: 1,
  rentention_num: 2,
  remain_first_backup_of_curMonth: 'N',
  status: 'ON',
  ...s,
});

async function createPolicy(p: P, name: string, s: Record<string, unknown> = {}) {
  const res = await vbs(p, 'POST', '/backuppolicy', { backup_policy_name: name, scheduled_policy: schedule(s) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const bind = (p: P, policyId: string, ...ids: string[]) =>
  vbs(p, 'POST', '/backuppolicyresources', {
    backup_policy_id: policyId,
    resources: ids.map((id) => ({ resource_id: id, resource_type: 'volume' })),
  });

/** The volume's backups, oldest first, once none is in a transition. */
async function settledBackups(p: P, volumeId: string): Promise<any[]> {
  for (let i = 0; i < 300; i++) {
    const all = (await cinder(p, 'GET', `/backups/detail?volume_id=${volumeId}&sort=created_at:asc`)).body.backups;
    if (all.every((b: any) => b.status === 'available')) return all;
    await sleep(30);
  }
  throw new Error('backups did not settle');
}

describe('backup policies', () => {
  it('creates, lists, updates and deletes a policy with VBS field names', async () => {
    const p = await computeProject('bp');
    const made = await createPolicy(p, 'nightly', { week_frequency: ['MON', 'FRI'], frequency: undefined });
    expect(made).toMatchObject({
      backup_policy_name: 'nightly',
      scheduled_policy: {
        start_time: '02:00',
        week_frequency: ['MON', 'FRI'],
        rentention_num: 2,
        remain_first_backup_of_curMonth: 'N',
        status: 'ON',
      },
    });
    const updated = await vbs(p, 'PUT', `/backuppolicy/${made.backup_policy_id}`, {
      scheduled_policy: { rentention_day: 7, frequency: 3 },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.scheduled_policy).toEqual({
      start_time: '02:00',
      frequency: 3,
      rentention_day: 7,
      remain_first_backup_of_curMonth: 'N',
      status: 'ON',
    });
    const listed = (await vbs(p, 'GET', '/backuppolicy')).body.backup_policies;
    expect(listed).toEqual([expect.objectContaining({ backup_policy_id: made.backup_policy_id, policy_resource_count: 0 })]);
    expect((await vbs(p, 'DELETE', `/backuppolicy/${made.backup_policy_id}`)).status).toBe(204);
    const gone = await vbs(p, 'PUT', `/backuppolicy/${made.backup_policy_id}`, { backup_policy_name: 'x' });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('VBS.0013');
  });

  it("refuses bad policies in VBS's envelope, writing nothing", async () => {
    const p = await computeProject('bp');
    await createPolicy(p, 'taken');
    const cases: [unknown, string][] = [
      [{ backup_policy_name: 'default-1', scheduled_policy: schedule() }, 'VBS.0001'],
      [{ backup_policy_name: 'a b', scheduled_policy: schedule() }, 'VBS.0001'],
      [{ backup_policy_name: 'x', scheduled_policy: schedule({ rentention_num: 1 }) }, 'VBS.0001'],
      [{ backup_policy_name: 'x', scheduled_policy: schedule({ frequency: 15 }) }, 'VBS.0001'],
      [{ backup_policy_name: 'x', scheduled_policy: schedule({ week_frequency: ['MON'] }) }, 'VBS.0001'],
      [{ backup_policy_name: 'x', scheduled_policy: schedule({ rentention_day: 3 }) }, 'VBS.0001'],
      [{ backup_policy_name: 'x', scheduled_policy: schedule({ start_time: '24:00' }) }, 'VBS.0001'],
      [{ backup_policy_name: 'x', scheduled_policy: schedule({ status: undefined }) }, 'VBS.0001'],
      [{ backup_policy_name: 'taken', scheduled_policy: schedule() }, 'VBS.0021'],
    ];
    for (const [body, code] of cases) {
      const res = await vbs(p, 'POST', '/backuppolicy', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code, JSON.stringify(res.body)).toBe(code);
    }
    expect((await vbs(p, 'GET', '/backuppolicy')).body.backup_policies).toHaveLength(1);
  });

  it('binds and unbinds volumes, each on its own', async () => {
    const p = await computeProject('bp');
    const a = await createPolicy(p, 'a');
    const b = await createPolicy(p, 'b');
    const v = await availableVolume(p, { size: 1 });
    const missing = crypto.randomUUID();
    const r = await bind(p, a.backup_policy_id, v.id, missing);
    expect(r.status).toBe(200);
    expect(r.body.success_resources).toEqual([
      { resource_id: v.id, resource_type: 'volume', availability_zone: v.availability_zone, os_vol_host_attr: expect.any(String) },
    ]);
    expect(r.body.fail_resources).toEqual([expect.objectContaining({ resource_id: missing, error_code: 'VBS.0005' })]);
    expect((await bind(p, b.backup_policy_id, v.id)).body.fail_resources[0].error_code).toBe('VBS.0029');
    const counts = (await vbs(p, 'GET', '/backuppolicy')).body.backup_policies.map((x: any) => [
      x.backup_policy_name,
      x.policy_resource_count,
    ]);
    expect(counts.sort()).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    const un = await vbs(p, 'POST', `/backuppolicyresources/${b.backup_policy_id}/deleted_resources`, {
      resources: [{ resource_id: v.id }],
    });
    expect(un.body.fail_resources[0].error_code).toBe('VBS.0030');
    const ok = await vbs(p, 'POST', `/backuppolicyresources/${a.backup_policy_id}/deleted_resources`, {
      resources: [{ resource_id: v.id }],
    });
    expect(ok.body.success_resources).toEqual([{ resource_id: v.id, resource_type: 'volume' }]);
  });

  it('stops counting a deleted volume, and drops its binding at the next run', async () => {
    const p = await computeProject('bp');
    const pol = await createPolicy(p, 'gone', { status: 'OFF' });
    const v = await availableVolume(p, { size: 1 });
    await bind(p, pol.backup_policy_id, v.id);
    expect((await cinder(p, 'DELETE', `/volumes/${v.id}`)).status).toBe(202);
    await waitVolumeStatus(p, v.id, 'deleted');
    expect((await vbs(p, 'GET', '/backuppolicy')).body.backup_policies[0].policy_resource_count).toBe(0);
    expect((await vbs(p, 'POST', `/backuppolicy/${pol.backup_policy_id}/action`)).status).toBe(200);
    const rows = await runInDurableObject(bindings.TENANT.getByName(p.project), async (_o, state) =>
      state.storage.sql.exec('SELECT count(*) AS n FROM backup_policy_volumes').one(),
    );
    expect(Number(rows.n)).toBe(0);
    expect((await cinder(p, 'GET', '/backups')).body.backups).toEqual([]);
  });

  it('runs now and applies its retention: the oldest automatic backup merges into the next, which becomes full', async () => {
    const p = await computeProject('bp');
    const pol = await createPolicy(p, 'keep2', { status: 'OFF' });
    const v = await availableVolume(p, { size: 10 });
    await bind(p, pol.backup_policy_id, v.id);
    for (let run = 0; run < 3; run++) {
      expect((await vbs(p, 'POST', `/backuppolicy/${pol.backup_policy_id}/action`)).status).toBe(200);
      await settledBackups(p, v.id);
      await waitVolumeStatus(p, v.id, 'available');
    }
    const kept = await settledBackups(p, v.id);
    expect(kept).toHaveLength(2);
    expect(kept.every((b: any) => b.name.startsWith('autobk_'))).toBe(true);
    // The first (full) went; the second took its place as the full backup of the chain.
    expect(kept.map((b: any) => [b.is_incremental, b.object_count])).toEqual([
      [false, 10],
      [true, 1],
    ]);
    expect((await usageOf(p.project, kept[0].id)).map((e) => [e.action, e.quantity])).toEqual([
      ['start', 1],
      ['change', 10],
    ]);
  });

  it("keeps the month's first automatic backup when asked, beyond the retention", async () => {
    const p = await computeProject('bp');
    const pol = await createPolicy(p, 'monthly', { status: 'OFF', remain_first_backup_of_curMonth: 'Y' });
    const v = await availableVolume(p, { size: 2 });
    await bind(p, pol.backup_policy_id, v.id);
    for (let run = 0; run < 3; run++) {
      await vbs(p, 'POST', `/backuppolicy/${pol.backup_policy_id}/action`);
      await settledBackups(p, v.id);
      await waitVolumeStatus(p, v.id, 'available');
    }
    expect(await settledBackups(p, v.id)).toHaveLength(3);
  });

  it('is run by the alarm when due, and its next run is set', async () => {
    const p = await computeProject('bp');
    const pol = await createPolicy(p, 'due');
    const v = await availableVolume(p, { size: 1 });
    await bind(p, pol.backup_policy_id, v.id);
    const stub = bindings.TENANT.getByName(p.project);
    const past = new Date(Date.now() - 60_000).toISOString();
    const alarmAt = await runInDurableObject(stub, async (_o, state) => {
      state.storage.sql.exec('UPDATE backup_policies SET next_run_at = ? WHERE id = ?', past, pol.backup_policy_id);
      return state.storage.getAlarm();
    });
    expect(alarmAt).not.toBeNull();
    await runDurableObjectAlarm(stub);
    const [b] = await settledBackups(p, v.id);
    expect(b).toMatchObject({ volume_id: v.id, is_incremental: false });
    const next = await runInDurableObject(stub, async (_o, state) =>
      String(state.storage.sql.exec('SELECT next_run_at FROM backup_policies WHERE id = ?', pol.backup_policy_id).one().next_run_at),
    );
    expect(next > new Date().toISOString()).toBe(true);
    expect(next).toMatch(/T02:00:00\.000Z$/);
  });

  it("keeps by days: the automatic backups older than rentention_day go, the month's first kept if asked", () => {
    const at = (createdAt: string, status = 'available') => ({ id: createdAt, createdAt, status }) as never;
    const backups = [
      at('2026-11-20T02:00:00.000Z'),
      at('2026-11-28T02:00:00.000Z'),
      at('2026-12-01T02:00:00.000Z'),
      at('2026-12-02T02:00:00.000Z', 'creating'),
    ];
    const now = '2026-12-02T03:00:00.000Z';
    const ids = (s: Record<string, unknown>) =>
      beyondRetention({ startTime: '02:00', enabled: true, remainFirstBackupOfCurMonth: false, ...s }, backups, now).map((b) => b.id);
    expect(ids({ retentionDay: 3 })).toEqual(['2026-11-20T02:00:00.000Z', '2026-11-28T02:00:00.000Z']);
    expect(ids({ retentionDay: 7 })).toEqual(['2026-11-20T02:00:00.000Z']);
    // Counted, the creating one among them, but only what may be deleted goes.
    expect(ids({ retentionNum: 2 })).toEqual(['2026-11-20T02:00:00.000Z', '2026-11-28T02:00:00.000Z']);
    expect(ids({ retentionNum: 2, remainFirstBackupOfCurMonth: true })).toEqual(['2026-11-20T02:00:00.000Z', '2026-11-28T02:00:00.000Z']);
    expect(ids({ retentionNum: 1, remainFirstBackupOfCurMonth: true })).toEqual(['2026-11-20T02:00:00.000Z', '2026-11-28T02:00:00.000Z']);
  });

  it('computes its runs: every N days from the last, or on the weekdays named', () => {
    const after = new Date('2026-12-02T05:00:00Z'); // a Wednesday
    expect(nextRun({ startTime: '02:00', frequency: 1 }, after).toISOString()).toBe('2026-12-03T02:00:00.000Z');
    expect(nextRun({ startTime: '06:30', frequency: 1 }, after).toISOString()).toBe('2026-12-02T06:30:00.000Z');
    expect(nextRun({ startTime: '02:00', frequency: 3 }, after, new Date('2026-12-01T02:00:00Z')).toISOString()).toBe(
      '2026-12-04T02:00:00.000Z',
    );
    expect(nextRun({ startTime: '02:00', weekFrequency: ['MON', 'FRI'] }, after).toISOString()).toBe('2026-12-04T02:00:00.000Z');
  });
});

describe("restoring a server's disks (the seed's recovery case)", () => {
  it("restores a stopped server's system and data disks in place from their backups", async () => {
    const p = await computeProject('bpr');
    const server = await activeServer(p, { name: 'vm' });
    const tenant = bindings.TENANT.getByName(p.project);
    const system = await availableVolume(p, {
      size: 4,
      availability_zone: server['OS-EXT-AZ:availability_zone'],
      metadata: { disk: 'system' },
    });
    const data = await availableVolume(p, {
      size: 8,
      availability_zone: server['OS-EXT-AZ:availability_zone'],
      metadata: { disk: 'data' },
    });
    for (const [v, bootIndex] of [
      [system, 0],
      [data, null],
    ] as const) {
      const r = await tenant.attachVolume(p.project, { volumeId: v.id, serverId: server.id, bootIndex });
      expect('ok' in r, JSON.stringify(r)).toBe(true);
      await waitVolumeStatus(p, v.id, 'in-use');
    }
    const backupIds: Record<string, string> = {};
    for (const v of [system, data]) {
      const made = await vbs(p, 'POST', '/cloudbackups', { backup: { volume_id: v.id, name: `bk-${v.metadata.disk}` } });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      await waitVolumeStatus(p, v.id, 'in-use');
      const [b] = (await cinder(p, 'GET', `/backups/detail?volume_id=${v.id}`)).body.backups;
      backupIds[v.id] = (await waitBackup(p, b.id, 'available')).id;
      // The disk changes after its backup.
      expect((await cinder(p, 'PUT', `/volumes/${v.id}/metadata`, { metadata: { disk: 'corrupted' } })).status).toBe(200);
    }
    const running = await vbs(p, 'POST', `/cloudbackups/${backupIds[system.id]}/restore`, { restore: { volume_id: system.id } });
    expect(running.status).toBe(400);
    expect(running.body.error.message).toMatch(/stop the server/);

    expect((await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { 'os-stop': null })).status).toBe(202);
    await waitStatus(p, server.id, 'SHUTOFF');
    const jobs: string[] = [];
    for (const v of [system, data]) {
      const r = await vbs(p, 'POST', `/cloudbackups/${backupIds[v.id]}/restore`, { restore: { volume_id: v.id } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      jobs.push(r.body.job_id);
    }
    for (const v of [system, data]) {
      const after = await waitVolumeStatus(p, v.id, 'in-use');
      expect(after.metadata).toEqual(v.metadata);
      expect(after.attachments.map((a: any) => a.server_id)).toEqual([server.id]);
    }
    for (const id of jobs) {
      const job = await send(p.token, 'GET', `/vbs/v1/${p.project}/jobs/${id}`);
      expect(job.body).toMatchObject({ status: 'SUCCESS', job_type: 'bksRestoreBackup' });
    }
  });
});

/**
 * The snapshot and backup steps of the storage manager: each is idempotent (a redelivered step writes no second
 * hold or usage event), a step that was lost is driven again by the TenantDO's alarm, and one the queue gave up on
 * (the dead-letter consumer) ends its snapshot or backup in an error state, its volume released.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { StorageMessage } from '../../core/evs/messages.ts';
import { handle } from '../../workers/evs/manager.ts';
import worker from '../../workers/index.ts';
import { bindings, computeProject } from '../ecs/fixtures.ts';
import { availableVolume, cinder, heldGb } from '../evs/fixtures.ts';
import { send } from '../request.ts';
import { usageOf, waitBackup, waitSnapshot } from './fixtures.ts';

const dead = async (body: StorageMessage) => {
  const batch = createMessageBatch<StorageMessage>('fe-storage-dlq', [{ id: 'm1', timestamp: new Date(), attempts: 6, body }]);
  await worker.queue(batch as never, bindings);
  await getQueueResult(batch, createExecutionContext());
};

describe('snapshot and backup steps', () => {
  it('writes one hold and one usage event however often a step is delivered', async () => {
    const p = await computeProject('steps');
    const v = await availableVolume(p, { size: 3 });
    const s = (await cinder(p, 'POST', '/snapshots', { snapshot: { volume_id: v.id } })).body.snapshot;
    await waitSnapshot(p, s.id, 'available');
    const b = (await cinder(p, 'POST', '/backups', { backup: { volume_id: v.id } })).body.backup;
    await waitBackup(p, b.id, 'available');
    await handle(bindings, { kind: 'snapshot-create', projectId: p.project, snapshotId: s.id });
    await handle(bindings, { kind: 'backup-create', projectId: p.project, backupId: b.id });
    expect(await heldGb(v.availability_zone, s.id)).toBe(3);
    expect((await usageOf(p.project, s.id)).length).toBe(1);
    expect((await usageOf(p.project, b.id)).length).toBe(1);
    expect((await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status).toBe('available');
  });

  it('drives a backup whose step was lost again from the alarm', async () => {
    const p = await computeProject('steps');
    const v = await availableVolume(p, { size: 2 });
    const stub = bindings.TENANT.getByName(p.project);
    const id = crypto.randomUUID();
    const old = new Date(Date.now() - 120_000).toISOString();
    // A backup recorded as a create would, whose queue message never arrived (made stale by the clock).
    await runInDurableObject(stub, async (_o, state) => {
      state.storage.sql.exec(
        `INSERT INTO backups (id, volume_id, size, stored_gb, status, zone, volume_type, user_id, data_timestamp, created_at, updated_at)
         VALUES (?, ?, 2, 2, 'creating', ?, 'SATA', 'u', ?, ?, ?)`,
        id,
        v.id,
        v.availability_zone,
        old,
        old,
        old,
      );
      state.storage.sql.exec(`UPDATE volumes SET status = 'backing-up', pending = '{"restoreFrom":"available"}' WHERE id = ?`, v.id);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await waitBackup(p, id, 'available');
    expect((await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status).toBe('available');
  });

  it('ends a dead-lettered backup in error (its volume released) and a dead-lettered snapshot in error', async () => {
    const p = await computeProject('steps');
    const v = await availableVolume(p, { size: 2 });
    const stub = bindings.TENANT.getByName(p.project);
    const made = await stub.createBackup(p.project, {
      id: crypto.randomUUID(),
      volumeId: v.id,
      name: 'b',
      description: null,
      force: false,
      userId: 'u',
    });
    expect('ok' in made).toBe(true);
    const backupId = 'ok' in made ? made.ok.id : '';
    // The queue's own delivery of the step runs first (so that it cannot land after the state set below).
    await waitBackup(p, backupId, 'available');
    // Its step is given up on before it ran: put it back in creating, as the queue's retries would have found it.
    await runInDurableObject(stub, async (_o, state) => {
      state.storage.sql.exec(`UPDATE backups SET status = 'creating' WHERE id = ?`, backupId);
      state.storage.sql.exec(`UPDATE volumes SET status = 'backing-up', pending = '{"restoreFrom":"available"}' WHERE id = ?`, v.id);
    });
    await dead({ kind: 'backup-create', projectId: p.project, backupId });
    const b = (await cinder(p, 'GET', `/backups/${backupId}`)).body.backup;
    expect(b).toMatchObject({ status: 'error', fail_reason: expect.stringMatching(/failed repeatedly/) });
    expect((await cinder(p, 'GET', `/volumes/${v.id}`)).body.volume.status).toBe('available');

    const s = (await send(p.token, 'POST', `/evs/v3/${p.project}/snapshots`, { snapshot: { volume_id: v.id } })).body.snapshot;
    await waitSnapshot(p, s.id, 'available');
    await runInDurableObject(stub, async (_o, state) => {
      state.storage.sql.exec(`UPDATE snapshots SET status = 'creating' WHERE id = ?`, s.id);
    });
    await dead({ kind: 'snapshot-create', projectId: p.project, snapshotId: s.id });
    expect((await cinder(p, 'GET', `/snapshots/${s.id}`)).body.snapshot.status).toBe('error');
    // An errored backup and snapshot may be deleted.
    expect((await cinder(p, 'DELETE', `/backups/${backupId}`)).status).toBe(202);
    expect((await cinder(p, 'DELETE', `/snapshots/${s.id}`)).status).toBe(202);
    await waitBackup(p, backupId, 'deleted');
    await waitSnapshot(p, s.id, 'deleted');
  });
});

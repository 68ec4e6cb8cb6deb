/**
 * The zones' storage pools: holds are atomic (concurrent creates never overbook the last GB; the ones that do not
 * fit end in `error` with the reason and hold nothing), an operator changes a pool, and a customer may not; a
 * volume step that stopped is driven again by the tenant's alarm, and one the queue gave up on ends in error.
 */
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorageMessage } from '../../core/evs/messages.ts';
import worker from '../../workers/index.ts';
import { bindings, computeProject } from '../ecs/fixtures.ts';
import { operatorAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';
import { cinder, heldGb, waitVolumeStatus } from './fixtures.ts';

// Region eu-west-1's SAS pool in eu-west-1b is this file's alone: no other test makes SAS volumes there.
const ZONE = 'eu-west-1b';

async function setPool(patch: { capacity_gb?: number; enabled?: boolean }, token?: string) {
  const op = token ?? (await tokenFor(await operatorAccount()));
  return send(op, 'PUT', `/evs/admin/zones/${ZONE}/pools/SAS`, { pool: patch });
}

describe('storage pools', () => {
  afterEach(async () => {
    await setPool({ capacity_gb: 1_000_000, enabled: true });
  });

  it('holds atomically: of 6 concurrent 10 GB volumes in a 25 GB pool, 2 are made and 4 fail, holding nothing', async () => {
    const p = await computeProject('pool', { region: 1 });
    const used = (
      await send(
        await tokenFor(await operatorAccount()),
        'GET',
        `/evs/v3/${(await operatorAccount()).projects[0]!.id}/scheduler-stats/get_pools?detail=true`,
      )
    ).body.pools;
    const sasUsed = used.find((x: any) => x.name === `evs@${ZONE}#SAS`)?.capabilities.allocated_capacity_gb ?? 0;
    expect((await setPool({ capacity_gb: sasUsed + 25 })).status).toBe(200);
    const made = await Promise.all(
      Array.from({ length: 6 }, () => cinder(p, 'POST', '/volumes', { volume: { size: 10, volume_type: 'SAS', availability_zone: ZONE } })),
    );
    const ids = made.map((r) => r.body.volume.id as string);
    const final = await Promise.all(ids.map((id) => waitVolumeStatus(p, id, 'available', 'error')));
    expect(final.filter((v) => v.status === 'available')).toHaveLength(2);
    const failed = final.filter((v) => v.status === 'error');
    expect(failed).toHaveLength(4);
    for (const v of failed) expect(await heldGb(ZONE, v.id)).toBeUndefined();
    // A volume in error holds no pool, takes no usage, and can be deleted.
    expect((await cinder(p, 'DELETE', `/volumes/${failed[0]!.id}`)).status).toBe(202);
    await waitVolumeStatus(p, failed[0]!.id, 'deleted');
  });

  it('refuses a pool change to a customer, in the envelope of the operator routes', async () => {
    const p = await computeProject('pool');
    const res = await setPool({ enabled: false }, p.token);
    expect(res.status).toBe(403);
    expect(res.body.error_msg).toMatch(/operator/);
  });

  it('drives a creating volume again from the alarm when its step was lost', async () => {
    const p = await computeProject('pool');
    const stub = bindings.TENANT.getByName(p.project);
    // A volume recorded as a create would, whose queue message never arrived (made stale by the clock).
    const id = crypto.randomUUID();
    const old = new Date(Date.now() - 120_000).toISOString();
    await runInDurableObject(stub, async (_o, state) => {
      state.storage.sql.exec(
        `INSERT INTO volumes (id, name, size, status, zone, volume_type, user_id, created_at, updated_at) VALUES (?, 'lost', 3, 'creating', 'eu-west-0a', 'SATA', 'u', ?, ?)`,
        id,
        old,
        old,
      );
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const v = await waitVolumeStatus(p, id, 'available');
    expect(await heldGb(v.availability_zone, id)).toBe(3);
  });

  it('fails a volume whose step the queue gave up on (the dead-letter consumer)', async () => {
    const p = await computeProject('pool');
    const made = await cinder(p, 'POST', '/volumes', { volume: { size: 2 } });
    const id = made.body.volume.id;
    await waitVolumeStatus(p, id, 'available');
    await cinder(p, 'POST', `/volumes/${id}/action`, { 'os-extend': { new_size: 4 } });
    await runInDurableObject(bindings.TENANT.getByName(p.project), async (_o, state) => {
      state.storage.sql.exec(`UPDATE volumes SET status = 'extending', pending = '{"newSize":4}' WHERE id = ?`, id);
    });
    const batch = createMessageBatch<StorageMessage>('fe-storage-dlq', [
      { id: 'm1', timestamp: new Date(), attempts: 6, body: { kind: 'extend', projectId: p.project, volumeId: id } },
    ]);
    await worker.queue(batch as never, bindings);
    await getQueueResult(batch, createExecutionContext());
    const v = (await cinder(p, 'GET', `/volumes/${id}`)).body.volume;
    expect(v.status).toBe('error_extending');
  });
});

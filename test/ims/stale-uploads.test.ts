/**
 * An upload that stopped without finishing (its Worker crashed, its client went away) does not leave the image
 * `saving` for ever: past the upload time limit the tenant's alarm gives it up, frees what was written, and a
 * file upload's image is `queued` again for its client to retry.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { bindings } from '../ecs/fixtures.ts';
import { bytesOf, createImage, glance, imageProject, upload } from './fixtures.ts';

describe('uploads that never finish', () => {
  it('are given up by the alarm: the image is queued again, its partial bytes freed', async () => {
    const p = await imageProject('stale');
    const img = await createImage(p.token, { name: 'half', disk_format: 'raw', container_format: 'bare' });
    const stub = bindings.TENANT.getByName(p.project);
    // An upload began long ago (past the test run's OBS_PENDING_TTL_MS of a minute) and wrote some bytes.
    const key = `ims/${p.project}/${img.id}`;
    await bindings.OBS_DATA.put(key, new Uint8Array(1024));
    const long = new Date(Date.now() - 3_600_000).toISOString();
    await runInDurableObject(stub, async (_o, state) => {
      state.storage.sql.exec(
        `UPDATE images SET status = 'saving', blob_key = ?, size = 1024, updated_at = ? WHERE id = ?`,
        key,
        long,
        img.id,
      );
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await glance(p.token, 'GET', `/v2/images/${img.id}`);
    expect(after.body.status).toBe('queued');
    expect(await bindings.OBS_DATA.head(key)).toBeNull();
    // Queued again: its client uploads it now, and it becomes active.
    expect((await upload(p.token, img.id, bytesOf(2048))).status).toBe(204);
    expect((await glance(p.token, 'GET', `/v2/images/${img.id}`)).body).toMatchObject({ status: 'active', size: 2048 });
  });
});

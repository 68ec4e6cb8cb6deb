/** Glance v2 image data: streamed upload with its hashes, byte-identical download with Content-MD5, usage events. */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import type { TenantDO } from '../../durable/tenant.ts';
import { usageEvents } from '../../schema/tenant.ts';
import { bytesOf, createImage, digest, download, expectGlanceError, glance, imageProject, patch, upload } from './fixtures.ts';

const bindings = env as unknown as Env;

describe('image data', () => {
  it('uploads (queued -> active, size, md5, sha512) and downloads the same bytes with Content-MD5', async () => {
    const { token } = await imageProject();
    const img = await createImage(token);
    expect((await download(token, img.id)).status).toBe(204);
    const bytes = bytesOf(3 * 1024 * 1024 + 17);
    const put = await upload(token, img.id, bytes);
    expect(put.status, JSON.stringify(put.body)).toBe(204);
    const md5 = await digest('MD5', bytes);
    const shown = (await glance(token, 'GET', `/v2/images/${img.id}`)).body;
    expect(shown).toMatchObject({
      status: 'active',
      size: bytes.byteLength,
      checksum: md5,
      os_hash_algo: 'sha512',
      os_hash_value: await digest('SHA-512', bytes),
    });
    const res = await download(token, img.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-MD5')).toBe(md5);
    expect(res.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(await digest('MD5', await res.arrayBuffer())).toBe(md5);
    // Only a queued image takes data.
    expectGlanceError(await upload(token, img.id, bytes), 409, /transition from active/);
  });

  it('takes a chunked upload (no Content-Length) as well', async () => {
    const { token } = await imageProject();
    const img = await createImage(token);
    const bytes = bytesOf(9 * 1024 * 1024 + 5, 3);
    expect((await upload(token, img.id, bytes, true)).status).toBe(204);
    const res = await download(token, img.id);
    expect(await digest('SHA-512', await res.arrayBuffer())).toBe(await digest('SHA-512', bytes));
  });

  it('records usage: start with the size in GB when active, stop on delete', async () => {
    const { token, project } = await imageProject();
    const img = await createImage(token);
    const bytes = bytesOf(1024 * 1024);
    await upload(token, img.id, bytes);
    expect((await glance(token, 'DELETE', `/v2/images/${img.id}`)).status).toBe(204);
    const events = await runInDurableObject(bindings.TENANT.getByName(project) as unknown as DurableObjectStub<TenantDO>, (o: TenantDO) =>
      (o as unknown as { db: import('drizzle-orm/durable-sqlite').DrizzleSqliteDODatabase }).db.select().from(usageEvents).all(),
    );
    expect(events.map((e) => [e.id, e.meter, e.action, e.quantity])).toEqual([
      [`${img.id}:start`, 'ims.image', 'start', 1 / 1024],
      [`${img.id}:stop`, 'ims.image', 'stop', 0],
    ]);
    expect(await bindings.OBS_DATA.get(`ims/${project}/${img.id}`)).toBeNull();
  });

  it('deactivation forbids downloads until reactivated', async () => {
    const { token } = await imageProject();
    const img = await createImage(token);
    await upload(token, img.id, bytesOf(1000));
    expect((await glance(token, 'POST', `/v2/images/${img.id}/actions/deactivate`)).status).toBe(204);
    expect((await glance(token, 'GET', `/v2/images/${img.id}`)).body.status).toBe('deactivated');
    const refused = await download(token, img.id);
    expect(refused.status).toBe(403);
    await refused.body?.cancel();
    expect((await glance(token, 'POST', `/v2/images/${img.id}/actions/reactivate`)).status).toBe(204);
    expect((await download(token, img.id)).status).toBe(200);
  });

  it('holds uploads to the bytes quota, refusing before reading when the length is declared', async () => {
    const { token, project } = await imageProject();
    await bindings.TENANT.getByName(project).setImageQuotas({ image_size_total: 1 });
    const img = await createImage(token);
    expectGlanceError(await upload(token, img.id, bytesOf(2 * 1024 * 1024)), 413, /image_size_total/);
    expect((await glance(token, 'GET', `/v2/images/${img.id}`)).body.status).toBe('queued');
    expectGlanceError(await upload(token, img.id, bytesOf(2 * 1024 * 1024), true), 413, /image_size_total/);
    expect((await glance(token, 'GET', `/v2/images/${img.id}`)).body.status).toBe('queued');
    expect((await upload(token, img.id, bytesOf(1000))).status).toBe(204);
  });

  it('counts uploads running side by side against the bytes quota together', async () => {
    const { token, project } = await imageProject();
    await bindings.TENANT.getByName(project).setImageQuotas({ image_size_total: 3 });
    const [a, b] = [await createImage(token), await createImage(token)];
    const statuses = (
      await Promise.all([upload(token, a.id, bytesOf(2 * 1024 * 1024)), upload(token, b.id, bytesOf(2 * 1024 * 1024))])
    ).map((r) => r.status);
    expect(statuses.sort()).toEqual([204, 413]);
    const shown = await Promise.all([a, b].map(async (i) => (await glance(token, 'GET', `/v2/images/${i.id}`)).body));
    expect(shown.map((i) => [i.status, i.size]).sort()).toEqual([
      ['active', 2 * 1024 * 1024],
      ['queued', null],
    ]);
  });

  it('refuses disk and container format changes once the image has data', async () => {
    const { token } = await imageProject();
    const img = await createImage(token);
    await upload(token, img.id, bytesOf(10));
    expectGlanceError(
      await patch(token, img.id, [{ op: 'replace', path: '/disk_format', value: 'raw' }]),
      403,
      /only replaced for a queued image/,
    );
  });

  it('refuses bad uploads without a 500: media type, unknown image, an image of another project', async () => {
    const owner = await imageProject();
    const other = await imageProject();
    const img = await createImage(owner.token);
    const { call } = await import('../request.ts');
    const wrongType = await call(`/ims/v2/images/${img.id}/file`, {
      method: 'PUT',
      token: owner.token,
      headers: { 'Content-Type': 'text/plain', Accept: 'application/json' },
      body: 'x',
    });
    expect(wrongType.status).toBe(415);
    expect((await glance(owner.token, 'GET', `/v2/images/${img.id}`)).body.status).toBe('queued');
    expectGlanceError(await upload(owner.token, crypto.randomUUID(), bytesOf(10)), 404);
    expectGlanceError(await upload(other.token, img.id, bytesOf(10)), 404);
    await patch(owner.token, img.id, [{ op: 'add', path: '/x', value: 'y' }]);
    await glance(owner.token, 'POST', `/v2/images/${img.id}/members`, { member: other.project });
    expectGlanceError(await upload(other.token, img.id, bytesOf(10)), 403);
    const bare = await glance(owner.token, 'POST', '/v2/images', { name: 'no-formats' });
    expectGlanceError(
      await upload(owner.token, bare.body.id, bytesOf(10)),
      400,
      /disk_format, container_format must be set prior to saving data/,
    );
    expect((await glance(owner.token, 'GET', `/v2/images/${bare.body.id}`)).body.status).toBe('queued');
    expect((await upload(owner.token, img.id, new Uint8Array(0))).status).toBe(204);
    expect((await glance(owner.token, 'GET', `/v2/images/${img.id}`)).body).toMatchObject({
      status: 'active',
      size: 0,
      checksum: await digest('MD5', new Uint8Array(0)),
    });
  });
});

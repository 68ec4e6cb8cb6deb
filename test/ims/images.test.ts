/** Glance v2 image records: create (every key OSC sends), show, JSON-patch, delete, deactivate, tags, quotas. */
import { describe, expect, it } from 'vitest';
import { call } from '../request.ts';
import { createImage, expectGlanceError, glance, imageProject, patch } from './fixtures.ts';

describe('Glance v2 images', () => {
  it('creates an image from what OSC sends: 201, a Location, queued, unknown keys as string properties', async () => {
    const { token, project } = await imageProject();
    const res = await glance(token, 'POST', '/v2/images', {
      disk_format: 'qcow2',
      visibility: 'private',
      name: 'img1',
      container_format: 'bare',
      os_distro: 'ubuntu',
      'owner_specified.openstack.md5': '',
      'owner_specified.openstack.sha256': '',
      'owner_specified.openstack.object': 'images/img1',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const img = res.body;
    expect(res.headers.get('Location')).toBe(`http://cloud.test/ims/v2/images/${img.id}`);
    expect(img).toMatchObject({
      name: 'img1',
      status: 'queued',
      visibility: 'private',
      protected: false,
      owner: project,
      disk_format: 'qcow2',
      container_format: 'bare',
      min_disk: 0,
      min_ram: 0,
      size: null,
      checksum: null,
      tags: [],
      os_distro: 'ubuntu',
      'owner_specified.openstack.object': 'images/img1',
      __imagetype: 'private',
      self: `/v2/images/${img.id}`,
      file: `/v2/images/${img.id}/file`,
      schema: '/v2/schemas/image',
    });
    expect(img.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await glance(token, 'GET', `/v2/images/${img.id}`)).body).toEqual(img);
    // Glance's default visibility is shared.
    expect((await createImage(token)).visibility).toBe('shared');
  });

  it('refuses bad bodies in Glance words and creates nothing', async () => {
    const { token } = await imageProject();
    const cases: [unknown, number, RegExp][] = [
      [{ name: 'x'.repeat(256) }, 400, /does not match schema/],
      [{ visibility: 'everyone' }, 400, /does not match schema/],
      [{ disk_format: 'exe' }, 400, /does not match schema/],
      [{ min_disk: -1 }, 400, /does not match schema/],
      [{ min_ram: '1' }, 400, /does not match schema/],
      [{ protected: 'yes' }, 400, /does not match schema/],
      [{ tags: 'a' }, 400, /does not match schema/],
      [{ os_distro: 5 }, 400, /is not of type 'string'/],
      [{ id: 'not-a-uuid' }, 400, /not a valid UUID/],
      [{ status: 'active' }, 403, /Attribute 'status' is read-only/],
      [{ checksum: 'x' }, 403, /read-only/],
      [{ os_glance_import_task: 'x' }, 403, /read-only/],
      [{ deleted: 'x' }, 403, /reserved/],
      [{ visibility: 'public' }, 403, /publicize_image/],
      [[1, 2], 400, /Invalid input/],
    ];
    for (const [body, status, message] of cases) expectGlanceError(await glance(token, 'POST', '/v2/images', body), status, message);
    const bad = await call('/ims/v2/images', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(400);
    expect((await glance(token, 'GET', '/v2/images?visibility=private')).body.images).toEqual([]);
    // Without asking for JSON, the error is webob's text.
    const text = await call('/ims/v2/images/00000000-0000-0000-0000-000000000000', { token });
    expect(text.status).toBe(404);
    expect(await text.text()).toMatch(/^404 Not Found\n\nNo image found with ID 00000000-0000-0000-0000-000000000000/);
  });

  it('patches with JSON-patch: add, replace, remove; read-only 403, missing 409, wrong media type 415', async () => {
    const { token } = await imageProject();
    const img = await createImage(token, { visibility: 'private', color: 'red' });
    const ok = await patch(token, img.id, [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'add', path: '/min_ram', value: 512 },
      { op: 'add', path: '/os_distro', value: 'debian' },
      { op: 'replace', path: '/color', value: 'blue' },
      { op: 'add', path: '/a~1b', value: 'slash' },
      { op: 'add', path: '/tags', value: ['x', 'y', 'x'] },
    ]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ name: 'renamed', min_ram: 512, os_distro: 'debian', color: 'blue', 'a/b': 'slash', tags: ['x', 'y'] });
    const removed = await patch(token, img.id, [{ op: 'remove', path: '/color' }]);
    expect(removed.body.color).toBeUndefined();
    expectGlanceError(
      await patch(token, img.id, [{ op: 'replace', path: '/status', value: 'active' }]),
      403,
      /Attribute 'status' is read-only/,
    );
    expectGlanceError(await patch(token, img.id, [{ op: 'remove', path: '/name' }]), 403, /may not be removed/);
    expectGlanceError(await patch(token, img.id, [{ op: 'remove', path: '/nope' }]), 409, /Property nope does not exist/);
    expectGlanceError(await patch(token, img.id, [{ op: 'replace', path: '/nope', value: 'x' }]), 409, /Property nope does not exist/);
    expectGlanceError(await patch(token, img.id, [{ op: 'add', path: '/a/b', value: 'x' }]), 400, /Invalid JSON pointer/);
    expectGlanceError(await patch(token, img.id, [{ op: 'move', path: '/name' }]), 400);
    expectGlanceError(await patch(token, img.id, [{ op: 'add', path: '/name' }]), 400);
    expectGlanceError(await patch(token, img.id, '{'), 400);
    expectGlanceError(await patch(token, img.id, { op: 'add' }), 400);
    expectGlanceError(await patch(token, img.id, [{ op: 'add', path: '/visibility', value: 'public' }]), 403, /publicize_image/);
    expectGlanceError(await patch(token, img.id, [], 'application/json'), 415);
    // A refused patch changes nothing, even its valid changes before the refused one.
    const before = (await glance(token, 'GET', `/v2/images/${img.id}`)).body;
    await patch(token, img.id, [
      { op: 'replace', path: '/name', value: 'half' },
      { op: 'remove', path: '/nope' },
    ]);
    expect((await glance(token, 'GET', `/v2/images/${img.id}`)).body).toEqual(before);
  });

  it('deletes (403 while protected), then 404', async () => {
    const { token } = await imageProject();
    const img = await createImage(token, { protected: true });
    expectGlanceError(await glance(token, 'DELETE', `/v2/images/${img.id}`), 403, /protected/);
    await patch(token, img.id, [{ op: 'replace', path: '/protected', value: false }]);
    expect((await glance(token, 'DELETE', `/v2/images/${img.id}`)).status).toBe(204);
    expectGlanceError(await glance(token, 'GET', `/v2/images/${img.id}`), 404, /No image found/);
    expectGlanceError(await glance(token, 'DELETE', `/v2/images/${img.id}`), 404);
  });

  it('tags an image (idempotent add, 404 on removing an absent tag)', async () => {
    const { token } = await imageProject();
    const img = await createImage(token);
    expect((await glance(token, 'PUT', `/v2/images/${img.id}/tags/blue`)).status).toBe(204);
    expect((await glance(token, 'PUT', `/v2/images/${img.id}/tags/blue`)).status).toBe(204);
    expect((await glance(token, 'GET', `/v2/images/${img.id}`)).body.tags).toEqual(['blue']);
    expect((await glance(token, 'DELETE', `/v2/images/${img.id}/tags/blue`)).status).toBe(204);
    expectGlanceError(await glance(token, 'DELETE', `/v2/images/${img.id}/tags/blue`), 404);
  });

  it('refuses to deactivate an image that is not active', async () => {
    const { token } = await imageProject();
    const img = await createImage(token);
    expectGlanceError(
      await glance(token, 'POST', `/v2/images/${img.id}/actions/deactivate`),
      400,
      /Not allowed to deactivate image in status 'queued'/,
    );
  });

  it('refuses to change a public catalogue image (403), and an unknown one is 404', async () => {
    const { token } = await imageProject();
    const pub = (await glance(token, 'GET', '/v2/images?visibility=public')).body.images[0];
    expectGlanceError(await glance(token, 'DELETE', `/v2/images/${pub.id}`), 403);
    expectGlanceError(await patch(token, pub.id, [{ op: 'replace', path: '/name', value: 'x' }]), 403);
    expectGlanceError(await glance(token, 'DELETE', '/v2/images/nope'), 404);
  });

  it('holds the project to its image count quota', async () => {
    const { token, project } = await imageProject();
    const { env } = await import('cloudflare:workers');
    const t = (env as unknown as import('../../core/env.ts').Env).TENANT.getByName(project);
    await t.setImageQuotas({ image_count_total: 2 });
    await Promise.all([createImage(token), createImage(token)]);
    expectGlanceError(await glance(token, 'POST', '/v2/images', { name: 'third' }), 413, /image_count_total/);
  });
});

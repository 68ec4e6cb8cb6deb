/** Private images made from servers (Nova createImage, native cloudimages/action), and servers booted from them. */
import { describe, expect, it } from 'vitest';
import { activeServer, type ComputeProject, computeProject, waitStatus } from '../ecs/fixtures.ts';
import { expectNovaError, nova, send } from '../request.ts';
import { digest, download, glance } from './fixtures.ts';

async function snapshot(p: ComputeProject, serverId: string, name = 'snap') {
  const res = await nova(p.token, p.project, 'POST', `/servers/${serverId}/action`, {
    createImage: { name, metadata: { purpose: 'backup' } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const location = res.headers.get('Location')!;
  expect(location).toMatch(/\/ims\/v2\/images\/[0-9a-f-]{36}$/);
  return location.split('/').pop()!;
}

describe('images of servers', () => {
  it('Nova createImage: 202 with Location; the image is active with its origin, its base OS and honest bytes', async () => {
    const p = await computeProject('imsc');
    const server = await activeServer(p);
    const id = await snapshot(p, server.id);
    const img = (await glance(p.token, 'GET', `/v2/images/${id}`)).body;
    expect(img).toMatchObject({
      name: 'snap',
      status: 'active',
      visibility: 'private',
      owner: p.project,
      __imagetype: 'private',
      __data_origin: `instance,${server.id}`,
      __os_type: 'Linux',
      __platform: 'Ubuntu',
      image_type: 'snapshot',
      instance_uuid: server.id,
      base_image_ref: server.image.id,
      purpose: 'backup',
      container_format: 'bare',
    });
    expect(img.min_disk).toBeGreaterThanOrEqual(40);
    const res = await download(p.token, id);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBe(img.size);
    expect(await digest('MD5', bytes)).toBe(img.checksum);
    expect(new TextDecoder().decode(bytes.slice(0, 64))).toContain(`server ${server.id}`);
  });

  it('refuses bad bodies (400) and an unknown server (404) in Nova words', async () => {
    const p = await computeProject('imsc');
    const server = await activeServer(p);
    expectNovaError(await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { createImage: {} }), 400, 'badRequest');
    expectNovaError(await nova(p.token, p.project, 'POST', `/servers/${server.id}/action`, { createImage: { name: 'x', bogus: 1 } }), 400);
    expectNovaError(await nova(p.token, p.project, 'POST', `/servers/${crypto.randomUUID()}/action`, { createImage: { name: 'x' } }), 404);
  });

  it('boots a server from its own private image, and from an accepted shared one only', async () => {
    const p = await computeProject('imsc');
    const server = await activeServer(p);
    const id = await snapshot(p, server.id);
    const fromOwn = await activeServer(p, { imageRef: id, name: 'from-snap' });
    expect(fromOwn.image.id).toBe(id);
    const other = await computeProject('imsd');
    const bootOther = () =>
      nova(other.token, other.project, 'POST', '/servers', {
        server: { name: 'x', imageRef: id, flavorRef: 's3.small.1', networks: [{ uuid: other.network.id }] },
      });
    expect((await bootOther()).status).toBe(400);
    const share = await fetchPatch(p.token, id, [{ op: 'replace', path: '/visibility', value: 'shared' }]);
    expect(share).toBe(200);
    await glance(p.token, 'POST', `/v2/images/${id}/members`, { member: other.project });
    expect((await bootOther()).status).toBe(400);
    await glance(other.token, 'PUT', `/v2/images/${id}/members/${other.project}`, { status: 'accepted' });
    const accepted = await bootOther();
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect((await waitStatus(other, accepted.body.server.id, 'ACTIVE')).image.id).toBe(id);
  });

  it('native cloudimages/action with instance_id: a job that succeeds, naming the image', async () => {
    const p = await computeProject('imsc');
    const server = await activeServer(p);
    const res = await send(p.token, 'POST', '/ims/v2/cloudimages/action', {
      name: 'native-snap',
      instance_id: server.id,
      description: 'd',
      image_tags: [{ key: 'k', value: 'v' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const job = await send(p.token, 'GET', `/ims/v1/${p.project}/jobs/${res.body.job_id}`);
    expect(job.body).toMatchObject({ status: 'SUCCESS', job_type: 'createImageByInstance', job_id: res.body.job_id, error_code: null });
    const img = (await glance(p.token, 'GET', `/v2/images/${job.body.entities.image_id}`)).body;
    expect(img).toMatchObject({ name: 'native-snap', status: 'active', __description: 'd', tags: ['k.v'] });
    const listed = await send(p.token, 'GET', '/ims/v2/cloudimages?__imagetype=private');
    expect(listed.body.images.map((i: { id: string }) => i.id)).toEqual([img.id]);
    const bad = await send(p.token, 'POST', '/ims/v2/cloudimages/action', { name: 'x', instance_id: crypto.randomUUID() });
    expect(bad.status).toBe(404);
    expect(bad.body).toEqual({ error: { message: expect.any(String), code: expect.stringMatching(/^IMG\./) } });
    const malformed = await send(p.token, 'POST', '/ims/v2/cloudimages/action', { name: '' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('IMG.0001');
  });

  it('boots from a community image of another project, never from a queued one', async () => {
    const p = await computeProject('imsc');
    const server = await activeServer(p);
    const id = await snapshot(p, server.id);
    expect(await fetchPatch(p.token, id, [{ op: 'replace', path: '/visibility', value: 'community' }])).toBe(200);
    const other = await computeProject('imsd');
    const booted = await activeServer(other, { imageRef: id, name: 'from-community' });
    expect(booted.image.id).toBe(id);
    const queued = (await glance(p.token, 'POST', '/v2/images', { name: 'empty', disk_format: 'qcow2', container_format: 'bare' })).body;
    const res = await nova(p.token, p.project, 'POST', '/servers', {
      server: { name: 'x', imageRef: queued.id, flavorRef: 's3.small.1', networks: [{ uuid: p.network.id }] },
    });
    expectNovaError(res, 400, 'badRequest');
  });
});

async function fetchPatch(token: string, id: string, ops: unknown): Promise<number> {
  const { call } = await import('../request.ts');
  const res = await call(`/ims/v2/images/${id}`, {
    method: 'PATCH',
    token,
    headers: { 'Content-Type': 'application/openstack-images-v2.1-json-patch' },
    body: JSON.stringify(ops),
  });
  await res.body?.cancel();
  return res.status;
}

/** Images and OBS: an image from an object the caller may read (`image_url`), an image exported to a bucket. */
import { describe, expect, it } from 'vitest';
import { tokenFor } from '../fixtures.ts';
import { createBucket, obsUser, put, s3 } from '../obs/fixtures.ts';
import { send } from '../request.ts';
import { bytesOf, createImage, digest, download, glance, upload } from './fixtures.ts';

describe('images and OBS', () => {
  it('makes an image from bucket:key (a job), byte for byte; another account may not read the object', async () => {
    const user = await obsUser('imsobs');
    const token = await tokenFor(user.account);
    const bucket = await createBucket(user);
    const bytes = bytesOf(2 * 1024 * 1024 + 3);
    expect((await put(user, bucket, 'images/disk.qcow2', bytes)).status).toBe(200);
    const res = await send(token, 'POST', '/ims/v2/cloudimages/action', {
      name: 'from-obs',
      image_url: `${bucket}:images/disk.qcow2`,
      min_disk: 40,
      os_version: 'Ubuntu 22.04 server 64bit',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const job = (await send(token, 'GET', `/ims/v1/${user.account.projects[0]!.id}/jobs/${res.body.job_id}`)).body;
    expect(job).toMatchObject({ status: 'SUCCESS', job_type: 'createImageByFile' });
    const img = (await glance(token, 'GET', `/v2/images/${job.entities.image_id}`)).body;
    expect(img).toMatchObject({
      status: 'active',
      size: bytes.byteLength,
      checksum: await digest('MD5', bytes),
      __data_origin: `file,${bucket}:images/disk.qcow2`,
      min_disk: 40,
      __os_version: 'Ubuntu 22.04 server 64bit',
    });
    expect(await digest('MD5', await (await download(token, img.id)).arrayBuffer())).toBe(img.checksum);

    const stranger = await obsUser('imsobs');
    const strangerToken = await tokenFor(stranger.account);
    const refused = await send(strangerToken, 'POST', '/ims/v2/cloudimages/action', {
      name: 'steal',
      image_url: `${bucket}:images/disk.qcow2`,
      min_disk: 40,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toMatch(/^IMG\./);
    const missing = await send(token, 'POST', '/ims/v2/cloudimages/action', {
      name: 'nope',
      image_url: `${bucket}:images/none.qcow2`,
      min_disk: 40,
    });
    expect(missing.status).toBe(400);
    expect((await send(strangerToken, 'GET', '/ims/v2/cloudimages?__imagetype=private')).body.images).toEqual([]);
    expect((await send(token, 'GET', '/ims/v2/cloudimages?__imagetype=private')).body.images.map((i: { name: string }) => i.name)).toEqual([
      'from-obs',
    ]);
    expect((await send(token, 'POST', '/ims/v2/cloudimages/action', { name: 'bad', image_url: 'no-colon', min_disk: 40 })).status).toBe(
      400,
    );
  });

  it('exports an image to a bucket the caller may write, and not to one it may not', async () => {
    const user = await obsUser('imsobs');
    const token = await tokenFor(user.account);
    const bucket = await createBucket(user);
    const img = await createImage(token);
    const bytes = bytesOf(70_000);
    await upload(token, img.id, bytes);
    const res = await send(token, 'POST', `/ims/v1/cloudimages/${img.id}/file`, {
      bucket_url: `${bucket}:out/img.qcow2`,
      file_format: 'qcow2',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await send(token, 'GET', `/ims/v1/${user.account.projects[0]!.id}/jobs/${res.body.job_id}`)).body.status).toBe('SUCCESS');
    const got = await s3(user, `/${bucket}/out/img.qcow2`);
    expect(got.status).toBe(200);
    expect(await digest('MD5', await got.arrayBuffer())).toBe(await digest('MD5', bytes));
    const other = await obsUser('imsobs');
    const theirs = await createBucket(other);
    const refused = await send(token, 'POST', `/ims/v1/cloudimages/${img.id}/file`, {
      bucket_url: `${theirs}:x.qcow2`,
      file_format: 'qcow2',
    });
    expect(refused.status).toBe(403);
    expect((await send(token, 'POST', `/ims/v1/cloudimages/${img.id}/file`, { bucket_url: `${bucket}:x` })).status).toBe(400);
    const queued = await createImage(token);
    expect(
      (await send(token, 'POST', `/ims/v1/cloudimages/${queued.id}/file`, { bucket_url: `${bucket}:y`, file_format: 'qcow2' })).status,
    ).toBe(409);
  });

  it('native PATCH takes a JSON-patch as application/json', async () => {
    const user = await obsUser('imsobs');
    const token = await tokenFor(user.account);
    const img = await createImage(token);
    const res = await send(token, 'PATCH', `/ims/v2/cloudimages/${img.id}`, [{ op: 'replace', path: '/name', value: 'native-name' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.name).toBe('native-name');
    const ro = await send(token, 'PATCH', `/ims/v2/cloudimages/${img.id}`, [{ op: 'replace', path: '/status', value: 'active' }]);
    expect(ro.status).toBe(403);
    expect(ro.body.error.code).toMatch(/^IMG\./);
  });
});

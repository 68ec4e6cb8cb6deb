/** OBS tagging: bucket tags (up to 50), object tags (up to 10) per version, changed in place without a new version. */
import { describe, expect, it } from 'vitest';
import { bucketName, createBucket, obsUser, put, s3, xmlText, xmlTexts } from './fixtures.ts';

const tagging = (tags: [string, string][]) =>
  `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

/** The tags of a Tagging document, in order. */
async function tagsOf(res: Response): Promise<[string, string][]> {
  const xml = await res.text();
  const keys = xmlTexts(xml, 'Key');
  const values = xmlTexts(xml, 'Value');
  return keys.map((k, i) => [k, values[i]!]);
}

async function expectError(res: Response, status: number, code: string, what = '') {
  expect(res.status, what).toBe(status);
  expect(xmlText(await res.text(), 'Code'), what).toBe(code);
}

async function versionedBucket() {
  const u = await obsUser();
  const b = await createBucket(u);
  const on = await s3(u, `/${b}?versioning`, {
    method: 'PUT',
    body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
  });
  expect(on.status).toBe(200);
  return { u, b };
}

describe('bucket tagging', () => {
  it('is stored, read back and removed; none is 404 NoSuchTagSet', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await expectError(await s3(u, `/${b}?tagging`), 404, 'NoSuchTagSet');
    const tags: [string, string][] = [
      ['project', 'apollo'],
      ['cost centre', 'R&amp;D'],
      ['empty', ''],
      ['__proto__', 'plain'],
    ];
    expect((await s3(u, `/${b}?tagging`, { method: 'PUT', body: tagging(tags) })).status).toBe(204);
    const got = await s3(u, `/${b}?tagging`);
    expect(got.status).toBe(200);
    expect(await tagsOf(got)).toEqual(tags);
    // A PUT replaces the whole set.
    expect((await s3(u, `/${b}?tagging`, { method: 'PUT', body: tagging([['only', 'one']]) })).status).toBe(204);
    expect(await tagsOf(await s3(u, `/${b}?tagging`))).toEqual([['only', 'one']]);
    expect((await s3(u, `/${b}?tagging`, { method: 'DELETE' })).status).toBe(204);
    await expectError(await s3(u, `/${b}?tagging`), 404, 'NoSuchTagSet');
  });

  it('takes 50 tags, and refuses more, duplicates, reserved and overlong keys, overlong values, bad XML', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const many = (n: number) => Array.from({ length: n }, (_, i): [string, string] => [`k${i}`, `v${i}`]);
    expect((await s3(u, `/${b}?tagging`, { method: 'PUT', body: tagging(many(50)) })).status).toBe(204);
    const cases: [string, string][] = [
      [tagging(many(51)), 'InvalidTag'],
      [
        tagging([
          ['a', '1'],
          ['a', '2'],
        ]),
        'InvalidTag',
      ],
      [tagging([['aws:createdBy', 'me']]), 'InvalidTag'],
      [tagging([['k'.repeat(129), 'v']]), 'InvalidTag'],
      [tagging([['', 'v']]), 'InvalidTag'],
      [tagging([['k', 'v'.repeat(257)]]), 'InvalidTag'],
      ['<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>', 'MalformedXML'],
      ['<Tagging/>', 'MalformedXML'],
      ['tags please', 'MalformedXML'],
    ];
    for (const [body, code] of cases)
      await expectError(await s3(u, `/${b}?tagging`, { method: 'PUT', body }), 400, code, body.slice(0, 60));
    // The 50 tags are still there.
    expect(await tagsOf(await s3(u, `/${b}?tagging`))).toHaveLength(50);
  });

  it("is the owner's: another account and anonymous callers are refused", async () => {
    const [owner, other] = await Promise.all([obsUser(), obsUser()]);
    const b = await createBucket(owner, bucketName(), { 'x-amz-acl': 'public-read-write' });
    expect((await s3(owner, `/${b}?tagging`, { method: 'PUT', body: tagging([['a', '1']]) })).status).toBe(204);
    for (const who of [other, null]) {
      await expectError(await s3(who, `/${b}?tagging`), 403, 'AccessDenied');
      await expectError(await s3(who, `/${b}?tagging`, { method: 'PUT', body: tagging([['b', '2']]) }), 403, 'AccessDenied');
      await expectError(await s3(who, `/${b}?tagging`, { method: 'DELETE' }), 403, 'AccessDenied');
    }
    expect(await tagsOf(await s3(owner, `/${b}?tagging`))).toEqual([['a', '1']]);
  });
});

describe('object tagging', () => {
  it('returns the tags x-amz-tagging stored, counts them on GET, replaces and removes them', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await put(u, b, 'doc.txt', 'text', { 'x-amz-tagging': 'colour=blue&size=large%20one' })).status).toBe(200);
    const got = await s3(u, `/${b}/doc.txt?tagging`);
    expect(got.status).toBe(200);
    expect(got.headers.get('x-amz-version-id')).toBeNull();
    expect(await tagsOf(got)).toEqual([
      ['colour', 'blue'],
      ['size', 'large one'],
    ]);
    const obj = await s3(u, `/${b}/doc.txt`);
    expect(obj.headers.get('x-amz-tagging-count')).toBe('2');
    const etag = obj.headers.get('etag');
    const modified = obj.headers.get('last-modified');
    const replaced = await s3(u, `/${b}/doc.txt?tagging`, { method: 'PUT', body: tagging([['state', 'final']]) });
    expect(replaced.status).toBe(200);
    expect(await tagsOf(await s3(u, `/${b}/doc.txt?tagging`))).toEqual([['state', 'final']]);
    const after = await s3(u, `/${b}/doc.txt`);
    expect(await after.text()).toBe('text');
    expect(after.headers.get('x-amz-tagging-count')).toBe('1');
    expect(after.headers.get('etag')).toBe(etag);
    expect(after.headers.get('last-modified')).toBe(modified);
    expect((await s3(u, `/${b}/doc.txt?tagging`, { method: 'DELETE' })).status).toBe(204);
    const none = await s3(u, `/${b}/doc.txt?tagging`);
    expect(none.status).toBe(200);
    expect(await none.text()).toContain('<TagSet></TagSet>');
    expect((await s3(u, `/${b}/doc.txt`, { method: 'HEAD' })).headers.get('x-amz-tagging-count')).toBeNull();
  });

  it('takes 10 tags and refuses 11, duplicates and invalid keys; a missing key is NoSuchKey', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', 'v');
    const many = (n: number) => Array.from({ length: n }, (_, i): [string, string] => [`t${i}`, `${i}`]);
    expect((await s3(u, `/${b}/k?tagging`, { method: 'PUT', body: tagging(many(10)) })).status).toBe(200);
    await expectError(await s3(u, `/${b}/k?tagging`, { method: 'PUT', body: tagging(many(11)) }), 400, 'BadRequest');
    await expectError(
      await s3(u, `/${b}/k?tagging`, {
        method: 'PUT',
        body: tagging([
          ['d', '1'],
          ['d', '2'],
        ]),
      }),
      400,
      'InvalidTag',
    );
    await expectError(await s3(u, `/${b}/k?tagging`, { method: 'PUT', body: tagging([['k'.repeat(129), '1']]) }), 400, 'InvalidTag');
    await expectError(await s3(u, `/${b}/k?tagging`, { method: 'PUT', body: '<Tagging>' }), 400, 'MalformedXML');
    expect(await tagsOf(await s3(u, `/${b}/k?tagging`))).toHaveLength(10);
    await expectError(await s3(u, `/${b}/missing?tagging`), 404, 'NoSuchKey');
    await expectError(await s3(u, `/${b}/missing?tagging`, { method: 'PUT', body: tagging([['a', '1']]) }), 404, 'NoSuchKey');
    await expectError(await s3(u, `/${b}/k?tagging`, { method: 'POST' }), 405, 'MethodNotAllowed');
  });

  it('tags one version of a versioned key, names it, and makes no new version', async () => {
    const { u, b } = await versionedBucket();
    const v1 = (await put(u, b, 'k', 'one', { 'x-amz-tagging': 'gen=1' })).headers.get('x-amz-version-id')!;
    const v2 = (await put(u, b, 'k', 'two')).headers.get('x-amz-version-id')!;
    expect(v1).toBeTruthy();
    expect(v2).not.toBe(v1);
    const latest = await s3(u, `/${b}/k?tagging`);
    expect(latest.headers.get('x-amz-version-id')).toBe(v2);
    expect(await tagsOf(latest)).toEqual([]);
    const old = await s3(u, `/${b}/k?tagging&versionId=${v1}`);
    expect(old.headers.get('x-amz-version-id')).toBe(v1);
    expect(await tagsOf(old)).toEqual([['gen', '1']]);
    const retag = await s3(u, `/${b}/k?tagging&versionId=${v1}`, { method: 'PUT', body: tagging([['gen', 'first']]) });
    expect(retag.status).toBe(200);
    expect(retag.headers.get('x-amz-version-id')).toBe(v1);
    const tagLatest = await s3(u, `/${b}/k?tagging`, { method: 'PUT', body: tagging([['gen', '2']]) });
    expect(tagLatest.headers.get('x-amz-version-id')).toBe(v2);
    expect(await tagsOf(await s3(u, `/${b}/k?tagging&versionId=${v1}`))).toEqual([['gen', 'first']]);
    expect(await tagsOf(await s3(u, `/${b}/k?tagging`))).toEqual([['gen', '2']]);
    const removed = await s3(u, `/${b}/k?tagging&versionId=${v1}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(removed.headers.get('x-amz-version-id')).toBe(v1);
    expect(await tagsOf(await s3(u, `/${b}/k?tagging`))).toEqual([['gen', '2']]);
    // Still exactly the two versions, the latest unchanged.
    const versions = await (await s3(u, `/${b}?versions`)).text();
    expect(xmlTexts(versions, 'VersionId')).toEqual([v2, v1]);
    const got = await s3(u, `/${b}/k`);
    expect(got.headers.get('x-amz-version-id')).toBe(v2);
    expect(await got.text()).toBe('two');
    await expectError(await s3(u, `/${b}/k?tagging&versionId=nonesuch`), 404, 'NoSuchVersion');
  });

  it('answers a deleted key with NoSuchKey, and a delete marker by version with 405', async () => {
    const { u, b } = await versionedBucket();
    await put(u, b, 'k', 'v');
    const marker = (await s3(u, `/${b}/k`, { method: 'DELETE' })).headers.get('x-amz-version-id')!;
    const res = await s3(u, `/${b}/k?tagging`);
    expect(res.headers.get('x-amz-delete-marker')).toBe('true');
    await expectError(res, 404, 'NoSuchKey');
    await expectError(
      await s3(u, `/${b}/k?tagging&versionId=${marker}`, { method: 'PUT', body: tagging([['a', '1']]) }),
      405,
      'MethodNotAllowed',
    );
  });

  it('lets readers of an object read its tags, and only the owner change them', async () => {
    const [owner, other] = await Promise.all([obsUser(), obsUser()]);
    const b = await createBucket(owner);
    await put(owner, b, 'open', 'x', { 'x-amz-acl': 'public-read', 'x-amz-tagging': 'a=1' });
    await put(owner, b, 'closed', 'x', { 'x-amz-tagging': 'b=2' });
    expect(await tagsOf(await s3(null, `/${b}/open?tagging`))).toEqual([['a', '1']]);
    await expectError(await s3(null, `/${b}/closed?tagging`), 403, 'AccessDenied');
    await expectError(await s3(other, `/${b}/closed?tagging`), 403, 'AccessDenied');
    for (const who of [other, null]) {
      await expectError(await s3(who, `/${b}/open?tagging`, { method: 'PUT', body: tagging([['c', '3']]) }), 403, 'AccessDenied');
      await expectError(await s3(who, `/${b}/open?tagging`, { method: 'DELETE' }), 403, 'AccessDenied');
    }
    expect(await tagsOf(await s3(owner, `/${b}/open?tagging`))).toEqual([['a', '1']]);
  });
});

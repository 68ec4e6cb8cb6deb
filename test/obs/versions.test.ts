/** OBS ListObjectVersions: versions and delete markers in order, markers and paging, prefixes, encoding, stability. */
import { describe, expect, it } from 'vitest';
import { createBucket, encodeKey, type ObsUser, obsUser, put, s3, unescapeXml, xmlText, xmlTexts } from './fixtures.ts';

interface Entry {
  kind: 'Version' | 'DeleteMarker';
  key: string;
  versionId: string;
  latest: boolean;
  xml: string;
}

/** The Version and DeleteMarker elements of a listing, in document order. */
function entries(xml: string): Entry[] {
  return [...xml.matchAll(/<(Version|DeleteMarker)>(.*?)<\/\1>/gs)].map((m) => ({
    kind: m[1] as Entry['kind'],
    key: unescapeXml(xmlText(m[2]!, 'Key')!),
    versionId: xmlText(m[2]!, 'VersionId')!,
    latest: xmlText(m[2]!, 'IsLatest') === 'true',
    xml: m[2]!,
  }));
}

const enableVersioning = (u: ObsUser, b: string, status = 'Enabled') =>
  s3(u, `/${b}?versioning`, { method: 'PUT', body: `<VersioningConfiguration><Status>${status}</Status></VersioningConfiguration>` });

async function putVersion(u: ObsUser, b: string, key: string, body: string): Promise<string> {
  const res = await put(u, b, key, body);
  expect(res.status).toBe(200);
  return res.headers.get('x-amz-version-id')!;
}

async function deleteKey(u: ObsUser, b: string, key: string): Promise<string> {
  const res = await s3(u, `/${b}/${encodeKey(key)}`, { method: 'DELETE' });
  expect(res.status).toBe(204);
  expect(res.headers.get('x-amz-delete-marker')).toBe('true');
  return res.headers.get('x-amz-version-id')!;
}

/** The CommonPrefixes of a listing (they come after every Version and DeleteMarker). */
function commonPrefixes(xml: string): string[] {
  const at = xml.indexOf('<CommonPrefixes>');
  return at < 0 ? [] : xmlTexts(xml.slice(at), 'Prefix');
}

/** Follows NextKeyMarker / NextVersionIdMarker to the end; every page's entries and common prefixes. */
async function listAll(u: ObsUser, b: string, params: string, between?: () => Promise<void>) {
  const all: Entry[] = [];
  const prefixes: string[] = [];
  let markers = '';
  let pages = 0;
  for (;;) {
    const res = await s3(u, `/${b}?versions${params}${markers}`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    all.push(...entries(xml));
    prefixes.push(...commonPrefixes(xml));
    pages++;
    if (xmlText(xml, 'IsTruncated') !== 'true') return { all, prefixes, pages };
    const key = xmlText(xml, 'NextKeyMarker')!;
    const version = xmlText(xml, 'NextVersionIdMarker');
    markers = `&key-marker=${encodeURIComponent(unescapeXml(key))}${version ? `&version-id-marker=${version}` : ''}`;
    await between?.();
  }
}

describe('ListObjectVersions', () => {
  it('lists versions and delete markers interleaved: keys ascending, newest first, with every field', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    const keys = ['alpha', 'beta/one', 'beta/two', 'gamma', 'zeta'];
    const expected: { kind: Entry['kind']; key: string; versionId: string }[][] = keys.map(() => []);
    let n = 0;
    // 25 versions, and a delete marker in the middle of one key's history and at the head of another's.
    while (n < 25) {
      for (let i = 0; i < keys.length && n < 25; i++, n++) {
        expected[i]!.unshift({ kind: 'Version', key: keys[i]!, versionId: await putVersion(u, b, keys[i]!, `${keys[i]} v${n}`) });
      }
      if (n === 10) expected[1]!.unshift({ kind: 'DeleteMarker', key: 'beta/one', versionId: await deleteKey(u, b, 'beta/one') });
    }
    expected[3]!.unshift({ kind: 'DeleteMarker', key: 'gamma', versionId: await deleteKey(u, b, 'gamma') });
    const want = expected.flat();

    const res = await s3(u, `/${b}?versions`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(xmlText(xml, 'Name')).toBe(b);
    expect(xmlText(xml, 'IsTruncated')).toBe('false');
    expect(xml).not.toContain('<NextKeyMarker>');
    const got = entries(xml);
    expect(got.map(({ kind, key, versionId }) => ({ kind, key, versionId }))).toEqual(want);
    // IsLatest on the first of each key only (a delete marker when the key is deleted).
    expect(got.filter((e) => e.latest).map((e) => `${e.kind}:${e.key}`)).toEqual([
      'Version:alpha',
      'Version:beta/one',
      'Version:beta/two',
      'DeleteMarker:gamma',
      'Version:zeta',
    ]);
    const version = got.find((e) => e.kind === 'Version')!;
    expect(xmlText(version.xml, 'ETag')).toMatch(/^&quot;[0-9a-f]{32}&quot;$/);
    expect(xmlText(version.xml, 'Size')).toBe(String('alpha v20'.length));
    expect(xmlText(version.xml, 'StorageClass')).toBe('STANDARD');
    expect(xmlText(version.xml, 'ID')).toBe(u.account.domainId);
    expect(xmlText(version.xml, 'LastModified')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const marker = got.find((e) => e.kind === 'DeleteMarker')!;
    expect(xmlText(marker.xml, 'ID')).toBe(u.account.domainId);
    expect(marker.xml).not.toContain('<ETag>');
    expect(marker.xml).not.toContain('<Size>');

    // Paging four at a time gives exactly the same list, resuming inside a key's history.
    const paged = await listAll(u, b, '&max-keys=4');
    expect(paged.pages).toBe(Math.ceil(want.length / 4));
    expect(paged.all.map(({ kind, key, versionId }) => ({ kind, key, versionId }))).toEqual(want);
    const first = await (await s3(u, `/${b}?versions&max-keys=4`)).text();
    expect(xmlText(first, 'MaxKeys')).toBe('4');
    expect(xmlText(first, 'NextKeyMarker')).toBe('alpha');
    expect(xmlText(first, 'NextVersionIdMarker')).toBe(want[3]!.versionId);
    // A prefix narrows the listing; key-marker alone starts after every version of that key.
    const beta = entries(await (await s3(u, `/${b}?versions&prefix=beta/`)).text());
    expect(beta.map((e) => e.versionId)).toEqual(want.filter((e) => e.key.startsWith('beta/')).map((e) => e.versionId));
    const afterGamma = entries(await (await s3(u, `/${b}?versions&key-marker=gamma`)).text());
    expect(afterGamma.map((e) => e.versionId)).toEqual(want.filter((e) => e.key === 'zeta').map((e) => e.versionId));
  });

  it("shows the null version ('null') among later versions, and a suspended bucket's null delete marker", async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', 'before versioning');
    await put(u, b, 'plain', 'only one');
    const unversioned = entries(await (await s3(u, `/${b}?versions`)).text());
    expect(unversioned.map((e) => [e.key, e.versionId, e.latest])).toEqual([
      ['k', 'null', true],
      ['plain', 'null', true],
    ]);
    await enableVersioning(u, b);
    const v1 = await putVersion(u, b, 'k', 'first versioned');
    await enableVersioning(u, b, 'Suspended');
    const marker = await deleteKey(u, b, 'plain');
    expect(marker).toBe('null');
    const got = entries(await (await s3(u, `/${b}?versions`)).text());
    expect(got.map((e) => [e.kind, e.key, e.versionId, e.latest])).toEqual([
      ['Version', 'k', v1, true],
      ['Version', 'k', 'null', false],
      ['DeleteMarker', 'plain', 'null', true],
    ]);
    // Resuming after the null version of a key.
    const rest = entries(await (await s3(u, `/${b}?versions&key-marker=k&version-id-marker=${v1}`)).text());
    expect(rest.map((e) => [e.key, e.versionId])).toEqual([
      ['k', 'null'],
      ['plain', 'null'],
    ]);
  });

  it('rolls keys up into CommonPrefixes with a delimiter, and pages across them without repeating one', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    for (const key of ['a.txt', 'dir1/x', 'dir1/y', 'dir2/z', 'm.txt', 'dir3/q/r']) {
      await putVersion(u, b, key, '1');
      await putVersion(u, b, key, '2');
    }
    const xml = await (await s3(u, `/${b}?versions&delimiter=/`)).text();
    expect(xmlText(xml, 'Delimiter')).toBe('/');
    expect(entries(xml).map((e) => e.key)).toEqual(['a.txt', 'a.txt', 'm.txt', 'm.txt']);
    expect(commonPrefixes(xml)).toEqual(['dir1/', 'dir2/', 'dir3/']);
    // max-keys counts versions and prefixes together.
    const paged = await listAll(u, b, '&delimiter=/&max-keys=2');
    expect(paged.all.map((e) => e.key)).toEqual(['a.txt', 'a.txt', 'm.txt', 'm.txt']);
    expect(paged.prefixes).toEqual(['dir1/', 'dir2/', 'dir3/']);
    expect(paged.pages).toBe(4);
    const page = await (await s3(u, `/${b}?versions&delimiter=/&max-keys=3`)).text();
    expect(xmlText(page, 'NextKeyMarker')).toBe('dir1/');
    expect(page).not.toContain('<NextVersionIdMarker>');
    // Inside a prefix, the delimiter applies after it.
    const inner = await (await s3(u, `/${b}?versions&delimiter=/&prefix=dir3/`)).text();
    expect(entries(inner)).toEqual([]);
    expect(commonPrefixes(inner)).toEqual(['dir3/q/']);
  });

  it('URL-encodes keys with encoding-type=url', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const odd = 'sp ace/é\u0001&<x>';
    await put(u, b, odd, 'x');
    await put(u, b, 'plain', 'y');
    const xml = await (await s3(u, `/${b}?versions&encoding-type=url&max-keys=1`)).text();
    expect(xmlText(xml, 'EncodingType')).toBe('url');
    expect(entries(xml).map((e) => e.key)).toEqual(['plain']);
    const all = await (await s3(u, `/${b}?versions&encoding-type=url`)).text();
    expect(entries(all).map((e) => decodeURIComponent(e.key))).toEqual(['plain', odd]);
    expect(entries(all)[1]!.key).toBe(encodeURIComponent(odd).replaceAll('%2F', '/'));
    const after = entries(await (await s3(u, `/${b}?versions&key-marker=plain`)).text());
    expect(after.map((e) => e.key)).toEqual([odd]);
  });

  it('resumes after a marker version deleted since the last page, with the older versions of its key', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.unshift(await putVersion(u, b, 'k', `v${i}`));
    const last = await putVersion(u, b, 'l', 'only');
    const first = await (await s3(u, `/${b}?versions&max-keys=2`)).text();
    expect(entries(first).map((e) => e.versionId)).toEqual(ids.slice(0, 2));
    expect(xmlText(first, 'NextVersionIdMarker')).toBe(ids[1]);
    expect((await s3(u, `/${b}/k?versionId=${ids[1]}`, { method: 'DELETE' })).status).toBe(204);
    const rest = entries(await (await s3(u, `/${b}?versions&key-marker=k&version-id-marker=${ids[1]}`)).text());
    expect(rest.map((e) => e.versionId)).toEqual([...ids.slice(2), last]);
  });

  it('refuses a version-id marker without a key marker, a malformed one, and a bad max-keys', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const cases: [string, string][] = [
      ['&version-id-marker=abc', 'A version-id marker cannot be specified without a key marker.'],
      ['&key-marker=k&version-id-marker=not-a-version', 'Invalid version id specified'],
      ['&max-keys=many', 'Provided max-keys not an integer or within integer range'],
      ['&encoding-type=base64', 'Invalid Encoding Method specified in Request'],
    ];
    for (const [params, message] of cases) {
      const res = await s3(u, `/${b}?versions${params}`);
      expect(res.status, params).toBe(400);
      const xml = await res.text();
      expect(xmlText(xml, 'Code'), params).toBe('InvalidArgument');
      expect(xmlText(xml, 'Message'), params).toBe(message);
    }
  });

  it('is denied to another account and answers NoSuchBucket for a missing bucket', async () => {
    const [owner, other] = await Promise.all([obsUser(), obsUser()]);
    const b = await createBucket(owner);
    const denied = await s3(other, `/${b}?versions`);
    expect(denied.status).toBe(403);
    expect(xmlText(await denied.text(), 'Code')).toBe('AccessDenied');
    const missing = await s3(owner, `/${b}-gone?versions`);
    expect(missing.status).toBe(404);
    expect(xmlText(await missing.text(), 'Code')).toBe('NoSuchBucket');
  });

  it('stays exact while versions are written between pages: each version present throughout is listed once', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    const initial: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const key of keys) initial.push(await putVersion(u, b, key, `${key}-${round}`));
    }
    let writes = 0;
    const paged = await listAll(u, b, '&max-keys=4', async () => {
      // New versions of a key already passed, of the key in progress, and of one not reached yet.
      const key = keys[writes++ % keys.length]!;
      await Promise.all([putVersion(u, b, key, 'late'), putVersion(u, b, 'k5', 'late'), deleteKey(u, b, 'k0')]);
    });
    const ids = paged.all.map((e) => e.versionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of initial) expect(ids).toContain(id);
    // Within each key, newest first still holds across pages: the order of a listing made afterwards.
    const after = entries(await (await s3(u, `/${b}?versions`)).text()).map((e) => e.versionId);
    const positions = ids.map((id) => after.indexOf(id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });
});

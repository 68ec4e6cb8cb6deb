/** OBS objects: put/get/head/delete, ranges, conditions, metadata, Content-MD5, copies, multi-delete, bytes freed. */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../request.ts';
import { bucketName, createBucket, encodeKey, obsUser, put, r2Keys, s3, sweep, unescapeXml, xmlText, xmlTexts } from './fixtures.ts';

const md5Hex = async (data: string | Uint8Array) => {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return [...new Uint8Array(await crypto.subtle.digest('MD5', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
};
const md5B64 = async (data: string) => btoa(String.fromCharCode(...(await md5Hex(data)).match(/../g)!.map((h) => Number.parseInt(h, 16))));

describe('objects', () => {
  it('stores and returns bytes with ETag = MD5, type, metadata and stored headers', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const res = await put(u, b, 'dir/hello.txt', 'hello world', {
      'Content-Type': 'text/plain',
      'x-amz-meta-colour': 'blue',
      'x-obs-meta-shape': 'round',
      'Cache-Control': 'max-age=60',
      'Content-Disposition': 'attachment; filename="h.txt"',
    });
    expect(res.status).toBe(200);
    const etag = `"${await md5Hex('hello world')}"`;
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('x-amz-version-id')).toBeNull();
    const got = await s3(u, `/${b}/dir/hello.txt`);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('hello world');
    expect(got.headers.get('etag')).toBe(etag);
    expect(got.headers.get('content-type')).toBe('text/plain');
    expect(got.headers.get('content-length')).toBe('11');
    expect(got.headers.get('x-amz-meta-colour')).toBe('blue');
    expect(got.headers.get('x-amz-meta-shape')).toBe('round');
    expect(got.headers.get('cache-control')).toBe('max-age=60');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="h.txt"');
    expect(got.headers.get('last-modified')).toMatch(/GMT$/);
    const head = await s3(u, `/${b}/dir/hello.txt`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
    expect(await head.text()).toBe('');
  });

  it('answers NoSuchKey for a missing key, and a HEAD with 404 and no body', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const res = await s3(u, `/${b}/missing`);
    expect(res.status).toBe(404);
    const xml = await res.text();
    expect(xmlText(xml, 'Code')).toBe('NoSuchKey');
    expect(xmlText(xml, 'Key')).toBe('missing');
    const head = await s3(u, `/${b}/missing`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });

  it('serves byte ranges, and 416 InvalidRange past the end', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'r', '0123456789');
    const cases: [string, string, string][] = [
      ['bytes=2-5', '2345', 'bytes 2-5/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
    ];
    for (const [range, body, contentRange] of cases) {
      const res = await s3(u, `/${b}/r`, { headers: { Range: range } });
      expect(res.status, range).toBe(206);
      expect(await res.text(), range).toBe(body);
      expect(res.headers.get('content-range'), range).toBe(contentRange);
      expect(res.headers.get('content-length'), range).toBe(String(body.length));
    }
    const bad = await s3(u, `/${b}/r`, { headers: { Range: 'bytes=10-20' } });
    expect(bad.status).toBe(416);
    expect(xmlText(await bad.text(), 'Code')).toBe('InvalidRange');
    // A malformed range is ignored: the whole object.
    const whole = await s3(u, `/${b}/r`, { headers: { Range: 'lines=1-2' } });
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe('0123456789');
  });

  it('honours If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const etag = (await put(u, b, 'c', 'conditional')).headers.get('etag')!;
    const past = new Date(Date.now() - 3_600_000).toUTCString();
    const future = new Date(Date.now() + 3_600_000).toUTCString();
    const status = async (headers: Record<string, string>) => (await s3(u, `/${b}/c`, { headers })).status;
    expect(await status({ 'If-Match': etag })).toBe(200);
    expect(await status({ 'If-Match': '"nope"' })).toBe(412);
    expect(await status({ 'If-None-Match': etag })).toBe(304);
    expect(await status({ 'If-None-Match': '"nope"' })).toBe(200);
    expect(await status({ 'If-Modified-Since': future })).toBe(304);
    expect(await status({ 'If-Modified-Since': past })).toBe(200);
    expect(await status({ 'If-Unmodified-Since': past })).toBe(412);
    expect(await status({ 'If-Unmodified-Since': future })).toBe(200);
    // S3's precedence: If-Match true beats If-Unmodified-Since false; If-None-Match false beats If-Modified-Since true.
    expect(await status({ 'If-Match': etag, 'If-Unmodified-Since': past })).toBe(200);
    expect(await status({ 'If-None-Match': etag, 'If-Modified-Since': past })).toBe(304);
    // A conditional write: If-None-Match: * refuses to overwrite.
    expect((await put(u, b, 'c', 'again', { 'If-None-Match': '*' })).status).toBe(412);
    expect((await put(u, b, 'fresh', 'new', { 'If-None-Match': '*' })).status).toBe(200);
  });

  it('checks Content-MD5: a mismatch stores nothing and frees the bytes', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const good = await put(u, b, 'md5', 'payload', { 'Content-MD5': await md5B64('payload') });
    expect(good.status).toBe(200);
    const before = await r2Keys();
    const bad = await put(u, b, 'md5-bad', 'payload', { 'Content-MD5': await md5B64('other') });
    expect(bad.status).toBe(400);
    expect(xmlText(await bad.text(), 'Code')).toBe('BadDigest');
    const malformed = await put(u, b, 'md5-bad', 'payload', { 'Content-MD5': 'zz' });
    expect(xmlText(await malformed.text(), 'Code')).toBe('InvalidDigest');
    expect((await s3(u, `/${b}/md5-bad`)).status).toBe(404);
    expect(xmlTexts(await (await s3(u, `/${b}?list-type=2`)).text(), 'Key')).toEqual(['md5']);
    await sweep(b);
    expect((await r2Keys()).filter((k) => !before.includes(k))).toEqual([]);
  });

  it('overwrites atomically and frees the old bytes', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'o', 'first version');
    const keysAfterFirst = await r2Keys();
    await put(u, b, 'o', 'second');
    expect(await (await s3(u, `/${b}/o`)).text()).toBe('second');
    await sweep(b);
    const after = await r2Keys();
    expect(after.length).toBe(keysAfterFirst.length);
    expect(after).not.toEqual(keysAfterFirst);
  });

  it('schedules the sweep itself: the replaced bytes leave R2 with no one running the alarm', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'o', 'first version');
    const firstBlobs = await r2Keys();
    await put(u, b, 'o', 'second');
    // The grace period is 0 in tests, so the alarm the overwrite asked for is due at once.
    const deadline = Date.now() + 10_000;
    let left = await r2Keys();
    while (left.length > firstBlobs.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      left = await r2Keys();
    }
    expect(left.length).toBe(firstBlobs.length);
    expect(await (await s3(u, `/${b}/o`)).text()).toBe('second');
  });

  it('stores keys exactly: unicode, encoded slashes, spaces, 1,024 bytes; refuses 1,025', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const keys = ['été/naïve 文字.txt', 'a+b=c&d', 'with space', 'x'.repeat(1024), 'emoji-🙂', 'q?mark#hash', 'quote\'"<>&'];
    for (const key of keys) {
      const res = await put(u, b, key, `body of ${key.length}`);
      expect(res.status, key).toBe(200);
      expect(await (await s3(u, `/${b}/${encodeKey(key)}`)).text(), key).toBe(`body of ${key.length}`);
    }
    const listed = xmlTexts(await (await s3(u, `/${b}?list-type=2`)).text(), 'Key').map(unescapeXml);
    expect(listed.sort()).toEqual([...keys].sort());
    // %2F in a path names the same key as a slash (S3 decodes the path).
    expect(await (await s3(u, `/${b}/${encodeURIComponent('été/naïve 文字.txt')}`)).text()).toBe(`body of ${'été/naïve 文字.txt'.length}`);
    const tooLong = await put(u, b, 'y'.repeat(1025), 'x');
    expect(tooLong.status).toBe(400);
    expect(xmlText(await tooLong.text(), 'Code')).toBe('KeyTooLongError');
  });

  it('copies objects with metadata COPY or REPLACE, across buckets, and refuses a no-op self-copy', async () => {
    const u = await obsUser();
    const [src, dst] = [await createBucket(u), await createBucket(u)];
    await put(u, src, 'orig', 'copied bytes', { 'Content-Type': 'text/plain', 'x-amz-meta-a': '1' });
    const copy = await s3(u, `/${dst}/copy`, { method: 'PUT', headers: { 'x-amz-copy-source': `/${src}/orig` } });
    expect(copy.status).toBe(200);
    const xml = await copy.text();
    expect(xmlText(xml, 'ETag')).toBe(`&quot;${await md5Hex('copied bytes')}&quot;`);
    const got = await s3(u, `/${dst}/copy`);
    expect(await got.text()).toBe('copied bytes');
    expect(got.headers.get('x-amz-meta-a')).toBe('1');
    expect(got.headers.get('content-type')).toBe('text/plain');
    const replaced = await s3(u, `/${src}/orig`, {
      method: 'PUT',
      headers: {
        'x-amz-copy-source': `/${src}/orig`,
        'x-amz-metadata-directive': 'REPLACE',
        'x-amz-meta-b': '2',
        'Content-Type': 'text/csv',
      },
    });
    expect(replaced.status).toBe(200);
    const after = await s3(u, `/${src}/orig`, { method: 'HEAD' });
    expect(after.headers.get('x-amz-meta-b')).toBe('2');
    expect(after.headers.get('x-amz-meta-a')).toBeNull();
    expect(after.headers.get('content-type')).toBe('text/csv');
    const noop = await s3(u, `/${src}/orig`, { method: 'PUT', headers: { 'x-amz-copy-source': `/${src}/orig` } });
    expect(noop.status).toBe(400);
    const failed = await s3(u, `/${dst}/c2`, {
      method: 'PUT',
      headers: { 'x-amz-copy-source': `/${src}/orig`, 'x-amz-copy-source-if-match': '"different"' },
    });
    expect(failed.status).toBe(412);
    const missing = await s3(u, `/${dst}/c3`, { method: 'PUT', headers: { 'x-amz-copy-source': `/${src}/nothing` } });
    expect(missing.status).toBe(404);
  });

  it("cannot copy from another account's private bucket", async () => {
    const [a, b] = await Promise.all([obsUser(), obsUser()]);
    const src = await createBucket(a);
    await put(a, src, 'secret', 's');
    const dst = await createBucket(b);
    const res = await s3(b, `/${dst}/stolen`, { method: 'PUT', headers: { 'x-amz-copy-source': `/${src}/secret` } });
    expect(res.status).toBe(403);
    expect((await s3(b, `/${dst}/stolen`)).status).toBe(404);
  });

  it('deletes many keys in one request, quietly or not', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    for (const k of ['a', 'b', 'c', 'd']) await put(u, b, k, k);
    const body = '<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object><Object><Key>zz</Key></Object></Delete>';
    const res = await s3(u, `/${b}?delete`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(xmlTexts(await res.text(), 'Key')).toEqual(['a', 'b', 'zz']);
    const quiet = await s3(u, `/${b}?delete`, {
      method: 'POST',
      body: '<Delete><Quiet>true</Quiet><Object><Key>c</Key></Object></Delete>',
    });
    expect(xmlTexts(await quiet.text(), 'Key')).toEqual([]);
    expect(xmlTexts(await (await s3(u, `/${b}?list-type=2`)).text(), 'Key')).toEqual(['d']);
    const malformed = await s3(u, `/${b}?delete`, { method: 'POST', body: '<Delete><Object>' });
    expect(malformed.status).toBe(400);
  });

  it('keeps every version when versioning is on: delete markers, get and delete by versionId', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await s3(u, `/${b}?versioning`, { method: 'PUT', body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' });
    const v1 = (await put(u, b, 'k', 'one')).headers.get('x-amz-version-id')!;
    const v2 = (await put(u, b, 'k', 'two')).headers.get('x-amz-version-id')!;
    expect(v1).toBeTruthy();
    expect(v2).not.toBe(v1);
    expect(await (await s3(u, `/${b}/k`)).text()).toBe('two');
    expect(await (await s3(u, `/${b}/k?versionId=${v1}`)).text()).toBe('one');
    const del = await s3(u, `/${b}/k`, { method: 'DELETE' });
    expect(del.headers.get('x-amz-delete-marker')).toBe('true');
    const marker = del.headers.get('x-amz-version-id')!;
    const gone = await s3(u, `/${b}/k`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('x-amz-delete-marker')).toBe('true');
    expect(await (await s3(u, `/${b}/k?versionId=${v2}`)).text()).toBe('two');
    // Removing the delete marker brings the key back.
    expect((await s3(u, `/${b}/k?versionId=${marker}`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await s3(u, `/${b}/k`)).text()).toBe('two');
    // Deleting the current version makes the previous one current.
    await s3(u, `/${b}/k?versionId=${v2}`, { method: 'DELETE' });
    expect(await (await s3(u, `/${b}/k`)).text()).toBe('one');
    const noVersion = await s3(u, `/${b}/k?versionId=nope`);
    expect(xmlText(await noVersion.text(), 'Code')).toBe('NoSuchVersion');
  });

  it('overwrites the null version when versioning is suspended', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const versioning = (s: string) =>
      s3(u, `/${b}?versioning`, { method: 'PUT', body: `<VersioningConfiguration><Status>${s}</Status></VersioningConfiguration>` });
    await versioning('Enabled');
    const v1 = (await put(u, b, 'k', 'kept')).headers.get('x-amz-version-id')!;
    await versioning('Suspended');
    expect((await put(u, b, 'k', 'null one')).headers.get('x-amz-version-id')).toBe('null');
    expect((await put(u, b, 'k', 'null two')).headers.get('x-amz-version-id')).toBe('null');
    expect(await (await s3(u, `/${b}/k`)).text()).toBe('null two');
    expect(await (await s3(u, `/${b}/k?versionId=${v1}`)).text()).toBe('kept');
    expect(await (await s3(u, `/${b}/k?versionId=null`)).text()).toBe('null two');
  });

  it('keeps a storage class per object: STANDARD, WARM, COLD (and the S3 names for them)', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'hot', 'h');
    await put(u, b, 'warm', 'w', { 'x-obs-storage-class': 'WARM' });
    await put(u, b, 'cold', 'c', { 'x-amz-storage-class': 'GLACIER' });
    expect((await s3(u, `/${b}/hot`, { method: 'HEAD' })).headers.get('x-amz-storage-class')).toBeNull();
    expect((await s3(u, `/${b}/warm`, { method: 'HEAD' })).headers.get('x-amz-storage-class')).toBe('WARM');
    expect((await s3(u, `/${b}/cold`, { method: 'HEAD' })).headers.get('x-amz-storage-class')).toBe('COLD');
    const listing = await (await s3(u, `/${b}?list-type=2`)).text();
    expect(xmlTexts(listing, 'StorageClass')).toEqual(['COLD', 'STANDARD', 'WARM']);
    const bad = await put(u, b, 'x', 'x', { 'x-amz-storage-class': 'LUKEWARM' });
    expect(bad.status).toBe(400);
    expect(xmlText(await bad.text(), 'Code')).toBe('InvalidStorageClass');
  });

  it("gives objects that name no class the bucket's default storage class, set at creation or later", async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, { 'x-obs-storage-class': 'WARM' });
    const head = await s3(u, `/${b}`, { method: 'HEAD' });
    expect(head.headers.get('x-obs-storage-class')).toBe('WARM');
    await put(u, b, 'inherits', 'i');
    await put(u, b, 'names-its-own', 'n', { 'x-amz-storage-class': 'STANDARD' });
    const classOf = async (key: string) =>
      (await s3(u, `/${b}/${key}`, { method: 'HEAD' })).headers.get('x-amz-storage-class') ?? 'STANDARD';
    expect(await classOf('inherits')).toBe('WARM');
    expect(await classOf('names-its-own')).toBe('STANDARD');
    // OBS's ?storageClass and its S3 dialect's ?storagePolicy read and change the same default.
    expect(await (await s3(u, `/${b}?storageClass`)).text()).toContain('>WARM</StorageClass>');
    expect(xmlText(await (await s3(u, `/${b}?storagePolicy`)).text(), 'DefaultStorageClass')).toBe('STANDARD_IA');
    const toCold = await s3(u, `/${b}?storagePolicy`, {
      method: 'PUT',
      body: '<StoragePolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><DefaultStorageClass>GLACIER</DefaultStorageClass></StoragePolicy>',
    });
    expect(toCold.status).toBe(200);
    expect(await (await s3(u, `/${b}?storageClass`)).text()).toContain('>COLD</StorageClass>');
    // A multipart upload takes the default when it starts.
    const initiated = await s3(u, `/${b}/mp?uploads`, { method: 'POST' });
    const uploadId = xmlText(await initiated.text(), 'UploadId')!;
    const part = await s3(u, `/${b}/mp?partNumber=1&uploadId=${uploadId}`, { method: 'PUT', body: 'part' });
    const done = await s3(u, `/${b}/mp?uploadId=${uploadId}`, {
      method: 'POST',
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.get('etag')}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(done.status).toBe(200);
    expect(await classOf('mp')).toBe('COLD');
    expect((await s3(u, `/${b}?storageClass`, { method: 'PUT', body: '<StorageClass>STANDARD</StorageClass>' })).status).toBe(200);
    await put(u, b, 'later', 'l');
    expect(await classOf('later')).toBe('STANDARD');
    expect(await classOf('inherits')).toBe('WARM');
    // Bad names and documents are refused; another account can neither read nor change the default.
    const bad = await s3(u, `/${b}?storageClass`, { method: 'PUT', body: '<StorageClass>LUKEWARM</StorageClass>' });
    expect(xmlText(await bad.text(), 'Code')).toBe('InvalidStorageClass');
    expect(xmlText(await (await s3(u, `/${b}?storagePolicy`, { method: 'PUT', body: '<StoragePolicy/>' })).text(), 'Code')).toBe(
      'MalformedXML',
    );
    const other = await obsUser();
    expect((await s3(other, `/${b}?storageClass`)).status).toBe(403);
    expect((await s3(other, `/${b}?storageClass`, { method: 'PUT', body: '<StorageClass>COLD</StorageClass>' })).status).toBe(403);
    const refused = await s3(u, `/${bucketName()}`, { method: 'PUT', headers: { 'x-default-storage-class': 'TEPID' } });
    expect(xmlText(await refused.text(), 'Code')).toBe('InvalidStorageClass');
  });

  it('serves virtual-host style requests: the bucket named by the Host header', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'dir/v.txt', 'virtual');
    const host = `http://${b}.oss.eu-west-0.cloud.test`;
    const send = async (path: string, init: RequestInit = {}) => dispatch(await u.client.sign(host + path, init));
    expect(await (await send('/dir/v.txt')).text()).toBe('virtual');
    expect((await send('/new.txt', { method: 'PUT', body: 'made by host' })).status).toBe(200);
    expect(xmlTexts(await (await send('/?list-type=2')).text(), 'Key')).toEqual(['dir/v.txt', 'new.txt']);
    expect(await (await s3(u, `/${b}/new.txt`)).text()).toBe('made by host');
  });
});

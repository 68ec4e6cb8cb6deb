/** OBS multipart uploads: initiate, parts (and part copies), listings, complete with its checks, abort, races. */

import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { BucketDO } from '../../durable/bucket.ts';
import type { Requester } from '../../durable/obs/access.ts';
import {
  bucketName,
  createBucket,
  encodeKey,
  type ObsUser,
  obsUser,
  put,
  r2Keys,
  s3,
  sweep,
  unescapeXml,
  xmlText,
  xmlTexts,
} from './fixtures.ts';

const MiB = 1024 ** 2;
const toHex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const bytesOf = (data: string | Uint8Array) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);
const md5Hex = async (data: string | Uint8Array) => toHex(await crypto.subtle.digest('MD5', bytesOf(data)));
const sha256Hex = async (data: string | Uint8Array | ArrayBuffer) =>
  toHex(await crypto.subtle.digest('SHA-256', data instanceof ArrayBuffer ? data : bytesOf(data)));
const md5B64 = async (data: string) => btoa(String.fromCharCode(...(await md5Hex(data)).match(/../g)!.map((h) => Number.parseInt(h, 16))));

/** `n` random bytes. */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(at + 65536, n)));
  return out;
}

/** The multipart ETag S3 gives: MD5 of the parts' binary MD5s, then `-N`. */
async function multipartEtag(partMd5s: string[]): Promise<string> {
  const joined = new Uint8Array(partMd5s.flatMap((h) => h.match(/../g)!.map((x) => Number.parseInt(x, 16))));
  return `"${await md5Hex(joined)}-${partMd5s.length}"`;
}

const stubOf = (bucket: string) => (env as unknown as { BUCKET: DurableObjectNamespace<BucketDO> }).BUCKET.getByName(bucket);
const r2 = () => (env as unknown as { OBS_DATA: R2Bucket }).OBS_DATA;

/** One row of the bucket's own tables (read inside its Durable Object). */
async function bucketSql<T>(bucket: string, query: string): Promise<T> {
  return runInDurableObject(stubOf(bucket), async (_instance, state) => state.storage.sql.exec(query).one() as T);
}

/** The R2 blobs of one bucket: its blob keys start with the bucket's incarnation. */
async function bucketBlobs(bucket: string): Promise<string[]> {
  const { incarnation } = await bucketSql<{ incarnation: string }>(bucket, 'select incarnation from bucket');
  return (await r2Keys()).filter((k) => k.startsWith(`${incarnation}/`));
}

const storedBytes = async (bucket: string) => (await bucketSql<{ n: number }>(bucket, 'select stored_bytes as n from bucket')).n;

async function initiate(u: ObsUser, b: string, key: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await s3(u, `/${b}/${key}?uploads`, { method: 'POST', headers });
  expect(res.status).toBe(200);
  const xml = await res.text();
  expect(xmlText(xml, 'Bucket')).toBe(b);
  expect(unescapeXml(xmlText(xml, 'Key')!)).toBe(decodeURIComponent(key));
  return xmlText(xml, 'UploadId')!;
}

const partPath = (b: string, key: string, uploadId: string, n: number | string) => `/${b}/${key}?partNumber=${n}&uploadId=${uploadId}`;

function uploadPart(
  u: ObsUser | null,
  b: string,
  key: string,
  uploadId: string,
  n: number | string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
) {
  return s3(u, partPath(b, key, uploadId, n), { method: 'PUT', body, headers });
}

/** Uploads a part and returns its quoted ETag. */
async function part(u: ObsUser, b: string, key: string, uploadId: string, n: number, body: string | Uint8Array): Promise<string> {
  const res = await uploadPart(u, b, key, uploadId, n, body);
  expect(res.status, await res.clone().text()).toBe(200);
  const etag = res.headers.get('etag')!;
  expect(etag).toBe(`"${await md5Hex(body)}"`);
  return etag;
}

const completeBody = (parts: [number, string][]) =>
  `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;

function complete(u: ObsUser | null, b: string, key: string, uploadId: string, parts: [number, string][]) {
  return s3(u, `/${b}/${key}?uploadId=${uploadId}`, { method: 'POST', body: completeBody(parts) });
}

async function expectError(res: Response, status: number, code: string): Promise<string> {
  const xml = await res.text();
  expect(res.status, xml).toBe(status);
  expect(xmlText(xml, 'Code'), xml).toBe(code);
  return xml;
}

const requester = (u: ObsUser): Requester => ({
  domainId: u.account.domainId,
  userId: u.account.userId,
  userName: u.account.user,
  iamAllows: true,
  context: {},
});

describe('multipart uploads', () => {
  it('assembles 5 MiB + 5 MiB + 1 byte into one object: multipart ETag, bytes, ranges across parts, parts by number', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const sources = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1)];
    const whole = new Uint8Array(10 * MiB + 1);
    whole.set(sources[0]!, 0);
    whole.set(sources[1]!, 5 * MiB);
    whole.set(sources[2]!, 10 * MiB);
    const id = await initiate(u, b, 'big/file.bin', {
      'Content-Type': 'application/x-test',
      'x-amz-meta-origin': 'multipart',
      'x-amz-tagging': 'a=1',
    });
    const etags: string[] = [];
    for (const [i, body] of sources.entries()) etags.push(await part(u, b, 'big/file.bin', id, i + 1, body));
    expect(await storedBytes(b)).toBe(10 * MiB + 1);

    const done = await complete(
      u,
      b,
      'big/file.bin',
      id,
      etags.map((e, i) => [i + 1, e]),
    );
    const xml = await done.text();
    expect(done.status, xml).toBe(200);
    const expected = await multipartEtag(await Promise.all(sources.map((p) => md5Hex(p))));
    expect(expected).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(unescapeXml(xmlText(xml, 'ETag')!)).toBe(expected);
    expect(xmlText(xml, 'Key')).toBe('big/file.bin');
    expect(xmlText(xml, 'Bucket')).toBe(b);
    expect(xmlText(xml, 'Location')).toMatch(new RegExp(`/${b}/big/file.bin$`));
    expect(done.headers.get('x-amz-version-id')).toBeNull();

    const got = await s3(u, `/${b}/big/file.bin`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe(expected);
    expect(got.headers.get('content-length')).toBe(String(10 * MiB + 1));
    expect(got.headers.get('content-type')).toBe('application/x-test');
    expect(got.headers.get('x-amz-meta-origin')).toBe('multipart');
    expect(got.headers.get('x-amz-mp-parts-count')).toBe('3');
    expect(got.headers.get('x-amz-tagging-count')).toBe('1');
    expect(await sha256Hex(await got.arrayBuffer())).toBe(await sha256Hex(whole));
    // The stored bytes are the object's now, counted once.
    expect(await storedBytes(b)).toBe(10 * MiB + 1);

    // A range across the boundary of parts 1 and 2, and one across parts 2 and 3.
    for (const [first, last] of [
      [5 * MiB - 3, 5 * MiB + 2],
      [10 * MiB - 1, 10 * MiB],
    ] as const) {
      const ranged = await s3(u, `/${b}/big/file.bin`, { headers: { Range: `bytes=${first}-${last}` } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes ${first}-${last}/${10 * MiB + 1}`);
      expect([...new Uint8Array(await ranged.arrayBuffer())]).toEqual([...whole.subarray(first, last + 1)]);
    }

    // One part by its number.
    const second = await s3(u, `/${b}/big/file.bin?partNumber=2`);
    expect(second.status).toBe(206);
    expect(second.headers.get('content-range')).toBe(`bytes ${5 * MiB}-${10 * MiB - 1}/${10 * MiB + 1}`);
    expect(second.headers.get('x-amz-mp-parts-count')).toBe('3');
    expect(second.headers.get('content-length')).toBe(String(5 * MiB));
    expect(await sha256Hex(await second.arrayBuffer())).toBe(await sha256Hex(sources[1]!));
    const third = await s3(u, `/${b}/big/file.bin?partNumber=3`, { method: 'HEAD' });
    expect(third.status).toBe(206);
    expect(third.headers.get('content-length')).toBe('1');
    expect(third.headers.get('content-range')).toBe(`bytes ${10 * MiB}-${10 * MiB}/${10 * MiB + 1}`);
    await expectError(await s3(u, `/${b}/big/file.bin?partNumber=4`), 400, 'InvalidPartNumber');
    await expectError(await s3(u, `/${b}/big/file.bin?partNumber=1`, { headers: { Range: 'bytes=0-1' } }), 400, 'InvalidRequest');

    const listing = await (await s3(u, `/${b}?list-type=2`)).text();
    expect(xmlTexts(listing, 'Key')).toEqual(['big/file.bin']);
    expect(unescapeXml(xmlText(listing, 'ETag')!)).toBe(expected);
    expect(xmlText(listing, 'Size')).toBe(String(10 * MiB + 1));

    // The upload is gone: a retried Complete and a late ListParts say so, and nothing was duplicated.
    await expectError(
      await complete(
        u,
        b,
        'big/file.bin',
        id,
        etags.map((e, i) => [i + 1, e]),
      ),
      404,
      'NoSuchUpload',
    );
    await expectError(await s3(u, `/${b}/big/file.bin?uploadId=${id}`), 404, 'NoSuchUpload');
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(3);
    expect(await storedBytes(b)).toBe(10 * MiB + 1);
  });

  it('a simple object is its own part 1', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'plain', 'just bytes');
    const res = await s3(u, `/${b}/plain?partNumber=1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('just bytes');
    expect(res.headers.get('x-amz-mp-parts-count')).toBeNull();
    await expectError(await s3(u, `/${b}/plain?partNumber=2`), 400, 'InvalidPartNumber');
  });

  it('refuses parts under 5 MiB but the last (EntityTooSmall), out of order (InvalidPartOrder), unknown or with another ETag (InvalidPart)', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const id = await initiate(u, b, 'k');
    const e1 = await part(u, b, 'k', id, 1, 'one');
    const e2 = await part(u, b, 'k', id, 2, 'two');
    const small = await expectError(
      await complete(u, b, 'k', id, [
        [1, e1],
        [2, e2],
      ]),
      400,
      'EntityTooSmall',
    );
    expect(xmlText(small, 'MinSizeAllowed')).toBe(String(5 * MiB));
    await expectError(
      await complete(u, b, 'k', id, [
        [2, e2],
        [1, e1],
      ]),
      400,
      'InvalidPartOrder',
    );
    await expectError(
      await complete(u, b, 'k', id, [
        [1, e1],
        [1, e1],
      ]),
      400,
      'InvalidPartOrder',
    );
    const wrong = await expectError(await complete(u, b, 'k', id, [[1, `"${await md5Hex('not one')}"`]]), 400, 'InvalidPart');
    expect(xmlText(wrong, 'PartNumber')).toBe('1');
    await expectError(await complete(u, b, 'k', id, [[3, e1]]), 400, 'InvalidPart');
    await expectError(
      await s3(u, `/${b}/k?uploadId=${id}`, { method: 'POST', body: '<CompleteMultipartUpload></CompleteMultipartUpload>' }),
      400,
      'MalformedXML',
    );
    await expectError(await s3(u, `/${b}/k?uploadId=${id}`, { method: 'POST', body: 'not xml' }), 400, 'MalformedXML');
    // Nothing was written by the refusals; a single small part (it is the last) completes.
    expect((await s3(u, `/${b}/k`)).status).toBe(404);
    const ok = await complete(u, b, 'k', id, [[2, e2.replaceAll('"', '')]]);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(unescapeXml(xmlText(await ok.text(), 'ETag')!)).toBe(await multipartEtag([await md5Hex('two')]));
    expect(await (await s3(u, `/${b}/k`)).text()).toBe('two');
    // Part 1 was not listed: its bytes are garbage, and freed.
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(1);
    expect(await storedBytes(b)).toBe(3);
  });

  it('answers NoSuchUpload for an unknown id, an id of another key, and refuses bad part numbers', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const id = await initiate(u, b, 'real');
    await expectError(await uploadPart(u, b, 'real', 'bogus', 1, 'x'), 404, 'NoSuchUpload');
    await expectError(await uploadPart(u, b, 'other', id, 1, 'x'), 404, 'NoSuchUpload');
    await expectError(await complete(u, b, 'real', 'bogus', [[1, '"00"']]), 404, 'NoSuchUpload');
    await expectError(await s3(u, `/${b}/real?uploadId=bogus`, { method: 'DELETE' }), 404, 'NoSuchUpload');
    await expectError(await s3(u, `/${b}/real?uploadId=bogus`), 404, 'NoSuchUpload');
    for (const n of ['0', '10001', 'x', '']) await expectError(await uploadPart(u, b, 'real', id, n, 'x'), 400, 'InvalidArgument');
    expect((await uploadPart(u, b, 'real', id, 10000, 'x')).status).toBe(200);
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(1);
  });

  it('checks Content-MD5 of a part and keeps nothing of a bad one', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const id = await initiate(u, b, 'm');
    expect((await uploadPart(u, b, 'm', id, 1, 'payload', { 'Content-MD5': await md5B64('payload') })).status).toBe(200);
    await expectError(await uploadPart(u, b, 'm', id, 2, 'payload', { 'Content-MD5': await md5B64('other') }), 400, 'BadDigest');
    const parts = await (await s3(u, `/${b}/m?uploadId=${id}`)).text();
    expect(xmlTexts(parts, 'PartNumber')).toEqual(['1']);
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(1);
  });

  it('replaces a part uploaded again, frees the old bytes, and meters both', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const id = await initiate(u, b, 'r');
    await part(u, b, 'r', id, 1, 'first body');
    const e = await part(u, b, 'r', id, 1, 'second');
    const list = await (await s3(u, `/${b}/r?uploadId=${id}`)).text();
    expect(xmlTexts(list, 'PartNumber')).toEqual(['1']);
    expect(unescapeXml(xmlText(list, 'ETag')!)).toBe(e);
    expect(xmlText(list, 'Size')).toBe('6');
    expect(await storedBytes(b)).toBe(6);
    const metered = await bucketSql<{ n: number }>(b, "select sum(value) as n from meters where metric = 'bytes.in'");
    expect(metered.n).toBe('first body'.length + 'second'.length);
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(1);
    // Go's XML encoder (rclone) writes the ETag's quotes as character references.
    expect((await complete(u, b, 'r', id, [[1, e.replaceAll('"', '&#34;')]])).status).toBe(200);
    expect(await (await s3(u, `/${b}/r`)).text()).toBe('second');
  });

  it('copies a part from another object, whole or a byte range, with the source access checked', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const big = randomBytes(5 * MiB);
    await put(u, b, 'src-big', big);
    await put(u, b, 'src', '0123456789');
    const id = await initiate(u, b, 'dst');
    const copy1 = await s3(u, partPath(b, 'dst', id, 1), { method: 'PUT', headers: { 'x-amz-copy-source': `/${b}/src-big` } });
    const x1 = await copy1.text();
    expect(copy1.status, x1).toBe(200);
    expect(unescapeXml(xmlText(x1, 'ETag')!)).toBe(`"${await md5Hex(big)}"`);
    expect(xmlText(x1, 'LastModified')).toMatch(/^\d{4}-\d\d-\d\dT/);
    const copy2 = await s3(u, partPath(b, 'dst', id, 2), {
      method: 'PUT',
      headers: { 'x-amz-copy-source': `${b}/src`, 'x-amz-copy-source-range': 'bytes=2-5' },
    });
    const x2 = await copy2.text();
    expect(copy2.status, x2).toBe(200);
    expect(unescapeXml(xmlText(x2, 'ETag')!)).toBe(`"${await md5Hex('2345')}"`);
    await expectError(
      await s3(u, partPath(b, 'dst', id, 3), {
        method: 'PUT',
        headers: { 'x-amz-copy-source': `/${b}/src`, 'x-amz-copy-source-range': 'bytes=5-20' },
      }),
      400,
      'InvalidArgument',
    );
    await expectError(
      await s3(u, partPath(b, 'dst', id, 3), {
        method: 'PUT',
        headers: { 'x-amz-copy-source': `/${b}/src`, 'x-amz-copy-source-range': '2-5' },
      }),
      400,
      'InvalidArgument',
    );
    await expectError(
      await s3(u, partPath(b, 'dst', id, 3), { method: 'PUT', headers: { 'x-amz-copy-source': `/${b}/missing` } }),
      404,
      'NoSuchKey',
    );
    const stranger = await obsUser();
    const theirs = await createBucket(stranger);
    await put(stranger, theirs, 'secret', 'private bytes');
    await expectError(
      await s3(u, partPath(b, 'dst', id, 3), { method: 'PUT', headers: { 'x-amz-copy-source': `/${theirs}/secret` } }),
      403,
      'AccessDenied',
    );

    const done = await complete(u, b, 'dst', id, [
      [1, `"${await md5Hex(big)}"`],
      [2, `"${await md5Hex('2345')}"`],
    ]);
    expect(done.status, await done.clone().text()).toBe(200);
    const got = new Uint8Array(await (await s3(u, `/${b}/dst`)).arrayBuffer());
    expect(got.length).toBe(5 * MiB + 4);
    expect(await sha256Hex(got.subarray(0, 5 * MiB))).toBe(await sha256Hex(big));
    expect(new TextDecoder().decode(got.subarray(5 * MiB))).toBe('2345');
    await sweep(b);
    // Two source objects and the two parts of the copy.
    expect((await bucketBlobs(b)).length).toBe(4);
  });

  it('lists parts page by page with the initiator, owner and storage class', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const id = await initiate(u, b, 'p', { 'x-amz-storage-class': 'STANDARD_IA' });
    for (const n of [1, 2, 3, 4, 5]) await part(u, b, 'p', id, n, `part ${n}`);
    const page = async (query: string) => {
      const res = await s3(u, `/${b}/p?uploadId=${id}${query}`);
      expect(res.status).toBe(200);
      return res.text();
    };
    const one = await page('&max-parts=2');
    expect(xmlTexts(one, 'PartNumber')).toEqual(['1', '2']);
    expect(xmlText(one, 'IsTruncated')).toBe('true');
    expect(xmlText(one, 'NextPartNumberMarker')).toBe('2');
    expect(xmlText(one, 'MaxParts')).toBe('2');
    expect(xmlText(one, 'UploadId')).toBe(id);
    expect(xmlText(one, 'StorageClass')).toBe('WARM');
    expect(one).toMatch(/<Initiator><ID>[^<]+<\/ID><DisplayName>[^<]+<\/DisplayName><\/Initiator>/);
    expect(one).toContain(`<Owner><ID>${u.account.domainId}</ID>`);
    const two = await page('&max-parts=2&part-number-marker=2');
    expect(xmlTexts(two, 'PartNumber')).toEqual(['3', '4']);
    expect(xmlText(two, 'PartNumberMarker')).toBe('2');
    const three = await page('&max-parts=2&part-number-marker=4');
    expect(xmlTexts(three, 'PartNumber')).toEqual(['5']);
    expect(xmlText(three, 'IsTruncated')).toBe('false');
    const all = await page('');
    expect(xmlTexts(all, 'PartNumber')).toEqual(['1', '2', '3', '4', '5']);
    expect(xmlTexts(all, 'Size')).toEqual(['6', '6', '6', '6', '6']);
    await expectError(await s3(u, `/${b}/p?uploadId=${id}&part-number-marker=x`), 400, 'InvalidArgument');
    // The completed object keeps the upload's storage class.
    const e = xmlTexts(all, 'ETag').map(unescapeXml);
    expect((await complete(u, b, 'p', id, [[5, e[4]!]])).status).toBe(200);
    expect((await s3(u, `/${b}/p`, { method: 'HEAD' })).headers.get('x-amz-storage-class')).toBe('WARM');
  });

  it('lists uploads with prefix, delimiter, markers, paging and URL encoding', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const keys = ['a/1', 'a/2', 'b/1', 'c', 'c', 'd/e/f'];
    const ids: string[] = [];
    for (const key of keys) ids.push(await initiate(u, b, key));
    const list = async (query: string) => {
      const res = await s3(u, `/${b}?uploads${query}`);
      const xml = await res.text();
      expect(res.status, xml).toBe(200);
      return xml;
    };
    const all = await list('');
    expect(xmlTexts(all, 'Key')).toEqual(keys);
    expect(xmlTexts(all, 'UploadId')).toEqual(ids);
    expect(xmlText(all, 'IsTruncated')).toBe('false');
    expect(xmlText(all, 'StorageClass')).toBe('STANDARD');
    expect(xmlText(all, 'Initiated')).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    const rolled = await list('&delimiter=/');
    expect(xmlTexts(rolled, 'Key')).toEqual(['c', 'c']);
    expect(xmlTexts(rolled, 'Prefix').filter(Boolean)).toEqual(['a/', 'b/', 'd/']);
    const underA = await list('&prefix=a/');
    expect(xmlTexts(underA, 'Key')).toEqual(['a/1', 'a/2']);
    const underD = await list('&prefix=d/&delimiter=/');
    expect(xmlTexts(underD, 'Key')).toEqual([]);
    expect(xmlTexts(underD, 'Prefix')).toEqual(['d/', 'd/e/']);

    // Paging by key and upload id markers, through the two uploads of one key.
    const p1 = await list('&max-uploads=4');
    expect(xmlTexts(p1, 'Key')).toEqual(['a/1', 'a/2', 'b/1', 'c']);
    expect(xmlText(p1, 'IsTruncated')).toBe('true');
    expect(xmlText(p1, 'NextKeyMarker')).toBe('c');
    expect(xmlText(p1, 'NextUploadIdMarker')).toBe(ids[3]);
    const p2 = await list(`&max-uploads=4&key-marker=c&upload-id-marker=${ids[3]}`);
    expect(xmlTexts(p2, 'Key')).toEqual(['c', 'd/e/f']);
    expect(xmlTexts(p2, 'UploadId')).toEqual([ids[4], ids[5]]);
    expect(xmlText(p2, 'IsTruncated')).toBe('false');
    expect(xmlTexts(await list('&key-marker=c'), 'Key')).toEqual(['d/e/f']);

    // Paging with a delimiter: a common prefix as the key marker skips everything under it.
    const d1 = await list('&delimiter=/&max-uploads=2');
    expect(xmlTexts(d1, 'Prefix').filter(Boolean)).toEqual(['a/', 'b/']);
    expect(xmlText(d1, 'IsTruncated')).toBe('true');
    expect(xmlText(d1, 'NextKeyMarker')).toBe('b/');
    const d2 = await list('&delimiter=/&max-uploads=2&key-marker=b/');
    expect(xmlTexts(d2, 'Key')).toEqual(['c', 'c']);
    expect(xmlText(d2, 'IsTruncated')).toBe('true');
    const d3 = await list(`&delimiter=/&max-uploads=2&key-marker=c&upload-id-marker=${ids[4]}`);
    expect(xmlTexts(d3, 'Key')).toEqual([]);
    expect(xmlTexts(d3, 'Prefix').filter(Boolean)).toEqual(['d/']);
    expect(xmlText(d3, 'IsTruncated')).toBe('false');

    await initiate(u, b, encodeKey('sp ace/é'));
    const encoded = await list('&prefix=sp&encoding-type=url');
    expect(xmlTexts(encoded, 'Key')).toEqual(['sp%20ace/%C3%A9']);
    expect(xmlText(encoded, 'EncodingType')).toBe('url');
    const stranger = await obsUser();
    await expectError(await s3(stranger, `/${b}?uploads`), 403, 'AccessDenied');
  });

  it('aborts an upload: 204, its parts freed from R2 and from the stored bytes, the bucket deletable again', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const id = await initiate(u, b, 'gone');
    await part(u, b, 'gone', id, 1, randomBytes(1000));
    await part(u, b, 'gone', id, 2, 'tail');
    await sweep(b);
    const before = await bucketBlobs(b);
    expect(before.length).toBe(2);
    expect(await storedBytes(b)).toBe(1004);
    await expectError(await s3(u, `/${b}`, { method: 'DELETE' }), 409, 'BucketNotEmpty');
    const res = await s3(u, `/${b}/gone?uploadId=${id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    await expectError(await s3(u, `/${b}/gone?uploadId=${id}`), 404, 'NoSuchUpload');
    await expectError(await uploadPart(u, b, 'gone', id, 3, 'late'), 404, 'NoSuchUpload');
    expect(xmlTexts(await (await s3(u, `/${b}?uploads`)).text(), 'Key')).toEqual([]);
    expect(await storedBytes(b)).toBe(0);
    await sweep(b);
    expect(await bucketBlobs(b)).toEqual([]);
    const all = await r2Keys();
    for (const key of before) expect(all).not.toContain(key);
    expect((await s3(u, `/${b}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('another account cannot touch your upload: AccessDenied, and no bytes left behind', async () => {
    const u = await obsUser();
    const stranger = await obsUser();
    const b = await createBucket(u);
    const id = await initiate(u, b, 'mine');
    const e = await part(u, b, 'mine', id, 1, 'owner bytes');
    await expectError(await s3(stranger, `/${b}/mine?uploads`, { method: 'POST' }), 403, 'AccessDenied');
    await expectError(await uploadPart(stranger, b, 'mine', id, 1, 'intruder'), 403, 'AccessDenied');
    await expectError(await uploadPart(null, b, 'mine', id, 2, 'anonymous'), 403, 'AccessDenied');
    await expectError(await s3(stranger, `/${b}/mine?uploadId=${id}`), 403, 'AccessDenied');
    await expectError(await complete(stranger, b, 'mine', id, [[1, e]]), 403, 'AccessDenied');
    await expectError(await s3(stranger, `/${b}/mine?uploadId=${id}`, { method: 'DELETE' }), 403, 'AccessDenied');
    const list = await (await s3(u, `/${b}/mine?uploadId=${id}`)).text();
    expect(unescapeXml(xmlText(list, 'ETag')!)).toBe(e);
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(1);
  });

  it('gives a version id when a versioned bucket completes, keeping the previous version', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await s3(u, `/${b}?versioning`, { method: 'PUT', body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' });
    const first = await put(u, b, 'v', 'simple version');
    const firstId = first.headers.get('x-amz-version-id')!;
    const id = await initiate(u, b, 'v');
    const e = await part(u, b, 'v', id, 1, 'multipart version');
    const done = await complete(u, b, 'v', id, [[1, e]]);
    expect(done.status).toBe(200);
    const versionId = done.headers.get('x-amz-version-id');
    expect(versionId).toBeTruthy();
    expect(versionId).not.toBe(firstId);
    const latest = await s3(u, `/${b}/v`);
    expect(latest.headers.get('x-amz-version-id')).toBe(versionId);
    expect(await latest.text()).toBe('multipart version');
    expect(await (await s3(u, `/${b}/v?versionId=${versionId}`)).text()).toBe('multipart version');
    expect(await (await s3(u, `/${b}/v?versionId=${firstId}`)).text()).toBe('simple version');
    const part1 = await s3(u, `/${b}/v?partNumber=1&versionId=${versionId}`);
    expect(part1.status).toBe(206);
    expect(await part1.text()).toBe('multipart version');
  });
});

describe('multipart races', () => {
  const setup = async () => {
    const u = await obsUser();
    const b = await createBucket(u, bucketName('race'));
    const id = await initiate(u, b, 'k');
    return { u, b, id, stub: stubOf(b) };
  };

  /** What an UploadPart does, step by step: reserve, write the bytes, (later) commit. */
  const reserved = async (u: ObsUser, b: string, id: string, body: string) => {
    const begun = await stubOf(b).beginPart(b, requester(u), 'k', id);
    if (!('ok' in begun)) throw new Error(JSON.stringify(begun));
    await r2().put(begun.ok.blob, body);
    return { key: 'k', uploadId: id, partNumber: 1, blob: begun.ok.blob, size: body.length, etag: await md5Hex(body) };
  };

  it('two uploads of one part number: the last commit wins and the other blob is garbage', async () => {
    const { u, b, id, stub } = await setup();
    const one = await reserved(u, b, id, 'first racer');
    const two = await reserved(u, b, id, 'second');
    expect(await stub.commitPart(b, two)).toMatchObject({ ok: { committed: true } });
    expect(await stub.commitPart(b, one)).toMatchObject({ ok: { committed: true } });
    const list = await (await s3(u, `/${b}/k?uploadId=${id}`)).text();
    expect(xmlTexts(list, 'PartNumber')).toEqual(['1']);
    expect(unescapeXml(xmlText(list, 'ETag')!)).toBe(`"${one.etag}"`);
    expect(await storedBytes(b)).toBe(one.size);
    await sweep(b);
    expect(await bucketBlobs(b)).toEqual([one.blob]);
  });

  it('the same race through HTTP leaves one part and one blob', async () => {
    const { u, b, id } = await setup();
    const results = await Promise.all(['alpha', 'bravo!', 'charlie', 'delta'].map((body) => uploadPart(u, b, 'k', id, 1, body)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const list = await (await s3(u, `/${b}/k?uploadId=${id}`)).text();
    expect(xmlTexts(list, 'PartNumber')).toEqual(['1']);
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(1);
  });

  it('a part committed after its upload was aborted is discarded and answers NoSuchUpload', async () => {
    const { u, b, id, stub } = await setup();
    const late = await reserved(u, b, id, 'late part');
    expect((await s3(u, `/${b}/k?uploadId=${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await stub.commitPart(b, late)).toMatchObject({ ok: { committed: false } });
    expect(await storedBytes(b)).toBe(0);
    await sweep(b);
    expect(await bucketBlobs(b)).toEqual([]);
  });

  it('a part committed after its upload was completed is discarded, and the object is unchanged', async () => {
    const { u, b, id, stub } = await setup();
    const e = await part(u, b, 'k', id, 1, 'kept');
    const late = { ...(await reserved(u, b, id, 'too late')), partNumber: 2 };
    expect((await complete(u, b, 'k', id, [[1, e]])).status).toBe(200);
    expect(await stub.commitPart(b, late)).toMatchObject({ ok: { committed: false } });
    expect(await (await s3(u, `/${b}/k`)).text()).toBe('kept');
    expect(await storedBytes(b)).toBe(4);
    await sweep(b);
    expect((await bucketBlobs(b)).length).toBe(1);
    expect(await bucketBlobs(b)).not.toContain(late.blob);
  });

  it('keeps the stored totals by class equal to the index and the parts in progress, through every kind of change', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const check = async (what: string) => {
      const { kept, index } = await runInDurableObject(stubOf(b), async (_i, state) => ({
        kept: state.storage.sql.exec('select stored_bytes as total, stored_by_class as byClass from bucket').one(),
        index: state.storage.sql
          .exec(
            `select cls, sum(size) as bytes from (
               select storage_class as cls, size from objects where delete_marker = 0
               union all select uploads.storage_class, parts.size from parts join uploads using (upload_id)
             ) group by cls having sum(size) > 0`,
          )
          .toArray(),
      }));
      const expected = Object.fromEntries(index.map((r) => [r.cls, r.bytes]));
      expect(JSON.parse(kept.byClass as string), what).toEqual(expected);
      expect(kept.total, what).toBe(Object.values(expected).reduce((a: number, n) => a + (n as number), 0));
    };
    await put(u, b, 'a', 'x'.repeat(100));
    await put(u, b, 'b', 'y'.repeat(50), { 'x-amz-storage-class': 'WARM' });
    await put(u, b, 'a', 'z'.repeat(70), { 'x-amz-storage-class': 'COLD' });
    await check('puts and an overwrite into another class');
    const copied = await s3(u, `/${b}/c`, { method: 'PUT', headers: { 'x-amz-copy-source': `/${b}/b`, 'x-amz-storage-class': 'COLD' } });
    expect(copied.status).toBe(200);
    await check('a copy into another class');
    await s3(u, `/${b}?versioning`, { method: 'PUT', body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' });
    await put(u, b, 'a', 'w'.repeat(10));
    expect((await s3(u, `/${b}/b`, { method: 'DELETE' })).status).toBe(204);
    await check('versions and a delete marker');
    const inProgress = await initiate(u, b, 'm', { 'x-amz-storage-class': 'WARM' });
    await part(u, b, 'm', inProgress, 1, 'p'.repeat(30));
    await part(u, b, 'm', inProgress, 1, 'q'.repeat(40));
    const done = await initiate(u, b, 'n', { 'x-amz-storage-class': 'COLD' });
    const etag = await part(u, b, 'n', done, 1, 'r'.repeat(20));
    expect((await complete(u, b, 'n', done, [[1, etag]])).status).toBe(200);
    await check('a part replaced in an upload in progress, and a completed upload');
    const aborted = await initiate(u, b, 'o');
    await part(u, b, 'o', aborted, 1, 's'.repeat(5));
    expect((await s3(u, `/${b}/o?uploadId=${aborted}`, { method: 'DELETE' })).status).toBe(204);
    const versions = await (await s3(u, `/${b}?versions&prefix=a`)).text();
    const oldest = xmlTexts(versions, 'VersionId').at(-1)!;
    expect((await s3(u, `/${b}/a?versionId=${oldest}`, { method: 'DELETE' })).status).toBe(204);
    await check('an aborted upload and a version deleted by id');
  });
});

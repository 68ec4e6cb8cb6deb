/**
 * OBS checksums as S3 keeps them: `x-amz-checksum-*` headers and aws-chunked trailers verified on upload and
 * stored; returned on GET and HEAD only with `x-amz-checksum-mode: ENABLED`; multipart uploads opened with an
 * algorithm and a type, whose parts must carry it, listed in ListParts, combined at Complete (FULL_OBJECT: the
 * CRC of all the bytes; COMPOSITE: the checksum of the part checksums, `-N`); and GetObjectAttributes.
 */
import { describe, expect, it } from 'vitest';
import { combineCrcs } from '../../durable/obs/checksums.ts';
import { type ChecksumAlgorithm, hasher } from '../../workers/obs/auth/checksums.ts';
import { awsChunked, b64, checksumOf, text } from './auth-fixtures.ts';
import { createBucket, type ObsUser, obsUser, put, s3, xmlText, xmlTexts } from './fixtures.ts';

const MiB = 1024 ** 2;
const ALGORITHMS: ChecksumAlgorithm[] = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];
const ELEMENT: Record<ChecksumAlgorithm, string> = {
  crc32: 'ChecksumCRC32',
  crc32c: 'ChecksumCRC32C',
  crc64nvme: 'ChecksumCRC64NVME',
  sha1: 'ChecksumSHA1',
  sha256: 'ChecksumSHA256',
};
/** The standard check values of "123456789" (the CRC catalogue's, and FIPS 180's SHA), as base64. */
const CHECK: Record<ChecksumAlgorithm, string> = {
  crc32: 'y/Q5Jg==',
  crc32c: '4waSgw==',
  crc64nvme: 'rosUhgp5mIg=',
  sha1: '98O8HYCOBHMq32eZZczDTKeuNEE=',
  sha256: 'FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=',
};

const codeOf = async (res: Response) => xmlText(await res.text(), 'Code');
const bytes = (b64value: string) => Uint8Array.from(atob(b64value), (c) => c.charCodeAt(0));
const withMode = { 'x-amz-checksum-mode': 'ENABLED' };

/** A checksum computed by the implementation the server uses (its vectors are checked above and in auth-chunked). */
async function digest(algorithm: ChecksumAlgorithm, data: Uint8Array): Promise<string> {
  const h = hasher(algorithm);
  await h.update(data);
  return b64(await h.digest());
}

describe('checksum arithmetic', () => {
  it('CRCs of pieces combine into the CRC of the whole, for every CRC and every split', async () => {
    const whole = text('123456789');
    for (const algorithm of ['crc32', 'crc32c', 'crc64nvme'] as const) {
      for (const cut of [1, 4, 8]) {
        const parts = [
          { checksum: await digest(algorithm, whole.subarray(0, cut)), size: cut },
          { checksum: await digest(algorithm, whole.subarray(cut)), size: 9 - cut },
        ];
        expect(combineCrcs(algorithm, parts), `${algorithm} at ${cut}`).toBe(CHECK[algorithm]);
      }
    }
    // Three pieces, one of them empty (its CRC is 0 and it shifts nothing).
    const three = [
      { checksum: await digest('crc32c', whole.subarray(0, 3)), size: 3 },
      { checksum: await digest('crc32c', new Uint8Array(0)), size: 0 },
      { checksum: await digest('crc32c', whole.subarray(3)), size: 6 },
    ];
    expect(combineCrcs('crc32c', three)).toBe(CHECK.crc32c);
  });
});

describe('OBS checksums on PutObject', () => {
  it('verifies, stores and returns each algorithm, only when the checksum mode is enabled', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    for (const algorithm of ALGORITHMS) {
      const name = `x-amz-checksum-${algorithm}`;
      const res = await put(u, b, algorithm, '123456789', { [name]: CHECK[algorithm] });
      expect(res.status, algorithm).toBe(200);
      expect(res.headers.get(name)).toBe(CHECK[algorithm]);
      expect(res.headers.get('x-amz-checksum-type')).toBe('FULL_OBJECT');
      for (const method of ['GET', 'HEAD']) {
        const on = await s3(u, `/${b}/${algorithm}`, { method, headers: withMode });
        expect(on.headers.get(name), `${method} ${algorithm}`).toBe(CHECK[algorithm]);
        expect(on.headers.get('x-amz-checksum-type')).toBe('FULL_OBJECT');
        const off = await s3(u, `/${b}/${algorithm}`, { method });
        expect(off.headers.get(name)).toBeNull();
      }
      // A range is not what the checksum covers: S3 gives none.
      const range = await s3(u, `/${b}/${algorithm}`, { headers: { ...withMode, Range: 'bytes=0-3' } });
      expect(range.status).toBe(206);
      expect(range.headers.get(name)).toBeNull();
    }
  });

  it('refuses a wrong value (BadDigest), two algorithms at once, and an SDK algorithm with no value; nothing is written', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const wrong = await put(u, b, 'k', '123456789', { 'x-amz-checksum-crc32': CHECK.crc32c });
    expect(wrong.status).toBe(400);
    expect(await codeOf(wrong)).toBe('BadDigest');
    const two = await put(u, b, 'k', '123456789', { 'x-amz-checksum-crc32': CHECK.crc32, 'x-amz-checksum-sha1': CHECK.sha1 });
    expect(two.status).toBe(400);
    expect(xmlText(await two.text(), 'Message')).toBe(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
    const sdkOnly = await put(u, b, 'k', '123456789', { 'x-amz-sdk-checksum-algorithm': 'CRC32' });
    expect(sdkOnly.status).toBe(400);
    expect(await codeOf(sdkOnly)).toBe('InvalidRequest');
    expect((await s3(u, `/${b}/k`, { method: 'HEAD' })).status).toBe(404);
    const sdkWith = await put(u, b, 'k', '123456789', { 'x-amz-sdk-checksum-algorithm': 'CRC32', 'x-amz-checksum-crc32': CHECK.crc32 });
    expect(sdkWith.status).toBe(200);
  });

  it('keeps a checksum sent as an aws-chunked trailer, as the AWS SDKs and CLI v2 send it', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const data = new Uint8Array(100_000).map((_, i) => (i * 31) % 251);
    const value = await checksumOf('crc64nvme', data);
    const body = await awsChunked(data, 65536, { trailer: [['x-amz-checksum-crc64nvme', value]] });
    const res = await s3(u, `/${b}/trailed`, {
      method: 'PUT',
      body,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(data.length),
        'x-amz-trailer': 'x-amz-checksum-crc64nvme',
        'x-amz-sdk-checksum-algorithm': 'CRC64NVME',
      },
    });
    expect(res.status).toBe(200);
    const head = await s3(u, `/${b}/trailed`, { method: 'HEAD', headers: withMode });
    expect(head.headers.get('x-amz-checksum-crc64nvme')).toBe(value);
    expect(head.headers.get('content-length')).toBe('100000');
  });
});

/** Parts of `5 MiB` filled with one byte each, the last of 1,000 bytes. */
const partsOf = (fills: number[]) => fills.map((f, i) => new Uint8Array(i === fills.length - 1 ? 1000 : 5 * MiB).fill(f));

/** Opens an upload with a checksum algorithm (and type), uploads the parts with their checksums; the listed parts. */
async function checksummedUpload(
  u: ObsUser,
  b: string,
  key: string,
  algorithm: ChecksumAlgorithm,
  type: string | null,
  parts: Uint8Array[],
) {
  const headers: Record<string, string> = { 'x-amz-checksum-algorithm': algorithm.toUpperCase() };
  if (type) headers['x-amz-checksum-type'] = type;
  const init = await s3(u, `/${b}/${key}?uploads`, { method: 'POST', headers });
  expect(init.status).toBe(200);
  expect(init.headers.get('x-amz-checksum-algorithm')).toBe(algorithm.toUpperCase());
  const uploadId = xmlText(await init.text(), 'UploadId')!;
  const listed: { number: number; etag: string; checksum: string }[] = [];
  for (const [i, part] of parts.entries()) {
    const checksum = await digest(algorithm, part);
    const res = await s3(u, `/${b}/${key}?partNumber=${i + 1}&uploadId=${uploadId}`, {
      method: 'PUT',
      body: part,
      headers: { [`x-amz-checksum-${algorithm}`]: checksum },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get(`x-amz-checksum-${algorithm}`)).toBe(checksum);
    listed.push({ number: i + 1, etag: res.headers.get('etag')!, checksum });
  }
  return { uploadId, listed };
}

function completeBody(algorithm: ChecksumAlgorithm, listed: { number: number; etag: string; checksum?: string }[]) {
  const el = ELEMENT[algorithm];
  const parts = listed.map(
    (p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>${p.etag}</ETag>${p.checksum ? `<${el}>${p.checksum}</${el}>` : ''}</Part>`,
  );
  return `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`;
}

describe('OBS checksums on multipart uploads', () => {
  it('COMPOSITE: ListParts shows each part checksum; Complete gives the checksum of the checksums, -N, on GET and in the attributes', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const parts = partsOf([1, 2]);
    const { uploadId, listed } = await checksummedUpload(u, b, 'mp', 'sha256', null, parts);
    const list = await (await s3(u, `/${b}/mp?uploadId=${uploadId}`)).text();
    expect(xmlText(list, 'ChecksumAlgorithm')).toBe('SHA256');
    expect(xmlText(list, 'ChecksumType')).toBe('COMPOSITE');
    expect(xmlTexts(list, 'ChecksumSHA256')).toEqual(listed.map((p) => p.checksum));
    const done = await s3(u, `/${b}/mp?uploadId=${uploadId}`, { method: 'POST', body: completeBody('sha256', listed) });
    expect(done.status).toBe(200);
    const joined = new Uint8Array([...bytes(listed[0]!.checksum), ...bytes(listed[1]!.checksum)]);
    const composite = `${await digest('sha256', joined)}-2`;
    const result = await done.text();
    expect(xmlText(result, 'ChecksumSHA256')).toBe(composite);
    expect(xmlText(result, 'ChecksumType')).toBe('COMPOSITE');
    const get = await s3(u, `/${b}/mp`, { method: 'HEAD', headers: withMode });
    expect(get.headers.get('x-amz-checksum-sha256')).toBe(composite);
    // A part read gives that part's own checksum.
    const part2 = await s3(u, `/${b}/mp?partNumber=2`, { method: 'HEAD', headers: withMode });
    expect(part2.headers.get('x-amz-checksum-sha256')).toBe(listed[1]!.checksum);

    const attrs = await s3(u, `/${b}/mp?attributes`, {
      headers: { 'x-amz-object-attributes': 'ETag,Checksum,ObjectParts,StorageClass,ObjectSize', 'x-amz-max-parts': '1' },
    });
    expect(attrs.status).toBe(200);
    const xml = await attrs.text();
    expect(xml).toContain('<GetObjectAttributesResponse');
    expect(xmlText(xml, 'ETag')).toBe(get.headers.get('etag')!.replaceAll('"', ''));
    expect(xmlTexts(xml, 'ChecksumSHA256')).toEqual([composite, listed[0]!.checksum]);
    expect(xmlText(xml, 'PartsCount')).toBe('2');
    expect(xmlText(xml, 'IsTruncated')).toBe('true');
    expect(xmlText(xml, 'NextPartNumberMarker')).toBe('1');
    expect(xmlText(xml, 'Size')).toBe(String(5 * MiB));
    expect(xmlText(xml, 'ObjectSize')).toBe(String(5 * MiB + 1000));
    expect(xmlText(xml, 'StorageClass')).toBe('STANDARD');
  });

  it('FULL_OBJECT: the object gets the CRC of all its bytes, checked against the one the Complete states', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    for (const algorithm of ['crc32', 'crc64nvme'] as const) {
      const parts = partsOf([3, 4, 5]);
      const key = `full-${algorithm}`;
      const { uploadId, listed } = await checksummedUpload(u, b, key, algorithm, 'FULL_OBJECT', parts);
      const whole = await digest(algorithm, new Uint8Array([...parts[0]!, ...parts[1]!, ...parts[2]!]));
      const path = `/${b}/${key}?uploadId=${uploadId}`;
      const liar = await s3(u, path, {
        method: 'POST',
        body: completeBody(algorithm, listed),
        headers: { [`x-amz-checksum-${algorithm}`]: listed[0]!.checksum },
      });
      expect(liar.status).toBe(400);
      expect(await codeOf(liar)).toBe('BadDigest');
      const done = await s3(u, path, {
        method: 'POST',
        body: completeBody(algorithm, listed),
        headers: { [`x-amz-checksum-${algorithm}`]: whole },
      });
      expect(done.status).toBe(200);
      const result = await done.text();
      expect(xmlText(result, ELEMENT[algorithm])).toBe(whole);
      expect(xmlText(result, 'ChecksumType')).toBe('FULL_OBJECT');
      const get = await s3(u, `/${b}/${key}`, { method: 'HEAD', headers: withMode });
      expect(get.headers.get(`x-amz-checksum-${algorithm}`)).toBe(whole);
      expect(get.headers.get('x-amz-checksum-type')).toBe('FULL_OBJECT');
    }
  });

  it('refuses parts without the upload checksum or with another, a listed checksum not the stored one, and impossible types', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const [part] = partsOf([9]);
    const { uploadId, listed } = await checksummedUpload(u, b, 'mp', 'crc32c', null, [part!]);
    const none = await s3(u, `/${b}/mp?partNumber=2&uploadId=${uploadId}`, { method: 'PUT', body: part });
    expect(none.status).toBe(400);
    expect(await codeOf(none)).toBe('InvalidRequest');
    const other = await s3(u, `/${b}/mp?partNumber=2&uploadId=${uploadId}`, {
      method: 'PUT',
      body: '123456789',
      headers: { 'x-amz-checksum-crc32': CHECK.crc32 },
    });
    expect(other.status).toBe(400);
    expect(xmlText(await other.text(), 'Message')).toBe(
      'Checksum Type mismatch occurred, expected checksum Type: crc32c, actual checksum Type: crc32',
    );
    const forged = completeBody('crc32c', [{ ...listed[0]!, checksum: CHECK.crc32c }]);
    const bad = await s3(u, `/${b}/mp?uploadId=${uploadId}`, { method: 'POST', body: forged });
    expect(bad.status).toBe(400);
    expect(await codeOf(bad)).toBe('InvalidPart');
    const missing = await s3(u, `/${b}/mp?uploadId=${uploadId}`, {
      method: 'POST',
      body: completeBody('crc32c', [{ ...listed[0]!, checksum: undefined }]),
    });
    expect(missing.status).toBe(400);
    expect(await codeOf(missing)).toBe('InvalidRequest');
    const impossible: Record<string, string>[] = [
      { 'x-amz-checksum-algorithm': 'SHA256', 'x-amz-checksum-type': 'FULL_OBJECT' },
      { 'x-amz-checksum-algorithm': 'MD7' },
      { 'x-amz-checksum-type': 'COMPOSITE' },
    ];
    for (const headers of impossible) {
      const res = await s3(u, `/${b}/x?uploads`, { method: 'POST', headers });
      expect(res.status, JSON.stringify(headers)).toBe(400);
      expect(await codeOf(res)).toBe('InvalidRequest');
    }
  });
});

describe('OBS GetObjectAttributes', () => {
  it("answers a simple object's asked attributes, refuses an empty or unknown list, and another account", async () => {
    const u = await obsUser();
    const other = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', '123456789', { 'x-amz-checksum-crc32': CHECK.crc32, 'x-amz-storage-class': 'WARM' });
    const res = await s3(u, `/${b}/k?attributes`, { headers: { 'x-amz-object-attributes': 'ObjectSize, Checksum, StorageClass' } });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xmlText(xml, 'ObjectSize')).toBe('9');
    expect(xmlText(xml, 'ChecksumCRC32')).toBe(CHECK.crc32);
    expect(xmlText(xml, 'StorageClass')).toBe('WARM');
    expect(xmlText(xml, 'ETag')).toBeUndefined();
    expect(xml).not.toContain('ObjectParts');
    expect(res.headers.get('last-modified')).not.toBeNull();
    for (const asked of [null, 'Size']) {
      const refused = await s3(u, `/${b}/k?attributes`, { headers: asked ? { 'x-amz-object-attributes': asked } : {} });
      expect(refused.status).toBe(400);
      expect(await codeOf(refused)).toBe('InvalidArgument');
    }
    const stranger = await s3(other, `/${b}/k?attributes`, { headers: { 'x-amz-object-attributes': 'ETag' } });
    expect(stranger.status).toBe(403);
    const missing = await s3(u, `/${b}/nope?attributes`, { headers: { 'x-amz-object-attributes': 'ETag' } });
    expect(missing.status).toBe(404);
  });
});

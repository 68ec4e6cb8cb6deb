/**
 * OBS payloads: aws-chunked bodies (signed chunks, signed and unsigned trailers, the AWS documentation's
 * example), trailing and header checksums, tampering of every part, and large bodies that stream through
 * verification without being held in memory.
 */
import { AwsClient } from 'aws4fetch';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../workers/obs/auth/authenticate.ts';
import { type ChecksumAlgorithm, hasher } from '../../workers/obs/auth/checksums.ts';
import { decodeAwsChunked } from '../../workers/obs/auth/chunked.ts';
import { parseV4Header, verifyV4 } from '../../workers/obs/auth/sigv4.ts';
import {
  awsChunked,
  b64,
  type ChainStart,
  chainOf,
  checksumOf,
  concat,
  EMPTY_SHA256,
  ENDPOINT,
  ENV,
  expectBytes,
  hmacHex,
  type Key,
  newKey,
  readAll,
  readUntilError,
  s3Failure,
  s3Request,
  sha256Hex,
  streamOf,
  text,
  toHex,
} from './auth-fixtures.ts';

let key: Key;
let client: AwsClient;
beforeAll(async () => {
  key = await newKey('obs-chunked');
  client = new AwsClient({ accessKeyId: key.access, secretAccessKey: key.secret, service: 's3', region: 'eu-west-0' });
}, 60_000);

/** Pseudo-random test data (crypto.getRandomValues gives at most 64 KiB a call). */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += 65536) crypto.getRandomValues(out.subarray(off, Math.min(n, off + 65536)));
  return out;
}

type Mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** Signs the headers of an aws-chunked PUT with aws4fetch; the chain start its chunks continue. */
async function chunkedPut(mode: Mode, decodedLength: number, extra: Record<string, string> = {}) {
  const signed = await client.sign(`${ENDPOINT}/bucket/upload.bin`, {
    method: 'PUT',
    headers: {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': mode,
      'x-amz-decoded-content-length': String(decodedLength),
      ...extra,
    },
  });
  return { signed, chain: await chainOf(signed, key.secret) };
}

/** Authenticates an aws-chunked PUT whose encoded body arrives in the given piece sizes. */
async function send(signed: Request, encoded: Uint8Array, pieces?: number[]) {
  return authenticate(ENV, s3Request(signed, { body: streamOf(encoded, pieces), headers: { 'content-length': String(encoded.length) } }));
}

/** The error a verified body fails with, and how many bytes got out before it. */
async function failure(signed: Request, encoded: Uint8Array, pieces?: number[]) {
  const auth = await send(signed, encoded, pieces);
  return readUntilError(auth.body!);
}

describe('checksum algorithms', () => {
  it('give the standard check values for "123456789"', async () => {
    const check = text('123456789');
    const expected: Record<ChecksumAlgorithm, string> = {
      crc32: 'cbf43926',
      crc32c: 'e3069283',
      crc64nvme: 'ae8b14860a799888',
      sha1: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441',
      sha256: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225',
    };
    for (const [algorithm, value] of Object.entries(expected) as [ChecksumAlgorithm, string][]) {
      const h = hasher(algorithm);
      await h.update(check.subarray(0, 4));
      await h.update(check.subarray(4));
      expect(toHex(await h.digest())).toBe(value);
    }
  });

  it('agree with bitwise references across unaligned pieces', async () => {
    const data = randomBytes(10_007);
    for (const algorithm of ['crc32', 'crc32c', 'crc64nvme'] as const) {
      const h = hasher(algorithm);
      for (let off = 0; off < data.length; off += 333) await h.update(data.subarray(off, off + 333));
      expect(b64(await h.digest())).toBe(await checksumOf(algorithm, data));
    }
  });
});

describe('the AWS documentation example (65 KiB in 64 KiB chunks)', () => {
  const headers = () =>
    new Headers({
      host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
    });
  const sigs = [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ];
  const body = (s = sigs) =>
    concat([
      text(`10000;chunk-signature=${s[0]}\r\n`),
      new Uint8Array(65536).fill(0x61),
      text(`\r\n400;chunk-signature=${s[1]}\r\n`),
      new Uint8Array(1024).fill(0x61),
      text(`\r\n0;chunk-signature=${s[2]}\r\n\r\n`),
    ]);

  async function decode(encoded: Uint8Array, pieces?: number[]) {
    const req = { method: 'PUT', rawPath: '/examplebucket/chunkObject.txt', rawQuery: '', headers: headers(), body: null };
    const signing = await verifyV4(
      req,
      parseV4Header(req.headers.get('authorization')!, req.headers),
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    );
    return decodeAwsChunked(streamOf(encoded, pieces), {
      signing,
      signedTrailer: false,
      trailer: [],
      checksums: new Map(),
      decodedLength: 66560,
    });
  }

  it('matches the seed signature and every documented chunk signature, however the reads split', async () => {
    expect(body().length).toBe(66824);
    for (const pieces of [undefined, [1, 1, 1, 2, 3, 5, 8, 1000], [7, 3, 90], [65536 + 50, 11]]) {
      const decoded = await readAll(await decode(body(), pieces));
      expect(decoded.length).toBe(66560);
      expect(decoded.every((b) => b === 0x61)).toBe(true);
    }
  });

  it('fails on a changed chunk signature, changed data or a missing final chunk', async () => {
    const wrongSig = await readUntilError(await decode(body([sigs[0]!, sigs[1]!.replace('0055', '0056'), sigs[2]!])));
    expect(wrongSig.error).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    const swapped = await readUntilError(await decode(body([sigs[1]!, sigs[0]!, sigs[2]!])));
    expect(swapped.error).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const data = body();
    data[66_000] = 0x62;
    const changed = await readUntilError(await decode(data));
    expect(changed.error).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(changed.received).toBeLessThan(66560);
    const truncated = await readUntilError(await decode(body().subarray(0, 66824 - 90)));
    expect(truncated.error).toMatchObject({ code: 'IncompleteBody' });
  });
});

describe('STREAMING-AWS4-HMAC-SHA256-PAYLOAD through authenticate()', () => {
  const data = randomBytes(200_000);

  it('decodes signed chunks split at every awkward boundary', async () => {
    const { signed, chain } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', data.length);
    const encoded = await awsChunked(data, 65536, { chain });
    for (const pieces of [[65536 + 87], [4096], [1000, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89]]) {
      const auth = await send(signed, encoded, pieces);
      expect(auth.length).toBe(data.length);
      expect(auth.caller?.access).toBe(key.access);
      expectBytes(await readAll(auth.body), data);
    }
    // Byte-sized reads through every header, chunk end and the final chunk.
    const small = data.subarray(0, 20_000);
    const tiny = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', small.length);
    expectBytes(
      await readAll((await send(tiny.signed, await awsChunked(small, 8192, { chain: tiny.chain }), [1, 2, 3, 5, 8, 13])).body),
      small,
    );
  });

  it('errors on tampered data or signatures, without letting the whole body out', async () => {
    const { signed, chain } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', data.length);
    const encoded = await awsChunked(data, 65536, { chain });
    const flipped = encoded.slice();
    flipped[encoded.length - 200]! ^= 1;
    const tamperedData = await failure(signed, flipped, [1000]);
    expect(tamperedData.error).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(tamperedData.received).toBeLessThan(data.length);

    const otherChain: ChainStart = { ...chain, seed: chain.seed.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    const foreign = await failure(signed, await awsChunked(data, 65536, { chain: otherChain }));
    expect(foreign.error).toMatchObject({ code: 'SignatureDoesNotMatch' });

    const unsignedChunks = await failure(signed, await awsChunked(data, 65536));
    expect(unsignedChunks.error).toMatchObject({ code: 'SignatureDoesNotMatch' });

    const badSize = await failure(signed, concat([text('zz;chunk-signature=00\r\n'), encoded]));
    expect(badSize.error).toMatchObject({ code: 'InvalidChunkSizeError' });
  });

  it('holds the body to x-amz-decoded-content-length', async () => {
    const longer = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', data.length + 1);
    expect((await failure(longer.signed, await awsChunked(data, 65536, { chain: longer.chain }))).error).toMatchObject({
      code: 'IncompleteBody',
    });
    const shorter = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', data.length - 1);
    expect((await failure(shorter.signed, await awsChunked(data, 65536, { chain: shorter.chain }))).error).toMatchObject({
      code: 'InvalidChunkSizeError',
    });
    const missing = await client.sign(`${ENDPOINT}/bucket/x`, {
      method: 'PUT',
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' },
    });
    expect((await s3Failure(send(missing, new Uint8Array(0)))).code).toBe('MissingContentLength');
  });

  it('verifies an empty aws-chunked body before returning', async () => {
    const { signed, chain } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 0);
    const auth = await send(signed, await awsChunked(new Uint8Array(0), 65536, { chain }));
    expect(auth.length).toBe(0);
    expect((await readAll(auth.body)).length).toBe(0);
    const bad = await awsChunked(new Uint8Array(0), 65536, { chain: { ...chain, seed: EMPTY_SHA256 } });
    expect((await s3Failure(send(signed, bad))).code).toBe('SignatureDoesNotMatch');
  });
});

describe('trailing checksums', () => {
  const data = randomBytes(40_000);

  it('verifies a signed trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', async () => {
    const { signed, chain } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', data.length, {
      'x-amz-trailer': 'x-amz-checksum-crc32c',
    });
    const trailer: [string, string][] = [['x-amz-checksum-crc32c', await checksumOf('crc32c', data)]];
    const auth = await send(signed, await awsChunked(data, 16384, { chain, trailer, signTrailer: true }), [777]);
    expectBytes(await readAll(auth.body), data);

    const wrongValue: [string, string][] = [['x-amz-checksum-crc32c', await checksumOf('crc32c', text('other'))]];
    const badDigest = await failure(signed, await awsChunked(data, 16384, { chain, trailer: wrongValue, signTrailer: true }));
    expect(badDigest.error).toMatchObject({ code: 'BadDigest', status: 400 });
    expect(badDigest.received).toBeLessThan(data.length);

    const encoded = await awsChunked(data, 16384, { chain, trailer, signTrailer: true });
    const sigAt =
      new TextDecoder().decode(encoded.subarray(encoded.length - 100)).indexOf('x-amz-trailer-signature:') + encoded.length - 100;
    const forged = encoded.slice();
    forged[sigAt + 30] = forged[sigAt + 30] === 0x30 ? 0x31 : 0x30;
    expect((await failure(signed, forged)).error).toMatchObject({ code: 'SignatureDoesNotMatch' });

    const unsignedTrailer = await failure(signed, await awsChunked(data, 16384, { chain, trailer }));
    expect(unsignedTrailer.error).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const noTrailer = await failure(signed, await awsChunked(data, 16384, { chain }));
    expect(noTrailer.error).toMatchObject({ code: 'MalformedTrailerError' });
  });

  it('verifies unsigned trailers (STREAMING-UNSIGNED-PAYLOAD-TRAILER) of every algorithm', async () => {
    for (const algorithm of ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const) {
      const { signed } = await chunkedPut('STREAMING-UNSIGNED-PAYLOAD-TRAILER', data.length, {
        'x-amz-trailer': `x-amz-checksum-${algorithm}`,
      });
      const trailer: [string, string][] = [[`x-amz-checksum-${algorithm}`, await checksumOf(algorithm, data)]];
      const auth = await send(signed, await awsChunked(data, 16384, { trailer }), [5000]);
      expectBytes(await readAll(auth.body), data);
      const wrong: [string, string][] = [[`x-amz-checksum-${algorithm}`, await checksumOf(algorithm, data.subarray(1))]];
      expect((await failure(signed, await awsChunked(data, 16384, { trailer: wrong }))).error).toMatchObject({ code: 'BadDigest' });
    }
  });

  it('accepts a trailer whose final empty line is missing, and refuses undeclared or unknown trailers', async () => {
    const { signed } = await chunkedPut('STREAMING-UNSIGNED-PAYLOAD-TRAILER', data.length, { 'x-amz-trailer': 'x-amz-checksum-crc32' });
    const full = await awsChunked(data, 16384, { trailer: [['x-amz-checksum-crc32', await checksumOf('crc32', data)]] });
    expectBytes(await readAll((await send(signed, full.subarray(0, full.length - 2))).body), data);
    const other = await awsChunked(data, 16384, { trailer: [['x-amz-checksum-sha1', await checksumOf('sha1', data)]] });
    expect((await failure(signed, other)).error).toMatchObject({ code: 'MalformedTrailerError' });
    const unknown = await chunkedPut('STREAMING-UNSIGNED-PAYLOAD-TRAILER', data.length, { 'x-amz-trailer': 'x-amz-checksum-md7' });
    expect((await s3Failure(send(unknown.signed, full))).code).toBe('InvalidRequest');
  });

  it('verifies x-amz-checksum-* headers on a plain body', async () => {
    for (const [value, ok] of [
      [await checksumOf('crc32', data), true],
      [await checksumOf('crc32', data.subarray(2)), false],
    ] as const) {
      const signed = await client.sign(`${ENDPOINT}/bucket/plain`, { method: 'PUT', headers: { 'x-amz-checksum-crc32': value } });
      const auth = await authenticate(
        ENV,
        s3Request(signed, { body: streamOf(data, [4096]), headers: { 'content-length': String(data.length) } }),
      );
      const { error } = await readUntilError(auth.body!);
      if (ok) expect(error).toBeNull();
      else expect(error).toMatchObject({ code: 'BadDigest' });
    }
  });
});

describe('large bodies stream through verification', () => {
  const MiB = 1 << 20;
  const block = randomBytes(MiB);
  /** The n-th MiB of a deterministic body: the block stamped with its index. */
  function mebibyte(n: number): Uint8Array {
    const piece = block.slice();
    new DataView(piece.buffer).setUint32(0, n);
    return piece;
  }

  async function sha256Of(total: number): Promise<string> {
    const digest = new crypto.DigestStream('SHA-256');
    const writer = digest.getWriter();
    for (let i = 0; i < total; i++) await writer.write(mebibyte(i));
    await writer.close();
    return toHex(await digest.digest);
  }

  /** A lazily produced body; `produced` tells how much the consumer has pulled so far. */
  function lazyBody(total: number, tamperAt = -1) {
    const state = { produced: 0 };
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i === total) return controller.close();
        const piece = mebibyte(i);
        if (i === tamperAt) piece[12345]! ^= 0xff;
        i++;
        state.produced += piece.length;
        controller.enqueue(piece);
      },
    });
    return { stream, state };
  }

  it('verifies the SHA-256 of a 64 MiB body while it flows, never holding it whole', async () => {
    const total = 64;
    const expected = await sha256Of(total);
    const signed = await client.sign(`${ENDPOINT}/bucket/big`, { method: 'PUT', headers: { 'x-amz-content-sha256': expected } });
    const { stream, state } = lazyBody(total);
    const auth = await authenticate(ENV, s3Request(signed, { body: stream, headers: { 'content-length': String(total * MiB) } }));
    expect(auth.length).toBe(total * MiB);
    const reader = auth.body!.getReader();
    const out = new crypto.DigestStream('SHA-256');
    const writer = out.getWriter();
    let received = 0;
    let producedAtFirstRead = -1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (producedAtFirstRead < 0) producedAtFirstRead = state.produced;
      received += value.length;
      await writer.write(value);
    }
    await writer.close();
    expect(received).toBe(total * MiB);
    expect(toHex(await out.digest)).toBe(expected);
    // Bytes came out while the source had produced only a few MiB: nothing waited for the whole body.
    expect(producedAtFirstRead).toBeLessThanOrEqual(4 * MiB);
  });

  it('errors a tampered 16 MiB body at its end, the last piece withheld', async () => {
    const total = 16;
    const expected = await sha256Of(total);
    const signed = await client.sign(`${ENDPOINT}/bucket/big`, { method: 'PUT', headers: { 'x-amz-content-sha256': expected } });
    const { stream } = lazyBody(total, total - 1);
    const auth = await authenticate(ENV, s3Request(signed, { body: stream, headers: { 'content-length': String(total * MiB) } }));
    const { received, error } = await readUntilError(auth.body!);
    expect(error).toMatchObject({ code: 'XAmzContentSHA256Mismatch' });
    expect(received).toBe((total - 1) * MiB);
  });

  it('decodes a 32 MiB signed aws-chunked body produced on the fly', async () => {
    const total = 32;
    const { signed, chain } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', total * MiB);
    let i = 0;
    let previous = chain.seed;
    const encoder = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (i > total) return controller.close();
        const piece = i < total ? mebibyte(i) : new Uint8Array(0);
        i++;
        const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', chain.amzDate, chain.scope, previous, EMPTY_SHA256, await sha256Hex(piece)].join('\n');
        previous = await hmacHex(chain.key, toSign);
        controller.enqueue(text(`${piece.length.toString(16)};chunk-signature=${previous}\r\n`));
        if (piece.length) controller.enqueue(piece);
        controller.enqueue(text('\r\n'));
      },
    });
    const auth = await authenticate(ENV, s3Request(signed, { body: encoder }));
    const out = new crypto.DigestStream('SHA-256');
    await auth.body!.pipeTo(out);
    expect(toHex(await out.digest)).toBe(await sha256Of(total));
  });
});

describe('a consumer writing the verified body to R2', () => {
  /** Streams a body into R2 as a store does: through a FixedLengthStream of the announced length. */
  async function putToR2(key: string, body: ReadableStream<Uint8Array>, length: number) {
    const sized = new FixedLengthStream(length);
    const piping = body.pipeTo(sized.writable);
    const results = await Promise.allSettled([ENV.OBS_DATA.put(key, sized.readable), piping]);
    return { put: results[0], piped: results[1] };
  }

  it('never commits a body whose hash, chunk signature or checksum fails', async () => {
    const data = randomBytes(3 * 65536 + 100);
    const hashed = await client.sign(`${ENDPOINT}/bucket/r2-hash`, {
      method: 'PUT',
      headers: { 'x-amz-content-sha256': await sha256Hex(data) },
    });
    const ok = await authenticate(
      ENV,
      s3Request(hashed, { body: streamOf(data, [10_000]), headers: { 'content-length': String(data.length) } }),
    );
    const okKey = `auth-test/${crypto.randomUUID()}`;
    expect((await putToR2(okKey, ok.body!, ok.length!)).put.status).toBe('fulfilled');
    expectBytes(new Uint8Array(await (await ENV.OBS_DATA.get(okKey))!.arrayBuffer()), data);

    const tampered = data.slice();
    tampered[tampered.length - 1]! ^= 1;
    const bad = await authenticate(
      ENV,
      s3Request(hashed, { body: streamOf(tampered, [10_000]), headers: { 'content-length': String(data.length) } }),
    );
    const badKey = `auth-test/${crypto.randomUUID()}`;
    const hashFailure = await putToR2(badKey, bad.body!, bad.length!);
    expect(hashFailure.put.status).toBe('rejected');
    expect(hashFailure.piped).toMatchObject({ status: 'rejected', reason: { code: 'XAmzContentSHA256Mismatch' } });
    expect(await ENV.OBS_DATA.head(badKey)).toBeNull();

    const { signed, chain } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', data.length);
    const encoded = await awsChunked(data, 65536, { chain });
    encoded[encoded.length - 120]! ^= 1;
    const chunked = await send(signed, encoded, [30_000]);
    const chunkKey = `auth-test/${crypto.randomUUID()}`;
    const chunkFailure = await putToR2(chunkKey, chunked.body!, chunked.length!);
    expect(chunkFailure.piped).toMatchObject({ status: 'rejected', reason: { code: 'SignatureDoesNotMatch' } });
    expect(await ENV.OBS_DATA.head(chunkKey)).toBeNull();

    const trailed = await chunkedPut('STREAMING-UNSIGNED-PAYLOAD-TRAILER', data.length, { 'x-amz-trailer': 'x-amz-checksum-crc32' });
    const wrongTrailer = await awsChunked(data, 65536, { trailer: [['x-amz-checksum-crc32', await checksumOf('crc32', tampered)]] });
    const trailerAuth = await send(trailed.signed, wrongTrailer, [30_000]);
    const trailerKey = `auth-test/${crypto.randomUUID()}`;
    const trailerFailure = await putToR2(trailerKey, trailerAuth.body!, trailerAuth.length!);
    expect(trailerFailure.piped).toMatchObject({ status: 'rejected', reason: { code: 'BadDigest' } });
    expect(await ENV.OBS_DATA.head(trailerKey)).toBeNull();
  });
});

/**
 * OBS authentication: Signature V4 (header and presigned, signed by aws4fetch, an independent signer, and by
 * the documented AWS examples), Signature V2 (`AWS` and `OBS` schemes, presigned, the documented examples),
 * clock skew, expiry, unknown keys, tampering, and the caller's IAM statements. aws-chunked bodies and
 * payload checksums are in obs-auth-chunked.test.ts.
 */
import { AwsClient } from 'aws4fetch';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../workers/obs/auth/authenticate.ts';
import { parseQuery } from '../../workers/obs/auth/request.ts';
import { checkV2Time, parseV2Header, parseV2Query, verifyV2 } from '../../workers/obs/auth/sigv2.ts';
import { checkV4Time, parseV4Header, parseV4Query, verifyV4 } from '../../workers/obs/auth/sigv4.ts';
import { createUser } from '../fixtures.ts';
import { call, json } from '../request.ts';
import {
  derivedKey,
  EMPTY_SHA256,
  ENDPOINT,
  ENV,
  hmacHex,
  type Key,
  newKey,
  readAll,
  readUntilError,
  s3Failure,
  s3Request,
  sha256Hex,
  signV2,
  streamOf,
  text,
} from './auth-fixtures.ts';

const DOC_AK = 'AKIAIOSFODNN7EXAMPLE';
const DOC_SK = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

let key: Key;
let client: AwsClient;
beforeAll(async () => {
  key = await newKey();
  client = new AwsClient({ accessKeyId: key.access, secretAccessKey: key.secret, service: 's3', region: 'eu-west-0' });
}, 60_000);

const amzDateAgo = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/[:-]|\.\d{3}/g, '');

describe('Signature V4 in the Authorization header (aws4fetch)', () => {
  it('authenticates the key owner with the statements of its domain roles', async () => {
    const signed = await client.sign(`${ENDPOINT}/bucket/photos/cat.jpg?versionId=3`, { method: 'GET' });
    const { caller, body } = await authenticate(ENV, s3Request(signed));
    expect(caller).toMatchObject({
      access: key.access,
      userId: key.account.userId,
      userName: key.account.user,
      domainId: key.account.domainId,
      domainName: key.account.domain,
      operator: false,
    });
    // The account's admin holds te_admin on its domain.
    expect(caller!.statements).toContainEqual({ Effect: 'Allow', Action: ['*:*:*'] });
    expect(body).toBeNull();
  });

  it('accepts any region name in the scope (eu-west-0, us-east-1)', async () => {
    const us = new AwsClient({ accessKeyId: key.access, secretAccessKey: key.secret, service: 's3', region: 'us-east-1' });
    const signed = await us.sign(`${ENDPOINT}/bucket?list-type=2&prefix=a%2Fb&delimiter=%2F`, { method: 'GET' });
    expect((await authenticate(ENV, s3Request(signed))).caller?.access).toBe(key.access);
  });

  it('verifies keys with spaces, plus signs, reserved and non-ASCII characters, and encoded slashes', async () => {
    const url = `${ENDPOINT}/bucket/dir/a b%2Bc(1)!*'~é%2Fx.txt?prefix=x%2By&marker=a+b&acl`;
    const signed = await client.sign(url, { method: 'HEAD' });
    expect((await authenticate(ENV, s3Request(signed))).caller?.access).toBe(key.access);
    const virtual = await client.sign(`${ENDPOINT}/a%2Fb%20c`, { method: 'GET' });
    expect((await authenticate(ENV, s3Request(virtual, { virtualBucket: 'bucket' }))).caller?.access).toBe(key.access);
  });

  it('never lets a signature stand for a request the store reads as another key or query', async () => {
    const spaced = s3Request(await client.sign(`${ENDPOINT}/bucket/a%20b?prefix=x%2By`, { method: 'PUT' }));
    // The store reads `+` in a path as a plus and in a query as a space.
    for (const change of [{ rawPath: '/bucket/a+b' }, { rawQuery: 'prefix=x+y' }]) {
      expect((await s3Failure(authenticate(ENV, { ...spaced, ...change }))).code).toBe('SignatureDoesNotMatch');
    }
    // Decoding may not move the bucket/key boundary of a path-style request.
    const nested = s3Request(await client.sign(`${ENDPOINT}/bucket/key`, { method: 'GET' }));
    expect((await s3Failure(authenticate(ENV, { ...nested, rawPath: '/bucket%2Fkey' }))).code).toBe('SignatureDoesNotMatch');
  });

  it('verifies the path exactly as sent, dot segments and lowercase escapes kept (botocore signs the wire path)', async () => {
    const rawPath = '/bucket/a/../b/%e2%82%ac/./c';
    const amzDate = amzDateAgo(0);
    const scope = `${amzDate.slice(0, 8)}/eu-west-0/s3/aws4_request`;
    const headers = new Headers({ host: 'obs.test:8788', 'x-amz-date': amzDate, 'x-amz-content-sha256': EMPTY_SHA256 });
    const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
    const canonical = [
      'DELETE',
      rawPath,
      '',
      `host:obs.test:8788\nx-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:${amzDate}\n`,
      signedHeaders,
      EMPTY_SHA256,
    ].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonical)].join('\n');
    const signature = await hmacHex(await derivedKey(key.secret, amzDate.slice(0, 8), 'eu-west-0'), toSign);
    headers.set(
      'authorization',
      `AWS4-HMAC-SHA256 Credential=${key.access}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`,
    );
    const req = { method: 'DELETE', rawPath, rawQuery: '', headers, body: null };
    expect((await authenticate(ENV, req)).caller?.access).toBe(key.access);
    // The same signature does not stand for the normalized path.
    const normalized = await s3Failure(authenticate(ENV, { ...req, rawPath: '/bucket/b/%E2%82%AC/c' }));
    expect(normalized.code).toBe('SignatureDoesNotMatch');
  });

  it('streams a body whose x-amz-content-sha256 matches', async () => {
    const payload = text('hello, object storage');
    const signed = await client.sign(`${ENDPOINT}/bucket/hello.txt`, {
      method: 'PUT',
      headers: { 'x-amz-content-sha256': await sha256Hex(payload), 'content-type': 'text/plain' },
    });
    const auth = await authenticate(
      ENV,
      s3Request(signed, { body: streamOf(payload, [3, 5]), headers: { 'content-length': String(payload.length) } }),
    );
    expect(auth.length).toBe(payload.length);
    expect(new TextDecoder().decode(await readAll(auth.body))).toBe('hello, object storage');
  });

  it('errors the stream with XAmzContentSHA256Mismatch before its last bytes when the body was tampered with', async () => {
    const payload = text('the signed body, long enough to come in several pieces');
    const tampered = payload.slice();
    tampered[tampered.length - 1] = 0x21;
    const signed = await client.sign(`${ENDPOINT}/bucket/t.txt`, {
      method: 'PUT',
      headers: { 'x-amz-content-sha256': await sha256Hex(payload) },
    });
    const auth = await authenticate(
      ENV,
      s3Request(signed, { body: streamOf(tampered, [10]), headers: { 'content-length': String(payload.length) } }),
    );
    const { received, error } = await readUntilError(auth.body!);
    expect(error).toMatchObject({ code: 'XAmzContentSHA256Mismatch', status: 400 });
    expect((error as { extra: Record<string, string> }).extra.ClientComputedContentSHA256).toBe(await sha256Hex(payload));
    expect(received).toBeLessThan(payload.length);
  });

  it('checks an empty body before returning', async () => {
    const signed = await client.sign(`${ENDPOINT}/bucket/empty`, {
      method: 'PUT',
      headers: { 'x-amz-content-sha256': await sha256Hex('x') },
    });
    const err = await s3Failure(
      authenticate(ENV, s3Request(signed, { body: streamOf(new Uint8Array(0)), headers: { 'content-length': '0' } })),
    );
    expect(err.code).toBe('XAmzContentSHA256Mismatch');
    const ok = await client.sign(`${ENDPOINT}/bucket/empty`, { method: 'PUT', headers: { 'x-amz-content-sha256': EMPTY_SHA256 } });
    const auth = await authenticate(ENV, s3Request(ok, { body: streamOf(new Uint8Array(0)), headers: { 'content-length': '0' } }));
    expect(auth.length).toBe(0);
    expect((await readAll(auth.body)).length).toBe(0);
  });

  it('answers SignatureDoesNotMatch with the string to sign and canonical request S3 shows', async () => {
    const wrong = new AwsClient({ accessKeyId: key.access, secretAccessKey: `${key.secret}x`, service: 's3', region: 'eu-west-0' });
    const signed = await wrong.sign(`${ENDPOINT}/bucket/k?uploads`, { method: 'POST' });
    const err = await s3Failure(authenticate(ENV, s3Request(signed)));
    expect(err.status).toBe(403);
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(Object.keys(err.extra)).toEqual(
      expect.arrayContaining(['AWSAccessKeyId', 'StringToSign', 'SignatureProvided', 'StringToSignBytes', 'CanonicalRequest']),
    );
    expect(err.extra.AWSAccessKeyId).toBe(key.access);
    expect(err.extra.CanonicalRequest).toContain('POST\n/bucket/k\nuploads=\nhost:obs.test:8788\n');
    expect(err.extra.StringToSign).toMatch(/^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/eu-west-0\/s3\/aws4_request\n[0-9a-f]{64}$/);
    expect(err.extra.StringToSignBytes).toMatch(/^41 57 53 34 /);
  });

  it('refuses a tampered path, query or signed header', async () => {
    const signed = await client.sign(`${ENDPOINT}/bucket/a.txt?tagging`, { method: 'PUT', headers: { 'x-amz-acl': 'private' } });
    for (const change of [{ rawPath: '/bucket/b.txt' }, { rawQuery: 'acl' }]) {
      expect((await s3Failure(authenticate(ENV, { ...s3Request(signed), ...change }))).code).toBe('SignatureDoesNotMatch');
    }
    const headerChanged = s3Request(signed, { headers: { 'x-amz-acl': 'public-read' } });
    expect((await s3Failure(authenticate(ENV, headerChanged))).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses x-amz-* and x-obs-* headers that were not signed', async () => {
    const signed = await client.sign(`${ENDPOINT}/bucket/a.txt`, { method: 'PUT' });
    for (const header of ['x-amz-acl', 'x-obs-acl']) {
      const err = await s3Failure(authenticate(ENV, s3Request(signed, { headers: { [header]: 'public-read' } })));
      expect(err).toMatchObject({ status: 403, code: 'AccessDenied', extra: { HeadersNotSigned: header } });
    }
  });

  it('refuses an unknown access key with InvalidAccessKeyId', async () => {
    const stranger = new AwsClient({ accessKeyId: 'NOSUCHKEY00000000000', secretAccessKey: 'x', service: 's3', region: 'eu-west-0' });
    const err = await s3Failure(authenticate(ENV, s3Request(await stranger.sign(`${ENDPOINT}/bucket`, { method: 'GET' }))));
    expect(err).toMatchObject({ status: 403, code: 'InvalidAccessKeyId', extra: { AWSAccessKeyId: 'NOSUCHKEY00000000000' } });
  });

  it('refuses a clock more than 15 minutes off with RequestTimeTooSkewed, and accepts 10 minutes', async () => {
    for (const offset of [20 * 60_000, -20 * 60_000]) {
      const signed = await client.sign(`${ENDPOINT}/bucket`, { method: 'GET', aws: { datetime: amzDateAgo(offset) } });
      const err = await s3Failure(authenticate(ENV, s3Request(signed)));
      expect(err).toMatchObject({ status: 403, code: 'RequestTimeTooSkewed', extra: { MaxAllowedSkewMilliseconds: '900000' } });
    }
    const signed = await client.sign(`${ENDPOINT}/bucket`, { method: 'GET', aws: { datetime: amzDateAgo(10 * 60_000) } });
    expect((await authenticate(ENV, s3Request(signed))).caller?.access).toBe(key.access);
  });

  it('rejects malformed credentials, a missing payload hash and a second auth mechanism', async () => {
    const signed = await client.sign(`${ENDPOINT}/bucket`, { method: 'GET' });
    const req = s3Request(signed);
    const auth = req.headers.get('authorization')!;
    const cases: [string, string][] = [
      [auth.replace('/s3/', '/ec2/'), 'AuthorizationHeaderMalformed'],
      [auth.replace(/Credential=[^/]+\/\d{8}/, `Credential=${key.access}/19990101`), 'AuthorizationHeaderMalformed'],
      [auth.replace(/SignedHeaders=[^,]+,/, ''), 'AuthorizationHeaderMalformed'],
      ['Bearer abc', 'InvalidArgument'],
    ];
    for (const [value, code] of cases) {
      const headers = new Headers(req.headers);
      headers.set('authorization', value);
      expect((await s3Failure(authenticate(ENV, { ...req, headers }))).code).toBe(code);
    }
    const noHash = new Headers(req.headers);
    noHash.delete('x-amz-content-sha256');
    expect((await s3Failure(authenticate(ENV, { ...req, headers: noHash }))).code).toBe('InvalidRequest');
    const both = { ...req, rawQuery: `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${key.access}` };
    expect((await s3Failure(authenticate(ENV, both))).code).toBe('InvalidArgument');
  });

  it('stops accepting a deleted key', async () => {
    const own = await newKey('obs-revoke');
    const c = new AwsClient({ accessKeyId: own.access, secretAccessKey: own.secret, service: 's3', region: 'eu-west-0' });
    expect((await authenticate(ENV, s3Request(await c.sign(`${ENDPOINT}/b`, { method: 'GET' })))).caller).not.toBeNull();
    const res = await call(`/iam/v3.0/OS-CREDENTIAL/credentials/${own.access}`, { method: 'DELETE', token: own.token });
    expect(res.status).toBe(204);
    const err = await s3Failure(authenticate(ENV, s3Request(await c.sign(`${ENDPOINT}/b`, { method: 'GET' }))));
    expect(err.code).toBe('InvalidAccessKeyId');
  });
});

describe('presigned URLs (query Signature V4)', () => {
  it('authenticates an aws4fetch presigned GET with UNSIGNED-PAYLOAD', async () => {
    const signed = await client.sign(`${ENDPOINT}/bucket/photos/a%20b.jpg?response-content-type=text%2Fplain`, {
      method: 'GET',
      aws: { signQuery: true },
    });
    expect(new URL(signed.url).searchParams.get('X-Amz-Expires')).toBe('86400');
    expect((await authenticate(ENV, s3Request(signed))).caller?.access).toBe(key.access);
  });

  it('refuses an expired URL with AccessDenied "Request has expired"', async () => {
    const signed = await client.sign(`${ENDPOINT}/bucket/a.txt?X-Amz-Expires=60`, {
      method: 'GET',
      aws: { signQuery: true, datetime: amzDateAgo(120_000) },
    });
    const err = await s3Failure(authenticate(ENV, s3Request(signed)));
    expect(err).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Request has expired', extra: { 'X-Amz-Expires': '60' } });
  });

  it('refuses X-Amz-Expires over seven days, and a tampered URL', async () => {
    const long = await client.sign(`${ENDPOINT}/bucket/a.txt?X-Amz-Expires=604801`, { method: 'GET', aws: { signQuery: true } });
    expect(await s3Failure(authenticate(ENV, s3Request(long)))).toMatchObject({ status: 403, code: 'AccessDenied' });
    const week = await client.sign(`${ENDPOINT}/bucket/a.txt?X-Amz-Expires=604800`, { method: 'GET', aws: { signQuery: true } });
    expect((await authenticate(ENV, s3Request(week))).caller).not.toBeNull();
    const tampered = s3Request(week);
    expect((await s3Failure(authenticate(ENV, { ...tampered, rawPath: '/bucket/b.txt' }))).code).toBe('SignatureDoesNotMatch');
    expect((await s3Failure(authenticate(ENV, { ...tampered, method: 'DELETE' }))).code).toBe('SignatureDoesNotMatch');
  });
});

describe('the AWS documentation examples (Signature V4)', () => {
  const host = 'examplebucket.s3.amazonaws.com';
  const doc = (method: string, rawPath: string, rawQuery: string, headers: Record<string, string>) => ({
    method,
    rawPath,
    rawQuery,
    headers: new Headers({ host, 'x-amz-date': '20130524T000000Z', ...headers }),
    body: null,
  });
  const auth = (signed: string, signature: string) =>
    `AWS4-HMAC-SHA256 Credential=${DOC_AK}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${signature}`;

  it('verifies GET Object, PUT Object, GET lifecycle and ListObjects', async () => {
    const examples = [
      doc('GET', '/test.txt', '', {
        range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY_SHA256,
        authorization: auth(
          'host;range;x-amz-content-sha256;x-amz-date',
          'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
        ),
      }),
      doc('PUT', '/test%24file.text', '', {
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
        authorization: auth(
          'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class',
          '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
        ),
      }),
      doc('GET', '/', 'lifecycle', {
        'x-amz-content-sha256': EMPTY_SHA256,
        authorization: auth('host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'),
      }),
      doc('GET', '/', 'max-keys=2&prefix=J', {
        'x-amz-content-sha256': EMPTY_SHA256,
        authorization: auth('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
      }),
    ];
    for (const req of examples) {
      const claim = parseV4Header(req.headers.get('authorization')!, req.headers);
      await expect(verifyV4(req, claim, DOC_SK)).resolves.toMatchObject({ scope: '20130524/us-east-1/s3/aws4_request' });
      await expect(verifyV4({ ...req, method: 'POST' }, claim, DOC_SK)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    }
  });

  it('verifies the presigned GET example and honours its expiry', async () => {
    const rawQuery =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const req = { method: 'GET', rawPath: '/test.txt', rawQuery, headers: new Headers({ host }), body: null };
    const claim = parseV4Query(parseQuery(rawQuery), req.headers);
    expect(claim).toMatchObject({ access: DOC_AK, expires: 86400, payloadHash: 'UNSIGNED-PAYLOAD' });
    await expect(verifyV4(req, claim, DOC_SK)).resolves.toBeDefined();
    const issued = Date.UTC(2013, 4, 24);
    expect(() => checkV4Time(claim, issued + 86_400_000)).not.toThrow();
    expect(() => checkV4Time(claim, issued + 86_401_000)).toThrow('Request has expired');
  });
});

describe('Signature V2 (AWS and OBS schemes)', () => {
  const rfc1123 = (ms = Date.now()) => new Date(ms).toUTCString().replace('GMT', '+0000');
  const v2 = (method: string, rawPath: string, rawQuery: string, headers: Record<string, string>, virtualBucket?: string) => ({
    method,
    rawPath,
    rawQuery,
    headers: new Headers({ host: 'obs.test:8788', ...headers }),
    body: null,
    virtualBucket,
  });

  it('authenticates an s3cmd-style request: x-amz-date in the amz headers, sorted sub-resources', async () => {
    const date = rfc1123();
    const toSign = `PUT\n\ntext/plain\n\nx-amz-date:${date}\nx-amz-meta-colour:blue\n/bucket/big.bin?partNumber=2&uploadId=Up1d`;
    const req = v2('PUT', '/bucket/big.bin', 'uploadId=Up1d&partNumber=2&foo=bar', {
      'content-type': 'text/plain',
      'x-amz-date': date,
      'x-amz-meta-colour': 'blue',
      authorization: `AWS ${key.access}:${await signV2(key.secret, toSign)}`,
    });
    expect((await authenticate(ENV, req)).caller?.access).toBe(key.access);
  });

  it('counts every sub-resource: a signature without ?tagging does not stand for a tagging request', async () => {
    const date = rfc1123();
    const sign = async (resource: string) => `AWS ${key.access}:${await signV2(key.secret, `GET\n\n\n${date}\n${resource}`)}`;
    const tagging = v2('GET', '/bucket/k', 'tagging', { date, authorization: await sign('/bucket/k?tagging') });
    expect((await authenticate(ENV, tagging)).caller?.access).toBe(key.access);
    const object = v2('GET', '/bucket/k', 'tagging', { date, authorization: await sign('/bucket/k') });
    expect((await s3Failure(authenticate(ENV, object))).code).toBe('SignatureDoesNotMatch');
    // Sub-resource values may be signed decoded (botocore) or as sent (s3cmd).
    for (const value of ['text/plain; charset=utf-8', 'text%2Fplain%3B%20charset%3Dutf-8']) {
      const query = 'response-content-type=text%2Fplain%3B%20charset%3Dutf-8';
      const req = v2('GET', '/bucket/k', query, { date, authorization: await sign(`/bucket/k?response-content-type=${value}`) });
      expect((await authenticate(ENV, req)).caller?.access).toBe(key.access);
    }
  });

  it('authenticates the OBS scheme with x-obs-date and x-obs-* headers, virtual-host style', async () => {
    const date = rfc1123();
    const toSign = `GET\n\n\n\nx-obs-date:${date}\nx-obs-meta-a:1\n/photos/cat.jpg?acl`;
    const req = v2(
      'GET',
      '/cat.jpg',
      'acl',
      { 'x-obs-date': date, 'x-obs-meta-a': '1', authorization: `OBS ${key.access}:${await signV2(key.secret, toSign)}` },
      'photos',
    );
    expect((await authenticate(ENV, req)).caller?.access).toBe(key.access);
  });

  it('refuses a wrong V2 signature with the string to sign, a skewed date and a missing date', async () => {
    const date = rfc1123();
    const req = v2('GET', '/bucket/k', '', { date, authorization: `AWS ${key.access}:${await signV2('wrong', 'x')}` });
    const err = await s3Failure(authenticate(ENV, req));
    expect(err).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', extra: { StringToSign: `GET\n\n\n${date}\n/bucket/k` } });
    const old = rfc1123(Date.now() - 20 * 60_000);
    const skewed = v2('GET', '/bucket/k', '', {
      date: old,
      authorization: `AWS ${key.access}:${await signV2(key.secret, `GET\n\n\n${old}\n/bucket/k`)}`,
    });
    expect((await s3Failure(authenticate(ENV, skewed))).code).toBe('RequestTimeTooSkewed');
    const undated = v2('GET', '/bucket/k', '', { authorization: `AWS ${key.access}:${await signV2(key.secret, 'GET\n\n\n\n/bucket/k')}` });
    expect((await s3Failure(authenticate(ENV, undated))).code).toBe('AccessDenied');
  });

  it('authenticates presigned V2 URLs as s3cmd signurl makes them, and refuses expired ones', async () => {
    const expires = Math.floor(Date.now() / 1000) + 300;
    const sig = encodeURIComponent(await signV2(key.secret, `GET\n\n\n${expires}\n/bucket/dir/a%20b.txt`));
    const ok = v2('GET', '/dir/a%20b.txt', `AWSAccessKeyId=${key.access}&Expires=${expires}&Signature=${sig}`, {}, 'bucket');
    expect((await authenticate(ENV, ok)).caller?.access).toBe(key.access);
    const past = Math.floor(Date.now() / 1000) - 5;
    const pastSig = encodeURIComponent(await signV2(key.secret, `GET\n\n\n${past}\n/bucket/k`));
    const expired = v2('GET', '/bucket/k', `AWSAccessKeyId=${key.access}&Expires=${past}&Signature=${pastSig}`, {});
    expect(await s3Failure(authenticate(ENV, expired))).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
    const obs = v2('GET', '/bucket/dir/a%20b.txt', `AccessKeyId=${key.access}&Expires=${expires}&Signature=${sig}`, {});
    expect((await authenticate(ENV, obs)).caller?.access).toBe(key.access);
  });

  it('verifies the examples of "Signing and Authenticating REST Requests"', async () => {
    const examples: { req: ReturnType<typeof v2>; now: string }[] = [
      {
        req: v2(
          'GET',
          '/photos/puppy.jpg',
          '',
          { date: 'Tue, 27 Mar 2007 19:36:42 +0000', authorization: `AWS ${DOC_AK}:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=` },
          'awsexamplebucket1',
        ),
        now: 'Tue, 27 Mar 2007 19:36:42 +0000',
      },
      {
        req: v2(
          'PUT',
          '/photos/puppy.jpg',
          '',
          {
            'content-type': 'image/jpeg',
            date: 'Tue, 27 Mar 2007 21:15:45 +0000',
            authorization: `AWS ${DOC_AK}:iqRzw+ileNPu1fhspnRs8nOjjIA=`,
          },
          'awsexamplebucket1',
        ),
        now: 'Tue, 27 Mar 2007 21:15:45 +0000',
      },
      {
        req: v2(
          'GET',
          '/',
          'prefix=photos&max-keys=50&marker=puppy',
          { date: 'Tue, 27 Mar 2007 19:42:41 +0000', authorization: `AWS ${DOC_AK}:m0WP8eCtspQl5Ahe6L1SozdX9YA=` },
          'awsexamplebucket1',
        ),
        now: 'Tue, 27 Mar 2007 19:42:41 +0000',
      },
      {
        req: v2(
          'GET',
          '/',
          'acl',
          { date: 'Tue, 27 Mar 2007 19:44:46 +0000', authorization: `AWS ${DOC_AK}:82ZHiFIjc+WbcwFKGUVEQspPn+0=` },
          'awsexamplebucket1',
        ),
        now: 'Tue, 27 Mar 2007 19:44:46 +0000',
      },
      {
        req: v2('DELETE', '/awsexamplebucket1/photos/puppy.jpg', '', {
          date: 'Tue, 27 Mar 2007 21:20:27 +0000',
          'x-amz-date': 'Tue, 27 Mar 2007 21:20:26 +0000',
          authorization: `AWS ${DOC_AK}:XbyTlbQdu9Xw5o8P4iMwPktxQd8=`,
        }),
        now: 'Tue, 27 Mar 2007 21:20:26 +0000',
      },
      {
        req: v2('GET', '/', '', { date: 'Wed, 28 Mar 2007 01:29:59 +0000', authorization: `AWS ${DOC_AK}:qGdzdERIC03wnaRNKh6OqZehG9s=` }),
        now: 'Wed, 28 Mar 2007 01:29:59 +0000',
      },
      {
        req: v2('GET', '/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re', '', {
          date: 'Wed, 28 Mar 2007 01:49:49 +0000',
          authorization: `AWS ${DOC_AK}:DNEZGsoieTZ92F3bUfSPQcbGmlM=`,
        }),
        now: 'Wed, 28 Mar 2007 01:49:49 +0000',
      },
    ];
    // The upload example: repeated x-amz-meta-reviewedby headers are joined with a bare comma.
    const upload = v2(
      'PUT',
      '/db-backup.dat.gz',
      '',
      {
        date: 'Tue, 27 Mar 2007 21:06:08 +0000',
        'x-amz-acl': 'public-read',
        'content-type': 'application/x-download',
        'content-md5': '4gJE4saaMU4BqNR0kLY+lw==',
        'x-amz-meta-filechecksum': '0x02661779',
        'x-amz-meta-checksumalgorithm': 'crc32',
        'content-disposition': 'attachment; filename=database.dat',
        'content-encoding': 'gzip',
        authorization: `AWS ${DOC_AK}:jtBQa0Aq+DkULFI8qrpwIjGEx0E=`,
      },
      'static.example.com',
    );
    upload.headers.append('x-amz-meta-reviewedby', 'joe@example.com');
    upload.headers.append('x-amz-meta-reviewedby', 'jane@example.com');
    examples.push({ req: upload, now: 'Tue, 27 Mar 2007 21:06:08 +0000' });
    for (const { req, now } of examples) {
      const claim = parseV2Header(req.headers.get('authorization')!);
      expect(() => checkV2Time(req, claim, Date.parse(now))).not.toThrow();
      await expect(verifyV2(req, claim, DOC_SK)).resolves.toBeUndefined();
      await expect(verifyV2({ ...req, method: 'HEAD' }, claim, DOC_SK)).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
    }
  });

  it('verifies the documented query-string example (bucket johnsmith) until it expires', async () => {
    const rawQuery = `AWSAccessKeyId=${DOC_AK}&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620`;
    const req = v2('GET', '/photos/puppy.jpg', rawQuery, {}, 'johnsmith');
    const params = parseQuery(rawQuery);
    const claim = parseV2Query(params);
    await expect(verifyV2(req, claim, DOC_SK)).resolves.toBeUndefined();
    expect(() => checkV2Time(req, claim, 1175139620_000)).not.toThrow();
    expect(() => checkV2Time(req, claim, 1175139621_000)).toThrow('Request has expired');
  });
});

describe('anonymous requests and callers without roles', () => {
  it('passes an unsigned request through as anonymous, body untouched', async () => {
    const req = {
      method: 'PUT',
      rawPath: '/public/x',
      rawQuery: '',
      headers: new Headers({ host: 'obs.test', 'content-length': '3' }),
      body: streamOf(text('abc')),
    };
    const auth = await authenticate(ENV, req);
    expect(auth.caller).toBeNull();
    expect(auth.length).toBe(3);
    expect(new TextDecoder().decode(await readAll(auth.body))).toBe('abc');
  });

  it('gives a user whose roles are only on a project no OBS statements', async () => {
    const user = await createUser(key.account, key.token, { role: 'te_admin' });
    const res = await call('/iam/v3.0/OS-CREDENTIAL/credentials', {
      method: 'POST',
      token: key.token,
      json: { credential: { user_id: user.id } },
    });
    expect(res.status).toBe(201);
    const { credential } = await json<{ credential: { access: string; secret: string } }>(res);
    const c = new AwsClient({ accessKeyId: credential.access, secretAccessKey: credential.secret, service: 's3', region: 'eu-west-0' });
    const { caller } = await authenticate(ENV, s3Request(await c.sign(`${ENDPOINT}/bucket`, { method: 'GET' })));
    expect(caller).toMatchObject({ userId: user.id, userName: user.name, statements: [] });
  });
});

/**
 * Fixtures of the OBS authentication tests: a real AK/SK, requests handed to `authenticate()` as the wire
 * carried them, and signing primitives written from the AWS documentation, independently of the server.
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Env } from '../../core/env.ts';
import { concatBytes } from '../../workers/lib/crypto.ts';
import type { S3Request } from '../../workers/obs/auth/authenticate.ts';
import type { ChecksumAlgorithm } from '../../workers/obs/auth/checksums.ts';
import { S3Error } from '../../workers/obs/errors.ts';
import { type Account, newAccount, tokenFor } from '../fixtures.ts';
import { call, json } from '../request.ts';

export const ENV = env as unknown as Env;
export const ENDPOINT = 'http://obs.test:8788';

const enc = new TextEncoder();
export const text = (s: string) => enc.encode(s);
export const toHex = (b: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
export const b64 = (b: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(b)));
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface Key {
  account: Account;
  token: string;
  access: string;
  secret: string;
}

/** A new account and an AK/SK of its admin, created through the IAM API. */
export async function newKey(prefix = 'obs'): Promise<Key> {
  const account = await newAccount(prefix);
  const token = await tokenFor(account);
  const res = await call('/iam/v3.0/OS-CREDENTIAL/credentials', {
    method: 'POST',
    token,
    json: { credential: { user_id: account.userId, description: 'obs-auth tests' } },
  });
  expect(res.status).toBe(201);
  const { credential } = await json<{ credential: { access: string; secret: string } }>(res);
  return { account, token, ...credential };
}

/** The request `authenticate()` sees for a signed Request: raw path and query from its URL, host header added. */
export function s3Request(
  signed: Request,
  opts: { body?: ReadableStream<Uint8Array> | null; headers?: Record<string, string>; virtualBucket?: string } = {},
): S3Request {
  const m = signed.url.match(/^[a-z]+:\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/)!;
  const headers = new Headers(signed.headers);
  headers.set('host', m[1]!);
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers.set(k, v);
  return {
    method: signed.method,
    rawPath: m[2] || '/',
    rawQuery: m[3] ?? '',
    headers,
    body: opts.body === undefined ? signed.body : opts.body,
    virtualBucket: opts.virtualBucket,
  };
}

/** The S3Error a promise rejects with (fails the test when it resolves or throws something else). */
export async function s3Failure(p: Promise<unknown>): Promise<S3Error> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(S3Error);
    return err as S3Error;
  }
  throw new Error('expected an S3Error, got success');
}

/** Reads a stream whole (test-sized bodies only). */
export async function readAll(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Asserts two byte arrays are equal (vitest's deep equality is slow on large typed arrays). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  let differsAt = -1;
  for (let i = 0; i < actual.length && differsAt < 0; i++) if (actual[i] !== expected[i]) differsAt = i;
  expect(differsAt).toBe(-1);
}

/** Reads a stream until it ends or errors; the bytes received before, and the error. */
export async function readUntilError(body: ReadableStream<Uint8Array>): Promise<{ received: number; error: unknown }> {
  const reader = body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { received, error: null };
      received += value.length;
    }
  } catch (error) {
    return { received, error };
  }
}

/** A stream of the bytes cut into pieces of the given sizes (cycled), to split headers across reads. */
export function streamOf(bytes: Uint8Array, pieces: number[] = [bytes.length || 1]): ReadableStream<Uint8Array> {
  let offset = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const n = Math.max(1, pieces[i++ % pieces.length]!);
      controller.enqueue(bytes.slice(offset, offset + n));
      offset += n;
    },
  });
}

/** Joins byte arrays into one. */
export const concat = concatBytes;

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? text(data) : data));
}

async function hmac(key: ArrayBuffer | Uint8Array, message: string, hash = 'SHA-256'): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, text(message));
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export async function derivedKey(secret: string, date: string, region: string, service = 's3'): Promise<ArrayBuffer> {
  let k = await hmac(text(`AWS4${secret}`), date);
  k = await hmac(k, region);
  k = await hmac(k, service);
  return hmac(k, 'aws4_request');
}

export async function hmacHex(key: ArrayBuffer, message: string): Promise<string> {
  return toHex(await hmac(key, message));
}

/** V2: base64(HMAC-SHA1(secret, stringToSign)). */
export async function signV2(secret: string, stringToSign: string): Promise<string> {
  return b64(await hmac(text(secret), stringToSign, 'SHA-1'));
}

/** What continues a V4 signature chain into an aws-chunked body. */
export interface ChainStart {
  key: ArrayBuffer;
  amzDate: string;
  scope: string;
  seed: string;
}

/** The chain start of a request signed by aws4fetch (its Authorization header and x-amz-date). */
export async function chainOf(signed: Request, secret: string): Promise<ChainStart> {
  const auth = signed.headers.get('authorization')!;
  const [, scope] = auth.match(/Credential=[^/]+\/([^,]+)/)!;
  const [date, region] = scope!.split('/') as [string, string];
  return {
    key: await derivedKey(secret, date, region),
    amzDate: signed.headers.get('x-amz-date')!,
    scope: scope!,
    seed: auth.match(/Signature=([0-9a-f]{64})/)![1]!,
  };
}

export interface ChunkedBody {
  /** Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]); unsigned when absent. */
  chain?: ChainStart;
  /** Trailer lines after the final chunk. */
  trailer?: [string, string][];
  /** Add x-amz-trailer-signature (signed trailer mode). */
  signTrailer?: boolean;
}

/**
 * Encodes data as aws-chunked, as the AWS documentation describes it: each chunk `hex-size;chunk-signature=sig`
 * with sig = HMAC(kSigning, "AWS4-HMAC-SHA256-PAYLOAD\n" date "\n" scope "\n" previous "\n" sha256("") "\n"
 * sha256(chunk)), then a zero-size chunk, the trailer lines, the trailer signature and an empty line.
 */
export async function awsChunked(data: Uint8Array, chunkSize: number, o: ChunkedBody = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const chunks: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += chunkSize) chunks.push(data.subarray(off, off + chunkSize));
  chunks.push(new Uint8Array(0));
  let previous = o.chain?.seed ?? '';
  for (const chunk of chunks) {
    let header = chunk.length.toString(16);
    if (o.chain) {
      const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', o.chain.amzDate, o.chain.scope, previous, EMPTY_SHA256, await sha256Hex(chunk)].join(
        '\n',
      );
      previous = await hmacHex(o.chain.key, toSign);
      header += `;chunk-signature=${previous}`;
    }
    parts.push(text(`${header}\r\n`));
    if (chunk.length) parts.push(chunk, text('\r\n'));
  }
  for (const [name, value] of o.trailer ?? []) parts.push(text(`${name}:${value}\r\n`));
  if (o.signTrailer && o.chain) {
    const canonical = (o.trailer ?? []).map(([n, v]) => `${n}:${v}\n`).join('');
    const toSign = ['AWS4-HMAC-SHA256-TRAILER', o.chain.amzDate, o.chain.scope, previous, await sha256Hex(canonical)].join('\n');
    parts.push(text(`x-amz-trailer-signature:${await hmacHex(o.chain.key, toSign)}\r\n`));
  }
  parts.push(text('\r\n'));
  return concat(parts);
}

/** CRC-32 (IEEE), bit by bit: slow and obviously right, to check the server's table-driven one. */
export function crc32Reference(data: Uint8Array, polynomial = 0xedb88320): Uint8Array {
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
  }
  const v = ~c >>> 0;
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** CRC-64/NVME, bit by bit with BigInt: slow and obviously right. */
export function crc64Reference(data: Uint8Array): Uint8Array {
  const poly = 0x9a6c9329ac4bc9b5n;
  let c = 0xffffffffffffffffn;
  for (const byte of data) {
    c ^= BigInt(byte);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
  }
  c ^= 0xffffffffffffffffn;
  return Uint8Array.from({ length: 8 }, (_, i) => Number((c >> BigInt(56 - 8 * i)) & 0xffn));
}

/** The base64 checksum of data, computed in the test. */
export async function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Promise<string> {
  switch (algorithm) {
    case 'crc32':
      return b64(crc32Reference(data));
    case 'crc32c':
      return b64(crc32Reference(data, 0x82f63b78));
    case 'crc64nvme':
      return b64(crc64Reference(data));
    case 'sha1':
      return b64(await crypto.subtle.digest('SHA-1', data));
    case 'sha256':
      return b64(await crypto.subtle.digest('SHA-256', data));
  }
}

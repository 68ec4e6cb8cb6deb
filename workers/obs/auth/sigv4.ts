/**
 * AWS Signature Version 4 for S3, in the Authorization header or in the query (presigned URLs).
 *
 * S3 signs the path URI-encoded once, as the client put it on the wire, without normalizing it. Clients
 * differ in one detail (botocore signs the wire path as is; aws4fetch decodes it and re-encodes it with RFC
 * 3986, so lowercase escapes become uppercase and `!` becomes `%21`), so both readings are accepted, and
 * only where they name the same object for the store; errors report the wire form.
 */
import { CLOCK_WINDOW_MS, encodeRfc3986 } from '../../auth/aksk.ts';
import { constantTimeEqual, hex, sha256Hex } from '../../lib/crypto.ts';
import { s3 } from '../errors.ts';
import {
  amzHeader,
  formatAmzDate,
  isoSeconds,
  parseAmzDate,
  parseHttpDate,
  parseQuery,
  percentDecode,
  type QueryParam,
  queryValue,
  type S3Request,
  spacedHex,
} from './request.ts';

export const V4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
/** Presigned URLs live at most a week. */
export const MAX_PRESIGN_SECONDS = 604_800;

const PAYLOAD_TOKENS = new Set([UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER]);
const enc = new TextEncoder();

/** What a V4-signed request claims: who signed, when, over what, and the signature. */
export interface V4Claim {
  access: string;
  /** `yyyymmdd/region/s3/aws4_request`. */
  scope: string;
  /** The request time as signed (ISO 8601 basic). */
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** The payload hash the signature covers: a hex SHA-256, UNSIGNED-PAYLOAD or one of the STREAMING tokens. */
  payloadHash: string;
  /** Presigned requests: lifetime in seconds from amzDate. */
  expires?: number;
}

/** The key and chain start that verify what follows the headers (aws-chunked chunk and trailer signatures). */
export interface V4Signing {
  access: string;
  key: CryptoKey;
  amzDate: string;
  scope: string;
  /** The request's own signature: the first chunk's "previous signature". */
  seed: string;
}

interface Scope {
  access: string;
  scope: string;
  date: string;
  region: string;
}

/** Splits `AK/yyyymmdd/region/s3/aws4_request`; `fail` shapes the error of the header or query form. */
function parseCredential(credential: string, fail: (detail: string) => Error): Scope {
  const parts = credential.split('/');
  if (parts.length < 5) throw fail(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  const [date, region, service, terminator] = parts.slice(-4) as [string, string, string, string];
  const access = parts.slice(0, -4).join('/');
  if (!access || !/^\d{8}$/.test(date) || !region)
    throw fail(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  if (service !== 's3') throw fail(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (terminator !== 'aws4_request') throw fail(`incorrect terminal "${terminator}". This endpoint uses "aws4_request".`);
  return { access, scope: parts.slice(-4).join('/'), date, region };
}

/** The payload hash a header-signed request declares; S3 requires it and accepts only these forms. */
function declaredPayloadHash(headers: Headers): string {
  const value = amzHeader(headers, 'content-sha256');
  if (value === null) throw s3.invalidRequest('Missing required header for this request: x-amz-content-sha256');
  if (!PAYLOAD_TOKENS.has(value) && !/^[0-9a-fA-F]{64}$/.test(value)) {
    throw s3.invalidArgument(
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      'x-amz-content-sha256',
      value,
    );
  }
  return value;
}

/** The request time a header-signed request carries: x-amz-date (or x-obs-date), else Date. */
function headerAmzDate(headers: Headers): string {
  const amz = amzHeader(headers, 'date');
  if (amz !== null) {
    if (!Number.isFinite(parseAmzDate(amz))) throw s3.missingDate();
    return amz;
  }
  const at = parseHttpDate(headers.get('date'));
  if (!Number.isFinite(at)) throw s3.missingDate();
  return formatAmzDate(at);
}

function claimOf(scope: Scope, amzDate: string, signedHeaders: string, signature: string, payloadHash: string): V4Claim {
  return {
    access: scope.access,
    scope: scope.scope,
    amzDate,
    signedHeaders: signedHeaders.toLowerCase().split(';'),
    signature: signature.toLowerCase(),
    payloadHash,
  };
}

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` and the headers it relies on. */
export function parseV4Header(authorization: string, headers: Headers): V4Claim {
  const malformed = (detail: string) => s3.authorizationHeaderMalformed(detail);
  const fields = new Map<string, string>();
  for (const part of authorization.slice(V4_ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw malformed('a non-empty Credential, SignedHeaders and Signature are required.');
  }
  const scope = parseCredential(credential, malformed);
  const amzDate = headerAmzDate(headers);
  if (amzDate.slice(0, 8) !== scope.date) throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  return claimOf(scope, amzDate, signedHeaders, signature, declaredPayloadHash(headers));
}

/** Parses the `X-Amz-*` parameters of a presigned URL. */
export function parseV4Query(params: QueryParam[], headers: Headers): V4Claim {
  const fail = (message: string) => s3.authorizationQueryParametersError(message);
  const get = (name: string) => queryValue(params, name);
  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const amzDate = get('X-Amz-Date');
  const expiresText = get('X-Amz-Expires');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  if (!algorithm || !credential || !amzDate || !expiresText || !signedHeaders || !signature) {
    throw fail(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== V4_ALGORITHM) throw fail('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const scope = parseCredential(credential, (detail) => fail(`Error parsing the X-Amz-Credential parameter; ${detail}`));
  if (!Number.isFinite(parseAmzDate(amzDate))) throw fail("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (amzDate.slice(0, 8) !== scope.date) throw fail('Invalid credential date. Date is not the same as X-Amz-Date.');
  if (!/^\d+$/.test(expiresText)) throw fail('X-Amz-Expires should be a number');
  const expires = Number(expiresText);
  // Out of range is AccessDenied (403), as S3 answers it, not a malformed query.
  if (expires < 1) throw s3.accessDenied('X-Amz-Expires must be non-negative');
  if (expires > MAX_PRESIGN_SECONDS) throw s3.accessDenied('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  return { ...claimOf(scope, amzDate, signedHeaders, signature, amzHeader(headers, 'content-sha256') ?? UNSIGNED_PAYLOAD), expires };
}

/** Refuses a request signed too far from now, or a presigned URL that expired or is not valid yet. */
export function checkV4Time(claim: V4Claim, now: number): void {
  const at = parseAmzDate(claim.amzDate);
  if (claim.expires === undefined) {
    if (Math.abs(now - at) > CLOCK_WINDOW_MS) throw s3.requestTimeTooSkewed(claim.amzDate, formatAmzDate(now), CLOCK_WINDOW_MS);
    return;
  }
  if (at - now > CLOCK_WINDOW_MS) throw s3.accessDenied('Request is not valid yet');
  if (now > at + claim.expires * 1000) {
    throw s3.requestExpired({
      'X-Amz-Expires': String(claim.expires),
      Expires: isoSeconds(at + claim.expires * 1000),
      ServerTime: isoSeconds(now),
    });
  }
}

/** Host and every `x-amz-*`/`x-obs-*` header must be signed: an unsigned one could change what the request does. */
export function checkSignedHeaders(claim: V4Claim, headers: Headers, presigned: boolean): void {
  const signed = new Set(claim.signedHeaders);
  if (!signed.has('host')) {
    const detail = 'the host header must be signed.';
    throw presigned
      ? s3.authorizationQueryParametersError(`Query-string authentication requires ${detail}`)
      : s3.authorizationHeaderMalformed(detail);
  }
  const unsigned = [...headers.keys()].filter((h) => (h.startsWith('x-amz-') || h.startsWith('x-obs-')) && !signed.has(h));
  if (unsigned.length) throw s3.headersNotSigned(unsigned);
}

async function hmacRaw(key: ArrayBuffer | Uint8Array, message: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, enc.encode(message));
}

const KEY_CACHE_MAX = 1000;
const signingKeys = new Map<string, Promise<CryptoKey>>();

/** The derived signing key of a secret for one day, region and service (cached: it changes daily). */
export function signingKey(secret: string, scope: string): Promise<CryptoKey> {
  const cacheKey = `${secret}\n${scope}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const [date = '', region = '', service = ''] = scope.split('/');
    key = (async () => {
      let k = await hmacRaw(enc.encode(`AWS4${secret}`), date);
      k = await hmacRaw(k, region);
      k = await hmacRaw(k, service);
      k = await hmacRaw(k, 'aws4_request');
      return crypto.subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    })();
    if (signingKeys.size >= KEY_CACHE_MAX) signingKeys.clear();
    signingKeys.set(cacheKey, key);
    key.catch(() => signingKeys.delete(cacheKey));
  }
  return key;
}

/** HMAC-SHA256 of a message under a derived key, as hex. */
export async function hmacHex(key: CryptoKey, message: string): Promise<string> {
  return hex(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
}

/**
 * The canonical paths a client may have signed for this wire path: the wire form first, then the form of
 * signers that decode and re-encode it (aws4fetch). Both name the same key as the store reads it (percent
 * decoding, `+` kept), except where decoding would move a path-style bucket/key boundary (`/bucket%2Fkey`),
 * so that form is not offered there.
 */
export function canonicalUris(rawPath: string, pathStyle: boolean): string[] {
  const raw = rawPath || '/';
  const decoded = percentDecode(raw);
  if (decoded === null || (pathStyle && /%2f/i.test(raw.split('/')[1] ?? ''))) return [raw];
  const reencoded = encodeRfc3986(decoded).replaceAll('%2F', '/');
  return reencoded === raw ? [raw] : [raw, reencoded];
}

/**
 * The canonical query: each name and value decoded as the store reads them (`+` is a space), RFC 3986
 * encoded, sorted by name then value; `skip` leaves out the presigned signature itself.
 */
export function canonicalQuery(rawQuery: string, skip?: string): string {
  return parseQuery(rawQuery)
    .filter((p) => p.name !== skip)
    .map((p) => [encodeRfc3986(p.name), encodeRfc3986(p.value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Signed header lines: lowercase names, values trimmed with inner whitespace runs collapsed. */
export function canonicalHeaders(headers: Headers, signed: string[]): string {
  return signed.map((name) => `${name}:${(headers.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
}

/** Every canonical request this request may have been signed as, the wire form first. */
export function canonicalRequests(req: S3Request, claim: V4Claim): string[] {
  const headerBlock = canonicalHeaders(req.headers, claim.signedHeaders);
  const query = canonicalQuery(req.rawQuery, claim.expires === undefined ? undefined : 'X-Amz-Signature');
  return canonicalUris(req.rawPath, !req.virtualBucket).map((uri) =>
    [req.method.toUpperCase(), uri, query, headerBlock, claim.signedHeaders.join(';'), claim.payloadHash].join('\n'),
  );
}

/** Verifies a V4 signature with the credential's secret; returns what verifies the payload's own signatures. */
export async function verifyV4(req: S3Request, claim: V4Claim, secret: string): Promise<V4Signing> {
  const key = await signingKey(secret, claim.scope);
  const candidates = canonicalRequests(req, claim);
  let first: { canonical: string; stringToSign: string } | undefined;
  for (const canonical of candidates) {
    const stringToSign = [V4_ALGORITHM, claim.amzDate, claim.scope, await sha256Hex(canonical)].join('\n');
    if (constantTimeEqual(await hmacHex(key, stringToSign), claim.signature)) {
      return { access: claim.access, key, amzDate: claim.amzDate, scope: claim.scope, seed: claim.signature };
    }
    first ??= { canonical, stringToSign };
  }
  throw s3.signatureDoesNotMatch({
    AWSAccessKeyId: claim.access,
    StringToSign: first!.stringToSign,
    SignatureProvided: claim.signature,
    StringToSignBytes: spacedHex(first!.stringToSign),
    CanonicalRequest: first!.canonical,
    CanonicalRequestBytes: spacedHex(first!.canonical),
  });
}

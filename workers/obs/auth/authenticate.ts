/**
 * Authentication of the OBS (S3) endpoint: decides who is calling (Signature V4 in the header or the query,
 * Signature V2 in the `AWS` or `OBS` scheme or the query, or nobody) and hands the store a body it can trust:
 * aws-chunked framing removed, and every declared hash, chunk signature and checksum verified while the
 * bytes flow, the stream erroring before it closes when one fails.
 */

import type { Env } from '../../../core/env.ts';
import { REGIONS } from '../../../core/regions.ts';
import { ownerOf } from '../../auth/aksk.ts';
import type { Statement } from '../../auth/policy.ts';
import { coalesce } from '../../lib/streams.ts';
import { s3 } from '../errors.ts';
import { callerFor } from './caller.ts';
import { type ChecksumAlgorithm, isChecksumAlgorithm } from './checksums.ts';
import { decodeAwsChunked } from './chunked.ts';
import { checksumHeaders, verifiedBody } from './payload.ts';
import { amzHeader, parseQuery } from './request.ts';
import { checkV2Time, parseV2Header, parseV2Query, type V2Claim, verifyV2 } from './sigv2.ts';
import {
  checkSignedHeaders,
  checkV4Time,
  EMPTY_SHA256,
  parseV4Header,
  parseV4Query,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  V4_ALGORITHM,
  type V4Claim,
  type V4Signing,
  verifyV4,
} from './sigv4.ts';

export interface ObsCaller {
  access: string;
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  operator: boolean;
  /** IAM statements that apply to this user for OBS: its roles assigned on its domain (directly or through groups), system and custom (see workers/iam/grants.ts rolesIn/statementsFor/groupsOf), cached with a bounded lifetime like workers/auth/middleware.ts principalFromSignature does. */
  statements: Statement[];
}

export interface S3Request {
  method: string;
  /** The request path exactly as sent on the wire, still percent-encoded, dot segments kept (`/b/a/../c`). Never run it through `new URL()` (that normalizes `..`). */
  rawPath: string;
  /** The raw query string without '?' ('' if none). */
  rawQuery: string;
  /** The request's headers, `host` included (V4 signs it). */
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  /** The bucket named by a virtual-host Host header, if any (V2's canonical resource needs it). */
  virtualBucket?: string;
  /** The region the endpoint's host names, if any; else the endpoint is the default region's. */
  region?: string;
}

export interface Authenticated {
  /** null: anonymous (no Authorization header and no presigned query) — the store then decides by ACL/policy. */
  caller: ObsCaller | null;
  /** The payload the store must keep: aws-chunked framing removed; while it flows, the x-amz-content-sha256 hex hash, the chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) and trailing checksums (x-amz-trailer: x-amz-checksum-crc32|crc32c|sha1|sha256, STREAMING-UNSIGNED-PAYLOAD-TRAILER) are verified, and the stream ERRORS (with an S3Error: XAmzContentSHA256Mismatch, SignatureDoesNotMatch, BadDigest/InvalidChunkSizeError/IncompleteBody...) before it closes if anything is wrong, so a consumer writing it to R2 never commits bad bytes. An empty body (length 0) is verified before authenticate returns. */
  body: ReadableStream<Uint8Array> | null;
  /** Length of `body` when known: Content-Length, or x-amz-decoded-content-length for aws-chunked. */
  length: number | null;
  /** The checksum algorithms the request declared (`x-amz-checksum-*` headers, then `x-amz-trailer`). */
  checksumAlgorithms: ChecksumAlgorithm[];
  /** The declared checksums (base64) by algorithm, filled only once the whole body has matched them. */
  checksums: Map<ChecksumAlgorithm, string>;
  /** How the request was signed (the `s3:signatureversion` and `s3:authType` policy keys); null when anonymous. */
  signed: { version: 'AWS4-HMAC-SHA256' | 'AWS'; authType: 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST' } | null;
}

/** Authenticates an OBS request; throws an S3Error when its credentials or signature do not hold. */
export async function authenticate(env: Env, req: S3Request): Promise<Authenticated> {
  const params = parseQuery(req.rawQuery);
  const authorization = req.headers.get('authorization');
  const has = (name: string) => params.some((p) => p.name === name);
  const v4Query = has('X-Amz-Algorithm') || has('X-Amz-Credential') || has('X-Amz-Signature');
  const v2Query = has('Signature') && (has('AWSAccessKeyId') || has('AccessKeyId'));
  if (Number(authorization !== null) + Number(v4Query) + Number(v2Query) > 1) {
    throw s3.invalidArgument(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      'Authorization',
      authorization ?? '',
    );
  }
  const now = Date.now();
  const header = 'REST-HEADER';
  const query = 'REST-QUERY-STRING';
  if (authorization !== null) {
    if (authorization.startsWith(`${V4_ALGORITHM} `)) {
      const auth = await viaV4(env, req, parseV4Header(authorization, req.headers), now);
      return { ...auth, signed: { version: V4_ALGORITHM, authType: header } };
    }
    if (/^(AWS|OBS) /.test(authorization)) {
      return { ...(await viaV2(env, req, parseV2Header(authorization), now)), signed: { version: 'AWS', authType: header } };
    }
    throw s3.unsupportedAuthorization(authorization);
  }
  if (v4Query) {
    const auth = await viaV4(env, req, parseV4Query(params, req.headers), now);
    return { ...auth, signed: { version: V4_ALGORITHM, authType: query } };
  }
  if (v2Query) return { ...(await viaV2(env, req, parseV2Query(params), now)), signed: { version: 'AWS', authType: query } };
  return { caller: null, signed: null, ...(await payloadOf(req, amzHeader(req.headers, 'content-sha256'), null)) };
}

async function knownOwner(env: Env, access: string) {
  const owner = await ownerOf(env, access);
  if (!owner) throw s3.invalidAccessKeyId(access);
  return owner;
}

/**
 * A V4 scope naming another region of this cloud is refused as S3 refuses it (a signature made for one region is
 * not good in another). A name that is no region here (`us-east-1`, what unconfigured clients sign with) is let
 * through, as S3-compatible stores do.
 */
function checkV4Region(env: Env, req: S3Request, claim: V4Claim): void {
  const region = claim.scope.split('/')[1] ?? '';
  const expected = req.region && REGIONS.includes(req.region) ? req.region : env.DEFAULT_REGION;
  if (region === expected || !REGIONS.includes(region)) return;
  const detail = `the region '${region}' is wrong; expecting '${expected}'`;
  throw claim.expires === undefined
    ? s3.authorizationHeaderMalformed(detail)
    : s3.authorizationQueryParametersError(`Error parsing the X-Amz-Credential parameter; ${detail}`);
}

async function viaV4(env: Env, req: S3Request, claim: V4Claim, now: number): Promise<Omit<Authenticated, 'signed'>> {
  checkV4Region(env, req, claim);
  checkV4Time(claim, now);
  checkSignedHeaders(claim, req.headers, claim.expires !== undefined);
  const owner = await knownOwner(env, claim.access);
  const signing = await verifyV4(req, claim, owner.secret);
  return { caller: await callerFor(env, owner), ...(await payloadOf(req, claim.payloadHash, signing)) };
}

async function viaV2(env: Env, req: S3Request, claim: V2Claim, now: number): Promise<Omit<Authenticated, 'signed'>> {
  checkV2Time(req, claim, now);
  const owner = await knownOwner(env, claim.access);
  await verifyV2(req, claim, owner.secret);
  return { caller: await callerFor(env, owner), ...(await payloadOf(req, amzHeader(req.headers, 'content-sha256'), null)) };
}

/** The algorithms `x-amz-trailer` announces (`x-amz-checksum-crc32, ...`). */
function declaredTrailer(headers: Headers): ChecksumAlgorithm[] {
  const value = amzHeader(headers, 'trailer');
  if (!value) return [];
  return value.split(',').map((entry) => {
    const name = entry.trim().toLowerCase();
    const algorithm = /^x-(?:amz|obs)-checksum-(.+)$/.exec(name)?.[1] ?? '';
    if (!isChecksumAlgorithm(algorithm))
      throw s3.invalidRequest(`The value specified in the x-amz-trailer header is not supported: ${name}`);
    return algorithm;
  });
}

/** Whether the request is CompleteMultipartUpload (`POST ?uploadId=`). */
const completesUpload = (req: S3Request) => req.method === 'POST' && parseQuery(req.rawQuery).some((p) => p.name === 'uploadId');

/** The verified body and its length, for the payload hash the request declared. */
async function payloadOf(
  req: S3Request,
  declared: string | null,
  signing: V4Signing | null,
): Promise<Omit<Authenticated, 'caller' | 'signed'>> {
  // A Complete's x-amz-checksum-* is the checksum of the object it makes, not of its XML body.
  const checksums = completesUpload(req) ? new Map<ChecksumAlgorithm, string>() : checksumHeaders(req.headers);
  const verified = new Map<ChecksumAlgorithm, string>();
  const trailer = declared?.startsWith('STREAMING-') ? declaredTrailer(req.headers) : [];
  const digests = { checksumAlgorithms: [...checksums.keys(), ...trailer], checksums: verified };
  const declaredLength = Number(req.headers.get('content-length') ?? Number.NaN);
  // Small bodies pass as they come; large ones in 1 MiB pieces.
  const source = () => (!req.body ? emptyBody() : declaredLength <= COALESCE_BELOW ? req.body : coalesce(req.body));
  let body: ReadableStream<Uint8Array>;
  let length: number | null;
  if (declared?.startsWith('STREAMING-')) {
    const decoded = amzHeader(req.headers, 'decoded-content-length');
    if (!decoded || !/^\d+$/.test(decoded)) throw s3.missingContentLength();
    const signed = declared !== STREAMING_UNSIGNED_TRAILER;
    if (signed && !signing) throw s3.invalidRequest(`${declared} needs a request signed with ${V4_ALGORITHM}.`);
    length = Number(decoded);
    body = decodeAwsChunked(source(), {
      signing: signed ? signing : null,
      signedTrailer: declared === STREAMING_SIGNED_TRAILER,
      trailer,
      checksums,
      decodedLength: length,
      verified,
    });
  } else {
    const contentLength = req.headers.get('content-length');
    length = contentLength !== null && /^\d+$/.test(contentLength) ? Number(contentLength) : null;
    const sha256 = declared && /^[0-9a-fA-F]{64}$/.test(declared) ? declared.toLowerCase() : undefined;
    // Most requests have no body: the empty hash settles it without a stream.
    if (req.body === null && !checksums.size && (sha256 === undefined || sha256 === EMPTY_SHA256))
      return { body: null, length, ...digests };
    body = verifiedBody(source(), { sha256, checksums, length, verified });
  }
  // An empty body gives a consumer nothing to hold back: verify it now, before the store acts.
  if (req.body === null || length === 0) {
    await drain(body);
    return { body: req.body === null ? null : emptyBody(), length, ...digests };
  }
  return { body, length, ...digests };
}

/** Bodies up to this size are not regrouped into larger pieces. */
const COALESCE_BELOW = 64 * 1024;

function emptyBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}

async function drain(body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  while (!(await reader.read()).done);
}

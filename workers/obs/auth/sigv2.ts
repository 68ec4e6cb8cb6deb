/**
 * Signature Version 2: `Authorization: AWS AK:sig` (S3) or `OBS AK:sig` (OBS), and presigned URLs with
 * `AWSAccessKeyId` (S3) or `AccessKeyId` (OBS), `Expires` and `Signature`. The string to sign is method,
 * Content-MD5, Content-Type, date, the canonicalized `x-amz-*` (`x-obs-*`) headers and the canonicalized
 * resource: `/bucket/key` as sent, plus the sub-resources a client signs.
 *
 * Clients differ where the documentation is loose (whether sub-resource values are signed decoded or as
 * sent, where an `x-amz-date` goes, how repeated headers are joined), so each reading that s3cmd, botocore
 * and the documented examples use is accepted, as long as it describes the request the store will execute
 * (values decoded as the store decodes them, every sub-resource counted); errors report the documented one.
 */
import { CLOCK_WINDOW_MS } from '../../auth/aksk.ts';
import { constantTimeEqual } from '../../lib/crypto.ts';
import { s3 } from '../errors.ts';
import { base64 } from './checksums.ts';
import { isoSeconds, parseHttpDate, parseQuery, percentDecode, type QueryParam, queryValue, type S3Request, spacedHex } from './request.ts';

export type V2Scheme = 'AWS' | 'OBS';

/** What a V2-signed request claims. */
export interface V2Claim {
  scheme: V2Scheme;
  access: string;
  signature: string;
  /** Presigned requests: the expiry, in seconds since the epoch. */
  expires?: number;
}

const RESPONSE_OVERRIDES = [
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
];
/** The sub-resources S3 documents and botocore signs. */
const S3_SUBRESOURCES = new Set([
  'acl',
  'cors',
  'delete',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
  ...RESPONSE_OVERRIDES,
  'accelerate',
  'analytics',
  'defaultObjectAcl',
  'inventory',
  'metrics',
  'object-lock',
  'replication',
  'restore',
  'select',
  'select-type',
  'storageClass',
  'tagging',
]);
/** The sub-resources OBS signs in its own scheme. */
const OBS_SUBRESOURCES = new Set([
  ...S3_SUBRESOURCES,
  'CDNNotifyConfiguration',
  'append',
  'attname',
  'backtosource',
  'customdomain',
  'deletebucket',
  'directcoldaccess',
  'encryption',
  'length',
  'metadata',
  'mirrorBackToSource',
  'modify',
  'name',
  'obscompresspolicy',
  'orchestration',
  'position',
  'quota',
  'rename',
  'retention',
  'storagePolicy',
  'storageinfo',
  'truncate',
  'x-image-process',
  'x-image-save-bucket',
  'x-image-save-object',
  'x-obs-security-token',
]);

/** Parses `AWS AK:signature` or `OBS AK:signature`. */
export function parseV2Header(authorization: string): V2Claim {
  const m = authorization.match(/^(AWS|OBS) ([^:\s]+):(\S+)$/);
  if (!m)
    throw s3.invalidArgument("Authorization header is invalid -- one and only one ' ' (space) required", 'Authorization', authorization);
  return { scheme: m[1] as V2Scheme, access: m[2]!, signature: m[3]! };
}

/** Parses the V2 presigned parameters (`AWSAccessKeyId` for S3, `AccessKeyId` for OBS). */
export function parseV2Query(params: QueryParam[]): V2Claim {
  const awsAccess = queryValue(params, 'AWSAccessKeyId');
  const access = awsAccess ?? queryValue(params, 'AccessKeyId');
  // Read the signature without form decoding: a `+` left unescaped belongs to the base64.
  const rawSignature = params.find((p) => p.name === 'Signature')?.rawValue;
  const signature = rawSignature === undefined ? undefined : (percentDecode(rawSignature) ?? rawSignature);
  const expires = queryValue(params, 'Expires');
  if (!access || !signature || !expires) {
    throw s3.accessDenied('Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
  }
  if (!/^\d+$/.test(expires)) throw s3.invalidArgument('Expires must be a number of seconds since the epoch', 'Expires', expires);
  return { scheme: awsAccess ? 'AWS' : 'OBS', access, signature, expires: Number(expires) };
}

/** Refuses a header-signed request too far from now, or a presigned URL past its expiry. */
export function checkV2Time(req: S3Request, claim: V2Claim, now: number): void {
  if (claim.expires !== undefined) {
    if (now > claim.expires * 1000) throw s3.requestExpired({ Expires: isoSeconds(claim.expires * 1000), ServerTime: isoSeconds(now) });
    return;
  }
  const prefix = claim.scheme === 'OBS' ? 'x-obs-' : 'x-amz-';
  const sent = req.headers.get(`${prefix}date`) ?? req.headers.get('date');
  const at = parseHttpDate(sent);
  if (!Number.isFinite(at)) throw s3.missingDate();
  if (Math.abs(now - at) > CLOCK_WINDOW_MS) throw s3.requestTimeTooSkewed(sent ?? '', new Date(now).toUTCString(), CLOCK_WINDOW_MS);
}

/** `name:value\n` for each header under the prefix, sorted; `joinTight` joins repeated values with a bare comma. */
function canonicalPrefixedHeaders(headers: Headers, prefix: string, skip: string | null, joinTight: boolean): string {
  const lines: string[] = [];
  for (const [name, value] of headers) {
    if (!name.startsWith(prefix) || name === skip) continue;
    let v = value.replace(/\s*\r?\n\s*/g, ' ').trim();
    if (joinTight) v = v.replace(/\s*,\s*/g, ',');
    lines.push(`${name}:${v}\n`);
  }
  return lines.sort().join('');
}

/** The sub-resource part of the canonical resource (`?acl&versionId=...`), or ''. */
function subresources(params: QueryParam[], names: Set<string>, decoded: boolean): string {
  const kept = params.filter((p) => names.has(p.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!kept.length) return '';
  return `?${kept.map((p) => (p.rawValue === undefined ? p.name : `${p.name}=${decoded ? p.value : p.rawValue}`)).join('&')}`;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** Every string to sign this request may have been signed as, the documented reading first. */
export function v2StringsToSign(req: S3Request, claim: V2Claim): string[] {
  const params = parseQuery(req.rawQuery);
  const h = req.headers;
  const prefix = claim.scheme === 'OBS' ? 'x-obs-' : 'x-amz-';
  const dateHeader = `${prefix}date`;
  const xDate = h.get(dateHeader);
  // With x-amz-date the Date slot is empty and x-amz-date is signed among the amz headers; the documented
  // DELETE example instead puts its value in the Date slot and leaves it out of the headers.
  const dates: { date: string; skip: string | null }[] =
    claim.expires !== undefined
      ? [{ date: String(claim.expires), skip: null }]
      : xDate !== null
        ? [
            { date: '', skip: null },
            { date: xDate, skip: dateHeader },
          ]
        : [{ date: h.get('date') ?? '', skip: null }];
  const path = `${req.virtualBucket ? `/${req.virtualBucket}` : ''}${req.rawPath || '/'}`;
  const names = claim.scheme === 'OBS' ? OBS_SUBRESOURCES : S3_SUBRESOURCES;
  const resources = distinct([true, false].map((decoded) => path + subresources(params, names, decoded)));
  const head = [req.method.toUpperCase(), h.get('content-md5') ?? '', h.get('content-type') ?? ''].join('\n');
  const out: string[] = [];
  for (const { date, skip } of dates) {
    const amzHeaders = distinct([false, true].map((tight) => canonicalPrefixedHeaders(h, prefix, skip, tight)));
    for (const amz of amzHeaders) for (const resource of resources) out.push(`${head}\n${date}\n${amz}${resource}`);
  }
  return distinct(out);
}

/** Base64 HMAC-SHA1 of a string under a secret. */
export async function hmacSha1Base64(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return base64(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message))));
}

/** Verifies a V2 signature with the credential's secret; throws SignatureDoesNotMatch with the string to sign. */
export async function verifyV2(req: S3Request, claim: V2Claim, secret: string): Promise<void> {
  const candidates = v2StringsToSign(req, claim);
  for (const stringToSign of candidates) {
    if (constantTimeEqual(await hmacSha1Base64(secret, stringToSign), claim.signature)) return;
  }
  const first = candidates[0]!;
  throw s3.signatureDoesNotMatch({
    AWSAccessKeyId: claim.access,
    StringToSign: first,
    SignatureProvided: claim.signature,
    StringToSignBytes: spacedHex(first),
  });
}

/**
 * SDK-HMAC-SHA256 request signatures (Flexible Engine's AK/SK signing of native APIs).
 * Canonical request: method, URI ending in `/`, sorted query, canonical headers, signed header names, hex
 * SHA-256 of the body; string to sign `SDK-HMAC-SHA256\n{X-Sdk-Date}\n{hex sha256(canonical)}`, HMAC by the SK.
 */
import { eq } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { credentials, domains, users } from '../../schema/global.ts';
import { directory } from '../directory/client.ts';
import { constantTimeEqual, hmacSha256Hex, sha256Hex, unseal } from '../lib/crypto.ts';
import { unauthorized } from '../lib/errors.ts';

/** Requests signed further than this from the server's clock are refused. */
export const CLOCK_WINDOW_MS = 15 * 60 * 1000;
const CACHE_TTL_MS = 60_000;

export interface CredentialOwner {
  access: string;
  secret: string;
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  operator: boolean;
}

const owners = new Map<string, { at: number; owner: CredentialOwner | null }>();

/** Forgets a cached credential (deleted, disabled, or its user changed) in this isolate. */
export function invalidateCredential(access?: string): void {
  if (access) owners.delete(access);
  else owners.clear();
}

/** The active credential's secret and owner, cached per isolate for CACHE_TTL_MS (revocation is bounded by it). */
export async function ownerOf(env: Env, access: string): Promise<CredentialOwner | null> {
  const hit = owners.get(access);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.owner;
  const db = await directory(env);
  const row = await db
    .select({ cred: credentials, user: users, domain: domains })
    .from(credentials)
    .innerJoin(users, eq(users.id, credentials.userId))
    .innerJoin(domains, eq(domains.id, users.domainId))
    .where(eq(credentials.access, access))
    .get();
  const owner =
    row && row.cred.status === 'active' && row.user.enabled && row.domain.enabled
      ? {
          access,
          secret: await unseal(row.cred.secretSealed, env.PLATFORM_KEY),
          userId: row.user.id,
          userName: row.user.name,
          domainId: row.domain.id,
          domainName: row.domain.name,
          operator: row.domain.isOperator,
        }
      : null;
  owners.set(access, { at: Date.now(), owner });
  return owner;
}

/** Percent-encodes as RFC 3986 wants (encodeURIComponent leaves `!'()*` alone). */
export const encodeRfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical request of a signed request, as the Flexible Engine SDK signer builds it. */
export function canonicalRequest(method: string, url: URL, headers: Headers, signed: string[], bodyHash: string): string {
  const segments = url.pathname.split('/').map((s) => encodeRfc3986(decodeURIComponent(s)));
  let uri = segments.join('/');
  if (!uri.endsWith('/')) uri += '/';
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signed.map((h) => `${h}:${(headers.get(h) ?? '').trim()}\n`).join('');
  return [method.toUpperCase(), uri, query, canonicalHeaders, signed.join(';'), bodyHash].join('\n');
}

/** Parses `SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`. */
export function parseSdkAuthorization(header: string) {
  const fields = Object.fromEntries(
    header
      .slice('SDK-HMAC-SHA256'.length)
      .split(',')
      .map((part) => part.trim().split('=') as [string, string]),
  );
  const { Access: access, SignedHeaders: signedHeaders, Signature: signature } = fields;
  if (!access || !signedHeaders || !signature) throw unauthorized('Malformed SDK-HMAC-SHA256 Authorization header.');
  return { access, signed: signedHeaders.toLowerCase().split(';'), signature: signature.toLowerCase() };
}

/** Parses `20060102T150405Z`. */
function parseSdkDate(value: string | null): number {
  const m = value?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Verifies a signed request and returns the credential's owner; throws 401 on any mismatch. */
export async function verifySdkSignature(env: Env, request: Request): Promise<CredentialOwner> {
  const { access, signed, signature } = parseSdkAuthorization(request.headers.get('authorization') ?? '');
  const date = request.headers.get('x-sdk-date');
  const at = parseSdkDate(date);
  if (!Number.isFinite(at) || Math.abs(Date.now() - at) > CLOCK_WINDOW_MS) {
    throw unauthorized('The request signature has expired or X-Sdk-Date is missing or malformed.');
  }
  const owner = await ownerOf(env, access);
  if (!owner) throw unauthorized('The access key does not exist or is disabled.');
  const bodyHash =
    request.headers.get('x-sdk-content-sha256') === 'UNSIGNED-PAYLOAD'
      ? 'UNSIGNED-PAYLOAD'
      : await sha256Hex(await request.clone().arrayBuffer());
  const canonical = canonicalRequest(request.method, new URL(request.url), request.headers, signed, bodyHash);
  const stringToSign = `SDK-HMAC-SHA256\n${date}\n${await sha256Hex(canonical)}`;
  const expected = await hmacSha256Hex(owner.secret, stringToSign);
  if (!constantTimeEqual(expected, signature)) throw unauthorized('The request signature does not match.');
  return owner;
}

/**
 * Keystone tokens as JWTs signed with ES256 (jose). Keys rotate with overlap: TOKEN_SIGNING_KEYS lists private
 * JWKs newest first; the first signs, every listed key verifies, and the public halves are served as a JWKS.
 */
import { type CryptoKey, decodeProtectedHeader, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Env } from '../../core/env.ts';
import { hexId } from '../../core/ids.ts';
import { epochSeconds } from '../lib/time.ts';
import type { Principal } from './principal.ts';

const ISSUER = 'flexible-engine-iam';
const ALG = 'ES256';

interface KeyRing {
  source: string;
  signing: { kid: string; key: CryptoKey };
  verifying: Map<string, CryptoKey>;
  jwks: JWK[];
}

let ring: KeyRing | undefined;

async function keyRing(env: Env): Promise<KeyRing> {
  if (ring && ring.source === env.TOKEN_SIGNING_KEYS) return ring;
  const jwks = JSON.parse(env.TOKEN_SIGNING_KEYS || '[]') as JWK[];
  if (jwks.length === 0) throw new Error('TOKEN_SIGNING_KEYS is empty: no key to sign tokens with');
  const verifying = new Map<string, CryptoKey>();
  const publics: JWK[] = [];
  for (const jwk of jwks) {
    if (!jwk.kid) throw new Error('every signing key needs a kid');
    // Only the public half verifies; key_ops/ext from a WebCrypto export would name the private key's uses.
    const { d: _private, key_ops: _ops, ext: _ext, ...pub } = jwk;
    verifying.set(jwk.kid, (await importJWK({ ...pub, alg: ALG }, ALG)) as CryptoKey);
    publics.push({ ...pub, alg: ALG, use: 'sig' });
  }
  const first = jwks[0] as JWK & { kid: string };
  const { key_ops: _ops, ext: _ext, ...privateJwk } = first;
  const signing = { kid: first.kid, key: (await importJWK({ ...privateJwk, alg: ALG }, ALG)) as CryptoKey };
  ring = { source: env.TOKEN_SIGNING_KEYS, signing, verifying, jwks: publics };
  return ring;
}

/** The public keys that verify tokens, as a JWKS document. */
export async function publicJwks(env: Env): Promise<{ keys: JWK[] }> {
  return { keys: (await keyRing(env)).jwks };
}

/** Claims carried by a token (beyond iss/sub/jti/iat/exp). */
interface TokenClaims {
  usr: { name: string; dom: [string, string]; op: boolean };
  scope: Principal['scope'];
  roles: Principal['roles'];
  grp: string[];
  amr: string[];
  iat_ms: number;
  /** The expiry to the millisecond (exp has whole seconds), so that a validated token's expires_at is the issued one's. */
  exp_ms: number;
}

/** Signs a token for a principal; returns the token and the principal as it now stands (with id and times). */
export async function issueToken(
  env: Env,
  p: Omit<Principal, 'tokenId' | 'issuedAtMs' | 'expiresAtMs'>,
  expiresAtMs?: number,
): Promise<{ token: string; principal: Principal }> {
  const { signing } = await keyRing(env);
  const now = Date.now();
  const ttl = Number(env.TOKEN_TTL_SECONDS || 86400) * 1000;
  const exp = Math.min(expiresAtMs ?? now + ttl, now + ttl);
  const jti = hexId();
  const claims: TokenClaims = {
    usr: { name: p.userName, dom: [p.domainId, p.domainName], op: p.operator },
    scope: p.scope,
    roles: p.roles,
    grp: p.groupIds,
    amr: p.methods,
    iat_ms: now,
    exp_ms: exp,
  };
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ALG, kid: signing.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(p.userId)
    .setJti(jti)
    .setIssuedAt(epochSeconds(now))
    .setExpirationTime(epochSeconds(exp))
    .sign(signing.key);
  return { token, principal: { ...p, tokenId: jti, issuedAtMs: now, expiresAtMs: exp } };
}

/** How far ahead of this clock a token's issue time may be (another isolate's clock). */
const CLOCK_SKEW_MS = 60_000;

/** Tokens whose signature this isolate already checked, until they expire (bounded, oldest evicted first). */
const verified = new Map<string, { source: string; principal: Principal }>();
const VERIFIED_MAX = 10_000;

/** Verifies a token's signature, issuer, algorithm and expiry; returns its principal or null. */
export async function verifyToken(env: Env, token: string): Promise<Principal | null> {
  const hit = verified.get(token);
  if (hit && hit.source === env.TOKEN_SIGNING_KEYS && hit.principal.expiresAtMs > Date.now()) return hit.principal;
  const principal = await verifySignature(env, token);
  if (principal) {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
    verified.set(token, { source: env.TOKEN_SIGNING_KEYS, principal });
  }
  return principal;
}

async function verifySignature(env: Env, token: string): Promise<Principal | null> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return null;
  }
  const key = kid ? (await keyRing(env)).verifying.get(kid) : undefined;
  if (!key) return null;
  try {
    const { payload } = await jwtVerify<TokenClaims>(token, key, {
      issuer: ISSUER,
      algorithms: [ALG],
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });
    // A token this cloud issued says when, to the millisecond, and never in the future: one that does not was
    // made by something else holding the key, and a verifier refuses it all the same.
    const issuedMs = payload.iat_ms;
    if (typeof issuedMs !== 'number' || issuedMs > Date.now() + CLOCK_SKEW_MS || payload.iat! * 1000 > Date.now() + CLOCK_SKEW_MS)
      return null;
    // exp_ms refines exp within its second (a token without it, or one that disagrees, has exp's whole second).
    const expMs =
      typeof payload.exp_ms === 'number' && Math.floor(payload.exp_ms / 1000) === payload.exp ? payload.exp_ms : payload.exp! * 1000;
    return {
      userId: payload.sub ?? '',
      userName: payload.usr.name,
      domainId: payload.usr.dom[0],
      domainName: payload.usr.dom[1],
      operator: payload.usr.op,
      scope: payload.scope,
      roles: payload.roles,
      groupIds: payload.grp,
      methods: payload.amr,
      tokenId: payload.jti,
      issuedAtMs: issuedMs,
      expiresAtMs: expMs,
    };
  } catch {
    return null;
  }
}

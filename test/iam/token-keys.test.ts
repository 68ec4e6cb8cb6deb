/** Token signing keys: rotation with overlap, the JWKS, the configured lifetime. */
import { env } from 'cloudflare:workers';
import { importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import type { Principal } from '../../workers/auth/principal.ts';
import { issueToken, publicJwks, verifyToken } from '../../workers/auth/tokens.ts';
import { call, json } from '../request.ts';

async function newKey(kid: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return { ...((await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey), kid };
}

const who: Omit<Principal, 'tokenId' | 'issuedAtMs' | 'expiresAtMs'> = {
  userId: 'u1',
  userName: 'alice',
  domainId: 'd1',
  domainName: 'acme',
  operator: false,
  scope: { type: 'domain', domainId: 'd1', domainName: 'acme' },
  roles: [{ id: 'r1', name: 'readonly' }],
  groupIds: [],
  methods: ['password'],
};

const withKeys = (keys: unknown[], ttl = '3600') => ({
  ...(env as unknown as Env),
  TOKEN_SIGNING_KEYS: JSON.stringify(keys),
  TOKEN_TTL_SECONDS: ttl,
});

describe('signing keys', () => {
  it('keeps verifying tokens of the previous key after rotation, and refuses them once it is dropped', async () => {
    const oldKey = await newKey('old');
    const newer = await newKey('new');
    const { token } = await issueToken(withKeys([oldKey]), who);
    expect(await verifyToken(withKeys([newer, oldKey]), token)).toMatchObject({ userId: 'u1', roles: [{ name: 'readonly' }] });
    const { token: fresh } = await issueToken(withKeys([newer, oldKey]), who);
    expect(JSON.parse(atob(fresh.split('.')[0]!)).kid).toBe('new');
    expect(await verifyToken(withKeys([newer]), token)).toBeNull();
    expect(await verifyToken(withKeys([newer]), fresh)).not.toBeNull();
  });

  it('publishes only public keys in the JWKS, for every key that verifies', async () => {
    const jwks = await publicJwks(withKeys([await newKey('a'), await newKey('b')]));
    expect(jwks.keys.map((k) => k.kid)).toEqual(['a', 'b']);
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
    const served = await json(await call('/iam/v3/auth/keys'));
    expect(served.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(served.keys[0].d).toBeUndefined();
  });

  it('gives tokens the configured lifetime', async () => {
    const { principal } = await issueToken(withKeys([await newKey('k')], '7200'), who);
    expect(principal.expiresAtMs - principal.issuedAtMs).toBe(7_200_000);
  });
});

describe('claims a verifier insists on', () => {
  /** A token signed with the cloud's key but with claims of our choosing (what a holder of the key could make). */
  async function forged(key: JsonWebKey & { kid: string }, claims: Record<string, unknown>, set: (j: SignJWT) => SignJWT) {
    const base = new SignJWT({
      usr: { name: 'alice', dom: ['d1', 'acme'], op: false },
      scope: who.scope,
      roles: who.roles,
      grp: [],
      amr: ['password'],
      iat_ms: Date.now(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setIssuer('flexible-engine-iam')
      .setSubject('u1');
    return set(base).sign(await importJWK(key, 'ES256'));
  }

  it('refuses a token without an expiry, issued in the future, or without its issue time, and accepts the honest one', async () => {
    const key = await newKey('k');
    const e = withKeys([key]);
    const now = Math.floor(Date.now() / 1000);
    const honest = await forged(key, {}, (j) =>
      j
        .setJti('j1')
        .setIssuedAt(now)
        .setExpirationTime(now + 600),
    );
    expect(await verifyToken(e, honest)).toMatchObject({ userId: 'u1' });
    const noExpiry = await forged(key, {}, (j) => j.setJti('j2').setIssuedAt(now));
    expect(await verifyToken(e, noExpiry)).toBeNull();
    const future = await forged(key, { iat_ms: Date.now() + 3_600_000 }, (j) =>
      j
        .setJti('j3')
        .setIssuedAt(now + 3600)
        .setExpirationTime(now + 7200),
    );
    expect(await verifyToken(e, future)).toBeNull();
    const noIssueTime = await forged(key, { iat_ms: undefined }, (j) =>
      j
        .setJti('j4')
        .setIssuedAt(now)
        .setExpirationTime(now + 600),
    );
    expect(await verifyToken(e, noIssueTime)).toBeNull();
    const noId = await forged(key, {}, (j) => j.setIssuedAt(now).setExpirationTime(now + 600));
    expect(await verifyToken(e, noId)).toBeNull();
  });
});

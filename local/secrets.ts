/** Platform secrets for a local cloud or a test run: token signing keys and the key that seals AK/SK secrets. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface PlatformSecrets {
  /** JSON array of private JWKs, newest first. */
  TOKEN_SIGNING_KEYS: string;
  PLATFORM_KEY: string;
  /** A private RSA JWK signing SMN's messages. */
  SMN_SIGNING_KEY: string;
  BOOTSTRAP_TOKEN: string;
}

/** A new RSA-2048 key for SMN's message signatures, as a private JWK with a `kid`. */
export function newSmnSigningKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: `smn-${randomBytes(8).toString('hex')}`, alg: 'RS256' });
}

/** A new ES256 signing key as a private JWK with a `kid`. */
export function newSigningKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'ES256' };
}

/** Fresh secrets: one token signing key, a 256-bit platform key, SMN's signing key, a bootstrap token. */
export function newPlatformSecrets(): PlatformSecrets {
  return {
    TOKEN_SIGNING_KEYS: JSON.stringify([newSigningKey()]),
    PLATFORM_KEY: randomBytes(32).toString('base64'),
    SMN_SIGNING_KEY: newSmnSigningKey(),
    BOOTSTRAP_TOKEN: randomBytes(24).toString('base64url'),
  };
}

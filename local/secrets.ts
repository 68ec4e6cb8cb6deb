/** Platform secrets for a local cloud or a test run: token signing keys and the key that seals AK/SK secrets. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface PlatformSecrets {
  /** JSON array of private JWKs, newest first. */
  TOKEN_SIGNING_KEYS: string;
  PLATFORM_KEY: string;
  BOOTSTRAP_TOKEN: string;
}

/** A new ES256 signing key as a private JWK with a `kid`. */
export function newSigningKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'ES256' };
}

/** Fresh secrets: one signing key, a 256-bit platform key, a bootstrap token. */
export function newPlatformSecrets(): PlatformSecrets {
  return {
    TOKEN_SIGNING_KEYS: JSON.stringify([newSigningKey()]),
    PLATFORM_KEY: randomBytes(32).toString('base64'),
    BOOTSTRAP_TOKEN: randomBytes(24).toString('base64url'),
  };
}

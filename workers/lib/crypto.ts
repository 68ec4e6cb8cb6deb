/** Cryptographic helpers on WebCrypto: password hashing, sealing secrets, HMAC, encodings. */

const enc = new TextEncoder();

/** PBKDF2-SHA256 iterations: the most workerd's WebCrypto accepts (it refuses more than 100,000). */
export const PBKDF2_ITERATIONS = 100_000;

/** Base64url without padding. */
export function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Decodes base64 or base64url. */
export function fromB64(text: string): Uint8Array {
  const s = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

/** Lowercase hex. */
export function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** Random bytes rendered as url-safe text (for generated secrets and passwords). */
export function randomToken(bytes = 24): string {
  return b64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** Hashes a password with a fresh 16-byte salt: `pbkdf2-sha256$iterations$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${b64url(salt)}$${b64url(hash)}`;
}

/** Checks a password against a stored hash, comparing in constant time. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // A missing hash still costs one derivation, so that unknown users and wrong passwords take the same time.
  const [scheme, iter, salt, hash] = (stored ?? `pbkdf2-sha256$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$`).split('$');
  if (scheme !== 'pbkdf2-sha256' || !iter || salt === undefined || hash === undefined) return false;
  const derived = await pbkdf2(password, fromB64(salt), Number(iter));
  return constantTimeEqual(b64url(derived), hash) && stored !== null;
}

async function platformKey(base64Key: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromB64(base64Key), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** Seals a secret with the platform key (AES-256-GCM): `iv.ciphertext`, base64url. */
export async function seal(secret: string, base64Key: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await platformKey(base64Key), enc.encode(secret));
  return `${b64url(iv)}.${b64url(new Uint8Array(ct))}`;
}

/** Opens a secret sealed by `seal`. */
export async function unseal(sealed: string, base64Key: string): Promise<string> {
  const [iv = '', ct = ''] = sealed.split('.');
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64(iv) }, await platformKey(base64Key), fromB64(ct));
  return new TextDecoder().decode(pt);
}

/** HMAC-SHA256 of a message under a text key, as hex. */
export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', k, enc.encode(message)));
}

/** SHA-256 of bytes or text, as hex. */
export async function sha256Hex(data: string | Uint8Array | ArrayBuffer): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? enc.encode(data) : data));
}

/** Joins byte arrays into one. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

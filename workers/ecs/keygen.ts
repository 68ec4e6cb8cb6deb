/**
 * Key pair material as Nova makes it: an OpenSSH RSA key (`ssh`) or a self-signed X.509 client certificate
 * (`x509`, the kind WinRM uses: clientAuth, with the user as its UPN), and their fingerprints (MD5 of the SSH key
 * blob, SHA-1 of the certificate).
 */
import { publicKeyBlob } from '../../durable/ecs/keypairs.ts';
import { b64url, concatBytes, fromB64 } from '../lib/crypto.ts';
import { ApiError } from '../lib/errors.ts';

export interface Generated {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${b64(der)
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;

async function newRsaKey(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privatePem(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', new Uint8Array((await crypto.subtle.exportKey('pkcs8', key)) as ArrayBuffer));
}

function sshString(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function mpint(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.slice(i);
  return sshString(trimmed[0]! & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed);
}

/** MD5 of an OpenSSH key's blob as colon-separated hex, Nova's fingerprint of `ssh` keys. */
export async function sshFingerprint(publicKey: string): Promise<string> {
  let blob: string;
  try {
    blob = publicKeyBlob(publicKey);
  } catch (err) {
    throw new ApiError(400, (err as Error).message);
  }
  return hex(new Uint8Array(await crypto.subtle.digest('MD5', fromB64(blob))));
}

/** A new RSA key pair: the OpenSSH public key line and the PKCS#8 PEM private key. */
export async function generateSsh(name: string): Promise<Generated> {
  const pair = await newRsaKey();
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  const blob = concatBytes([sshString(new TextEncoder().encode('ssh-rsa')), mpint(fromB64(jwk.e!)), mpint(fromB64(jwk.n!))]);
  const blob64 = b64url(blob).replaceAll('-', '+').replaceAll('_', '/');
  const publicKey = `ssh-rsa ${blob64}${'='.repeat((4 - (blob64.length % 4)) % 4)} Generated-by-Flexible-Engine ${name}`;
  return { publicKey, privateKey: await privatePem(pair.privateKey), fingerprint: await sshFingerprint(publicKey) };
}

// DER, just what a certificate needs.
function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concatBytes([Uint8Array.of(tag, ...len), body]);
}
const seq = (...parts: Uint8Array[]) => tlv(0x30, concatBytes(parts));
const set = (...parts: Uint8Array[]) => tlv(0x31, concatBytes(parts));
const explicit = (n: number, ...parts: Uint8Array[]) => tlv(0xa0 + n, concatBytes(parts));
const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
const octets = (body: Uint8Array) => tlv(0x04, body);
const NULL = Uint8Array.of(0x05, 0x00);

function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

function time(d: Date): Uint8Array {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, new TextEncoder().encode(`${iso.slice(2)}Z`))
    : tlv(0x18, new TextEncoder().encode(`${iso}Z`));
}

/** Whether the bytes are exactly one DER SEQUENCE, as a certificate (signed part, algorithm, signature) is. */
function fillsSequence(der: Uint8Array): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1]!;
  if (first < 0x80) return first + 2 === der.length;
  const size = first & 0x7f;
  if (size < 1 || size > 3 || der.length < 2 + size) return false;
  let length = 0;
  for (let i = 0; i < size; i++) length = (length << 8) | der[2 + i]!;
  return length + 2 + size === der.length;
}

const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), NULL);

/** SHA-1 of a PEM certificate's DER as colon-separated hex, Nova's fingerprint of `x509` keys; 400 when it is not one. */
export async function x509Fingerprint(certificate: string): Promise<string> {
  const m = /^-----BEGIN CERTIFICATE-----\s+([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----\s*$/.exec(certificate.trim());
  let der: Uint8Array | undefined;
  try {
    der = m ? fromB64(m[1]!.replace(/\s+/g, '')) : undefined;
  } catch {
    der = undefined;
  }
  if (!der || !fillsSequence(der))
    throw new ApiError(400, 'Keypair data is invalid: failed to generate fingerprint: not a PEM X.509 certificate.');
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-1', der!)));
}

/** A new self-signed X.509 client certificate for `user` (valid ten years) and its private key. */
export async function generateX509(user: string): Promise<Generated> {
  const pair = await newRsaKey();
  const spki = new Uint8Array((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer);
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const name = seq(set(seq(oid('2.5.4.3'), utf8(user))));
  const now = new Date();
  const until = new Date(now.getTime() + 10 * 365 * 86_400_000);
  const clientAuth = seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.2'))));
  const upn = tlv(0xa0, concatBytes([oid('1.3.6.1.4.1.311.20.2.3'), explicit(0, utf8(`${user}@localhost`))]));
  const altName = seq(oid('2.5.29.17'), octets(seq(upn)));
  const tbs = seq(
    explicit(0, tlv(0x02, Uint8Array.of(2))),
    tlv(0x02, serial),
    SHA256_RSA,
    name,
    seq(time(now), time(until)),
    name,
    spki,
    explicit(3, seq(clientAuth, altName)),
  );
  const signature = new Uint8Array(await crypto.subtle.sign(RSA, pair.privateKey, tbs));
  const certificate = pem('CERTIFICATE', seq(tbs, SHA256_RSA, tlv(0x03, concatBytes([Uint8Array.of(0), signature]))));
  return { publicKey: certificate, privateKey: await privatePem(pair.privateKey), fingerprint: await x509Fingerprint(certificate) };
}

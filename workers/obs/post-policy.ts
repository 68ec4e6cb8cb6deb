/**
 * The policy of a browser-form POST upload: a base64 JSON document (an expiration and conditions on the form's
 * fields) signed with Signature V4 (`x-amz-algorithm`, `-credential`, `-date`, `-signature`) or V2
 * (`AWSAccessKeyId`, `signature`). Every field the form carries must be allowed by a condition; each condition
 * must hold. Refusals are S3's: AccessDenied "Invalid according to Policy: ...", SignatureDoesNotMatch, ...
 */
import type { Env } from '../../core/env.ts';
import { type CredentialOwner, ownerOf } from '../auth/aksk.ts';
import { constantTimeEqual } from '../lib/crypto.ts';
import { hmacSha1Base64 } from './auth/sigv2.ts';
import { hmacHex, signingKey, V4_ALGORITHM } from './auth/sigv4.ts';
import { S3Error, s3 } from './errors.ts';

/** A form's text fields, by lowercased name (S3 reads the names without regard to case). */
export type FormFields = Map<string, string>;

type Condition = { kind: 'eq' | 'starts-with'; field: string; value: string } | { kind: 'length'; min: number; max: number };

/** Fields no condition needs to name: the signature's own, the file, and `x-ignore-*`. */
const UNCHECKED = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'file']);

export const missingField = (name: string) =>
  s3.invalidArgument(
    `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    name,
    '',
  );
const invalidPolicy = (why: string) => new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: ${why}`);
const notAllowed = (why: string) => s3.accessDenied(`Invalid according to Policy: ${why}`);
const mismatch = () =>
  new S3Error(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

/** Verifies the form's signature of its policy; answers the credential's owner, or null for a form without a policy (anonymous). */
export async function signer(env: Env, form: FormFields): Promise<CredentialOwner | null> {
  const policy = form.get('policy');
  const v4 = form.has('x-amz-credential') || form.has('x-amz-signature') || form.has('x-amz-algorithm');
  const v2 = form.has('awsaccesskeyid') || form.has('signature');
  if (!policy) {
    if (v4 || v2) throw missingField('policy');
    return null;
  }
  if (v4) {
    if (form.get('x-amz-algorithm') !== V4_ALGORITHM)
      throw s3.invalidArgument('Only AWS4-HMAC-SHA256 is supported', 'x-amz-algorithm', form.get('x-amz-algorithm') ?? '');
    const credential = form.get('x-amz-credential') ?? '';
    const signature = form.get('x-amz-signature');
    if (!signature) throw missingField('x-amz-signature');
    const [access = '', ...scope] = credential.split('/');
    if (scope.length !== 4 || scope[3] !== 'aws4_request')
      throw s3.invalidArgument('Invalid credential: the scope must be <date>/<region>/s3/aws4_request', 'x-amz-credential', credential);
    const owner = await known(env, access);
    const expected = await hmacHex(await signingKey(owner.secret, scope.join('/')), policy);
    if (!constantTimeEqual(expected, signature.toLowerCase())) throw mismatch();
    return owner;
  }
  const access = form.get('awsaccesskeyid');
  if (!access) throw missingField('AWSAccessKeyId');
  const signature = form.get('signature');
  if (!signature) throw missingField('Signature');
  const owner = await known(env, access);
  if (!constantTimeEqual(await hmacSha1Base64(owner.secret, policy), signature)) throw mismatch();
  return owner;
}

async function known(env: Env, access: string): Promise<CredentialOwner> {
  const owner = await ownerOf(env, access);
  if (!owner) throw s3.invalidAccessKeyId(access);
  return owner;
}

/** The conditions of a form's policy document (base64 JSON), refusing an expired one; null when the form has none. */
export function readPolicy(form: FormFields, nowMs = Date.now()): Condition[] | null {
  const encoded = form.get('policy');
  if (!encoded) return null;
  let doc: { expiration?: unknown; conditions?: unknown };
  try {
    doc = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc?.expiration !== 'string') throw invalidPolicy('Policy missing expiration.');
  const expires = Date.parse(doc.expiration);
  if (Number.isNaN(expires)) throw invalidPolicy(`Invalid 'expiration' value: '${doc.expiration}'`);
  if (!Array.isArray(doc.conditions)) throw invalidPolicy('Policy missing conditions.');
  if (expires <= nowMs) throw notAllowed('Policy expired.');
  return doc.conditions.flatMap((c) => conditionFrom(c));
}

/** One condition: `{"field": "value"}`, `["eq"|"starts-with", "$field", "value"]` or `["content-length-range", min, max]`. */
function conditionFrom(raw: unknown): Condition[] {
  if (Array.isArray(raw)) {
    const [op, a, b] = raw;
    const kind = String(op).toLowerCase();
    if (kind === 'content-length-range') {
      const [min, max] = [Number(a), Number(b)];
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) throw invalidPolicy('Invalid content-length-range.');
      return [{ kind: 'length', min, max }];
    }
    if ((kind !== 'eq' && kind !== 'starts-with') || raw.length !== 3 || typeof a !== 'string' || !a.startsWith('$'))
      throw invalidPolicy(`Invalid condition: ${JSON.stringify(raw)}`);
    return [{ kind, field: a.slice(1).toLowerCase(), value: String(b) }];
  }
  if (raw && typeof raw === 'object') {
    return Object.entries(raw).map(([field, value]) => ({ kind: 'eq' as const, field: field.toLowerCase(), value: String(value) }));
  }
  throw invalidPolicy(`Invalid condition: ${JSON.stringify(raw)}`);
}

/** Checks the form (with the bucket it posts to, and its file's size) against its policy's conditions. */
export function checkPolicy(conditions: Condition[] | null, form: FormFields, bucket: string, size: number): void {
  if (!conditions) return;
  const values = new Map(form);
  values.set('bucket', bucket);
  for (const c of conditions) {
    if (c.kind === 'length') {
      if (size > c.max)
        throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          MaxSizeAllowed: String(c.max),
        });
      if (size < c.min)
        throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
          MinSizeAllowed: String(c.min),
        });
      continue;
    }
    const value = values.get(c.field) ?? '';
    const holds = c.kind === 'eq' ? value === c.value : value.startsWith(c.value);
    if (!holds) throw notAllowed(`Policy Condition failed: ["${c.kind}", "$${c.field}", "${c.value}"]`);
  }
  const named = new Set(conditions.flatMap((c) => (c.kind === 'length' ? [] : [c.field])));
  for (const field of form.keys()) {
    if (UNCHECKED.has(field) || field.startsWith('x-ignore-') || named.has(field)) continue;
    throw notAllowed(`Extra input fields: ${field}`);
  }
}

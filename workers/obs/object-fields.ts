/**
 * What a write says about the object besides its bytes, read from the request headers and validated before
 * the first byte is stored: content type, user metadata, stored headers, storage class, tags, ACL.
 */
import type { ObjectMeta } from '../../schema/bucket.ts';
import { requestedAcl } from './acl.ts';
import { amz, type S3Context } from './context.ts';
import { S3Error } from './errors.ts';

/** Storage classes: Flexible Engine's three, and the S3 names clients send for the same tiers. */
const STORAGE_CLASSES: Record<string, string> = {
  STANDARD: 'STANDARD',
  WARM: 'WARM',
  COLD: 'COLD',
  STANDARD_IA: 'WARM',
  GLACIER: 'COLD',
};

/** Headers stored with the object and returned on GET and HEAD. */
export const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
  'x-amz-website-redirect-location',
];

/** User metadata may total 2 KiB (names and values), as in S3. */
const MAX_USER_META_BYTES = 2048;

export interface ObjectFields {
  contentType: string;
  meta: ObjectMeta;
  /** Null: the bucket's default storage class. */
  storageClass: string | null;
  tags: Record<string, string> | null;
  acl: string | null;
}

/** A storage class named by the request (`x-amz-storage-class` or `x-obs-storage-class`); null: the bucket's default. */
export function storageClassOf(s: S3Context): string | null {
  const asked = amz(s, 'storage-class');
  return asked === null ? null : storageClassNamed(asked);
}

/** Flexible Engine's name for a storage class (STANDARD, WARM, COLD) given in either naming; undefined if none. */
export function storageClassCalled(asked: string): string | undefined {
  return STORAGE_CLASSES[asked.trim().toUpperCase()];
}

/** Flexible Engine's name for a storage class (STANDARD, WARM, COLD) given in either naming, or InvalidStorageClass. */
export function storageClassNamed(asked: string): string {
  const cls = storageClassCalled(asked);
  if (!cls) throw new S3Error(400, 'InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: asked });
  return cls;
}

/** The S3 name of a storage class (what `?storagePolicy` speaks): STANDARD, STANDARD_IA, GLACIER. */
export function s3StorageClassName(cls: string): string {
  return ({ WARM: 'STANDARD_IA', COLD: 'GLACIER' } as Record<string, string>)[cls] ?? cls;
}

/** Tags in the form of `x-amz-tagging` (a URL query string), checked against S3's limits. */
export function parseTagQuery(text: string): Record<string, string> {
  const seen = new Set<string>();
  const entries: [string, string][] = [];
  for (const [k, v] of new URLSearchParams(text)) {
    if (seen.has(k)) throw new S3Error(400, 'InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: k });
    seen.add(k);
    entries.push([k, v]);
  }
  // fromEntries defines own properties, so a tag named `__proto__` is kept like any other.
  const tags = Object.fromEntries(entries);
  checkTags(tags);
  return tags;
}

/** S3's tag limits: 10 per object, keys 1-128 characters, values up to 256. */
export function checkTags(tags: Record<string, string>, max = 10): void {
  const entries = Object.entries(tags);
  if (entries.length > max) throw new S3Error(400, 'BadRequest', `Object tags cannot be greater than ${max}`);
  for (const [k, v] of entries) {
    if (!k.length || [...k].length > 128) throw new S3Error(400, 'InvalidTag', 'The TagKey you have provided is invalid', { TagKey: k });
    if ([...v].length > 256) throw new S3Error(400, 'InvalidTag', 'The TagValue you have provided is invalid', { TagKey: k, TagValue: v });
  }
}

/** The fields of a write, from its headers. */
export function objectFields(s: S3Context): ObjectFields {
  const h = s.request.headers;
  const user: Record<string, string> = {};
  const headers: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, value] of h) {
    const m = /^x-(?:amz|obs)-meta-(.+)$/.exec(name);
    if (m) {
      user[m[1]!] = value;
      metaBytes += m[1]!.length + value.length;
    } else if (STORED_HEADERS.includes(name)) {
      headers[name] = value;
    }
  }
  if (metaBytes > MAX_USER_META_BYTES) {
    throw new S3Error(400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', {
      MaxSizeAllowed: String(MAX_USER_META_BYTES),
    });
  }
  // aws-chunked is how the body travelled, not how it is stored.
  if (headers['content-encoding']) {
    const codings = headers['content-encoding']
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c && c !== 'aws-chunked');
    if (codings.length) headers['content-encoding'] = codings.join(', ');
    else delete headers['content-encoding'];
  }
  const tagging = amz(s, 'tagging');
  const acl = requestedAcl(s);
  return {
    contentType: h.get('content-type') || 'binary/octet-stream',
    meta: { user, headers },
    storageClass: storageClassOf(s),
    tags: tagging ? parseTagQuery(tagging) : null,
    acl: acl.grants.length ? JSON.stringify(acl) : null,
  };
}

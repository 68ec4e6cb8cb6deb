/**
 * What the object routes (single PUT and copy, GET and HEAD, multipart, lifecycle's Content-MD5) read from a
 * request the same way: the payload's length and MD5, the read options, the copy source; and the headers that
 * describe a version.
 */
import { ACTIONS } from '../../core/obs/actions.ts';
import type { WriteGuards } from '../../durable/obs/bucket-rules.ts';
import type { WriteConditions } from '../../durable/obs/conditions.ts';
import type { ReadOptions } from '../../durable/obs/objects.ts';
import type { VersionRow } from '../../durable/obs/versions.ts';
import { amz, type S3Context } from './context.ts';
import { s3 } from './errors.ts';
import { lockFieldsOf } from './lock.api.ts';
import type { ObjectFields } from './object-fields.ts';
import { unwrap } from './usecases/caller.ts';
import { MAX_PUT_BYTES } from './usecases/objects.ts';

/** What the bucket judges of a write besides its bytes: its ACL, the canned ACL named, the writer, its lock headers. */
export function writeGuards(s: S3Context, fields: ObjectFields): WriteGuards {
  const account = s.user.account;
  return {
    acl: fields.acl,
    cannedAcl: amz(s, 'acl'),
    writer: account && { id: account.domainId, name: account.domainName },
    lock: { fields: lockFieldsOf(s), retentionWho: s.who(ACTIONS.putObjectRetention), legalHoldWho: s.who(ACTIONS.putObjectLegalHold) },
  };
}

/** The base64 Content-MD5 header, checked for form; null when absent. */
export function contentMd5Of(s: S3Context): string | null {
  const value = s.request.headers.get('content-md5');
  if (value === null) return null;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(value)) throw s3.invalidDigest();
  return value;
}

/** The length of the payload: required, and at most `max`. */
export function payloadLength(s: S3Context, max = MAX_PUT_BYTES): number {
  if (s.length === null) throw s3.missingContentLength();
  if (s.length > max) throw s3.entityTooLarge(max);
  return s.length;
}

/** The headers describing a version: type, length, ETag, dates, metadata, storage class, version id. */
export function objectHeaders(row: VersionRow, versioned: boolean): Headers {
  const h = new Headers();
  h.set('Content-Type', row.contentType);
  h.set('ETag', `"${row.etag}"`);
  h.set('Last-Modified', new Date(row.lastModified).toUTCString());
  h.set('Accept-Ranges', 'bytes');
  for (const [name, value] of Object.entries(row.meta.headers)) h.set(name, value);
  for (const [name, value] of Object.entries(row.meta.user)) h.set(`x-amz-meta-${name}`, value);
  if (row.storageClass !== 'STANDARD') {
    h.set('x-amz-storage-class', row.storageClass);
    h.set('x-obs-storage-class', row.storageClass);
  }
  if (versioned) h.set('x-amz-version-id', row.versionId);
  if (row.partsCount) h.set('x-amz-mp-parts-count', String(row.partsCount));
  if (row.tags && Object.keys(row.tags).length) h.set('x-amz-tagging-count', String(Object.keys(row.tags).length));
  return h;
}

/** Read options from the request: version, range, conditions. */
export function readOptions(s: S3Context, head: boolean): ReadOptions {
  const h = s.request.headers;
  const versionId = s.target.query.get('versionId') ?? undefined;
  return {
    versionId: versionId === '' ? undefined : versionId,
    range: h.get('range'),
    ifMatch: h.get('if-match'),
    ifNoneMatch: h.get('if-none-match'),
    ifModifiedSince: h.get('if-modified-since'),
    ifUnmodifiedSince: h.get('if-unmodified-since'),
    head,
  };
}

/**
 * The conditions of a write (PutObject, CompleteMultipartUpload). S3 takes only `*` for If-None-Match on a
 * write and answers any other value with NotImplemented.
 */
export function writeConditions(s: S3Context): WriteConditions {
  const ifNoneMatch = s.request.headers.get('if-none-match');
  const ifMatch = s.request.headers.get('if-match');
  if (ifNoneMatch !== null && ifNoneMatch.trim() !== '*') throw s3.notImplemented('If-None-Match');
  return { ifNoneMatch: ifNoneMatch === null ? null : '*', ifMatch };
}

/** The source of a copy: `x-amz-copy-source: /bucket/key?versionId=...` (URL-encoded). */
export function copySource(s: S3Context): { bucket: string; key: string; versionId?: string } {
  const raw = amz(s, 'copy-source') ?? '';
  const q = raw.indexOf('?');
  const path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q)).replace(/^\//, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw s3.invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', raw);
  const versionId = q < 0 ? undefined : (new URLSearchParams(raw.slice(q + 1)).get('versionId') ?? undefined);
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), versionId };
}

/** Reads a copy source (access checked in its own bucket, conditions applied with copy semantics). */
export async function readCopySource(s: S3Context, range?: string | null) {
  const src = copySource(s);
  const action = src.versionId === undefined ? ACTIONS.getObject : ACTIONS.getObjectVersion;
  const outcome = unwrap(
    await s.env.BUCKET.getByName(src.bucket).readObject(src.bucket, s.who(action), src.key, {
      versionId: src.versionId,
      range,
      ifMatch: amz(s, 'copy-source-if-match'),
      ifNoneMatch: amz(s, 'copy-source-if-none-match'),
      ifModifiedSince: amz(s, 'copy-source-if-modified-since'),
      ifUnmodifiedSince: amz(s, 'copy-source-if-unmodified-since'),
      copy: true,
    }),
  );
  if (outcome.status !== 'ok') throw new Error('a copy source read answered not-modified');
  return { src, ...outcome };
}

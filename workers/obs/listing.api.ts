/**
 * Listing a bucket: ListObjects (v1, `marker`), ListObjectsV2 (continuation tokens, start-after) and
 * ListObjectVersions (`?versions`, key and version-id markers).
 */

import { ACTIONS } from '../../core/obs/actions.ts';
import type { ListedObject, ListPage, VersionPage } from '../../durable/obs/listing.ts';
import type { VersionRow } from '../../durable/obs/versions.ts';
import type { S3Context } from './context.ts';
import { s3 } from './errors.ts';
import { unwrap } from './usecases/caller.ts';
import { listObjects as listPage } from './usecases/objects.ts';
import { type XmlObject, xmlDocument, xmlResponse } from './xml.ts';

const LIST_PARAMS = new Set([
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'list-type',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'x-id',
  'allow-unordered',
]);

/** Routes the listing requests on a bucket; null when the request is something else. */
export async function routeBucketListing(s: S3Context): Promise<Response | null> {
  if (s.request.method !== 'GET') return null;
  const q = s.target.query;
  if (q.has('versions')) return listObjectVersions(s);
  for (const name of q.keys()) if (!LIST_PARAMS.has(name)) return null;
  return q.get('list-type') === '2' ? listObjectsV2(s) : listObjects(s);
}

/** `max-keys`: 0 to 1,000 (larger asks get 1,000, as S3 does). */
export function maxKeysOf(q: URLSearchParams, name = 'max-keys'): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return 1000;
  if (!/^\d+$/.test(raw)) throw s3.invalidArgument('Provided max-keys not an integer or within integer range', name, raw);
  return Math.min(Number(raw), 1000);
}

/** With `encoding-type=url`, names are URL-encoded in the answer (keys may hold characters XML 1.0 cannot carry). */
export function encoder(q: URLSearchParams): (value: string) => string {
  const type = q.get('encoding-type');
  if (type === null) return (v) => v;
  if (type !== 'url') throw s3.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return (v) => encodeURIComponent(v).replaceAll('%2F', '/');
}

/** One `<Contents>` element. */
export function contentsOf(row: ListedObject, enc: (v: string) => string, owner?: { id: string; name: string }): XmlObject {
  return {
    Key: enc(row.key),
    LastModified: row.lastModified,
    ETag: `"${row.etag}"`,
    Size: row.size,
    Owner: owner ? { ID: owner.id, DisplayName: owner.name } : undefined,
    StorageClass: row.storageClass,
  };
}

function page(s: S3Context, prefix: string, delimiter: string, after: string, maxKeys: number) {
  return listPage(s.user, s.target.bucket!, { prefix, delimiter, after, maxKeys });
}

const commonPrefixes = (p: ListPage, enc: (v: string) => string) =>
  p.commonPrefixes.length ? p.commonPrefixes.map((cp) => ({ Prefix: enc(cp) })) : undefined;

async function listObjects(s: S3Context): Promise<Response> {
  const q = s.target.query;
  const enc = encoder(q);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const maxKeys = maxKeysOf(q);
  const p = await page(s, prefix, delimiter, marker, maxKeys);
  return xmlResponse('ListBucketResult', {
    Name: s.target.bucket!,
    Prefix: enc(prefix),
    Marker: enc(marker),
    MaxKeys: maxKeys,
    Delimiter: delimiter ? enc(delimiter) : undefined,
    EncodingType: q.has('encoding-type') ? 'url' : undefined,
    IsTruncated: p.truncated,
    NextMarker: p.truncated && delimiter && p.last !== null ? enc(p.last) : undefined,
    Contents: p.contents.map((row) => contentsOf(row, enc, p.owner)),
    CommonPrefixes: commonPrefixes(p, enc),
  });
}

const toToken = (key: string) => btoa(String.fromCharCode(...new TextEncoder().encode(`k:${key}`)));

function fromToken(token: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(token), (ch) => ch.charCodeAt(0)));
    if (text.startsWith('k:')) return text.slice(2);
  } catch {
    // falls through to the error below
  }
  throw s3.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

async function listObjectsV2(s: S3Context): Promise<Response> {
  const q = s.target.query;
  const enc = encoder(q);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? '';
  const maxKeys = maxKeysOf(q);
  // An empty token is no token (S3 lists from the start and echoes it), not a malformed one.
  const after = token ? fromToken(token) : startAfter;
  const p = await page(s, prefix, delimiter, after, maxKeys);
  const fetchOwner = q.get('fetch-owner') === 'true';
  return xmlResponse('ListBucketResult', {
    Name: s.target.bucket!,
    Prefix: enc(prefix),
    Delimiter: delimiter ? enc(delimiter) : undefined,
    MaxKeys: maxKeys,
    EncodingType: q.has('encoding-type') ? 'url' : undefined,
    KeyCount: p.contents.length + p.commonPrefixes.length,
    IsTruncated: p.truncated,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: p.truncated && p.last !== null ? toToken(p.last) : undefined,
    StartAfter: q.has('start-after') ? enc(startAfter) : undefined,
    Contents: p.contents.map((row) => contentsOf(row, enc, fetchOwner ? p.owner : undefined)),
    CommonPrefixes: commonPrefixes(p, enc),
  });
}

/** An element written on its own, to be spliced into a document whose children interleave two element names. */
const fragment = (name: string, body: XmlObject) => xmlDocument(name, body, false).replace(/^<\?xml[^>]*>\n/, '');

/** One `<Version>` or `<DeleteMarker>` of a version listing. */
function versionEntry(row: VersionRow, enc: (v: string) => string, owner: { id: string; name: string }): string {
  const common = { Key: enc(row.key), VersionId: row.versionId, IsLatest: row.latest, LastModified: row.lastModified };
  const who = { ID: owner.id, DisplayName: owner.name };
  if (row.deleteMarker) return fragment('DeleteMarker', { ...common, Owner: who });
  return fragment('Version', { ...common, ETag: `"${row.etag}"`, Size: row.size, StorageClass: row.storageClass, Owner: who });
}

/** `GET /{bucket}?versions`: every version and delete marker, key ascending and newest first within a key. */
async function listObjectVersions(s: S3Context): Promise<Response> {
  const q = s.target.query;
  const enc = encoder(q);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  const maxKeys = maxKeysOf(q);
  if (versionIdMarker && !keyMarker) {
    throw s3.invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionIdMarker);
  }
  const query = { prefix, delimiter, keyMarker, versionIdMarker, maxKeys };
  const p: VersionPage & { owner: { id: string; name: string } } = unwrap(
    await s.bucket().listObjectVersions(s.target.bucket!, s.who(ACTIONS.listBucketVersions), query),
  );
  const head = xmlDocument('ListVersionsResult', {
    Name: s.target.bucket!,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionIdMarker,
    NextKeyMarker: p.truncated && p.nextKeyMarker !== null ? enc(p.nextKeyMarker) : undefined,
    NextVersionIdMarker: p.truncated && p.nextVersionIdMarker !== null ? p.nextVersionIdMarker : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter ? enc(delimiter) : undefined,
    EncodingType: q.has('encoding-type') ? 'url' : undefined,
    IsTruncated: p.truncated,
  });
  const close = '</ListVersionsResult>';
  const body = [
    head.slice(0, -close.length),
    ...p.versions.map((row) => versionEntry(row, enc, p.owner)),
    ...p.commonPrefixes.map((cp) => fragment('CommonPrefixes', { Prefix: enc(cp) })),
    close,
  ].join('');
  return new Response(body, { headers: { 'Content-Type': 'application/xml' } });
}

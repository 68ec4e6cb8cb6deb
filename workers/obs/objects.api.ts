/**
 * Objects: put (streamed into R2, then committed), get and head (ranges, conditions, response overrides),
 * delete, multi-object delete, and copy. Object ACLs, tags and multipart uploads route to their own modules.
 */

import { ACTIONS } from '../../core/obs/actions.ts';
import type { NewVersion, VersionRow } from '../../durable/obs/versions.ts';
import { copyBlobs, readBlobs, storeBlob } from './blobs.ts';
import { amz, type S3Context, unwrap } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { routeMultipart } from './multipart.api.ts';
import { routeObjectExtras } from './object-extras.api.ts';
import { objectFields } from './object-fields.ts';
import { contentMd5Of, MAX_PUT_BYTES, objectHeaders, payloadLength, readCopySource, readOptions } from './object-requests.ts';
import { servedSubresource } from './subresources.ts';
import { childText, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** The longest key: 1,024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

/** Requests on an object. */
export async function routeObject(s: S3Context): Promise<Response> {
  const key = s.target.key!;
  if (new TextEncoder().encode(key).byteLength > MAX_KEY_BYTES) {
    throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', {
      MaxSizeAllowed: String(MAX_KEY_BYTES),
      Size: String(new TextEncoder().encode(key).byteLength),
    });
  }
  const sub = servedSubresource(s, 'object');
  const routed = (await routeMultipart(s)) ?? (await routeObjectExtras(s));
  if (routed) return routed;
  // Only a request naming no sub-resource is a plain read, write or delete of the object.
  if (sub !== null) throw s3.notImplemented(`?${sub}`);
  switch (s.request.method) {
    case 'PUT':
      return amz(s, 'copy-source') ? copyObject(s) : putObject(s);
    case 'GET':
    case 'HEAD':
      return getObject(s);
    case 'DELETE':
      return deleteObject(s);
    default:
      throw s3.methodNotAllowed(s.request.method, 'OBJECT');
  }
}

const hexToBase64 = (hex: string) => btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))));

/**
 * Streams the request body into a new blob of the bucket and returns it with its MD5: the blob is reserved
 * first (so a crash leaves nothing unaccounted), and given up again if the upload fails or is refused.
 */
export async function receiveBody(s: S3Context, key: string, length: number): Promise<{ blob: string; md5: string }> {
  const name = s.target.bucket!;
  const stub = s.bucket();
  const expectedMd5 = contentMd5Of(s);
  const { blob } = unwrap(await stub.beginWrite(name, s.who(ACTIONS.putObject), key));
  try {
    const { md5 } = await storeBlob(s.env, blob, s.body ?? new Response('').body!, length);
    if (expectedMd5 && hexToBase64(md5) !== expectedMd5) throw s3.badDigest();
    return { blob, md5 };
  } catch (err) {
    s.exec.waitUntil(stub.abandon(name, blob));
    throw err;
  }
}

/** Commits a blob as a new version; a refused commit gives the blob up. */
export async function commitVersion(
  s: S3Context,
  version: NewVersion,
  options: { ifNoneMatch?: string | null } = {},
): Promise<VersionRow & { versioned: boolean }> {
  const name = s.target.bucket!;
  const result = await s.bucket().commitObject(name, version, options);
  if ('error' in result) for (const b of version.blobs) s.exec.waitUntil(s.bucket().abandon(name, b.key));
  return unwrap(result);
}

async function putObject(s: S3Context): Promise<Response> {
  const key = s.target.key!;
  const length = payloadLength(s);
  const fields = objectFields(s);
  const { blob, md5 } = await receiveBody(s, key, length);
  const row = await commitVersion(
    s,
    { ...fields, key, size: length, etag: md5, blobs: [{ key: blob, size: length }], partsCount: 0 },
    { ifNoneMatch: s.request.headers.get('if-none-match') },
  );
  const headers: Record<string, string> = { ETag: `"${md5}"` };
  if (row.versioned) headers['x-amz-version-id'] = row.versionId;
  return new Response(null, { status: 200, headers });
}

/** `response-*` query parameters that override the stored headers of a GET answer. */
const OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

async function getObject(s: S3Context): Promise<Response> {
  const head = s.request.method === 'HEAD';
  const name = s.target.bucket!;
  const key = s.target.key!;
  const options = readOptions(s, head);
  const action = options.versionId === undefined ? ACTIONS.getObject : ACTIONS.getObjectVersion;
  const outcome = unwrap(await s.bucket().readObject(name, s.who(action), key, options));
  const row = outcome.version;
  const headers = objectHeaders(row, outcome.versioned);
  if (outcome.status === 'not-modified') {
    headers.delete('Content-Type');
    return new Response(null, { status: 304, headers });
  }
  for (const [param, header] of Object.entries(OVERRIDES)) {
    const value = s.target.query.get(param);
    if (value === null) continue;
    if (!s.caller) throw s3.invalidRequest('Request specific response headers cannot be used for anonymous GET requests.');
    headers.set(header, value);
  }
  const range = outcome.range;
  const start = range?.start ?? 0;
  const length = range ? range.end - range.start + 1 : row.size;
  headers.set('Content-Length', String(length));
  if (range) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${row.size}`);
  const status = range ? 206 : 200;
  if (head || length === 0) return new Response(null, { status, headers });
  return new Response(await bodyOf(s, row, start, length), { status, headers });
}

/** The bytes of a version; a single blob is streamed straight from R2. */
async function bodyOf(s: S3Context, row: VersionRow, start: number, length: number): Promise<ReadableStream<Uint8Array>> {
  if (row.blobs.length !== 1) return readBlobs(s.env, row.blobs, start, length);
  const obj = await s.env.OBS_DATA.get(
    row.blobs[0]!.key,
    start === 0 && length === row.size ? undefined : { range: { offset: start, length } },
  );
  if (!obj) throw new Error(`blob ${row.blobs[0]!.key} of ${row.key} is missing`);
  return obj.body;
}

async function deleteObject(s: S3Context): Promise<Response> {
  const versionId = s.target.query.get('versionId') ?? undefined;
  const action = versionId === undefined ? ACTIONS.deleteObject : ACTIONS.deleteObjectVersion;
  const out = unwrap(await s.bucket().deleteObject(s.target.bucket!, s.who(action), s.target.key!, versionId));
  const headers: Record<string, string> = {};
  if (out.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (out.versionId) headers['x-amz-version-id'] = out.versionId;
  return new Response(null, { status: 204, headers });
}

/** `POST /{bucket}?delete`: up to 1,000 keys (or versions) in one request. */
export async function deleteObjects(s: S3Context): Promise<Response> {
  const doc = parseXml(await readBodyText(s.body), 'Delete');
  const objects = (doc.Object ?? []) as Record<string, unknown>[];
  if (!objects.length || objects.length > 1000) throw s3.malformedXml();
  const keys = objects.map((o) => {
    const key = childText(o, 'Key');
    if (!key) throw s3.malformedXml();
    const versionId = childText(o, 'VersionId');
    return versionId ? { key, versionId } : { key };
  });
  const quiet = childText(doc, 'Quiet') === 'true';
  const results = unwrap(await s.bucket().deleteObjects(s.target.bucket!, s.who(ACTIONS.deleteObject), keys));
  const deleted = results.flatMap((r) =>
    'ok' in r && !quiet
      ? [
          {
            Key: r.key,
            VersionId: r.versionId,
            DeleteMarker: r.ok.deleteMarker ? true : undefined,
            DeleteMarkerVersionId: r.ok.deleteMarker && r.versionId === undefined ? r.ok.versionId : undefined,
          },
        ]
      : [],
  );
  const errors = results.flatMap((r) =>
    'error' in r ? [{ Key: r.key, VersionId: r.versionId, Code: r.error.kind, Message: r.error.message }] : [],
  );
  return xmlResponse('DeleteResult', { Deleted: deleted, Error: errors });
}

async function copyObject(s: S3Context): Promise<Response> {
  const key = s.target.key!;
  const { src, version, versioned: srcVersioned } = await readCopySource(s);
  if (version.size > MAX_PUT_BYTES)
    throw s3.invalidRequest('The specified copy source is larger than the maximum allowable size for a copy source: 5368709120');
  const directive = amz(s, 'metadata-directive') ?? 'COPY';
  const tagDirective = amz(s, 'tagging-directive') ?? 'COPY';
  if (!['COPY', 'REPLACE'].includes(directive))
    throw s3.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  if (!['COPY', 'REPLACE'].includes(tagDirective))
    throw s3.invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', tagDirective);
  const fields = objectFields(s);
  const sameObject = src.bucket === s.target.bucket && src.key === key && src.versionId === undefined;
  if (sameObject && directive === 'COPY' && !amz(s, 'storage-class')) {
    throw s3.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const name = s.target.bucket!;
  const stub = s.bucket();
  const { blob } = unwrap(await stub.beginWrite(name, s.who(ACTIONS.putObject), key));
  let md5: string;
  try {
    ({ md5 } = await copyBlobs(s.env, version.blobs, 0, version.size, blob));
  } catch (err) {
    s.exec.waitUntil(stub.abandon(name, blob));
    throw err;
  }
  const row = await commitVersion(s, {
    key,
    size: version.size,
    etag: md5,
    blobs: [{ key: blob, size: version.size }],
    partsCount: 0,
    contentType: directive === 'REPLACE' ? fields.contentType : version.contentType,
    meta: directive === 'REPLACE' ? fields.meta : version.meta,
    storageClass: amz(s, 'storage-class') ? fields.storageClass : version.storageClass,
    tags: tagDirective === 'REPLACE' ? fields.tags : version.tags,
    acl: fields.acl,
  });
  const headers: Record<string, string> = {};
  if (srcVersioned) headers['x-amz-copy-source-version-id'] = version.versionId;
  if (row.versioned) headers['x-amz-version-id'] = row.versionId;
  return xmlResponse('CopyObjectResult', { LastModified: row.lastModified, ETag: `"${md5}"` }, { headers });
}

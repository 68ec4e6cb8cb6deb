/**
 * Objects: put (streamed into R2, then committed), get and head (ranges, conditions, response overrides),
 * delete, multi-object delete, and copy. Object ACLs, tags and multipart uploads route to their own modules.
 */

import { ACTIONS } from '../../core/obs/actions.ts';
import { getObjectAttributes } from './attributes.api.ts';
import { copyBlobs } from './blobs.ts';
import { checksumModeEnabled, declaredChecksum, setChecksumHeaders } from './checksum-fields.ts';
import { amz, type S3Context } from './context.ts';
import { s3 } from './errors.ts';
import { bypassOf, routeObjectLockSettings, setLockHeaders } from './lock.api.ts';
import { routeMultipart } from './multipart.api.ts';
import { routeObjectExtras } from './object-extras.api.ts';
import { objectFields } from './object-fields.ts';
import {
  contentMd5Of,
  objectHeaders,
  payloadLength,
  readCopySource,
  readOptions,
  writeConditions,
  writeGuards,
} from './object-requests.ts';
import { servedSubresource } from './subresources.ts';
import { unwrap } from './usecases/caller.ts';
import { checkKey, commitVersion, deleteObject, getObject, MAX_PUT_BYTES, putObject, writeBlob } from './usecases/objects.ts';
import { childText, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** Requests on an object. */
export async function routeObject(s: S3Context): Promise<Response> {
  checkKey(s.target.key!);
  const sub = servedSubresource(s, 'object');
  const routed = (await routeMultipart(s)) ?? (await routeObjectExtras(s)) ?? (await routeObjectLockSettings(s));
  if (routed) return routed;
  if (sub === 'attributes') return getObjectAttributes(s);
  // Only a request naming no sub-resource is a plain read, write or delete of the object.
  if (sub !== null) throw s3.notImplemented(`?${sub}`);
  switch (s.request.method) {
    case 'PUT':
      return amz(s, 'copy-source') ? copyObject(s) : putObjectRoute(s);
    case 'GET':
    case 'HEAD':
      return getObjectRoute(s);
    case 'DELETE':
      return deleteObjectRoute(s);
    default:
      throw s3.methodNotAllowed(s.request.method, 'OBJECT');
  }
}

async function putObjectRoute(s: S3Context): Promise<Response> {
  const length = payloadLength(s);
  const fields = objectFields(s);
  const payload = { stream: s.body, length, md5: contentMd5Of(s), checksum: declaredChecksum(s) };
  const row = await putObject(s.user, s.target.bucket!, s.target.key!, fields, payload, writeConditions(s), writeGuards(s, fields));
  const headers = new Headers({ ETag: `"${row.etag}"` });
  if (row.versioned) headers.set('x-amz-version-id', row.versionId);
  setChecksumHeaders(headers, row.checksum);
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

async function getObjectRoute(s: S3Context): Promise<Response> {
  const head = s.request.method === 'HEAD';
  const outcome = await getObject(s.user, s.target.bucket!, s.target.key!, readOptions(s, head));
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
  // S3 gives a checksum only for the whole object: a range's bytes are not what it covers.
  if (checksumModeEnabled(s) && !range) setChecksumHeaders(headers, row.checksum);
  setLockHeaders(headers, row);
  headers.set('Content-Length', String(outcome.length));
  if (range) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${row.size}`);
  return new Response(outcome.body, { status: range ? 206 : 200, headers });
}

async function deleteObjectRoute(s: S3Context): Promise<Response> {
  const versionId = s.target.query.get('versionId') ?? undefined;
  const out = await deleteObject(s.user, s.target.bucket!, s.target.key!, versionId, bypassOf(s));
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
  const results = unwrap(await s.bucket().deleteObjects(s.target.bucket!, s.who(ACTIONS.deleteObject), keys, bypassOf(s)));
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
  const copied = async (to: string) => (await copyBlobs(s.env, version.blobs, 0, version.size, to)).md5;
  const { blob, md5, owned } = await writeBlob(s.user, name, key, copied, {}, writeGuards(s, fields));
  const row = await commitVersion(s.user, name, {
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
    ...owned,
  });
  const headers: Record<string, string> = {};
  if (srcVersioned) headers['x-amz-copy-source-version-id'] = version.versionId;
  if (row.versioned) headers['x-amz-version-id'] = row.versionId;
  return xmlResponse('CopyObjectResult', { LastModified: row.lastModified, ETag: `"${md5}"` }, { headers });
}

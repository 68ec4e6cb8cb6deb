/**
 * Multipart uploads: initiate, upload part (and part copy), list parts and uploads, complete, abort, and the
 * read of one part of a completed object (`?partNumber=N`). A part streams into a blob the bucket reserved,
 * and is committed (or given up) like a whole object; the bucket's rules live in durable/obs/multipart.ts.
 */

import { ACTIONS } from '../../core/obs/actions.ts';
import type { VersionRow } from '../../durable/obs/versions.ts';
import { checksumHeaders } from './auth/payload.ts';
import { copyBlobs, readBlobs } from './blobs.ts';
import {
  checksumElement,
  checksumModeEnabled,
  declaredChecksum,
  listedChecksum,
  setChecksumHeaders,
  uploadChecksumOf,
} from './checksum-fields.ts';
import { amz, type S3Context } from './context.ts';
import { s3 } from './errors.ts';
import { encoder, maxKeysOf } from './listing.api.ts';
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
import { unwrap } from './usecases/caller.ts';
import { abortUpload, checkPartNumber, completeUpload, initiateUpload, type PartRef, storePart, uploadPart } from './usecases/multipart.ts';
import { MAX_PUT_BYTES } from './usecases/objects.ts';
import { childText, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** Routes multipart requests on an object (`?uploads`, `?uploadId=...`, `?partNumber=N`); null for anything else. */
export async function routeMultipart(s: S3Context): Promise<Response | null> {
  const q = s.target.query;
  const method = s.request.method;
  const uploadId = q.get('uploadId');
  if (method === 'POST' && q.has('uploads')) return initiate(s);
  if (uploadId !== null) {
    switch (method) {
      case 'PUT':
        return amz(s, 'copy-source') ? uploadPartCopy(s, uploadId) : uploadPartRoute(s, uploadId);
      case 'GET':
        return listParts(s, uploadId);
      case 'POST':
        return complete(s, uploadId);
      case 'DELETE':
        return abort(s, uploadId);
      default:
        throw s3.methodNotAllowed(method, 'OBJECT');
    }
  }
  if ((method === 'GET' || method === 'HEAD') && q.has('partNumber')) return getPart(s);
  return null;
}

/** Routes `GET /{bucket}?uploads` (ListMultipartUploads); null for anything else. */
export async function routeBucketUploads(s: S3Context): Promise<Response | null> {
  if (s.request.method !== 'GET' || !s.target.query.has('uploads')) return null;
  return listUploads(s);
}

/** `partNumber`: an integer from 1 to 10,000. */
function partNumberOf(s: S3Context): number {
  const raw = s.target.query.get('partNumber') ?? '';
  return checkPartNumber(/^\d{1,5}$/.test(raw) ? Number(raw) : 0, raw);
}

/** The owner or initiator element of a listing. */
const principal = (id: string, name = id) => ({ ID: id, DisplayName: name });

/** `POST /{bucket}/{key}?uploads`: opens an upload with the object's fields, taken from the headers as PutObject takes them. */
async function initiate(s: S3Context): Promise<Response> {
  const key = s.target.key!;
  const checksum = uploadChecksumOf(s);
  const fields = { ...objectFields(s), checksumAlgorithm: checksum?.algorithm ?? null, checksumType: checksum?.type ?? null };
  const uploadId = await initiateUpload(s.user, s.target.bucket!, key, fields, writeGuards(s, fields));
  const headers: Record<string, string> = checksum
    ? { 'x-amz-checksum-algorithm': checksum.algorithm.toUpperCase(), 'x-amz-checksum-type': checksum.type }
    : {};
  return xmlResponse('InitiateMultipartUploadResult', { Bucket: s.target.bucket!, Key: key, UploadId: uploadId }, { headers });
}

/** The part a request names. */
function partOf(s: S3Context, uploadId: string): PartRef {
  return { bucket: s.target.bucket!, key: s.target.key!, uploadId, partNumber: partNumberOf(s) };
}

/** `PUT ?partNumber=N&uploadId=X`: the body streams into the part's blob; ETag = its MD5, Content-MD5 checked. */
async function uploadPartRoute(s: S3Context, uploadId: string): Promise<Response> {
  const part = partOf(s, uploadId);
  const checksum = declaredChecksum(s);
  const payload = { stream: s.body, length: payloadLength(s), md5: contentMd5Of(s), checksum };
  const { etag } = await uploadPart(s.user, part, payload);
  const headers = new Headers({ ETag: `"${etag}"` });
  if (checksum) headers.set(`x-amz-checksum-${checksum.algorithm}`, checksum.verified.get(checksum.algorithm)!);
  return new Response(null, { status: 200, headers });
}

/** `x-amz-copy-source-range: bytes=first-last`, checked for form; null when absent. */
function copySourceRange(s: S3Context): { first: number; last: number; header: string } | null {
  const header = amz(s, 'copy-source-range');
  if (header === null) return null;
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m || Number(m[1]) > Number(m[2])) {
    throw s3.invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  }
  return { first: Number(m[1]), last: Number(m[2]), header: header.trim() };
}

/** `PUT ?partNumber=N&uploadId=X` with `x-amz-copy-source`: the part is (a byte range of) another object. */
async function uploadPartCopy(s: S3Context, uploadId: string): Promise<Response> {
  const part = partOf(s, uploadId);
  const wanted = copySourceRange(s);
  const { version, range, versioned } = await readCopySource(s, wanted?.header);
  if (wanted && range?.end !== wanted.last) {
    throw s3.invalidArgument(
      `Range specified is not valid for source object of size: ${version.size}`,
      'x-amz-copy-source-range',
      wanted.header,
    );
  }
  const start = range?.start ?? 0;
  const size = range ? range.end - range.start + 1 : version.size;
  if (size > MAX_PUT_BYTES)
    throw s3.invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_BYTES}`);
  const { etag, lastModified } = await storePart(
    s.user,
    part,
    size,
    async (blob) => (await copyBlobs(s.env, version.blobs, start, size, blob)).md5,
  );
  const headers: Record<string, string> = versioned ? { 'x-amz-copy-source-version-id': version.versionId } : {};
  return xmlResponse('CopyPartResult', { LastModified: lastModified, ETag: `"${etag}"` }, { headers });
}

/** `GET ?uploadId=X`: one page of the upload's parts (`max-parts`, `part-number-marker`). */
async function listParts(s: S3Context, uploadId: string): Promise<Response> {
  const q = s.target.query;
  const enc = encoder(q);
  const key = s.target.key!;
  const maxParts = maxKeysOf(q, 'max-parts');
  const markerText = q.get('part-number-marker') || '0';
  if (!/^\d{1,9}$/.test(markerText))
    throw s3.invalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', markerText);
  const marker = Number(markerText);
  const page = unwrap(
    await s.bucket().listParts(s.target.bucket!, s.who(ACTIONS.listMultipartUploadParts), key, uploadId, { marker, maxParts }),
  );
  return xmlResponse('ListPartsResult', {
    Bucket: s.target.bucket!,
    Key: enc(key),
    UploadId: uploadId,
    Initiator: principal(page.upload.initiatorId, page.upload.initiatorName || undefined),
    Owner: principal(page.owner.id, page.owner.name),
    StorageClass: page.upload.storageClass,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.parts.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: page.truncated,
    EncodingType: q.has('encoding-type') ? 'url' : undefined,
    ChecksumAlgorithm: page.upload.checksumAlgorithm?.toUpperCase(),
    ChecksumType: page.upload.checksumType ?? undefined,
    Part: page.parts.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: p.lastModified,
      ETag: `"${p.etag}"`,
      Size: p.size,
      ...checksumElement(page.upload.checksumAlgorithm, p.checksum),
    })),
  });
}

/** `GET /{bucket}?uploads`: the uploads in progress (prefix, delimiter, key and upload id markers, max-uploads). */
async function listUploads(s: S3Context): Promise<Response> {
  const q = s.target.query;
  const enc = encoder(q);
  const query = {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') ?? '',
    keyMarker: q.get('key-marker') ?? '',
    uploadIdMarker: q.get('upload-id-marker') ?? '',
    maxUploads: maxKeysOf(q, 'max-uploads'),
  };
  const page = unwrap(await s.bucket().listUploads(s.target.bucket!, s.who(ACTIONS.listMultipartUploads), query));
  const owner = principal(page.owner.id, page.owner.name);
  return xmlResponse('ListMultipartUploadsResult', {
    Bucket: s.target.bucket!,
    KeyMarker: enc(query.keyMarker),
    UploadIdMarker: query.uploadIdMarker,
    NextKeyMarker: enc(page.nextKeyMarker),
    NextUploadIdMarker: page.nextUploadIdMarker,
    Delimiter: query.delimiter ? enc(query.delimiter) : undefined,
    Prefix: enc(query.prefix),
    MaxUploads: query.maxUploads,
    IsTruncated: page.truncated,
    EncodingType: q.has('encoding-type') ? 'url' : undefined,
    Upload: page.uploads.map((u) => ({
      Key: enc(u.key),
      UploadId: u.uploadId,
      Initiator: principal(u.initiatorId, u.initiatorName || undefined),
      Owner: owner,
      StorageClass: u.storageClass,
      Initiated: u.initiated,
    })),
    CommonPrefixes: page.commonPrefixes.length ? page.commonPrefixes.map((p) => ({ Prefix: enc(p) })) : undefined,
  });
}

/**
 * An ETag as a client echoes it, as stored: bare lowercase hex. Quoted or not; Go's XML encoder (rclone) writes
 * the quotes as `&#34;`, which the parser leaves as they are.
 */
const bareEtag = (etag: string) =>
  etag
    .trim()
    .replace(/^(?:"|&#34;|&#x22;)|(?:"|&#34;|&#x22;)$/gi, '')
    .toLowerCase();

/** `POST ?uploadId=X` with `<CompleteMultipartUpload>`: the listed parts, in order, become the object. */
async function complete(s: S3Context, uploadId: string): Promise<Response> {
  const key = s.target.key!;
  const conditions = writeConditions(s);
  const stated = checksumHeaders(s.request.headers);
  if (stated.size > 1) throw s3.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const doc = parseXml(await readBodyText(s.body), 'CompleteMultipartUpload');
  const listed = ((doc.Part ?? []) as unknown[]).map((p) => {
    const number = childText(p, 'PartNumber');
    const etag = childText(p, 'ETag');
    if (!number || !/^\d{1,5}$/.test(number) || etag === undefined) throw s3.malformedXml();
    return { partNumber: Number(number), etag: bareEtag(etag), checksum: listedChecksum((name) => childText(p, name)) };
  });
  const checksum = [...stated.values()][0] ?? null;
  const row = await completeUpload(s.user, s.target.bucket!, key, uploadId, listed, { conditions, checksum });
  const headers: Record<string, string> = row.versioned ? { 'x-amz-version-id': row.versionId } : {};
  const c = row.checksum;
  return xmlResponse(
    'CompleteMultipartUploadResult',
    {
      Location: `${new URL(s.request.url).origin}${s.target.rawPath}`,
      Bucket: s.target.bucket!,
      Key: key,
      ETag: `"${row.etag}"`,
      ...checksumElement(c?.algorithm, c?.value),
      ChecksumType: c?.type,
    },
    { headers },
  );
}

/** `DELETE ?uploadId=X`: the upload ends, and every part's bytes are freed. */
async function abort(s: S3Context, uploadId: string): Promise<Response> {
  await abortUpload(s.user, s.target.bucket!, s.target.key!, uploadId);
  return new Response(null, { status: 204 });
}

/** A part's checksum: the whole object's for a simple upload, the part's own for a composite one (S3 has no other). */
function setPartChecksum(h: Headers, row: VersionRow, partNumber: number): void {
  const c = row.checksum;
  if (!c) return;
  if (!row.partsCount) {
    setChecksumHeaders(h, c);
    return;
  }
  const value = c.type === 'COMPOSITE' ? c.parts?.[partNumber - 1] : undefined;
  if (value) setChecksumHeaders(h, { algorithm: c.algorithm, type: c.type, value });
}

/** `GET|HEAD ?partNumber=N`: one part of an object (a simple upload is its own part 1), with the version's conditions. */
async function getPart(s: S3Context): Promise<Response> {
  const head = s.request.method === 'HEAD';
  const partNumber = partNumberOf(s);
  const { range: asked, ...options } = readOptions(s, head);
  if (asked) throw s3.invalidRequest('Cannot specify both Range header and partNumber query parameter');
  const action = options.versionId === undefined ? ACTIONS.getObject : ACTIONS.getObjectVersion;
  const outcome = unwrap(await s.bucket().readPart(s.target.bucket!, s.who(action), s.target.key!, partNumber, options));
  const row = outcome.version;
  const headers = objectHeaders(row, outcome.versioned);
  if (outcome.status === 'not-modified') {
    headers.delete('Content-Type');
    return new Response(null, { status: 304, headers });
  }
  const range = outcome.range;
  const length = range ? range.end - range.start + 1 : 0;
  if (checksumModeEnabled(s)) setPartChecksum(headers, row, partNumber);
  headers.set('Content-Length', String(length));
  if (range && row.partsCount) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${row.size}`);
  const status = row.partsCount ? 206 : 200;
  if (head || !range) return new Response(null, { status, headers });
  return new Response(readBlobs(s.env, row.blobs, range.start, length), { status, headers });
}

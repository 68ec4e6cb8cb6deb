/**
 * GetObjectAttributes (`GET /{bucket}/{key}?attributes`): what `x-amz-object-attributes` asks of a version
 * (ETag, Checksum, ObjectParts, StorageClass, ObjectSize) without its bytes, under its own S3 action.
 */
import { ACTIONS } from '../../core/obs/actions.ts';
import type { VersionRow } from '../../durable/obs/versions.ts';
import { checksumElement } from './checksum-fields.ts';
import { amz, type S3Context } from './context.ts';
import { s3 } from './errors.ts';
import { unwrap } from './usecases/caller.ts';
import { type XmlObject, xmlResponse } from './xml.ts';

const ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;
type Attribute = (typeof ATTRIBUTES)[number];

/** The attributes asked for: a comma-separated list of S3's names, at least one. */
function askedAttributes(s: S3Context): Set<Attribute> {
  const raw = amz(s, 'object-attributes') ?? '';
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (!names.length)
    throw s3.invalidArgument(
      'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty',
      'x-amz-object-attributes',
      raw,
    );
  for (const name of names)
    if (!(ATTRIBUTES as readonly string[]).includes(name))
      throw s3.invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', name);
  return new Set(names as Attribute[]);
}

/** A non-negative integer header (`x-amz-max-parts`, `x-amz-part-number-marker`), `fallback` when absent. */
function integerHeader(s: S3Context, name: string, fallback: number): number {
  const raw = amz(s, name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw)) throw s3.invalidArgument(`Provided ${name} not an integer or within integer range`, `x-amz-${name}`, raw);
  return Number(raw);
}

/** The `ObjectParts` of a multipart version; its parts are listed only when it has a checksum, as S3 does. */
function objectParts(s: S3Context, row: VersionRow): XmlObject {
  const maxParts = Math.min(integerHeader(s, 'max-parts', 1000), 1000);
  const marker = integerHeader(s, 'part-number-marker', 0);
  const out: XmlObject = { PartsCount: row.partsCount };
  const c = row.checksum;
  if (!c?.parts) return out;
  const after = row.blobs.map((blob, i) => ({ number: i + 1, size: blob.size })).filter((p) => p.number > marker);
  const page = after.slice(0, maxParts);
  return {
    ...out,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.number ?? marker,
    MaxParts: maxParts,
    IsTruncated: after.length > maxParts,
    Part: page.map((p) => ({ PartNumber: p.number, Size: p.size, ...checksumElement(c.algorithm, c.parts![p.number - 1]) })),
  };
}

/** `GET ?attributes`: the asked attributes of the current version (or `versionId`). */
export async function getObjectAttributes(s: S3Context): Promise<Response> {
  const asked = askedAttributes(s);
  const versionId = s.target.query.get('versionId') || undefined;
  const options = { versionId, head: true, attributes: true };
  const who = s.who(versionId === undefined ? ACTIONS.getObjectAttributes : ACTIONS.getObjectVersionAttributes);
  const outcome = unwrap(await s.bucket().readObject(s.target.bucket!, who, s.target.key!, options));
  const row = outcome.version;
  const c = row.checksum;
  const body: XmlObject = {
    ETag: asked.has('ETag') ? row.etag : undefined,
    Checksum: asked.has('Checksum') && c ? { ...checksumElement(c.algorithm, c.value), ChecksumType: c.type } : undefined,
    ObjectParts: asked.has('ObjectParts') && row.partsCount ? objectParts(s, row) : undefined,
    StorageClass: asked.has('StorageClass') ? row.storageClass : undefined,
    ObjectSize: asked.has('ObjectSize') ? row.size : undefined,
  };
  const headers: Record<string, string> = { 'Last-Modified': new Date(row.lastModified).toUTCString() };
  if (outcome.versioned) headers['x-amz-version-id'] = row.versionId;
  return xmlResponse('GetObjectAttributesResponse', body, { headers });
}

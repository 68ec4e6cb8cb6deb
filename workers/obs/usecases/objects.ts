/**
 * Objects: list (prefix, delimiter, paging), put (the bytes stream into a blob the bucket reserved, then one
 * commit makes them the key's new version), get (the version resolved by the bucket, its bytes streamed from
 * R2) and delete. A blob whose upload fails or is refused is given up at once, never left unaccounted.
 */

import { ACTIONS } from '../../../core/obs/actions.ts';
import type { Requester } from '../../../durable/obs/access.ts';
import type { WriteGuards, WriteOwnership } from '../../../durable/obs/bucket-rules.ts';
import type { WriteConditions } from '../../../durable/obs/conditions.ts';
import type { ListPage, ListQuery } from '../../../durable/obs/listing.ts';
import type { ReadOptions, ReadOutcome } from '../../../durable/obs/objects.ts';
import type { DeleteOutcome, NewVersion, VersionRow } from '../../../durable/obs/versions.ts';
import { readBlobs, storeBlob } from '../blobs.ts';
import { type DeclaredChecksum, verifiedValue } from '../checksum-fields.ts';
import { S3Error, s3 } from '../errors.ts';
import type { ObjectFields } from '../object-fields.ts';
import { bucketOf, type ObsUser, unwrap } from './caller.ts';

/** The longest key: 1,024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;
/** The largest single PUT (and copy), as S3 allows: 5 GiB. Larger objects go through multipart uploads. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** A key of at most 1,024 bytes (KeyTooLongError otherwise). */
export function checkKey(key: string): void {
  const size = new TextEncoder().encode(key).byteLength;
  if (size > MAX_KEY_BYTES) {
    throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(size) });
  }
}

/** The bytes of a write: a stream of a known length, and the base64 MD5 the sender says they have, if it says. */
export interface Payload {
  stream: ReadableStream<Uint8Array> | null;
  length: number;
  md5?: string | null;
  /** The `x-amz-checksum-*` the sender declared, verified as the bytes flow; kept with the object. */
  checksum?: DeclaredChecksum | null;
}

/** What a write says of an object when its door says nothing more than its content type. */
export function plainFields(contentType: string): ObjectFields {
  return { contentType: contentType || 'binary/octet-stream', meta: { user: {}, headers: {} }, storageClass: null, tags: null, acl: null };
}

/** One page of the bucket's current objects, folders (common prefixes) apart when a delimiter is given. */
export async function listObjects(
  user: ObsUser,
  bucket: string,
  query: ListQuery,
): Promise<ListPage & { owner: { id: string; name: string } }> {
  return unwrap(await bucketOf(user, bucket).list(bucket, user.who(ACTIONS.listBucket), query));
}

const hexToBase64 = (hex: string) => btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))));

/**
 * Reserves a new blob of the bucket for a write of `key` and lets `write` fill it (resolving with its MD5):
 * reserved first, so that a crash leaves nothing unaccounted, and given up again if the write fails. The
 * write's conditions are judged before any byte moves; the answer carries them on to the commit.
 */
export async function writeBlob(
  user: ObsUser,
  bucket: string,
  key: string,
  write: (blob: string) => Promise<string>,
  conditions: WriteConditions = {},
  guards?: WriteGuards,
) {
  const stub = bucketOf(user, bucket);
  const { blob, seen, ownership } = unwrap(await stub.beginWrite(bucket, user.who(ACTIONS.putObject), key, conditions, guards));
  try {
    return { blob, md5: await write(blob), conditions: { ...conditions, seen }, owned: ownedVersion(ownership, guards) };
  } catch (err) {
    user.later(stub.abandon(bucket, blob));
    throw err;
  }
}

/** What a judged write puts into its version: the owner and ACL the bucket's controls gave it, and its lock. */
function ownedVersion(
  ownership: WriteOwnership | null,
  guards: WriteGuards | undefined,
): Pick<NewVersion, 'owner' | 'acl' | 'lock'> | null {
  return ownership && { owner: ownership.owner, acl: ownership.acl, lock: guards?.lock?.fields ?? null };
}

/** Stores a payload into `blob`, checking the MD5 it announced; resolves with its MD5 (hex). */
export async function storePayload(user: ObsUser, blob: string, payload: Payload): Promise<string> {
  const { md5 } = await storeBlob(user.env, blob, payload.stream ?? new Response('').body!, payload.length);
  if (payload.md5 && hexToBase64(md5) !== payload.md5) throw s3.badDigest();
  return md5;
}

/** Commits written blobs as a new version; a refused commit gives the blobs up. */
export async function commitVersion(
  user: ObsUser,
  bucket: string,
  version: NewVersion,
  conditions: WriteConditions = {},
): Promise<VersionRow & { versioned: boolean }> {
  const stub = bucketOf(user, bucket);
  const result = await stub.commitObject(bucket, version, conditions);
  if ('error' in result) for (const b of version.blobs) user.later(stub.abandon(bucket, b.key));
  return unwrap(result);
}

/** Writes an object: its bytes, then the version that makes them visible, if its conditions still hold then. */
export async function putObject(
  user: ObsUser,
  bucket: string,
  key: string,
  fields: ObjectFields,
  payload: Payload,
  conditions: WriteConditions = {},
  guards?: WriteGuards,
): Promise<VersionRow & { versioned: boolean }> {
  checkKey(key);
  if (payload.length > MAX_PUT_BYTES) throw s3.entityTooLarge(MAX_PUT_BYTES);
  const written = await writeBlob(user, bucket, key, (to) => storePayload(user, to, payload), conditions, guards);
  const { blob, md5 } = written;
  const size = payload.length;
  const c = payload.checksum;
  const checksum = c ? { algorithm: c.algorithm, type: 'FULL_OBJECT' as const, value: verifiedValue(c) } : null;
  const version = { ...fields, ...written.owned, key, size, etag: md5, blobs: [{ key: blob, size }], partsCount: 0, checksum };
  return commitVersion(user, bucket, version, written.conditions);
}

/** A read resolved, with the bytes to send (none for HEAD, a 304, or an empty range). */
export type ObjectRead = ReadOutcome & { body: ReadableStream<Uint8Array> | null; length: number };

/** Reads an object (or one version, or a byte range of it) under the read's conditions. */
export async function getObject(user: ObsUser, bucket: string, key: string, options: ReadOptions = {}): Promise<ObjectRead> {
  checkKey(key);
  const action = options.versionId === undefined ? ACTIONS.getObject : ACTIONS.getObjectVersion;
  const outcome = unwrap(await bucketOf(user, bucket).readObject(bucket, user.who(action), key, options));
  if (outcome.status === 'not-modified') return { ...outcome, body: null, length: 0 };
  const { version, range } = outcome;
  const start = range?.start ?? 0;
  const length = range ? range.end - range.start + 1 : version.size;
  const body = options.head || length === 0 ? null : await bytesOf(user, version, start, length);
  return { ...outcome, body, length };
}

/** The bytes of a version; a single blob is streamed straight from R2. */
async function bytesOf(user: ObsUser, row: VersionRow, start: number, length: number): Promise<ReadableStream<Uint8Array>> {
  if (row.blobs.length !== 1) return readBlobs(user.env, row.blobs, start, length);
  const whole = start === 0 && length === row.size;
  const obj = await user.env.OBS_DATA.get(row.blobs[0]!.key, whole ? undefined : { range: { offset: start, length } });
  if (!obj) throw new Error(`blob ${row.blobs[0]!.key} of ${row.key} is missing`);
  return obj.body;
}

/** Deletes a key (a delete marker when the bucket is versioned) or one of its versions; `bypass` sets a GOVERNANCE retention aside. */
export async function deleteObject(
  user: ObsUser,
  bucket: string,
  key: string,
  versionId?: string,
  bypass: Requester | null = null,
): Promise<DeleteOutcome> {
  checkKey(key);
  const action = versionId === undefined ? ACTIONS.deleteObject : ACTIONS.deleteObjectVersion;
  return unwrap(await bucketOf(user, bucket).deleteObject(bucket, user.who(action), key, versionId, bypass));
}

/**
 * Multipart uploads: initiate, upload a part (its bytes stream into a blob the bucket reserved, then a commit
 * records it, or the blob is given up), complete (the listed parts, in order, become the object) and abort.
 * The bucket's rules (part sizes, ETags that must match) live in durable/obs/multipart.ts.
 */

import { ACTIONS } from '../../../core/obs/actions.ts';
import type { WriteConditions } from '../../../durable/obs/conditions.ts';
import { MAX_PART_NUMBER, type UploadFields } from '../../../durable/obs/multipart.ts';
import type { VersionRow } from '../../../durable/obs/versions.ts';
import { hex } from '../../lib/crypto.ts';
import { s3 } from '../errors.ts';
import { bucketOf, type ObsUser, unwrap } from './caller.ts';
import { checkKey, type Payload, storePayload } from './objects.ts';

/** One part of an upload. */
export interface PartRef {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
}

/** Opens an upload of `key` with the object's fields; answers its id. */
export async function initiateUpload(user: ObsUser, bucket: string, key: string, fields: UploadFields): Promise<string> {
  checkKey(key);
  return unwrap(await bucketOf(user, bucket).initiateUpload(bucket, user.who(ACTIONS.putObject), key, fields)).uploadId;
}

/** A part number from 1 to 10,000 (InvalidArgument otherwise). */
export function checkPartNumber(n: number, raw = String(n)): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER)
    throw s3.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  return n;
}

/**
 * Stores one part: reserves its blob, lets `write` fill it (resolving with the part's MD5), then commits it.
 * A failed write or a refused commit gives the blob up; a part whose upload ended meanwhile is NoSuchUpload.
 */
export async function storePart(user: ObsUser, part: PartRef, size: number, write: (blob: string) => Promise<string>) {
  const { bucket, key, uploadId, partNumber } = part;
  checkPartNumber(partNumber);
  const stub = bucketOf(user, bucket);
  const { blob } = unwrap(await stub.beginPart(bucket, user.who(ACTIONS.putObject), key, uploadId));
  let etag: string;
  try {
    etag = await write(blob);
  } catch (err) {
    user.later(stub.abandon(bucket, blob));
    throw err;
  }
  const result = await stub.commitPart(bucket, { key, uploadId, partNumber, blob, size, etag });
  if ('error' in result) user.later(stub.abandon(bucket, blob));
  const { committed, lastModified } = unwrap(result);
  if (!committed) throw s3.noSuchUpload(uploadId);
  return { etag, lastModified };
}

/** Uploads one part's bytes; its ETag is their MD5 (checked against the MD5 the sender announced, if any). */
export async function uploadPart(user: ObsUser, part: PartRef, payload: Payload): Promise<{ etag: string; lastModified: string }> {
  return storePart(user, part, payload.length, (blob) => storePayload(user, blob, payload));
}

/** The multipart ETag's hash: the MD5 of the parts' binary MD5s, concatenated in order. */
async function md5OfParts(etags: string[]): Promise<string> {
  const bytes = new Uint8Array(etags.length * 16);
  etags.forEach((etag, i) => {
    for (let j = 0; j < 16; j++) bytes[i * 16 + j] = Number.parseInt(etag.slice(j * 2, j * 2 + 2), 16) || 0;
  });
  return hex(await crypto.subtle.digest('MD5', bytes));
}

/** Completes an upload: the listed parts (number and ETag, bare hex), in order, become the object's new version, under the conditions. */
export async function completeUpload(
  user: ObsUser,
  bucket: string,
  key: string,
  uploadId: string,
  parts: { partNumber: number; etag: string }[],
  conditions: WriteConditions = {},
): Promise<VersionRow & { versioned: boolean }> {
  if (!parts.length || parts.length > MAX_PART_NUMBER) throw s3.malformedXml();
  const partsMd5 = await md5OfParts(parts.map((p) => p.etag));
  const who = user.who(ACTIONS.putObject);
  return unwrap(await bucketOf(user, bucket).completeUpload(bucket, who, key, uploadId, parts, partsMd5, conditions));
}

/** Ends an upload; every part's bytes are freed. */
export async function abortUpload(user: ObsUser, bucket: string, key: string, uploadId: string): Promise<void> {
  unwrap(await bucketOf(user, bucket).abortUpload(bucket, user.who(ACTIONS.abortMultipartUpload), key, uploadId));
}

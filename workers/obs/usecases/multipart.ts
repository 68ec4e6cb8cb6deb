/**
 * Multipart uploads: initiate, upload a part (its bytes stream into a blob the bucket reserved, then a commit
 * records it, or the blob is given up), complete (the listed parts, in order, become the object) and abort.
 * The bucket's rules (part sizes, ETags that must match) live in durable/obs/multipart.ts.
 */

import { ACTIONS } from '../../../core/obs/actions.ts';
import type { WriteGuards } from '../../../durable/obs/bucket-rules.ts';
import type { UploadChecksum } from '../../../durable/obs/checksums.ts';
import type { WriteConditions } from '../../../durable/obs/conditions.ts';
import { MAX_PART_NUMBER, type UploadFields } from '../../../durable/obs/multipart.ts';
import type { VersionRow } from '../../../durable/obs/versions.ts';
import { hex } from '../../lib/crypto.ts';
import { base64, type ChecksumAlgorithm, hasher } from '../auth/checksums.ts';
import { type DeclaredChecksum, verifiedValue } from '../checksum-fields.ts';
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
export async function initiateUpload(
  user: ObsUser,
  bucket: string,
  key: string,
  fields: UploadFields,
  guards?: WriteGuards,
): Promise<string> {
  checkKey(key);
  return unwrap(await bucketOf(user, bucket).initiateUpload(bucket, user.who(ACTIONS.putObject), key, fields, guards)).uploadId;
}

/** A part number from 1 to 10,000 (InvalidArgument otherwise). */
export function checkPartNumber(n: number, raw = String(n)): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER)
    throw s3.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  return n;
}

/** A part's declared checksum must be the one its upload was opened with (S3 refuses any other, or none). */
function checkPartChecksum(wanted: UploadChecksum | null, declared: DeclaredChecksum | null): void {
  if (!wanted) return;
  if (!declared) {
    throw s3.invalidRequest(
      `The upload was created using a ${wanted.algorithm} checksum. The part upload request must include a ${wanted.algorithm} checksum.`,
    );
  }
  if (declared.algorithm !== wanted.algorithm) {
    throw s3.invalidRequest(
      `Checksum Type mismatch occurred, expected checksum Type: ${wanted.algorithm}, actual checksum Type: ${declared.algorithm}`,
    );
  }
}

/**
 * Stores one part: reserves its blob, lets `write` fill it (resolving with the part's MD5), then commits it
 * with its verified checksum. A failed write or a refused commit gives the blob up; a part whose upload ended
 * meanwhile is NoSuchUpload.
 */
export async function storePart(
  user: ObsUser,
  part: PartRef,
  size: number,
  write: (blob: string) => Promise<string>,
  declared: DeclaredChecksum | null = null,
) {
  const { bucket, key, uploadId, partNumber } = part;
  checkPartNumber(partNumber);
  const stub = bucketOf(user, bucket);
  const { blob, checksum: wanted } = unwrap(await stub.beginPart(bucket, user.who(ACTIONS.putObject), key, uploadId));
  let etag: string;
  try {
    checkPartChecksum(wanted, declared);
    etag = await write(blob);
  } catch (err) {
    user.later(stub.abandon(bucket, blob));
    throw err;
  }
  const checksum = wanted && declared ? verifiedValue(declared) : null;
  const result = await stub.commitPart(bucket, { key, uploadId, partNumber, blob, size, etag, checksum });
  if ('error' in result) user.later(stub.abandon(bucket, blob));
  const { committed, lastModified } = unwrap(result);
  if (!committed) throw s3.noSuchUpload(uploadId);
  return { etag, lastModified };
}

/** Uploads one part's bytes; its ETag is their MD5 (checked against the MD5 the sender announced, if any). */
export async function uploadPart(user: ObsUser, part: PartRef, payload: Payload): Promise<{ etag: string; lastModified: string }> {
  return storePart(user, part, payload.length, (blob) => storePayload(user, blob, payload), payload.checksum ?? null);
}

/** The multipart ETag's hash: the MD5 of the parts' binary MD5s, concatenated in order. */
async function md5OfParts(etags: string[]): Promise<string> {
  const bytes = new Uint8Array(etags.length * 16);
  etags.forEach((etag, i) => {
    for (let j = 0; j < 16; j++) bytes[i * 16 + j] = Number.parseInt(etag.slice(j * 2, j * 2 + 2), 16) || 0;
  });
  return hex(await crypto.subtle.digest('MD5', bytes));
}

/** The composite checksum's hash: the listed part checksums' bytes, concatenated in order, hashed (base64). */
async function compositeOf(listed: ListedPart[]): Promise<string | null> {
  const algorithm = listed[0]?.checksum?.algorithm;
  if (!algorithm || listed.some((p) => p.checksum?.algorithm !== algorithm)) return null;
  const h = hasher(algorithm);
  for (const p of listed) await h.update(Uint8Array.from(atob(p.checksum!.value), (c) => c.charCodeAt(0)));
  return base64(await h.digest());
}

/** A part as a Complete lists it: number, ETag (bare hex), and the checksum it names, if any. */
export interface ListedPart {
  partNumber: number;
  etag: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string } | null;
}

/** What a Complete states besides its parts: conditions, and the object's checksum (`x-amz-checksum-*`). */
export interface CompleteOptions {
  conditions?: WriteConditions;
  checksum?: string | null;
}

/** Completes an upload: the listed parts, in order, become the object's new version, under the conditions. */
export async function completeUpload(
  user: ObsUser,
  bucket: string,
  key: string,
  uploadId: string,
  parts: ListedPart[],
  options: CompleteOptions = {},
): Promise<VersionRow & { versioned: boolean }> {
  if (!parts.length || parts.length > MAX_PART_NUMBER) throw s3.malformedXml();
  const partsMd5 = await md5OfParts(parts.map((p) => p.etag));
  const listed = parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag, checksum: p.checksum?.value }));
  const request = {
    listed,
    partsMd5,
    conditions: options.conditions ?? {},
    composite: await compositeOf(parts),
    checksum: options.checksum ?? null,
  };
  return unwrap(await bucketOf(user, bucket).completeUpload(bucket, user.who(ACTIONS.putObject), key, uploadId, request));
}

/** Ends an upload; every part's bytes are freed. */
export async function abortUpload(user: ObsUser, bucket: string, key: string, uploadId: string): Promise<void> {
  unwrap(await bucketOf(user, bucket).abortUpload(bucket, user.who(ACTIONS.abortMultipartUpload), key, uploadId));
}

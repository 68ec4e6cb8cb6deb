/**
 * Checksums on S3's wire: which one a write declares (one `x-amz-checksum-*` header or trailer, matching
 * `x-amz-sdk-checksum-algorithm`), the algorithm and type a multipart upload is opened with, and how a stored
 * checksum is shown (response headers with `x-amz-checksum-mode: ENABLED`, XML elements of listings and results).
 * The verification itself happens while the body flows (auth/payload.ts, auth/chunked.ts).
 */
import type { UploadChecksum } from '../../durable/obs/checksums.ts';
import type { StoredChecksum } from '../../schema/bucket.ts';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, isChecksumAlgorithm } from './auth/checksums.ts';
import { amz, type S3Context } from './context.ts';
import { s3 } from './errors.ts';

/** The XML element of each algorithm's value (ChecksumCRC32, ...). */
export const CHECKSUM_ELEMENTS: Record<ChecksumAlgorithm, string> = {
  crc32: 'ChecksumCRC32',
  crc32c: 'ChecksumCRC32C',
  crc64nvme: 'ChecksumCRC64NVME',
  sha1: 'ChecksumSHA1',
  sha256: 'ChecksumSHA256',
};

/** A checksum a write declared: its algorithm, and the values the body was verified against once it has flowed. */
export interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  verified: Map<ChecksumAlgorithm, string>;
}

const VALID_LIST = `[${CHECKSUM_ALGORITHMS.map((a) => a.toUpperCase()).join(', ')}]`;

/** The checksum a write declares (null: none); more than one, or an SDK algorithm with no value, is InvalidRequest. */
export function declaredChecksum(s: S3Context): DeclaredChecksum | null {
  const declared = [...new Set(s.checksumAlgorithms)];
  if (declared.length > 1) throw s3.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const sdk = amz(s, 'sdk-checksum-algorithm')?.toLowerCase() ?? null;
  if (sdk !== null && !isChecksumAlgorithm(sdk))
    throw s3.invalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: ${VALID_LIST}`);
  if (sdk !== null && declared[0] !== sdk) {
    throw s3.invalidRequest(
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  }
  return declared[0] ? { algorithm: declared[0], verified: s.checksums } : null;
}

/** The checksum an upload is opened with (`x-amz-checksum-algorithm`, `x-amz-checksum-type`), null when none. */
export function uploadChecksumOf(s: S3Context): UploadChecksum | null {
  const algorithm = amz(s, 'checksum-algorithm')?.toLowerCase() ?? null;
  const type = amz(s, 'checksum-type')?.toUpperCase() ?? null;
  if (algorithm === null) {
    if (type !== null) throw s3.invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    return null;
  }
  if (!isChecksumAlgorithm(algorithm))
    throw s3.invalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: ${VALID_LIST}`);
  if (type !== null && type !== 'COMPOSITE' && type !== 'FULL_OBJECT')
    throw s3.invalidRequest('Value for x-amz-checksum-type header is invalid.');
  // CRC-64/NVME has only the full-object form; the SHAs only the composite one; the 32-bit CRCs default to composite.
  const chosen = type ?? (algorithm === 'crc64nvme' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (chosen === 'FULL_OBJECT' && algorithm.startsWith('sha'))
    throw s3.invalidRequest(`The FULL_OBJECT checksum type cannot be used with the ${algorithm} checksum algorithm.`);
  if (chosen === 'COMPOSITE' && algorithm === 'crc64nvme')
    throw s3.invalidRequest('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  return { algorithm, type: chosen };
}

/** The response headers of a stored checksum (`x-amz-checksum-<algorithm>`, `x-amz-checksum-type`). */
export function setChecksumHeaders(h: Headers, c: Pick<StoredChecksum, 'algorithm' | 'type' | 'value'> | null): void {
  if (!c) return;
  h.set(`x-amz-checksum-${c.algorithm}`, c.value);
  h.set('x-amz-checksum-type', c.type);
}

/** Whether the request asks for checksums in the answer (`x-amz-checksum-mode: ENABLED`). */
export const checksumModeEnabled = (s: S3Context) => amz(s, 'checksum-mode')?.toUpperCase() === 'ENABLED';

/** The XML element of a value: `{ChecksumCRC32: value}`, empty when there is none. */
export function checksumElement(algorithm: string | null | undefined, value: string | null | undefined): Record<string, string> {
  if (!algorithm || !value || !isChecksumAlgorithm(algorithm)) return {};
  return { [CHECKSUM_ELEMENTS[algorithm]]: value };
}

/** The checksum a Complete lists for a part (`<ChecksumCRC32>` etc. inside `<Part>`), with its algorithm. */
export function listedChecksum(text: (name: string) => string | undefined): { algorithm: ChecksumAlgorithm; value: string } | null {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = text(CHECKSUM_ELEMENTS[algorithm]);
    if (value !== undefined) return { algorithm, value: value.trim() };
  }
  return null;
}

/** The value a finished write was verified against; the body must have flowed whole before this is asked. */
export function verifiedValue(c: DeclaredChecksum): string {
  const value = c.verified.get(c.algorithm);
  if (value === undefined) throw new Error(`the ${c.algorithm} checksum was asked before the body was verified`);
  return value;
}

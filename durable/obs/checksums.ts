/**
 * The checksum rules of a multipart object, inside the bucket: which checksum types an algorithm allows, the
 * part checksums a Complete must name, and the FULL_OBJECT value of a CRC object computed from its parts' CRCs
 * and sizes (CRC combination, as zlib's crc32_combine does it), so the bytes are never read again to know it.
 */
import { DomainError } from '../../core/result.ts';
import type { StoredChecksum } from '../../schema/bucket.ts';

/** The reflected polynomial and width of each CRC S3 offers (all start from and end XORed with all ones). */
const CRCS: Record<string, { poly: bigint; width: number }> = {
  crc32: { poly: 0xedb88320n, width: 32 },
  crc32c: { poly: 0x82f63b78n, width: 32 },
  crc64nvme: { poly: 0x9a6c9329ac4bc9b5n, width: 64 },
};

/** The checksum of an upload, fixed when it is opened. */
export interface UploadChecksum {
  algorithm: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

/** Whether an algorithm is a CRC (whose FULL_OBJECT value can be combined from its parts). */
export const isCrc = (algorithm: string) => Object.hasOwn(CRCS, algorithm);

/** a * b modulo the polynomial, in the reflected bit order (the top bit is x^0). */
function multiply(a: bigint, b: bigint, poly: bigint, width: number): bigint {
  let m = 1n << BigInt(width - 1);
  let p = 0n;
  let x = b;
  while (a !== 0n && m !== 0n) {
    if (a & m) {
      p ^= x;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    x = x & 1n ? (x >> 1n) ^ poly : x >> 1n;
  }
  return p;
}

/** x^(8 * bytes) modulo the polynomial: the shift that appending `bytes` bytes applies to a CRC. */
function shiftOf(bytes: number, poly: bigint, width: number): bigint {
  let p = 1n << BigInt(width - 1);
  // x^(2^3) = x^8, one byte's shift; squared at each bit of `bytes`.
  let square = 1n << BigInt(width - 2);
  for (let i = 0; i < 3; i++) square = multiply(square, square, poly, width);
  for (let n = bytes; n > 0; n = Math.floor(n / 2)) {
    if (n % 2) p = multiply(square, p, poly, width);
    square = multiply(square, square, poly, width);
  }
  return p;
}

const toBigInt = (b64: string) => [...atob(b64)].reduce((n, c) => (n << 8n) | BigInt(c.charCodeAt(0)), 0n);
function toBase64(value: bigint, width: number): string {
  let s = '';
  for (let shift = width - 8; shift >= 0; shift -= 8) s += String.fromCharCode(Number((value >> BigInt(shift)) & 0xffn));
  return btoa(s);
}

/** The CRC of the parts' bytes end to end, from each part's CRC (base64) and size: crc(A‖B) = crc(A)·x^8|B| ⊕ crc(B). */
export function combineCrcs(algorithm: string, parts: { checksum: string; size: number }[]): string {
  const { poly, width } = CRCS[algorithm]!;
  let crc: bigint | null = null;
  for (const part of parts) {
    const next = toBigInt(part.checksum);
    crc = crc === null ? next : multiply(shiftOf(part.size, poly, width), crc, poly, width) ^ next;
  }
  return toBase64(crc ?? 0n, width);
}

/**
 * The object's checksum at Complete: each listed part's checksum must be the stored one (a COMPOSITE upload
 * must list them all); the value is the combination of the parts' CRCs (FULL_OBJECT) or `composite`, the
 * checksum of their checksums that the caller computed from the listed values (COMPOSITE).
 */
export function completedChecksum(
  upload: UploadChecksum,
  chosen: { partNumber: number; checksum: string | null; size: number }[],
  listed: { partNumber: number; checksum?: string }[],
  composite: string | null,
): StoredChecksum {
  const stored = chosen.map((p) => p.checksum ?? '');
  chosen.forEach((part, i) => {
    const named = listed[i]!.checksum;
    if (named === undefined && upload.type === 'COMPOSITE') {
      throw new DomainError(
        400,
        'InvalidRequest',
        `The upload was created using a ${upload.algorithm} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
      );
    }
    if (named !== undefined && named !== part.checksum) throw invalidPart(part.partNumber);
  });
  if (upload.type === 'FULL_OBJECT') {
    const parts = chosen.map((p, i) => ({ checksum: stored[i]!, size: p.size }));
    return { algorithm: upload.algorithm, type: 'FULL_OBJECT', value: combineCrcs(upload.algorithm, parts), parts: stored };
  }
  if (composite === null) throw new Error('a composite checksum was not computed for a COMPOSITE upload');
  return { algorithm: upload.algorithm, type: 'COMPOSITE', value: `${composite}-${chosen.length}`, parts: stored };
}

const invalidPart = (partNumber: number) =>
  new DomainError(
    400,
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { PartNumber: String(partNumber) },
  );

/**
 * Conditional requests (RFC 7232 as S3 applies them) and byte ranges (RFC 7233, one range), decided against a
 * version's ETag, modification time and size.
 */
import { DomainError } from '../../core/result.ts';

export interface Conditions {
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  ifModifiedSince?: string | null;
  ifUnmodifiedSince?: string | null;
}

/** The conditions of a write (PutObject, CompleteMultipartUpload), already checked for form at the edge. */
export interface WriteConditions {
  /** Only `*`: the write succeeds only where the key has no current object. */
  ifNoneMatch?: string | null;
  /** The write succeeds only over a current object with this ETag. */
  ifMatch?: string | null;
  /** The seq of the key's current object when the write began (null: none), to tell a conflict from a miss. */
  seen?: number | null;
}

/** What a write's conditions are judged against: the key's current object, if it has one (a delete marker is none). */
export interface WriteTarget {
  key: string;
  current: { seq: number; etag: string } | null;
}

/**
 * Judges a write's conditions against the key as it is now, inside the transaction that writes, so that of two
 * racing writers only one can pass: If-None-Match: * fails (412) over a current object; If-Match fails (412) over
 * another ETag, is 404 NoSuchKey where there never was an object, and 409 ConditionalRequestConflict where the
 * object the write began over was deleted meanwhile (S3 asks the writer to retry).
 */
export function checkWrite(c: WriteConditions, target: WriteTarget): void {
  const { current } = target;
  if (c.ifNoneMatch && current) throw precondition('If-None-Match');
  if (!c.ifMatch) return;
  if (!current) {
    if (c.seen != null) throw conflict();
    throw new DomainError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: target.key });
  }
  if (!etagMatches(c.ifMatch, current.etag)) throw precondition('If-Match');
}

const conflict = () =>
  new DomainError(
    409,
    'ConditionalRequestConflict',
    'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
  );

const etagList = (header: string) => header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
const etagMatches = (header: string, etag: string) => etagList(header).some((t) => t === '*' || t === etag);
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const httpDate = (value: string) => {
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.floor(at / 1000);
};

/**
 * Applies the conditions: 412 PreconditionFailed, or `not-modified` (a GET/HEAD answers 304), or `ok`.
 * As S3 does, If-Match passing overrides If-Unmodified-Since, and If-None-Match failing overrides If-Modified-Since.
 */
export function checkConditions(c: Conditions, etag: string, lastModified: string, kind: 'read' | 'copy' = 'read'): 'ok' | 'not-modified' {
  const prefix = kind === 'copy' ? 'x-amz-copy-source-' : '';
  const modified = seconds(lastModified);
  if (c.ifMatch) {
    if (!etagMatches(c.ifMatch, etag)) throw precondition(`${prefix}If-Match`);
  } else if (c.ifUnmodifiedSince) {
    const at = httpDate(c.ifUnmodifiedSince);
    if (at !== null && modified > at) throw precondition(`${prefix}If-Unmodified-Since`);
  }
  if (c.ifNoneMatch) {
    if (etagMatches(c.ifNoneMatch, etag)) {
      if (kind === 'copy') throw precondition(`${prefix}If-None-Match`);
      return 'not-modified';
    }
  } else if (c.ifModifiedSince) {
    const at = httpDate(c.ifModifiedSince);
    if (at !== null && modified <= at) {
      if (kind === 'copy') throw precondition(`${prefix}If-Modified-Since`);
      return 'not-modified';
    }
  }
  return 'ok';
}

const precondition = (condition: string) =>
  new DomainError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

/** A resolved byte range: first and last byte, inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Resolves a `Range: bytes=a-b` header against a size. Malformed or multi-range headers are ignored (the whole
 * object is served, as S3 does); a range starting past the end is 416 InvalidRange.
 */
export function resolveRange(header: string | null | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(size, header);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null;
  }
  if (start >= size) throw invalidRange(size, header);
  return { start, end };
}

const invalidRange = (size: number, range: string) =>
  new DomainError(
    416,
    'InvalidRange',
    'The requested range is not satisfiable',
    { RangeRequested: range, ActualObjectSize: String(size) },
    {
      'Content-Range': `bytes */${size}`,
    },
  );

/**
 * Payload verification while the body flows: the declared SHA-256 (`x-amz-content-sha256`) and
 * `x-amz-checksum-*` values are computed over the bytes as they pass, and the stream errors with the S3
 * error before it closes when one does not match.
 *
 * The last piece of the body is held back until every check has passed: a consumer that stops reading as
 * soon as it has Content-Length bytes (a fixed-length upload to R2) can never have the whole object
 * before the verdict, so bad bytes are never committed.
 */
import { hex } from '../../lib/crypto.ts';
import { s3 } from '../errors.ts';
import { base64, type ChecksumAlgorithm, type Hasher, hasher, isChecksumAlgorithm } from './checksums.ts';
import { amzHeader } from './request.ts';

/** What a plain (not aws-chunked) body must satisfy once it has all flowed. */
export interface PayloadExpectations {
  /** Lowercase hex SHA-256 the body must have. */
  sha256?: string;
  /** `x-amz-checksum-*` values (base64) the body must have. */
  checksums: Map<ChecksumAlgorithm, string>;
  /** Bytes the body must have (Content-Length), when known. */
  length: number | null;
  /** Filled with the checksums once the whole body has matched them (what the store may keep). */
  verified?: Map<ChecksumAlgorithm, string>;
}

/** The `x-amz-checksum-{algorithm}` (or `x-obs-checksum-*`) headers of a request, by algorithm. */
export function checksumHeaders(headers: Headers): Map<ChecksumAlgorithm, string> {
  const out = new Map<ChecksumAlgorithm, string>();
  for (const [name] of headers) {
    const m = name.match(/^x-(?:amz|obs)-checksum-([a-z0-9]+)$/);
    if (m && isChecksumAlgorithm(m[1]!) && !out.has(m[1])) out.set(m[1], amzHeader(headers, `checksum-${m[1]}`)!);
  }
  return out;
}

/** Whole-body checksums computed as the bytes pass. */
export class BodyDigests {
  private readonly hashers = new Map<ChecksumAlgorithm, Hasher>();

  constructor(algorithms: Iterable<ChecksumAlgorithm>) {
    for (const a of algorithms) if (!this.hashers.has(a)) this.hashers.set(a, hasher(a));
  }

  /** Feeds the next bytes to every hash. */
  async update(data: Uint8Array): Promise<void> {
    for (const h of this.hashers.values()) await h.update(data);
  }

  /** Throws BadDigest unless each expected value (base64) equals the computed one; then records them in `verified`. */
  async verify(expected: Map<ChecksumAlgorithm, string>, verified?: Map<ChecksumAlgorithm, string>): Promise<void> {
    for (const [algorithm, value] of expected) {
      const h = this.hashers.get(algorithm);
      if (!h || base64(await h.digest()) !== value) throw s3.checksumMismatch(algorithm);
    }
    for (const [algorithm, value] of expected) verified?.set(algorithm, value);
  }
}

/** Passes pieces on one step late, so the last one is released only after the verdict. */
export class HeldBack {
  private held: Uint8Array | null = null;

  /** Enqueues the previously held piece and holds this one. */
  pass(piece: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): void {
    if (!piece.length) return;
    if (this.held) controller.enqueue(this.held);
    this.held = piece;
  }

  /** Enqueues the held piece: call once every check has passed. */
  release(controller: TransformStreamDefaultController<Uint8Array>): void {
    if (this.held) controller.enqueue(this.held);
    this.held = null;
  }
}

class PlainVerifier implements Transformer<Uint8Array, Uint8Array> {
  private readonly sha256: Hasher | null;
  private readonly digests: BodyDigests;
  private readonly held = new HeldBack();
  private bytes = 0;

  constructor(private readonly expect: PayloadExpectations) {
    this.sha256 = expect.sha256 ? hasher('sha256') : null;
    this.digests = new BodyDigests(expect.checksums.keys());
  }

  async transform(piece: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    this.bytes += piece.length;
    if (this.expect.length !== null && this.bytes > this.expect.length) {
      throw s3.invalidRequest('The body is longer than its Content-Length.');
    }
    if (this.sha256) await this.sha256.update(piece);
    await this.digests.update(piece);
    this.held.pass(piece, controller);
  }

  async flush(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    if (this.expect.length !== null && this.bytes < this.expect.length) throw s3.incompleteBody();
    if (this.sha256) {
      const computed = hex(await this.sha256.digest());
      if (computed !== this.expect.sha256) throw s3.contentSha256Mismatch(this.expect.sha256!, computed);
    }
    await this.digests.verify(this.expect.checksums, this.expect.verified);
    this.held.release(controller);
  }
}

/** The body, verified against what the request declared as it flows (returned as is when nothing is declared). */
export function verifiedBody(body: ReadableStream<Uint8Array>, expect: PayloadExpectations): ReadableStream<Uint8Array> {
  if (!expect.sha256 && !expect.checksums.size) return body;
  return body.pipeThrough(new TransformStream(new PlainVerifier(expect)));
}

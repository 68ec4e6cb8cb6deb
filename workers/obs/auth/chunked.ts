/**
 * aws-chunked bodies (`x-amz-content-sha256: STREAMING-*`): `hex-size[;chunk-signature=sig]\r\n`, the data,
 * `\r\n`, ..., a final zero-size chunk, then optional trailer lines (`x-amz-checksum-crc32:...`,
 * `x-amz-trailer-signature:...`) and an empty line.
 *
 * The decoder is a streaming state machine: it holds at most one header or trailer line (bounded), hashes
 * each chunk's data as it passes, and verifies each chunk signature against the chain
 * `AWS4-HMAC-SHA256-PAYLOAD / date / scope / previous signature / sha256("") / sha256(chunk)`, then the
 * trailer signature and the trailing checksums; any failure errors the stream before it closes.
 */
import { constantTimeEqual, hex, sha256Hex } from '../../lib/crypto.ts';
import { s3 } from '../errors.ts';
import { type ChecksumAlgorithm, type Hasher, hasher } from './checksums.ts';
import { BodyDigests, HeldBack } from './payload.ts';
import { EMPTY_SHA256, hmacHex, type V4Signing } from './sigv4.ts';

/** How to decode and verify one aws-chunked body. */
export interface ChunkedOptions {
  /** The signature chain of signed chunks; null for STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
  signing: V4Signing | null;
  /** The trailer carries `x-amz-trailer-signature` (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). */
  signedTrailer: boolean;
  /** The checksums the trailer must carry (declared by `x-amz-trailer`). */
  trailer: ChecksumAlgorithm[];
  /** Checksums sent as headers, checked against the decoded body too. */
  checksums: Map<ChecksumAlgorithm, string>;
  /** `x-amz-decoded-content-length`: the decoded body has exactly this many bytes. */
  decodedLength: number;
  /** Filled with the header and trailer checksums once the decoded body has matched them. */
  verified?: Map<ChecksumAlgorithm, string>;
}

const CR = 13;
const LF = 10;
/** A chunk header or trailer line longer than this is not one. */
const MAX_LINE = 4096;
/** More trailer lines than this are not checksums. */
const MAX_TRAILERS = 8;

/** Collects one line across reads, without its line ending. */
class LineReader {
  private parts: Uint8Array[] = [];
  private size = 0;

  /** Takes bytes from `from` up to the next LF; the index after it, or -1 when the line goes on in the next read. */
  feed(data: Uint8Array, from: number, tooLong: () => Error): number {
    const lf = data.indexOf(LF, from);
    const end = lf < 0 ? data.length : lf;
    this.size += end - from;
    if (this.size > MAX_LINE) throw tooLong();
    // A copy: the line is small, and the buffer it came in may be handed on downstream.
    this.parts.push(data.slice(from, end));
    return lf < 0 ? -1 : lf + 1;
  }

  get pending(): boolean {
    return this.size > 0;
  }

  /** The collected line (bytes as Latin-1; headers are ASCII), CR stripped, and a fresh start. */
  take(): string {
    let s = '';
    for (const part of this.parts) for (const b of part) s += String.fromCharCode(b);
    this.parts = [];
    this.size = 0;
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  }
}

type State = 'header' | 'data' | 'data-cr' | 'data-lf' | 'trailer' | 'done';

class AwsChunkedDecoder implements Transformer<Uint8Array, Uint8Array> {
  private state: State = 'header';
  private readonly line = new LineReader();
  private readonly digests: BodyDigests;
  private readonly held = new HeldBack();
  private remaining = 0;
  private decoded = 0;
  private chunkHash: Hasher | null = null;
  private chunkSignature = '';
  private previous: string;
  private readonly trailers: [string, string][] = [];
  private trailerSignature: string | null = null;

  constructor(private readonly o: ChunkedOptions) {
    this.previous = o.signing?.seed ?? '';
    this.digests = new BodyDigests([...o.trailer, ...o.checksums.keys()]);
  }

  async transform(data: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    let i = 0;
    while (i < data.length) {
      switch (this.state) {
        case 'header': {
          i = this.line.feed(data, i, () => s3.invalidChunkSize('The chunk header is too long.'));
          if (i < 0) return;
          await this.startChunk(this.line.take());
          break;
        }
        case 'data': {
          const piece = data.subarray(i, i + Math.min(this.remaining, data.length - i));
          i += piece.length;
          this.remaining -= piece.length;
          this.decoded += piece.length;
          if (this.chunkHash) await this.chunkHash.update(piece);
          await this.digests.update(piece);
          this.held.pass(piece, controller);
          if (this.remaining === 0) this.state = 'data-cr';
          break;
        }
        case 'data-cr':
        case 'data-lf': {
          if (data[i++] !== (this.state === 'data-cr' ? CR : LF)) throw s3.incompleteBody();
          if (this.state === 'data-lf') {
            await this.endChunk();
            this.state = 'header';
          } else this.state = 'data-lf';
          break;
        }
        case 'trailer': {
          i = this.line.feed(data, i, () => s3.malformedTrailer());
          if (i < 0) return;
          await this.trailerLine(this.line.take());
          break;
        }
        case 'done': {
          for (; i < data.length; i++)
            if (data[i] !== CR && data[i] !== LF) throw s3.malformedTrailer('Data follows the end of the aws-chunked body.');
        }
      }
    }
  }

  async flush(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
    // The stream's end may stand in for the trailer's final empty line.
    if (this.state === 'trailer' && this.line.pending) await this.trailerLine(this.line.take());
    if (this.state === 'trailer') await this.finish();
    if (this.state !== 'done') throw s3.incompleteBody();
    this.held.release(controller);
  }

  private async startChunk(line: string): Promise<void> {
    const [sizeText = '', ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText.trim())) throw s3.invalidChunkSize();
    const size = Number.parseInt(sizeText, 16);
    if (this.decoded + size > this.o.decodedLength) {
      throw s3.invalidChunkSize('The chunks carry more bytes than x-amz-decoded-content-length.');
    }
    if (this.o.signing) {
      const sig = extensions.map((e) => e.trim()).find((e) => e.startsWith('chunk-signature='));
      if (!sig) throw s3.signatureDoesNotMatch({ AWSAccessKeyId: this.o.signing.access });
      this.chunkSignature = sig.slice('chunk-signature='.length).toLowerCase();
    }
    if (size === 0) {
      await this.verifyChunk(EMPTY_SHA256);
      this.state = 'trailer';
      return;
    }
    this.remaining = size;
    this.chunkHash = this.o.signing ? hasher('sha256') : null;
    this.state = 'data';
  }

  private async endChunk(): Promise<void> {
    if (this.chunkHash) await this.verifyChunk(hex(await this.chunkHash.digest()));
    this.chunkHash = null;
  }

  /** Checks the current chunk's signature against the chain and advances it. */
  private async verifyChunk(dataHash: string): Promise<void> {
    const signing = this.o.signing;
    if (!signing) return;
    const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, this.previous, EMPTY_SHA256, dataHash].join('\n');
    if (!constantTimeEqual(await hmacHex(signing.key, stringToSign), this.chunkSignature)) {
      throw s3.signatureDoesNotMatch({
        AWSAccessKeyId: signing.access,
        StringToSign: stringToSign,
        SignatureProvided: this.chunkSignature,
      });
    }
    this.previous = this.chunkSignature;
  }

  private async trailerLine(line: string): Promise<void> {
    if (line === '') return this.finish();
    const colon = line.indexOf(':');
    if (colon <= 0) throw s3.malformedTrailer();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (this.trailerSignature !== null) throw s3.malformedTrailer('The trailer signature must be the last trailer.');
    if (name === 'x-amz-trailer-signature') this.trailerSignature = value.toLowerCase();
    else if (this.trailers.push([name, value]) > MAX_TRAILERS) throw s3.malformedTrailer('Too many trailers.');
  }

  /** The body has ended: length, trailer set, trailer signature, then checksums. */
  private async finish(): Promise<void> {
    if (this.decoded !== this.o.decodedLength) throw s3.incompleteBody();
    const declared = new Set(this.o.trailer.map((a) => `x-amz-checksum-${a}`));
    const sent = new Map(this.trailers);
    for (const name of declared)
      if (!sent.has(name)) throw s3.malformedTrailer(`The ${name} trailer declared in x-amz-trailer is missing.`);
    for (const name of sent.keys())
      if (!declared.has(name)) throw s3.malformedTrailer(`The ${name} trailer was not declared in x-amz-trailer.`);
    await this.verifyTrailerSignature();
    const expected = new Map(this.o.checksums);
    for (const algorithm of this.o.trailer) expected.set(algorithm, sent.get(`x-amz-checksum-${algorithm}`)!);
    await this.digests.verify(expected, this.o.verified);
    this.state = 'done';
  }

  private async verifyTrailerSignature(): Promise<void> {
    const signing = this.o.signing;
    if (!this.o.signedTrailer || !signing) {
      if (this.trailerSignature !== null) throw s3.malformedTrailer('An unsigned trailer carries a trailer signature.');
      return;
    }
    if (!this.trailers.length && this.trailerSignature === null) return;
    const canonical = this.trailers.map(([n, v]) => `${n}:${v}\n`).join('');
    const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, signing.scope, this.previous, await sha256Hex(canonical)].join('\n');
    const provided = this.trailerSignature ?? '';
    if (!constantTimeEqual(await hmacHex(signing.key, stringToSign), provided)) {
      throw s3.signatureDoesNotMatch({ AWSAccessKeyId: signing.access, StringToSign: stringToSign, SignatureProvided: provided });
    }
  }
}

/** The decoded body of an aws-chunked request, verified as it flows. */
export function decodeAwsChunked(body: ReadableStream<Uint8Array>, options: ChunkedOptions): ReadableStream<Uint8Array> {
  return body.pipeThrough(new TransformStream(new AwsChunkedDecoder(options)));
}

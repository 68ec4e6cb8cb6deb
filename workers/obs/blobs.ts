/**
 * Object bytes in R2: a body streams into one blob while its MD5 is computed on the way (never held whole in
 * memory, but for bodies of at most 64 KiB), and a version's blobs (one, or one per part) stream back out, cut
 * to a byte range.
 */

import type { Env } from '../../core/env.ts';
import type { BlobRef } from '../../schema/bucket.ts';
import { hex } from '../lib/crypto.ts';
import { S3Error, s3 } from './errors.ts';

/** Bodies up to this size are read whole and written to R2 in one piece: a stream costs more than the bytes. */
export const WHOLE_BELOW = 64 * 1024;

/** Streams a body of a known length into a blob; resolves with its MD5 once every byte is in R2. */
export async function storeBlob(env: Env, key: string, body: ReadableStream<Uint8Array>, length: number): Promise<{ md5: string }> {
  if (length <= WHOLE_BELOW) return storeSmall(env, key, body, length);
  const md5 = new crypto.DigestStream('MD5');
  const digest = md5.getWriter();
  const hashed = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        await digest.write(chunk);
        controller.enqueue(chunk);
      },
      async flush() {
        await digest.close();
      },
    }),
  );
  const sized = new FixedLengthStream(length);
  const piping = hashed.pipeTo(sized.writable);
  const stored = env.OBS_DATA.put(key, sized.readable);
  const [put, pipe] = await Promise.allSettled([stored, piping]);
  // The body's own error (a signature or checksum that failed) says more than R2's reaction to it.
  if (pipe.status === 'rejected') {
    if (pipe.reason instanceof S3Error) throw pipe.reason;
    throw s3.incompleteBody();
  }
  if (put.status === 'rejected') throw put.reason;
  return { md5: hex(await md5.digest) };
}

/** A small body read whole (its verification ends before the read does), hashed once, and written in one piece. */
async function storeSmall(env: Env, key: string, body: ReadableStream<Uint8Array>, length: number): Promise<{ md5: string }> {
  const bytes = new Uint8Array(length);
  let filled = 0;
  try {
    const reader = body.getReader();
    for (let piece = await reader.read(); !piece.done; piece = await reader.read()) {
      if (filled + piece.value.byteLength > length) throw s3.invalidRequest('The body is longer than its Content-Length.');
      bytes.set(piece.value, filled);
      filled += piece.value.byteLength;
    }
  } catch (err) {
    if (err instanceof S3Error) throw err;
    throw s3.incompleteBody();
  }
  if (filled !== length) throw s3.incompleteBody();
  const [md5] = await Promise.all([crypto.subtle.digest('MD5', bytes), env.OBS_DATA.put(key, bytes)]);
  return { md5: hex(md5) };
}

/** Copies `length` bytes from `start` of a version's blobs into a new blob. */
export async function copyBlobs(env: Env, from: BlobRef[], start: number, length: number, to: string): Promise<{ md5: string }> {
  return storeBlob(env, to, readBlobs(env, from, start, length), length);
}

/** The bytes [start, start+length) of a sequence of blobs, as one stream of a known length. */
export function readBlobs(env: Env, refs: BlobRef[], start: number, length: number): ReadableStream<Uint8Array> {
  const out = new FixedLengthStream(length);
  const pump = async () => {
    let offset = 0;
    let remaining = length;
    for (const ref of refs) {
      if (remaining === 0) break;
      const end = offset + ref.size;
      if (end > start) {
        const from = Math.max(start - offset, 0);
        const take = Math.min(ref.size - from, remaining);
        const obj = await env.OBS_DATA.get(ref.key, { range: { offset: from, length: take } });
        if (!obj) throw new Error(`blob ${ref.key} is missing`);
        await obj.body.pipeTo(out.writable, { preventClose: true });
        remaining -= take;
      }
      offset = end;
    }
    await out.writable.close();
  };
  pump().catch((err) => out.writable.abort(err).catch(() => {}));
  return out.readable;
}

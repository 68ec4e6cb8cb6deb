/**
 * An image's bytes in R2 (the binding OBS keeps its bytes in): a body streams in while its MD5 (Glance's
 * `checksum`) and SHA-512 (`os_hash_value`) are computed on the way, never held whole in memory. A body of a
 * known length is one R2 put; a chunked one goes in as a multipart upload of equal parts.
 */
import type { Env } from '../../../core/env.ts';
import type { Uploaded } from '../../../durable/ims/images.ts';
import { hex } from '../../lib/crypto.ts';
import { coalesce } from '../../lib/streams.ts';

/** The part size of a chunked upload (R2 wants every part but the last the same size, at least 5 MiB). */
const PART_BYTES = 8 * 1024 * 1024;

/** A stream that hashes what flows through it; `done()` answers the size and digests once it has ended. */
function hashing() {
  const md5 = new crypto.DigestStream('MD5');
  const sha512 = new crypto.DigestStream('SHA-512');
  const [m, s] = [md5.getWriter(), sha512.getWriter()];
  let size = 0;
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      size += chunk.byteLength;
      await Promise.all([m.write(chunk), s.write(chunk)]);
      controller.enqueue(chunk);
    },
    async flush() {
      await Promise.all([m.close(), s.close()]);
    },
  });
  const done = async (): Promise<Uploaded> => ({ size, md5: hex(await md5.digest), sha512: hex(await sha512.digest) });
  return { stream, done };
}

/** Cuts a stream into pieces of exactly `size` bytes (the last may be shorter). */
async function* exactPieces(body: ReadableStream<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  const reader = body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    let at = 0;
    while (at < r.value.byteLength) {
      const take = Math.min(size - filled, r.value.byteLength - at);
      buffer.set(r.value.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === size) {
        yield buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** Streams a body into R2 at `key`; `length` is its Content-Length when the client sent one. */
export async function storeImageBytes(env: Env, key: string, body: ReadableStream<Uint8Array>, length: number | null): Promise<Uploaded> {
  const h = hashing();
  const hashed = coalesce(body).pipeThrough(h.stream);
  if (length !== null) {
    const sized = new FixedLengthStream(length);
    const [put, pipe] = await Promise.allSettled([env.OBS_DATA.put(key, sized.readable), hashed.pipeTo(sized.writable)]);
    if (pipe.status === 'rejected') throw new Error(`The image data ended early: ${String(pipe.reason)}`);
    if (put.status === 'rejected') throw put.reason;
    return h.done();
  }
  const upload = await env.OBS_DATA.createMultipartUpload(key);
  try {
    const parts: R2UploadedPart[] = [];
    for await (const piece of exactPieces(hashed, PART_BYTES)) parts.push(await upload.uploadPart(parts.length + 1, piece));
    if (parts.length === 0) {
      await upload.abort();
      await env.OBS_DATA.put(key, new Uint8Array(0));
    } else await upload.complete(parts);
  } catch (err) {
    await upload.abort().catch(() => {});
    throw err;
  }
  return h.done();
}

/** The bytes of an image, or null when R2 has none under its key. */
export async function readImageBytes(env: Env, key: string): Promise<R2ObjectBody | null> {
  return env.OBS_DATA.get(key);
}

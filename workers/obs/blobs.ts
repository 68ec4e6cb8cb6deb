/**
 * Object bytes in R2: a body streams into one blob while its MD5 is computed on the way (never held whole in
 * memory), and a version's blobs (one, or one per part) stream back out, cut to a byte range.
 */
import type { BlobRef } from '../../schema/bucket.ts';
import type { Env } from '../env.ts';
import { hex } from '../lib/crypto.ts';
import { S3Error } from './errors.ts';

/** Streams a body of a known length into a blob; resolves with its MD5 once every byte is in R2. */
export async function storeBlob(env: Env, key: string, body: ReadableStream<Uint8Array>, length: number): Promise<{ md5: string }> {
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
    throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
  }
  if (put.status === 'rejected') throw put.reason;
  return { md5: hex(await md5.digest) };
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

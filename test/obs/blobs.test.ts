/** OBS blobs: bytes into R2 with their MD5, large bodies streamed and small ones whole, wrong lengths refused. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../core/env.ts';
import { storeBlob, WHOLE_BELOW } from '../../workers/obs/blobs.ts';

const r2 = (env as unknown as Env).OBS_DATA;

const md5Hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest('MD5', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A body in pieces of a few KiB, as a request's body arrives. */
function piecewise(bytes: Uint8Array, piece = 4096): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
}

describe('blobs', () => {
  it('stores a streamed body and a small one whole, each with the MD5 of its bytes', async () => {
    for (const size of [WHOLE_BELOW + 1, 1024 * 1024 + 5, WHOLE_BELOW, 1]) {
      const bytes = crypto.getRandomValues(new Uint8Array(Math.min(size, 65536))).slice();
      const body = new Uint8Array(size).map((_, i) => bytes[i % bytes.length]!);
      const key = `test-blob-${size}`;
      const { md5 } = await storeBlob(env as unknown as Env, key, piecewise(body), size);
      expect(md5).toBe(await md5Hex(body));
      expect(new Uint8Array(await (await r2.get(key))!.arrayBuffer())).toEqual(body);
    }
  });

  it('refuses a body shorter or longer than its length', async () => {
    // (A request's body is checked against its Content-Length before this, by the payload verifier.)
    const body = new Uint8Array(WHOLE_BELOW * 2);
    await expect(storeBlob(env as unknown as Env, 'test-blob-short', piecewise(body), body.length + 1)).rejects.toThrow();
    expect(await r2.head('test-blob-short')).toBeNull();
    await expect(storeBlob(env as unknown as Env, 'test-blob-small-short', piecewise(new Uint8Array(10)), 11)).rejects.toMatchObject({
      code: 'IncompleteBody',
    });
    await expect(storeBlob(env as unknown as Env, 'test-blob-small-long', piecewise(new Uint8Array(10)), 5)).rejects.toMatchObject({
      code: 'InvalidRequest',
    });
  });
});

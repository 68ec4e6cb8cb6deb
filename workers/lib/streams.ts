/** Stream helpers for bodies that flow through the Worker without being held whole. */

/**
 * Joins small pieces into pieces of at least `size` bytes (the last may be shorter). A request body arrives
 * in pieces of a few KiB; every stage after this one (hashes, signature checks, the R2 writer) then pays its
 * per-piece cost a few hundred times less often, for one copy of the bytes.
 */
export function coalesce(body: ReadableStream<Uint8Array>, size = 1024 * 1024): ReadableStream<Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(piece, controller) {
        if (filled === 0 && piece.byteLength >= size) {
          controller.enqueue(piece);
          return;
        }
        let at = 0;
        while (at < piece.byteLength) {
          const take = Math.min(size - filled, piece.byteLength - at);
          buffer.set(piece.subarray(at, at + take), filled);
          filled += take;
          at += take;
          if (filled === size) {
            controller.enqueue(buffer);
            buffer = new Uint8Array(size);
            filled = 0;
          }
        }
      },
      flush(controller) {
        if (filled > 0) controller.enqueue(buffer.subarray(0, filled));
      },
    }),
  );
}

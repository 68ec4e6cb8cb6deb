/**
 * Storage over time, for billing by the bytes stored: a bucket's stored bytes held from one instant to another,
 * as byte-seconds per UTC hour (the unit the hourly meters keep; a GB-month is 2^30 x 3,600 x 730 of them).
 */

const HOUR_MS = 3_600_000;

/** The hourly meter of a storage class's stored byte-seconds (the bucket's are their sum). */
export const storageMetric = (storageClass: string) => `storage.byte_seconds.${storageClass}`;
const STORAGE_PREFIX = storageMetric('');

/** The storage class an hourly meter counts the byte-seconds of, or null for another meter. */
export const storageClassOfMetric = (metric: string) => (metric.startsWith(STORAGE_PREFIX) ? metric.slice(STORAGE_PREFIX.length) : null);

/** `2026-11-26T10` for an instant (ms). */
const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/**
 * The byte-seconds of `bytes` held over [fromMs, toMs), split by the hours the interval crosses, in hour order.
 * Empty when nothing was stored or no time passed.
 */
export function byteSecondsByHour(bytes: number, fromMs: number, toMs: number): [hour: string, byteSeconds: number][] {
  if (bytes <= 0 || toMs <= fromMs) return [];
  const out: [string, number][] = [];
  for (let start = fromMs; start < toMs; ) {
    const end = Math.min(toMs, (Math.floor(start / HOUR_MS) + 1) * HOUR_MS);
    out.push([hourOf(start), Math.round((bytes * (end - start)) / 1000)]);
    start = end;
  }
  return out;
}

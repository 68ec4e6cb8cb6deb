/**
 * Usage of a bucket for billing (pay per use): the stored totals now, and per hour the requests, the bytes moved
 * and the bytes stored over time (byte-seconds: what was held, for how long).
 */
import { and, asc, gte, lte } from 'drizzle-orm';
import { meters } from '../../schema/bucket.ts';
import { type BucketCtx, requireBucket } from './context.ts';
import { byteSecondsByHour, storageClassOfMetric } from './storage-time.ts';

export interface UsageHour {
  /** `2026-11-26T10` (UTC). */
  hour: string;
  requests: { get: number; put: number; list: number; delete: number };
  bytesIn: number;
  bytesOut: number;
  /** Bytes stored during the hour times the seconds they were stored (a full hour of 1 GiB: 2^30 x 3,600). */
  storedByteSeconds: number;
  /** The same by storage class (STANDARD, WARM, COLD), each billed at its own price. */
  storedByteSecondsByClass: Record<string, number>;
}

export interface BucketUsage {
  ownerDomainId: string;
  storedBytes: number;
  storedBytesByClass: Record<string, number>;
  objectCount: number;
  /** The hours with any activity or anything stored, oldest first. */
  hours: UsageHour[];
}

const HOUR_MS = 3_600_000;

const emptyHour = (hour: string): UsageHour => ({
  hour,
  requests: { get: 0, put: 0, list: 0, delete: 0 },
  bytesIn: 0,
  bytesOut: 0,
  storedByteSeconds: 0,
  storedByteSecondsByClass: {},
});

/**
 * The meters of the hours from `fromHour` to `toHour` (both inclusive, `YYYY-MM-DDTHH`), with the totals. The
 * bytes held since the last change are counted up to now without being written (the next change writes them).
 */
export function usageOf(ctx: BucketCtx, fromHour: string, toHour: string): BucketUsage {
  const b = requireBucket(ctx);
  const rows = ctx.db
    .select()
    .from(meters)
    .where(and(gte(meters.hour, fromHour), lte(meters.hour, toHour)))
    .orderBy(asc(meters.hour))
    .all();
  const byHour = new Map<string, UsageHour>();
  const entry = (hour: string) => {
    let h = byHour.get(hour);
    if (!h) {
      h = emptyHour(hour);
      byHour.set(hour, h);
    }
    return h;
  };
  for (const row of rows) {
    const h = entry(row.hour);
    const [kind, name] = row.metric.split('.') as [string, string];
    if (kind === 'requests' && name in h.requests) h.requests[name as keyof UsageHour['requests']] += row.value;
    else if (row.metric === 'bytes.in') h.bytesIn += row.value;
    else if (row.metric === 'bytes.out') h.bytesOut += row.value;
    else {
      const cls = storageClassOfMetric(row.metric);
      if (cls) addStored(h, cls, row.value);
    }
  }
  const from = Math.max(b.storedSince, Date.parse(`${fromHour}:00:00Z`));
  const to = Math.min(ctx.nowMs, Date.parse(`${toHour}:00:00Z`) + HOUR_MS);
  for (const [cls, bytes] of Object.entries(b.storedByClass)) {
    for (const [hour, byteSeconds] of byteSecondsByHour(bytes, from, to)) addStored(entry(hour), cls, byteSeconds);
  }
  const hours = [...byHour.values()].sort((x, y) => (x.hour < y.hour ? -1 : 1));
  return {
    ownerDomainId: b.ownerDomainId,
    storedBytes: b.storedBytes,
    storedBytesByClass: b.storedByClass,
    objectCount: b.objectCount,
    hours,
  };
}

/** Adds byte-seconds of a class to an hour, and to its total. */
function addStored(h: UsageHour, cls: string, byteSeconds: number): void {
  h.storedByteSecondsByClass[cls] = (h.storedByteSecondsByClass[cls] ?? 0) + byteSeconds;
  h.storedByteSeconds += byteSeconds;
}

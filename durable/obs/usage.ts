/** Usage of a bucket for billing (pay per use): the stored totals now, and the hourly request and byte meters. */
import { and, asc, gte, lte } from 'drizzle-orm';
import { meters } from '../../schema/bucket.ts';
import { type BucketCtx, requireBucket } from './context.ts';

export interface UsageHour {
  /** `2026-11-26T10` (UTC). */
  hour: string;
  requests: { get: number; put: number; list: number; delete: number };
  bytesIn: number;
  bytesOut: number;
}

export interface BucketUsage {
  ownerDomainId: string;
  storedBytes: number;
  objectCount: number;
  /** The hours with any activity, oldest first. */
  hours: UsageHour[];
}

const emptyHour = (hour: string): UsageHour => ({ hour, requests: { get: 0, put: 0, list: 0, delete: 0 }, bytesIn: 0, bytesOut: 0 });

/** The meters of the hours from `fromHour` to `toHour` (both inclusive, `YYYY-MM-DDTHH`), with the totals. */
export function usageOf(ctx: BucketCtx, fromHour: string, toHour: string): BucketUsage {
  const b = requireBucket(ctx);
  const rows = ctx.db
    .select()
    .from(meters)
    .where(and(gte(meters.hour, fromHour), lte(meters.hour, toHour)))
    .orderBy(asc(meters.hour))
    .all();
  const hours: UsageHour[] = [];
  for (const row of rows) {
    let h = hours.at(-1);
    if (h?.hour !== row.hour) {
      h = emptyHour(row.hour);
      hours.push(h);
    }
    const [kind, name] = row.metric.split('.') as [string, string];
    if (kind === 'requests' && name in h.requests) h.requests[name as keyof UsageHour['requests']] += row.value;
    else if (row.metric === 'bytes.in') h.bytesIn += row.value;
    else if (row.metric === 'bytes.out') h.bytesOut += row.value;
  }
  return { ownerDomainId: b.ownerDomainId, storedBytes: b.storedBytes, objectCount: b.objectCount, hours };
}

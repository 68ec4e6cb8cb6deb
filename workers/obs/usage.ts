/**
 * Metering for billing (pay per use), read on the main origin, not the S3 endpoint: `GET /obs/admin/usage?bucket=
 * &from=&to=` gives a bucket's stored bytes and objects now, and per hour its requests, the bytes moved and the
 * bytes stored over time, in all and by storage class (`stored_byte_seconds`: a GB-month is 2^30 x 3,600 x 730
 * of them). The cloud operator reads any bucket; a customer account reads its own buckets only (another account's
 * bucket is not found, as if it did not exist). Either way the caller's roles must allow `obs:usage:get`
 * (te_admin, readonly, obs_admin, obs_viewer do).
 */
import { z } from 'zod';
import { act } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { isoSeconds } from '../lib/time.ts';
import { query } from '../lib/validate.ts';

const HOUR_MS = 3_600_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const instant = z.string().refine((v) => ISO_TIME.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 UTC time');

const usageQuery = z
  .object({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name'),
    /** Start of the range (default: 24 hours before `to`); the hour containing it is included. */
    from: instant.optional(),
    /** End of the range, excluded (default: now). */
    to: instant.optional(),
  })
  .strict();

export const obsAdminApp = router();
obsAdminApp.use(family('native'));

obsAdminApp.get('/admin/usage', act('obs:usage:get'), async (c) => {
  const q = query(c, usageQuery);
  const to = q.to ? Date.parse(q.to) : Date.now();
  const from = q.from ? Date.parse(q.from) : to - 24 * HOUR_MS;
  if (from >= to) throw badRequest("Invalid input: 'from' must be earlier than 'to'.");
  const fromHour = new Date(from).toISOString().slice(0, 13);
  const toHour = new Date(to - 1).toISOString().slice(0, 13);
  const result = await c.env.BUCKET.getByName(q.bucket).usage(q.bucket, fromHour, toHour);
  const p = c.var.principal;
  if ('error' in result || (!p.operator && result.ok.ownerDomainId !== p.domainId)) {
    throw notFound(`Bucket ${q.bucket} could not be found.`);
  }
  const u = result.ok;
  return c.json({
    bucket: q.bucket,
    stored_bytes: u.storedBytes,
    stored_bytes_by_class: u.storedBytesByClass,
    object_count: u.objectCount,
    hours: u.hours.map((h) => ({
      hour: isoSeconds(Date.parse(`${h.hour}:00:00Z`)),
      requests: h.requests,
      bytes_in: h.bytesIn,
      bytes_out: h.bytesOut,
      stored_byte_seconds: h.storedByteSeconds,
      stored_byte_seconds_by_class: h.storedByteSecondsByClass,
    })),
  });
});

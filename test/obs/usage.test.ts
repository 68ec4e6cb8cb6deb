/**
 * OBS metering for billing: every request and byte moved is counted per hour in the bucket, and the operator (or
 * the bucket's own account) reads it from `GET /obs/admin/usage` on the main origin.
 */

import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { BucketDO } from '../../durable/bucket.ts';
import { createUser, operatorAccount, tokenFor } from '../fixtures.ts';
import { call, json } from '../request.ts';
import { createBucket, obsUser, put, s3 } from './fixtures.ts';

/** The usage API on the main origin. */
function usageApi(query: string, token?: string): Promise<Response> {
  return call(`/obs/admin/usage?${query}`, { token });
}

interface Usage {
  bucket: string;
  stored_bytes: number;
  stored_bytes_by_class: Record<string, number>;
  object_count: number;
  hours: {
    hour: string;
    requests: { get: number; put: number; list: number; delete: number };
    bytes_in: number;
    bytes_out: number;
    stored_byte_seconds: number;
    stored_byte_seconds_by_class: Record<string, number>;
  }[];
}

/** The hours added up (a test may straddle an hour boundary). */
function totals(u: Usage) {
  const sum = { get: 0, put: 0, list: 0, delete: 0, bytes_in: 0, bytes_out: 0 };
  for (const h of u.hours) {
    for (const k of ['get', 'put', 'list', 'delete'] as const) sum[k] += h.requests[k];
    sum.bytes_in += h.bytes_in;
    sum.bytes_out += h.bytes_out;
  }
  return sum;
}

const stubOf = (bucket: string) => (env as unknown as { BUCKET: DurableObjectNamespace<BucketDO> }).BUCKET.getByName(bucket);

async function readUsage(bucket: string, token: string): Promise<Usage> {
  const res = await usageApi(`bucket=${bucket}`, token);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<Usage>(res);
}

describe('OBS usage metering', () => {
  it('counts each request class and the bytes in and out exactly, with the stored totals', async () => {
    const u = await obsUser();
    const token = await tokenFor(u.account);
    const b = await createBucket(u);
    const start = await readUsage(b, token);
    expect(start).toEqual({ bucket: b, stored_bytes: 0, stored_bytes_by_class: {}, object_count: 0, hours: start.hours });
    const base = totals(start);

    expect((await put(u, b, 'a', 'hello world')).status).toBe(200);
    expect((await put(u, b, 'b', '12345')).status).toBe(200);
    expect(await (await s3(u, `/${b}/a`)).text()).toBe('hello world');
    expect(await (await s3(u, `/${b}/a`, { headers: { Range: 'bytes=0-3' } })).text()).toBe('hell');
    expect((await s3(u, `/${b}/a`, { method: 'HEAD' })).status).toBe(200);
    expect((await s3(u, `/${b}?list-type=2`)).status).toBe(200);
    expect((await s3(u, `/${b}?versions`)).status).toBe(200);
    expect((await s3(u, `/${b}/b`, { method: 'DELETE' })).status).toBe(204);

    const after = await readUsage(b, token);
    expect(after.stored_bytes).toBe(11);
    expect(after.object_count).toBe(1);
    const t = totals(after);
    // GET, ranged GET and HEAD are reads; only the bodies sent count as bytes out.
    expect({
      get: t.get - base.get,
      put: t.put - base.put,
      list: t.list - base.list,
      delete: t.delete - base.delete,
      bytes_in: t.bytes_in - base.bytes_in,
      bytes_out: t.bytes_out - base.bytes_out,
    }).toEqual({ get: 3, put: 2, list: 2, delete: 1, bytes_in: 16, bytes_out: 15 });
    for (const h of after.hours) expect(h.hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/);
    // The Durable Object's own answer, hour by hour, is what the API shows.
    const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13);
    const direct = await stubOf(b).usage(b, hour(Date.now() - 86_400_000), hour(Date.now()));
    if (!('ok' in direct)) throw new Error('usage failed');
    expect(direct.ok.hours.map((h) => ({ ...h.requests, in: h.bytesIn, out: h.bytesOut }))).toEqual(
      after.hours.map((h) => ({ ...h.requests, in: h.bytes_in, out: h.bytes_out })),
    );
  });

  it('reports only the hours of the range asked, from inclusive to exclusive', async () => {
    const u = await obsUser();
    const token = await tokenFor(u.account);
    const b = await createBucket(u);
    await put(u, b, 'k', 'abc');
    const now = Date.now();
    const thisHour = new Date(now).toISOString().slice(0, 13);
    const later = await json<Usage>(
      await usageApi(`bucket=${b}&from=${new Date(now + 3_600_000).toISOString()}&to=${new Date(now + 7_200_000).toISOString()}`, token),
    );
    expect(later.hours).toEqual([]);
    expect(later.stored_bytes).toBe(3);
    const upToThisHour = await json<Usage>(await usageApi(`bucket=${b}&from=2020-01-01T00:00:00Z&to=${thisHour}:00:00Z`, token));
    expect(upToThisHour.hours).toEqual([]);
    const within = await json<Usage>(
      await usageApi(`bucket=${b}&from=${thisHour}:59:59Z&to=${new Date(now + 3_600_000).toISOString()}`, token),
    );
    expect(within.hours.map((h) => h.hour)).toEqual([`${thisHour}:00:00Z`]);
    expect(within.hours[0]!.requests.put).toBe(1);
    expect(within.hours[0]!.bytes_in).toBe(3);
  });

  it('bills the bytes stored over time: byte-seconds per hour, written when the total moves, counted up to now when read', async () => {
    const u = await obsUser();
    const token = await tokenFor(u.account);
    const b = await createBucket(u);
    await put(u, b, 'k', 'x'.repeat(1000));
    // The 1,000 bytes have been held since half past the hour, two hours ago (the bucket forgets its copy of the row).
    const HOUR = 3_600_000;
    const since = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + HOUR / 2;
    await runInDurableObject(stubOf(b), async (instance, state) => {
      state.storage.sql.exec('update bucket set stored_since = ?', since);
      (instance as unknown as { bucketCache: object }).bucketCache = {};
    });
    const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 13)}:00:00Z`;
    const range = `bucket=${b}&from=${new Date(since - HOUR).toISOString()}`;
    const stored = (u: Usage) => u.hours.map((h) => [h.hour, h.stored_byte_seconds]);
    const before = Date.now();
    const read = await json<Usage>(await usageApi(range, token));
    const [first, second, current] = stored(read);
    expect(first).toEqual([iso(since), 1000 * 1800]);
    expect(second).toEqual([iso(since + HOUR), 1000 * 3600]);
    expect(current![0]).toBe(iso(since + 2 * HOUR));
    const currentStart = since + 1.5 * HOUR;
    expect(current![1]).toBeGreaterThanOrEqual(Math.floor(before - currentStart) - 1);
    expect(current![1]).toBeLessThanOrEqual(Math.ceil(Date.now() - currentStart) + 1);
    // Nothing was written by reading; a change of the total writes what was held until then into the meters.
    const written = () =>
      runInDurableObject(stubOf(b), async (_i, state) =>
        state.storage.sql.exec("select hour, value from meters where metric = 'storage.byte_seconds.STANDARD' order by hour").toArray(),
      );
    expect(await written()).toEqual([]);
    await put(u, b, 'k2', 'y'.repeat(500));
    const meters = await written();
    expect(meters.slice(0, 2)).toEqual([
      { hour: iso(since).slice(0, 13), value: 1000 * 1800 },
      { hour: iso(since + HOUR).slice(0, 13), value: 1000 * 3600 },
    ]);
    const after = await json<Usage>(await usageApi(range, token));
    expect(after.stored_bytes).toBe(1500);
    expect(after.stored_bytes_by_class).toEqual({ STANDARD: 1500 });
    // By class, the same hours: all of it was STANDARD.
    expect(after.hours.slice(0, 2).map((h) => h.stored_byte_seconds_by_class)).toEqual([
      { STANDARD: 1000 * 1800 },
      { STANDARD: 1000 * 3600 },
    ]);
    expect(stored(after).slice(0, 2)).toEqual([first, second]);
    expect(stored(after)[2]![1]).toBeGreaterThanOrEqual(current![1] as number);
    // An overwrite of the same size leaves the total (and the time it has been held since) as it was.
    expect((await put(u, b, 'k2', 'z'.repeat(500))).status).toBe(200);
    expect((await json<Usage>(await usageApi(range, token))).stored_bytes).toBe(1500);
  });

  it('keeps the stored bytes by storage class, and their byte-seconds by class', async () => {
    const u = await obsUser();
    const token = await tokenFor(u.account);
    const b = await createBucket(u);
    await put(u, b, 'standard', 's'.repeat(1000));
    await put(u, b, 'warm', 'w'.repeat(300), { 'x-amz-storage-class': 'WARM' });
    await put(u, b, 'cold', 'c'.repeat(200), { 'x-obs-storage-class': 'COLD' });
    expect((await readUsage(b, token)).stored_bytes_by_class).toEqual({ STANDARD: 1000, WARM: 300, COLD: 200 });
    await s3(u, `/${b}/cold`, { method: 'DELETE' });
    const usage = await readUsage(b, token);
    expect(usage.stored_bytes_by_class).toEqual({ STANDARD: 1000, WARM: 300 });
    expect(usage.stored_bytes).toBe(1300);
    // Held since half past the previous hour: that hour bills each class for 30 minutes, and their sum in all.
    const HOUR = 3_600_000;
    const since = Math.floor(Date.now() / HOUR) * HOUR - HOUR / 2;
    await runInDurableObject(stubOf(b), async (instance, state) => {
      state.storage.sql.exec('update bucket set stored_since = ?', since);
      (instance as unknown as { bucketCache: object }).bucketCache = {};
    });
    const held = await json<Usage>(await usageApi(`bucket=${b}&from=${new Date(since).toISOString()}`, token));
    const first = held.hours.find((h) => h.hour === `${new Date(since).toISOString().slice(0, 13)}:00:00Z`)!;
    expect(first.stored_byte_seconds_by_class).toEqual({ STANDARD: 1000 * 1800, WARM: 300 * 1800 });
    expect(first.stored_byte_seconds).toBe(1300 * 1800);
  });

  it("lets the operator read any bucket and an account only its own; another account's is not found", async () => {
    const [owner, stranger] = await Promise.all([obsUser(), obsUser()]);
    const b = await createBucket(owner);
    await put(owner, b, 'k', 'abc');
    const operator = await tokenFor(await operatorAccount());
    expect((await readUsage(b, operator)).stored_bytes).toBe(3);
    const other = await usageApi(`bucket=${b}`, await tokenFor(stranger.account));
    expect(other.status).toBe(404);
    expect((await json(other)).error_msg).toBe(`Bucket ${b} could not be found.`);
    const missing = await usageApi(`bucket=${b}-none`, operator);
    expect(missing.status).toBe(404);
    // Within the owner's account, the caller's roles must allow obs:usage:get.
    const ownerToken = await tokenFor(owner.account);
    const viewer = await createUser(owner.account, ownerToken, { role: 'obs_viewer' });
    const viewerToken = await tokenFor(owner.account, { user: viewer.name, password: viewer.password });
    expect((await usageApi(`bucket=${b}`, viewerToken)).status).toBe(200);
    const ecs = await createUser(owner.account, ownerToken, { role: 'ecs_admin' });
    const ecsToken = await tokenFor(owner.account, { user: ecs.name, password: ecs.password });
    expect((await usageApi(`bucket=${b}`, ecsToken)).status).toBe(403);
    expect((await usageApi(`bucket=${b}`)).status).toBe(401);
  });

  it('refuses a bad query with a native error', async () => {
    const u = await obsUser();
    const token = await tokenFor(u.account);
    const b = await createBucket(u);
    for (const query of [
      '',
      'bucket=UPPER',
      `bucket=${b}&from=yesterday`,
      `bucket=${b}&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`,
      `bucket=${b}&colour=blue`,
    ]) {
      const res = await usageApi(query, token);
      expect(res.status, query).toBe(400);
      const body = await json(res);
      expect(body.error_code, query).toBe('APIGW.400');
      expect(typeof body.error_msg, query).toBe('string');
    }
  });
});

/**
 * OBS usage in the ledger: a bucket's hours are taken once they are over (stored byte-seconds by class, requests,
 * bytes out), keyed by bucket and hour so a retake adds nothing, and rated on the OBS price lines.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { usageLedger } from '../../schema/global.ts';
import { takeAll } from '../../workers/bss/ledger.ts';
import { directory } from '../../workers/directory/client.ts';
import { bindings } from '../ecs/fixtures.ts';
import { createBucket, obsUser, put, s3 } from '../obs/fixtures.ts';

const HOUR_MS = 3_600_000;

describe('OBS usage in the ledger', () => {
  it('takes a bucket hour only once it is over, once', async () => {
    const user = await obsUser('bsso');
    const bucket = await createBucket(user);
    expect((await put(user, bucket, 'k', 'x'.repeat(1000))).status).toBe(200);
    expect((await s3(user, `/${bucket}/k`)).status).toBe(200);
    const d = user.account.domainId;
    // The hour is not over: nothing is taken from it yet.
    await takeAll(bindings, d);
    const db = await directory(bindings);
    const mine = () => db.select().from(usageLedger).where(eq(usageLedger.resourceId, bucket)).all();
    expect(await mine()).toEqual([]);

    // Two hours on, this hour is over (what was stored is counted up to the moment it is read).
    const later = Date.now() + 2 * HOUR_MS;
    expect(await takeAll(bindings, d, later)).toBeGreaterThanOrEqual(3);
    const rows = await mine();
    const byMeter = Object.fromEntries(rows.map((r) => [r.meter, r]));
    expect(byMeter['obs.storage']).toMatchObject({ action: 'once', attributes: { storage_class: 'STANDARD' }, regionId: 'eu-west-0' });
    expect(byMeter['obs.storage']!.quantity).toBeGreaterThan(0);
    // 1,000 bytes for at most the seconds from the upload to the read, two hours on.
    expect(byMeter['obs.storage']!.quantity).toBeLessThanOrEqual(1000 * 3 * 3600);
    expect(byMeter['obs.requests']!.quantity).toBeGreaterThanOrEqual(2);
    expect(byMeter['obs.egress']!.quantity).toBe(1000);
    const retake = await takeAll(bindings, d, later);
    expect(retake).toBe(0);
    expect((await mine()).length).toBe(rows.length);
  });
});

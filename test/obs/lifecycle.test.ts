/**
 * OBS lifecycle: `?lifecycle` read and written as S3's XML with S3's validation, and the rules (expirations and
 * transitions to WARM and COLD) applied by the bucket's alarm. A lifecycle day lasts OBS_LIFECYCLE_DAY_MS here (vitest.config.ts), so a test waits days out.
 */

import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { BucketDO } from '../../durable/bucket.ts';
import { createBucket, encodeKey, type ObsUser, obsUser, put, r2Keys, s3, sweep, unescapeXml, xmlText, xmlTexts } from './fixtures.ts';

const DAY = Number((env as unknown as { OBS_LIFECYCLE_DAY_MS?: string }).OBS_LIFECYCLE_DAY_MS);
if (!(DAY > 0 && DAY <= 5000)) throw new Error('these tests need OBS_LIFECYCLE_DAY_MS = "1000" in the workers test bindings');

const stubOf = (bucket: string) => (env as unknown as { BUCKET: DurableObjectNamespace<BucketDO> }).BUCKET.getByName(bucket);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until something dated `since` is `days` lifecycle days old (counted to the next day boundary, as S3 does). */
async function waitDays(since: number, days: number): Promise<void> {
  const due = (Math.ceil(since / DAY) + days) * DAY + 60;
  await sleep(Math.max(0, due - Date.now()));
}

/** Holds the bucket's lifecycle passes back (the alarm would otherwise run one each lifecycle hour, ~42 ms here). */
const hold = (bucket: string) =>
  runInDurableObject(stubOf(bucket), async (_i, state) => state.storage.kv.put('lifecycle.next', Date.now() + 3_600_000));

/**
 * Runs one lifecycle pass now through the alarm, then holds the next ones back so that what a test checks next
 * is what this pass did; a second alarm frees the bytes it discarded.
 */
async function lifecyclePass(bucket: string): Promise<void> {
  await runInDurableObject(stubOf(bucket), async (instance, state) => {
    state.storage.kv.put('lifecycle.next', 0);
    await instance.alarm();
    state.storage.kv.put('lifecycle.next', Date.now() + 3_600_000);
  });
  await sweep(bucket);
}

const md5B64 = async (text: string) =>
  btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('MD5', new TextEncoder().encode(text)))));

async function putLifecycle(u: ObsUser, b: string, rules: string): Promise<Response> {
  const body = `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules}</LifecycleConfiguration>`;
  return s3(u, `/${b}?lifecycle`, { method: 'PUT', body, headers: { 'Content-MD5': await md5B64(body) } });
}

/** Sets the bucket's rules; the passes the alarm would run on its own are held back (see `lifecyclePass`). */
async function configure(u: ObsUser, b: string, rules: string): Promise<void> {
  const res = await putLifecycle(u, b, rules);
  expect(res.status, await res.clone().text()).toBe(200);
  await hold(b);
}

const enableVersioning = (u: ObsUser, b: string) =>
  s3(u, `/${b}?versioning`, { method: 'PUT', body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' });

/** Puts an object, and checks it worked. */
async function putOk(u: ObsUser, b: string, key: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await put(u, b, key, body, headers);
  expect(res.status, `${key}: ${await res.clone().text()}`).toBe(200);
  return res;
}

const status = async (u: ObsUser, b: string, key: string) => (await s3(u, `/${b}/${encodeKey(key)}`, { method: 'HEAD' })).status;

/** `kind key versionId` of every version and delete marker, in listing order. */
async function versions(u: ObsUser, b: string): Promise<string[]> {
  const xml = await (await s3(u, `/${b}?versions`)).text();
  return [...xml.matchAll(/<(Version|DeleteMarker)>(.*?)<\/\1>/gs)].map(
    (m) => `${m[1]} ${xmlText(m[2]!, 'Key')} ${xmlText(m[2]!, 'VersionId')}`,
  );
}

/** The R2 blobs of one bucket: its blob keys start with the bucket's incarnation. */
async function bucketBlobs(bucket: string): Promise<string[]> {
  const incarnation = await runInDurableObject(
    stubOf(bucket),
    async (_i, state) => state.storage.sql.exec('select incarnation from bucket').one().incarnation,
  );
  return (await r2Keys()).filter((k) => k.startsWith(`${incarnation}/`));
}

describe('lifecycle configuration', () => {
  it('stores, returns and deletes rules; 404 NoSuchLifecycleConfiguration when there are none', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const none = await s3(u, `/${b}?lifecycle`);
    expect(none.status).toBe(404);
    const noneXml = await none.text();
    expect(xmlText(noneXml, 'Code')).toBe('NoSuchLifecycleConfiguration');
    expect(xmlText(noneXml, 'BucketName')).toBe(b);
    await configure(
      u,
      b,
      `<Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>
       <Rule><ID>tagged</ID><Filter><And><Prefix>tmp/</Prefix><Tag><Key>class</Key><Value>scratch</Value></Tag><Tag><Key>team</Key><Value>a</Value></Tag></And></Filter><Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>
       <Rule><ID>legacy</ID><Prefix>old/</Prefix><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>
       <Rule><ID>markers</ID><Filter></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
       <Rule><Filter><ObjectSizeGreaterThan>1024</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
    );
    const got = await s3(u, `/${b}?lifecycle`);
    expect(got.status).toBe(200);
    const xml = await got.text();
    const rules = [...xml.matchAll(/<Rule>(.*?)<\/Rule>/gs)].map((m) => m[1]!);
    expect(rules).toHaveLength(5);
    expect(rules[0]).toContain(
      '<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration>',
    );
    expect(rules[1]).toContain(
      '<Filter><And><Prefix>tmp/</Prefix><Tag><Key>class</Key><Value>scratch</Value></Tag><Tag><Key>team</Key><Value>a</Value></Tag></And></Filter><Status>Disabled</Status>',
    );
    expect(xmlText(rules[1]!, 'Date')).toBe('2030-01-01T00:00:00.000Z');
    expect(rules[2]).toContain('<Prefix>old/</Prefix><Status>Enabled</Status>');
    expect(rules[2]).not.toContain('<Filter>');
    expect(rules[2]).toContain(
      '<NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>',
    );
    expect(rules[3]).toContain('<Filter/>');
    expect(rules[3]).toContain('<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>');
    expect(rules[3]).toContain(
      '<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
    );
    // A rule without an ID is given one.
    expect(xmlText(rules[4]!, 'ID')).toMatch(/^\w{8,}$/);
    expect(rules[4]).toContain('<Filter><ObjectSizeGreaterThan>1024</ObjectSizeGreaterThan></Filter>');
    // A new configuration replaces the whole previous one.
    await configure(
      u,
      b,
      '<Rule><ID>only</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>',
    );
    const replaced = await (await s3(u, `/${b}?lifecycle`)).text();
    expect(xmlTexts(replaced, 'ID')).toEqual(['only']);
    expect(replaced).toContain('<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>');
    expect((await s3(u, `/${b}?lifecycle`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(u, `/${b}?lifecycle`)).status).toBe(404);
  });

  it('refuses invalid configurations with the errors S3 gives', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const rule = (body: string, filter = '<Filter><Prefix>p/</Prefix></Filter>') =>
      `<Rule><ID>r</ID>${filter}<Status>Enabled</Status>${body}</Rule>`;
    const days = (n: string) => rule(`<Expiration><Days>${n}</Days></Expiration>`);
    const cases: [string, string, number, string][] = [
      ['no rule', '', 400, 'MalformedXML'],
      ['bad status', '<Rule><ID>r</ID><Filter/><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>', 400, 'MalformedXML'],
      ['Prefix and Filter', rule('<Expiration><Days>1</Days></Expiration>', '<Prefix>a</Prefix><Filter/>'), 400, 'MalformedXML'],
      ['no Prefix nor Filter', rule('<Expiration><Days>1</Days></Expiration>', ''), 400, 'MalformedXML'],
      [
        'two predicates',
        rule('<Expiration><Days>1</Days></Expiration>', '<Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>'),
        400,
        'MalformedXML',
      ],
      ['Days and Date', rule('<Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>'), 400, 'MalformedXML'],
      [
        'Days and marker',
        rule('<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>'),
        400,
        'MalformedXML',
      ],
      ['empty Expiration', rule('<Expiration></Expiration>'), 400, 'MalformedXML'],
      ['Days not a number', days('soon'), 400, 'MalformedXML'],
      ['unknown element', rule('<Expiration><Days>1</Days></Expiration><Colour>red</Colour>'), 400, 'MalformedXML'],
      ['Days zero', days('0'), 400, 'InvalidArgument'],
      ['Days negative', days('-3'), 400, 'InvalidArgument'],
      [
        'NoncurrentDays zero',
        rule('<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>'),
        400,
        'InvalidArgument',
      ],
      [
        'DaysAfterInitiation zero',
        rule('<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>'),
        400,
        'InvalidArgument',
      ],
      ['Date not midnight', rule('<Expiration><Date>2030-01-01T12:00:00Z</Date></Expiration>'), 400, 'InvalidArgument'],
      ['duplicate IDs', days('1') + days('2'), 400, 'InvalidArgument'],
      [
        'long ID',
        `<Rule><ID>${'x'.repeat(256)}</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
        400,
        'InvalidArgument',
      ],
      ['no action', rule(''), 400, 'InvalidRequest'],
      [
        'abort with tags',
        rule(
          '<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
          '<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>',
        ),
        400,
        'InvalidRequest',
      ],
      ['WARM before 30 days', rule('<Transition><Days>29</Days><StorageClass>WARM</StorageClass></Transition>'), 400, 'InvalidArgument'],
      ['to STANDARD', rule('<Transition><Days>30</Days><StorageClass>STANDARD</StorageClass></Transition>'), 400, 'InvalidArgument'],
      ['no class', rule('<Transition><Days>30</Days></Transition>'), 400, 'MalformedXML'],
      [
        'Days and Date',
        rule('<Transition><Days>30</Days><Date>2030-01-01T00:00:00Z</Date><StorageClass>COLD</StorageClass></Transition>'),
        400,
        'MalformedXML',
      ],
      [
        'two to one class',
        rule(
          '<Transition><Days>30</Days><StorageClass>COLD</StorageClass></Transition><Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>',
        ),
        400,
        'InvalidArgument',
      ],
      [
        'COLD before WARM',
        rule(
          '<Transition><Days>40</Days><StorageClass>WARM</StorageClass></Transition><Transition><Days>35</Days><StorageClass>COLD</StorageClass></Transition>',
        ),
        400,
        'InvalidArgument',
      ],
      [
        'expiring before the move',
        rule('<Transition><Days>30</Days><StorageClass>COLD</StorageClass></Transition><Expiration><Days>30</Days></Expiration>'),
        400,
        'InvalidArgument',
      ],
      [
        'noncurrent WARM too soon',
        rule(
          '<NoncurrentVersionTransition><NoncurrentDays>7</NoncurrentDays><StorageClass>WARM</StorageClass></NoncurrentVersionTransition>',
        ),
        400,
        'InvalidArgument',
      ],
    ];
    for (const [what, rules, code, error] of cases) {
      const res = await putLifecycle(u, b, rules);
      expect(res.status, what).toBe(code);
      expect(xmlText(await res.text(), 'Code'), what).toBe(error);
    }
    const days0 = await (await putLifecycle(u, b, days('0'))).text();
    expect(unescapeXml(xmlText(days0, 'Message')!)).toBe("'Days' for Expiration action must be a positive integer");
    const tooMany = Array.from(
      { length: 1001 },
      (_, i) => `<Rule><ID>r${i}</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
    ).join('');
    expect(xmlText(await (await putLifecycle(u, b, tooMany)).text(), 'Code')).toBe('MalformedXML');
    const thousand = tooMany.slice(0, tooMany.lastIndexOf('<Rule>'));
    expect((await putLifecycle(u, b, thousand)).status).toBe(200);
    await hold(b);
    expect(xmlTexts(await (await s3(u, `/${b}?lifecycle`)).text(), 'ID')).toHaveLength(1000);
    const body = `<LifecycleConfiguration>${days('1')}</LifecycleConfiguration>`;
    const wrongMd5 = await s3(u, `/${b}?lifecycle`, { method: 'PUT', body, headers: { 'Content-MD5': await md5B64(`${body} `) } });
    expect(wrongMd5.status).toBe(400);
    expect(xmlText(await wrongMd5.text(), 'Code')).toBe('BadDigest');
  });

  it("is the owner's: another account can neither read nor write it", async () => {
    const [owner, other] = await Promise.all([obsUser(), obsUser()]);
    const b = await createBucket(owner);
    await configure(owner, b, '<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>');
    for (const [method, res] of [
      ['GET', await s3(other, `/${b}?lifecycle`)],
      [
        'PUT',
        await putLifecycle(other, b, '<Rule><ID>x</ID><Filter/><Status>Enabled</Status><Expiration><Days>9</Days></Expiration></Rule>'),
      ],
      ['DELETE', await s3(other, `/${b}?lifecycle`, { method: 'DELETE' })],
    ] as const) {
      expect(res.status, method).toBe(403);
      expect(xmlText(await res.text(), 'Code'), method).toBe('AccessDenied');
    }
    expect(xmlTexts(await (await s3(owner, `/${b}?lifecycle`)).text(), 'ID')).toEqual(['r']);
  });
});

// Waiting out lifecycle days on a busy machine takes a while.
describe('lifecycle rules applied by the alarm', { timeout: 120_000 }, () => {
  it('deletes expired current objects of an unversioned bucket by prefix, tag and size, and frees their bytes', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await configure(
      u,
      b,
      `<Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
       <Rule><ID>scratch</ID><Filter><And><Prefix>tmp/</Prefix><Tag><Key>class</Key><Value>scratch</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
       <Rule><ID>big</ID><Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
       <Rule><ID>off</ID><Filter><Prefix>keep/</Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
    );
    const before = new Set(await bucketBlobs(b));
    await putOk(u, b, 'logs/old', 'old log');
    await putOk(u, b, 'tmp/a', 'scratch', { 'x-amz-tagging': 'class=scratch&team=x' });
    await putOk(u, b, 'tmp/b', 'precious', { 'x-amz-tagging': 'class=keep' });
    await putOk(u, b, 'big.bin', 'more than ten bytes');
    await putOk(u, b, 'keep/old', 'disabled');
    const expiring = (await bucketBlobs(b)).filter((k) => !before.has(k));
    expect(expiring).toHaveLength(5);
    await waitDays(Date.now(), 1);
    await putOk(u, b, 'logs/new', 'fresh log');
    await lifecyclePass(b);
    // No delete marker in an unversioned bucket: the expired objects are simply gone.
    expect(await versions(u, b)).toEqual(['Version keep/old null', 'Version logs/new null', 'Version tmp/b null']);
    expect(await status(u, b, 'logs/old')).toBe(404);
    expect(await status(u, b, 'tmp/a')).toBe(404);
    expect(await status(u, b, 'big.bin')).toBe(404);
    expect(await status(u, b, 'tmp/b')).toBe(200);
    expect(await status(u, b, 'keep/old')).toBe(200);
    const left = new Set(await bucketBlobs(b));
    expect(expiring.filter((k) => left.has(k))).toHaveLength(2);
    // The running totals follow what is left (read together with the index, whatever later passes did).
    const totals = await runInDurableObject(stubOf(b), async (_i, state) => ({
      kept: state.storage.sql.exec('select stored_bytes as bytes, object_count as count from bucket').one(),
      index: state.storage.sql.exec('select coalesce(sum(size), 0) as bytes, count(*) as count from objects where delete_marker = 0').one(),
    }));
    expect(totals.kept).toEqual(totals.index);
    expect(totals.kept.bytes).toBeLessThanOrEqual('precious'.length + 'disabled'.length + 'fresh log'.length);
  });

  it('expires a date rule once the date has passed, without waiting', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await putOk(u, b, 'a/1', 'x');
    await putOk(u, b, 'b/1', 'y');
    await configure(
      u,
      b,
      '<Rule><ID>past</ID><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Expiration><Date>2020-01-01T00:00:00Z</Date></Expiration></Rule>',
    );
    await lifecyclePass(b);
    expect(await status(u, b, 'a/1')).toBe(404);
    expect(await status(u, b, 'b/1')).toBe(200);
  });

  it('in a versioned bucket adds a delete marker, then removes noncurrent versions and the marker left alone', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    await configure(
      u,
      b,
      '<Rule><ID>all</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>',
    );
    const v1 = (await putOk(u, b, 'k', 'one')).headers.get('x-amz-version-id');
    const v2 = (await putOk(u, b, 'k', 'two')).headers.get('x-amz-version-id');
    const blobs = await bucketBlobs(b);
    await waitDays(Date.now(), 1);
    await lifecyclePass(b);
    // The current version expired behind a delete marker; v1, noncurrent for a day, is gone.
    const after = await versions(u, b);
    expect(after).toHaveLength(2);
    expect(after[0]).toMatch(/^DeleteMarker k \w+$/);
    expect(after[1]).toBe(`Version k ${v2}`);
    expect(await status(u, b, 'k')).toBe(404);
    expect((await s3(u, `/${b}/k?versionId=${v1}`)).status).toBe(404);
    expect(await (await s3(u, `/${b}/k?versionId=${v2}`)).text()).toBe('two');
    // A day later v2 has been noncurrent long enough, and the marker is all that is left of the key: both go.
    await waitDays(Date.now(), 1);
    await lifecyclePass(b);
    expect(await versions(u, b)).toEqual([]);
    const left = new Set(await bucketBlobs(b));
    expect(blobs.filter((k) => left.has(k))).toEqual([]);
  });

  it('keeps the newest noncurrent versions NewerNoncurrentVersions says', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    await configure(
      u,
      b,
      '<Rule><ID>keep2</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>',
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await putOk(u, b, 'k', `v${i}`)).headers.get('x-amz-version-id')!);
    await waitDays(Date.now(), 1);
    await lifecyclePass(b);
    expect(await versions(u, b)).toEqual([`Version k ${ids[4]}`, `Version k ${ids[3]}`, `Version k ${ids[2]}`]);
  });

  it('leaves the noncurrent versions Object Lock protects, and removes the others', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, { 'x-amz-bucket-object-lock-enabled': 'true' });
    await configure(
      u,
      b,
      '<Rule><ID>all</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>',
    );
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const held = (await putOk(u, b, 'k', 'held', { 'x-amz-object-lock-legal-hold': 'ON' })).headers.get('x-amz-version-id')!;
    const retained = (
      await putOk(u, b, 'k', 'retained', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': until })
    ).headers.get('x-amz-version-id')!;
    const free = (await putOk(u, b, 'k', 'free')).headers.get('x-amz-version-id')!;
    const current = (await putOk(u, b, 'k', 'current')).headers.get('x-amz-version-id')!;
    await waitDays(Date.now(), 1);
    await lifecyclePass(b);
    const left = await versions(u, b);
    expect(left).toEqual([`Version k ${current}`, `Version k ${retained}`, `Version k ${held}`]);
    expect(left).not.toContain(`Version k ${free}`);
  });

  it('removes expired object delete markers whatever their age, and no other marker', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    const lone = (await putOk(u, b, 'lone', 'x')).headers.get('x-amz-version-id');
    await s3(u, `/${b}/lone`, { method: 'DELETE' });
    expect((await s3(u, `/${b}/lone?versionId=${lone}`, { method: 'DELETE' })).status).toBe(204);
    await putOk(u, b, 'kept', 'y');
    await s3(u, `/${b}/kept`, { method: 'DELETE' });
    const before = await versions(u, b);
    expect(before.map((v) => v.split(' ').slice(0, 2).join(' '))).toEqual(['DeleteMarker kept', 'Version kept', 'DeleteMarker lone']);
    await configure(
      u,
      b,
      '<Rule><ID>markers</ID><Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>',
    );
    await lifecyclePass(b);
    expect(await versions(u, b)).toEqual(before.slice(0, 2));
  });

  it('aborts multipart uploads older than DaysAfterInitiation and frees their parts', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await configure(
      u,
      b,
      '<Rule><ID>abort</ID><Filter><Prefix>up/</Prefix></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>',
    );
    const initiate = async (key: string) => xmlText(await (await s3(u, `/${b}/${key}?uploads`, { method: 'POST' })).text(), 'UploadId')!;
    const stale = await initiate('up/stale');
    const other = await initiate('elsewhere');
    for (const id of [stale, other]) {
      const key = id === stale ? 'up/stale' : 'elsewhere';
      expect(
        (await s3(u, `/${b}/${key}?partNumber=1&uploadId=${encodeURIComponent(id)}`, { method: 'PUT', body: 'part one' })).status,
      ).toBe(200);
    }
    const partBlobs = await bucketBlobs(b);
    expect(partBlobs).toHaveLength(2);
    await waitDays(Date.now(), 1);
    const fresh = await initiate('up/fresh');
    await lifecyclePass(b);
    const uploads = xmlTexts(await (await s3(u, `/${b}?uploads`)).text(), 'UploadId');
    expect(uploads.sort()).toEqual([other, fresh].sort());
    expect((await s3(u, `/${b}/up/stale?uploadId=${encodeURIComponent(stale)}`)).status).toBe(404);
    expect(await bucketBlobs(b)).toHaveLength(1);
    const totals = await runInDurableObject(stubOf(b), async (_i, state) =>
      state.storage.sql.exec('select stored_bytes from bucket').one(),
    );
    expect(totals.stored_bytes).toBe('part one'.length);
  });

  it('stores transitions and returns them as written, WARM and COLD by day count, date or noncurrent days', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const rules =
      '<Rule><ID>tiers</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>' +
      '<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>' +
      '<Transition><Days>90</Days><StorageClass>COLD</StorageClass></Transition>' +
      '<Expiration><Days>365</Days></Expiration>' +
      '<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>WARM</StorageClass></NoncurrentVersionTransition>' +
      '<NoncurrentVersionExpiration><NoncurrentDays>60</NoncurrentDays></NoncurrentVersionExpiration></Rule>' +
      '<Rule><ID>on-date</ID><Filter/><Status>Disabled</Status><Transition><Date>2030-01-01T00:00:00Z</Date><StorageClass>GLACIER</StorageClass></Transition></Rule>';
    await configure(u, b, rules);
    const xml = await (await s3(u, `/${b}?lifecycle`)).text();
    expect(xmlTexts(xml, 'StorageClass')).toEqual(['WARM', 'COLD', 'WARM', 'COLD']);
    expect(xmlTexts(xml, 'Days')).toEqual(['365', '30', '90']);
    expect(xmlTexts(xml, 'NoncurrentDays').sort()).toEqual(['30', '60']);
    expect(xmlText(xml, 'Date')).toBe('2030-01-01T00:00:00.000Z');
  });

  it('moves current versions to WARM on a date and to COLD by age, never warmer, and noncurrent ones by their age', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await enableVersioning(u, b);
    await putOk(u, b, 'a/doc', 'a');
    await putOk(u, b, 'a/already-cold', 'c', { 'x-amz-storage-class': 'COLD' });
    await putOk(u, b, 'b/doc', 'b');
    await putOk(u, b, 'v', 'first');
    await putOk(u, b, 'v', 'second');
    const written = Date.now();
    await configure(
      u,
      b,
      '<Rule><ID>a</ID><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Transition><Date>2020-01-01T00:00:00Z</Date><StorageClass>WARM</StorageClass></Transition></Rule>' +
        '<Rule><ID>b</ID><Filter><Prefix>b/</Prefix></Filter><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>COLD</StorageClass></Transition></Rule>' +
        '<Rule><ID>v</ID><Filter><Prefix>v</Prefix></Filter><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays><StorageClass>COLD</StorageClass></NoncurrentVersionTransition></Rule>',
    );
    const classOf = async (key: string, versionId?: string) => {
      const res = await s3(u, `/${b}/${key}${versionId ? `?versionId=${versionId}` : ''}`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      return res.headers.get('x-amz-storage-class') ?? 'STANDARD';
    };
    await lifecyclePass(b);
    expect(await classOf('a/doc')).toBe('WARM');
    expect(await classOf('a/already-cold')).toBe('COLD');
    expect(await classOf('b/doc')).toBe('STANDARD');
    await waitDays(written, 1);
    await lifecyclePass(b);
    expect(await classOf('b/doc')).toBe('COLD');
    const [current, noncurrent] = xmlTexts(await (await s3(u, `/${b}?versions&prefix=v`)).text(), 'VersionId');
    expect(await classOf('v', current)).toBe('STANDARD');
    expect(await classOf('v', noncurrent)).toBe('COLD');
    // The listing says so too, and the bytes did not move.
    expect(xmlTexts(await (await s3(u, `/${b}?list-type=2&prefix=a/`)).text(), 'StorageClass')).toEqual(['COLD', 'WARM']);
    expect(await (await s3(u, `/${b}/b/doc`)).text()).toBe('b');
    // The stored bytes moved to the colder classes' totals (billed at their prices).
    const hour = new Date().toISOString().slice(0, 13);
    const usage = await stubOf(b).usage(b, hour, hour);
    if (!('ok' in usage)) throw new Error('usage failed');
    expect(usage.ok.storedBytesByClass).toEqual({ STANDARD: 'second'.length, WARM: 1, COLD: 1 + 1 + 'first'.length });
  });

  it('runs a pass only when one is due, one lifecycle hour after the last, and stops once the rules are gone', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await configure(
      u,
      b,
      '<Rule><ID>r</ID><Filter><Prefix>x/</Prefix></Filter><Status>Enabled</Status><Expiration><Date>2020-01-01T00:00:00Z</Date></Expiration></Rule>',
    );
    const nextPass = (value?: number) =>
      runInDurableObject(stubOf(b), async (_i, state) => {
        if (value !== undefined) state.storage.kv.put('lifecycle.next', value);
        return { next: state.storage.kv.get<number>('lifecycle.next'), alarm: await state.storage.getAlarm() };
      });
    // The next pass is far off: the alarm comes, but the rule is not applied yet.
    await nextPass(Date.now() + 3_600_000);
    await putOk(u, b, 'x/1', 'a');
    await sweep(b);
    expect(await status(u, b, 'x/1')).toBe(200);
    const planned = await nextPass();
    expect(planned.alarm).not.toBeNull();
    expect(planned.alarm!).toBeLessThanOrEqual(planned.next!);
    // Once it is due, the pass runs and plans the following one a lifecycle hour later.
    await nextPass(Date.now());
    const before = Date.now();
    await sweep(b);
    expect(await status(u, b, 'x/1')).toBe(404);
    // (Passes may have followed on their own since: each plans the next one an hour after itself.)
    const { next } = await nextPass();
    expect(next!).toBeGreaterThanOrEqual(before + DAY / 24);
    expect(next!).toBeLessThanOrEqual(Date.now() + DAY / 24);
    // Without rules, no pass is planned any more.
    await s3(u, `/${b}?lifecycle`, { method: 'DELETE' });
    await sleep(DAY / 24 + 20);
    await sweep(b);
    expect((await nextPass()).next).toBeUndefined();
  });
});

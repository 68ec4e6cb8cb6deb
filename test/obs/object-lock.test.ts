/**
 * OBS Object Lock: lock buckets (versioning on, never suspended), the default retention, a version's retention
 * and legal hold (headers and sub-resources), deletes refused while they hold, the GOVERNANCE bypass and its
 * permission, COMPLIANCE never weakened, and S3's error for each bad request.
 */
import { describe, expect, it } from 'vitest';
import { createBucket, encodeKey, type ObsUser, obsUser, put, s3, xmlText } from './fixtures.ts';

const LOCKED = { 'x-amz-bucket-object-lock-enabled': 'true' };
const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** The S3 error code of a response, after checking its status. */
async function failure(res: Response, status: number): Promise<string | undefined> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return xmlText(text, 'Code');
}

const lockConfig = (rule = '') =>
  `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`;
const retentionDoc = (mode: string, until: string) =>
  `<Retention><Mode>${mode}</Mode><RetainUntilDate>${until}</RetainUntilDate></Retention>`;

async function putVersion(u: ObsUser, b: string, key: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await put(u, b, key, 'data', headers);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers.get('x-amz-version-id')!;
}

const deleteVersion = (u: ObsUser, b: string, key: string, versionId: string, headers: Record<string, string> = {}) =>
  s3(u, `/${b}/${encodeKey(key)}?versionId=${versionId}`, { method: 'DELETE', headers });

describe('Object Lock configuration', () => {
  it('creates a lock bucket with versioning on, and keeps versioning from being suspended', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    expect(xmlText(await (await s3(u, `/${b}?versioning`)).text(), 'Status')).toBe('Enabled');
    const config = await (await s3(u, `/${b}?object-lock`)).text();
    expect(xmlText(config, 'ObjectLockEnabled')).toBe('Enabled');
    expect(config).not.toContain('<Rule>');
    const suspend = await s3(u, `/${b}?versioning`, {
      method: 'PUT',
      body: '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>',
    });
    expect(await failure(suspend, 409)).toBe('InvalidBucketState');
    expect(xmlText(await (await s3(u, `/${b}?versioning`)).text(), 'Status')).toBe('Enabled');
  });

  it('answers ObjectLockConfigurationNotFoundError for a bucket without, and enables it only once versioning is on', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect(await failure(await s3(u, `/${b}?object-lock`), 404)).toBe('ObjectLockConfigurationNotFoundError');
    const enable = () => s3(u, `/${b}?object-lock`, { method: 'PUT', body: lockConfig() });
    expect(await failure(await enable(), 409)).toBe('InvalidBucketState');
    const on = await s3(u, `/${b}?versioning`, {
      method: 'PUT',
      body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
    });
    expect(on.status).toBe(200);
    expect((await enable()).status).toBe(200);
    expect(xmlText(await (await s3(u, `/${b}?object-lock`)).text(), 'ObjectLockEnabled')).toBe('Enabled');
  });

  it('keeps a default retention and gives it to new versions', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const rule = '<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>2</Days></DefaultRetention></Rule>';
    expect((await s3(u, `/${b}?object-lock`, { method: 'PUT', body: lockConfig(rule) })).status).toBe(200);
    const config = await (await s3(u, `/${b}?object-lock`)).text();
    expect(xmlText(config, 'Mode')).toBe('GOVERNANCE');
    expect(xmlText(config, 'Days')).toBe('2');
    const v = await putVersion(u, b, 'k');
    const retention = await (await s3(u, `/${b}/k?retention&versionId=${v}`)).text();
    expect(xmlText(retention, 'Mode')).toBe('GOVERNANCE');
    const until = Date.parse(xmlText(retention, 'RetainUntilDate')!);
    expect(Math.abs(until - Date.now() - 2 * 86_400_000)).toBeLessThan(60_000);
    const head = await s3(u, `/${b}/k`, { method: 'HEAD' });
    expect(head.headers.get('x-amz-object-lock-mode')).toBe('GOVERNANCE');
    // An explicit retention wins over the default.
    const w = await putVersion(u, b, 'k2', { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': later(5) });
    expect(xmlText(await (await s3(u, `/${b}/k2?retention&versionId=${w}`)).text(), 'Mode')).toBe('COMPLIANCE');
  });

  it('refuses bad configurations as S3 does, keeping the one in place', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const cases: [string, number, string][] = [
      ['<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled></ObjectLockConfiguration>', 400, 'MalformedXML'],
      [lockConfig('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode></DefaultRetention></Rule>'), 400, 'MalformedXML'],
      [
        lockConfig('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule>'),
        400,
        'MalformedXML',
      ],
      [lockConfig('<Rule><DefaultRetention><Mode>STRICT</Mode><Days>1</Days></DefaultRetention></Rule>'), 400, 'MalformedXML'],
      [lockConfig('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>0</Days></DefaultRetention></Rule>'), 400, 'InvalidArgument'],
      [lockConfig('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Years>-1</Years></DefaultRetention></Rule>'), 400, 'InvalidArgument'],
    ];
    for (const [body, status, code] of cases) {
      expect(await failure(await s3(u, `/${b}?object-lock`, { method: 'PUT', body }), status), body).toBe(code);
    }
    expect(await (await s3(u, `/${b}?object-lock`)).text()).not.toContain('<Rule>');
  });
});

describe('retention and legal hold of a version', () => {
  it('refuses deleting a version under retention; a delete without a version id adds a marker', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const v = await putVersion(u, b, 'k', { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': later(1) });
    const res = await deleteVersion(u, b, 'k', v);
    expect(await failure(res, 403)).toBe('AccessDenied');
    const marker = await s3(u, `/${b}/k`, { method: 'DELETE' });
    expect(marker.status).toBe(204);
    expect(marker.headers.get('x-amz-delete-marker')).toBe('true');
    expect((await s3(u, `/${b}/k?versionId=${v}`)).status).toBe(200);
    // The multi-object delete refuses the version too, and says so for that key.
    const multi = await s3(u, `/${b}?delete`, {
      method: 'POST',
      body: `<Delete><Object><Key>k</Key><VersionId>${v}</VersionId></Object></Delete>`,
    });
    expect(xmlText(await multi.text(), 'Code')).toBe('AccessDenied');
    expect((await s3(u, `/${b}/k?versionId=${v}`)).status).toBe(200);
  });

  it('lets a GOVERNANCE retention be bypassed only with the header and the permission', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const lock = { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': later(1) };
    const v = await putVersion(u, b, 'k', lock);
    expect(await failure(await deleteVersion(u, b, 'k', v), 403)).toBe('AccessDenied');
    // A bucket policy that denies the bypass action takes it away, even from the owner.
    const deny = {
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:BypassGovernanceRetention', Resource: `arn:aws:s3:::${b}/*` }],
    };
    expect((await s3(u, `/${b}?policy`, { method: 'PUT', body: JSON.stringify(deny) })).status).toBe(204);
    const bypass = { 'x-amz-bypass-governance-retention': 'true' };
    expect(await failure(await deleteVersion(u, b, 'k', v, bypass), 403)).toBe('AccessDenied');
    expect((await s3(u, `/${b}?policy`, { method: 'DELETE' })).status).toBe(204);
    expect((await deleteVersion(u, b, 'k', v, bypass)).status).toBe(204);
    expect((await s3(u, `/${b}/k?versionId=${v}`)).status).toBe(404);
  });

  it('never shortens or removes a COMPLIANCE retention, and lengthens it', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const until = later(3);
    const v = await putVersion(u, b, 'k', { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': until });
    const path = `/${b}/k?retention&versionId=${v}`;
    const bypass = { 'x-amz-bypass-governance-retention': 'true' };
    for (const body of [retentionDoc('COMPLIANCE', later(1)), retentionDoc('GOVERNANCE', later(10)), '<Retention/>']) {
      expect(await failure(await s3(u, path, { method: 'PUT', body, headers: bypass }), 403), body).toBe('AccessDenied');
    }
    expect(Date.parse(xmlText(await (await s3(u, path)).text(), 'RetainUntilDate')!)).toBe(Date.parse(until));
    const longer = later(30);
    expect((await s3(u, path, { method: 'PUT', body: retentionDoc('COMPLIANCE', longer) })).status).toBe(200);
    expect(Date.parse(xmlText(await (await s3(u, path)).text(), 'RetainUntilDate')!)).toBe(Date.parse(longer));
  });

  it('shortens a GOVERNANCE retention only with a bypass, and makes it COMPLIANCE without one', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const v = await putVersion(u, b, 'k', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': later(5) });
    const path = `/${b}/k?retention&versionId=${v}`;
    expect(await failure(await s3(u, path, { method: 'PUT', body: retentionDoc('GOVERNANCE', later(1)) }), 403)).toBe('AccessDenied');
    const bypass = { 'x-amz-bypass-governance-retention': 'true' };
    expect((await s3(u, path, { method: 'PUT', body: '<Retention/>', headers: bypass })).status).toBe(200);
    expect(await failure(await s3(u, path), 404)).toBe('NoSuchObjectLockConfiguration');
    expect((await s3(u, path, { method: 'PUT', body: retentionDoc('GOVERNANCE', later(2)) })).status).toBe(200);
    expect((await s3(u, path, { method: 'PUT', body: retentionDoc('COMPLIANCE', later(2)) })).status).toBe(200);
    expect(xmlText(await (await s3(u, path)).text(), 'Mode')).toBe('COMPLIANCE');
  });

  it('keeps a version under legal hold until the hold is lifted, whatever the bypass', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const v = await putVersion(u, b, 'k');
    const path = `/${b}/k?legal-hold&versionId=${v}`;
    expect(await failure(await s3(u, path), 404)).toBe('NoSuchObjectLockConfiguration');
    expect((await s3(u, path, { method: 'PUT', body: '<LegalHold><Status>ON</Status></LegalHold>' })).status).toBe(200);
    expect(xmlText(await (await s3(u, path)).text(), 'Status')).toBe('ON');
    const bypass = { 'x-amz-bypass-governance-retention': 'true' };
    expect(await failure(await deleteVersion(u, b, 'k', v, bypass), 403)).toBe('AccessDenied');
    expect((await s3(u, path, { method: 'PUT', body: '<LegalHold><Status>OFF</Status></LegalHold>' })).status).toBe(200);
    expect((await deleteVersion(u, b, 'k', v)).status).toBe(204);
    // A hold set by header at write time protects the same way.
    const w = await putVersion(u, b, 'held', { 'x-amz-object-lock-legal-hold': 'ON' });
    expect(await failure(await deleteVersion(u, b, 'held', w), 403)).toBe('AccessDenied');
    expect((await s3(u, `/${b}/held`, { method: 'HEAD' })).headers.get('x-amz-object-lock-legal-hold')).toBe('ON');
  });

  it('gives a multipart upload and a copy the lock their headers ask for', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, LOCKED);
    const lock = { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': later(1) };
    const init = await s3(u, `/${b}/mp?uploads`, { method: 'POST', headers: lock });
    const uploadId = xmlText(await init.text(), 'UploadId')!;
    const part = await s3(u, `/${b}/mp?partNumber=1&uploadId=${uploadId}`, { method: 'PUT', body: 'part' });
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.get('ETag')}</ETag></Part></CompleteMultipartUpload>`;
    const done = await s3(u, `/${b}/mp?uploadId=${uploadId}`, { method: 'POST', body });
    expect(done.status).toBe(200);
    expect(await failure(await deleteVersion(u, b, 'mp', done.headers.get('x-amz-version-id')!), 403)).toBe('AccessDenied');
    await putVersion(u, b, 'src');
    const copy = await s3(u, `/${b}/dst`, {
      method: 'PUT',
      headers: { 'x-amz-copy-source': `/${b}/src`, 'x-amz-object-lock-legal-hold': 'ON' },
    });
    expect(copy.status).toBe(200);
    expect(await failure(await deleteVersion(u, b, 'dst', copy.headers.get('x-amz-version-id')!), 403)).toBe('AccessDenied');
  });

  it('refuses lock headers and sub-resources on a bucket without Object Lock, and bad ones anywhere', async () => {
    const u = await obsUser();
    const plain = await createBucket(u);
    await putVersion(u, plain, 'k');
    const lock = { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': later(1) };
    expect(await failure(await put(u, plain, 'k2', 'x', lock), 400)).toBe('InvalidRequest');
    expect((await s3(u, `/${plain}/k2`, { method: 'HEAD' })).status).toBe(404);
    expect(await failure(await s3(u, `/${plain}/k?retention`), 400)).toBe('InvalidRequest');
    expect(
      await failure(await s3(u, `/${plain}/k?legal-hold`, { method: 'PUT', body: '<LegalHold><Status>ON</Status></LegalHold>' }), 400),
    ).toBe('InvalidRequest');
    const b = await createBucket(u, undefined, LOCKED);
    const bad: Record<string, string>[] = [
      { 'x-amz-object-lock-mode': 'GOVERNANCE' },
      { 'x-amz-object-lock-retain-until-date': later(1) },
      { 'x-amz-object-lock-mode': 'STRICT', 'x-amz-object-lock-retain-until-date': later(1) },
      { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': later(-1) },
      { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': 'tomorrow' },
      { 'x-amz-object-lock-legal-hold': 'YES' },
    ];
    for (const headers of bad)
      expect(await failure(await put(u, b, 'k', 'x', headers), 400), JSON.stringify(headers)).toBe('InvalidArgument');
    const v = await putVersion(u, b, 'k');
    const path = `/${b}/k?retention&versionId=${v}`;
    expect(await failure(await s3(u, path, { method: 'PUT', body: retentionDoc('STRICT', later(1)) }), 400)).toBe('MalformedXML');
    expect(await failure(await s3(u, path, { method: 'PUT', body: retentionDoc('GOVERNANCE', later(-1)) }), 400)).toBe('InvalidArgument');
    const hold = `/${b}/k?legal-hold&versionId=${v}`;
    expect(await failure(await s3(u, hold, { method: 'PUT', body: '<LegalHold><Status>on</Status></LegalHold>' }), 400)).toBe(
      'MalformedXML',
    );
    expect(await failure(await s3(u, `/${b}/k?retention&versionId=nosuch`), 404)).toBe('NoSuchVersion');
  });

  it('checks each lock permission: another account needs the bucket policy to grant it', async () => {
    const owner = await obsUser();
    const other = await obsUser('obs-other');
    const b = await createBucket(owner, undefined, LOCKED);
    const policy = (actions: string[]) => ({
      Statement: [{ Effect: 'Allow', Principal: { AWS: [other.account.domainId] }, Action: actions, Resource: `arn:aws:s3:::${b}/*` }],
    });
    const setPolicy = (actions: string[]) => s3(owner, `/${b}?policy`, { method: 'PUT', body: JSON.stringify(policy(actions)) });
    expect((await setPolicy(['s3:PutObject'])).status).toBe(204);
    const lock = { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': later(1) };
    expect(await failure(await put(other, b, 'k', 'x', lock), 403)).toBe('AccessDenied');
    expect((await put(other, b, 'k', 'x')).status).toBe(200);
    expect((await setPolicy(['s3:PutObject', 's3:PutObjectRetention'])).status).toBe(204);
    expect((await put(other, b, 'k', 'x', lock)).status).toBe(200);
  });
});

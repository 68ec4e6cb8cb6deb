/**
 * OBS error semantics that S3 clients and conformance suites rely on: a missing key is 404 only to who may list
 * the bucket, `x-amz-expected-bucket-owner`, an empty continuation token, presigned expiries out of range,
 * `?partNumber` past the last part, a bucket its owner creates again, and `x-amz-version-id: null` on a
 * suspended bucket.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../request.ts';
import { createBucket, OBS, type ObsUser, obsUser, put, s3, xmlText, xmlTexts } from './fixtures.ts';

const codeOf = async (res: Response) => xmlText(await res.text(), 'Code');

function setPolicy(owner: ObsUser, bucket: string, statements: unknown[]) {
  return s3(owner, `/${bucket}?policy`, { method: 'PUT', body: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
}

describe('OBS error semantics', () => {
  it('a missing key is 404 NoSuchKey to who may list the bucket, 403 AccessDenied to who may only read objects', async () => {
    const owner = await obsUser();
    const guest = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'there', 'x');
    const principal = { AWS: `arn:aws:iam::${guest.account.domainId}:root` };
    const read = { Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` };
    expect((await setPolicy(owner, b, [read])).status).toBe(204);
    expect((await s3(guest, `/${b}/there`)).status).toBe(200);
    const hidden = await s3(guest, `/${b}/absent`);
    expect(hidden.status).toBe(403);
    expect(await codeOf(hidden)).toBe('AccessDenied');
    expect((await s3(guest, `/${b}/absent`, { method: 'HEAD' })).status).toBe(403);
    const list = { Effect: 'Allow', Principal: principal, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${b}` };
    expect((await setPolicy(owner, b, [read, list])).status).toBe(204);
    const told = await s3(guest, `/${b}/absent`);
    expect(told.status).toBe(404);
    expect(await codeOf(told)).toBe('NoSuchKey');
    expect((await s3(owner, `/${b}/absent`)).status).toBe(404);
  });

  it('x-amz-expected-bucket-owner: the request goes through only when it names the owner', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const owner = u.account.domainId;
    expect((await put(u, b, 'k', 'v', { 'x-amz-expected-bucket-owner': owner })).status).toBe(200);
    const wrongPut = await put(u, b, 'k', 'other', { 'x-amz-expected-bucket-owner': '000000000000' });
    expect(wrongPut.status).toBe(403);
    expect(await codeOf(wrongPut)).toBe('AccessDenied');
    expect((await s3(u, `/${b}/k`, { headers: { 'x-amz-expected-bucket-owner': '000000000000' } })).status).toBe(403);
    expect((await s3(u, `/${b}?list-type=2`, { headers: { 'x-amz-expected-bucket-owner': '000000000000' } })).status).toBe(403);
    const right = await s3(u, `/${b}/k`, { headers: { 'x-amz-expected-bucket-owner': owner } });
    expect(await right.text()).toBe('v');
  });

  it('an empty continuation token lists from the start and is echoed', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    for (const key of ['bar', 'baz', 'foo', 'quxx']) await put(u, b, key, key);
    const res = await s3(u, `/${b}?list-type=2&continuation-token=`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<ContinuationToken></ContinuationToken>');
    expect(xmlText(xml, 'IsTruncated')).toBe('false');
    expect(xmlTexts(xml, 'Key')).toEqual(['bar', 'baz', 'foo', 'quxx']);
    const bad = await s3(u, `/${b}?list-type=2&continuation-token=nonsense`);
    expect(bad.status).toBe(400);
    expect(await codeOf(bad)).toBe('InvalidArgument');
  });

  it('a presigned URL with X-Amz-Expires over a week is 403 AccessDenied; a week is accepted', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', 'v');
    const long = await u.client.sign(`${OBS}/${b}/k?X-Amz-Expires=604801`, { method: 'GET', aws: { signQuery: true } });
    const refused = await dispatch(long);
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe('AccessDenied');
    const week = await u.client.sign(`${OBS}/${b}/k?X-Amz-Expires=604800`, { method: 'GET', aws: { signQuery: true } });
    expect(await (await dispatch(week)).text()).toBe('v');
  });

  it('?partNumber past the last part is 400 InvalidPartNumber', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', 'v');
    expect((await s3(u, `/${b}/k?partNumber=1`)).status).toBe(200);
    const past = await s3(u, `/${b}/k?partNumber=2`);
    expect(past.status).toBe(400);
    const xml = await past.text();
    expect(xmlText(xml, 'Code')).toBe('InvalidPartNumber');
    expect(xmlText(xml, 'ActualPartCount')).toBe('1');
  });

  it('a bucket its owner creates again is 409 BucketAlreadyOwnedByYou in this region, and keeps its objects', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', 'kept');
    const again = await s3(u, `/${b}`, { method: 'PUT' });
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('BucketAlreadyOwnedByYou');
    expect(await (await s3(u, `/${b}/k`)).text()).toBe('kept');
  });

  it('a suspended bucket writes and reads the null version, and says so: x-amz-version-id: null', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const versioning = (status: string) =>
      s3(u, `/${b}?versioning`, {
        method: 'PUT',
        body: `<VersioningConfiguration><Status>${status}</Status></VersioningConfiguration>`,
      });
    await versioning('Enabled');
    const first = await put(u, b, 'k', 'one');
    expect(first.headers.get('x-amz-version-id')).not.toBe('null');
    await versioning('Suspended');
    const second = await put(u, b, 'k', 'two');
    expect(second.headers.get('x-amz-version-id')).toBe('null');
    expect((await s3(u, `/${b}/k`, { method: 'HEAD' })).headers.get('x-amz-version-id')).toBe('null');
    const marker = await s3(u, `/${b}/k`, { method: 'DELETE' });
    expect(marker.headers.get('x-amz-version-id')).toBe('null');
    expect(marker.headers.get('x-amz-delete-marker')).toBe('true');
  });
});

/**
 * Bucket policy condition keys and resources that S3 suites try: `s3:ExistingObjectTag/<key>` (the tags of the
 * object the request acts on), `s3:x-amz-grant-*` (the grant headers of the request), and `arn:aws:s3:::*`.
 */
import { describe, expect, it } from 'vitest';
import { createBucket, type ObsUser, obsUser, put, s3 } from './fixtures.ts';

function setPolicy(owner: ObsUser, bucket: string, statements: unknown[]) {
  return s3(owner, `/${bucket}?policy`, { method: 'PUT', body: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
}

describe('OBS bucket policy keys', () => {
  it('s3:ExistingObjectTag/<key> lets a guest read only the objects tagged so, and their tags', async () => {
    const owner = await obsUser();
    const guest = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'blue', 'for the blue team', { 'x-amz-tagging': 'team=blue' });
    await put(owner, b, 'red', 'for the red team', { 'x-amz-tagging': 'team=red' });
    await put(owner, b, 'plain', 'untagged');
    const statement = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${guest.account.domainId}:root` },
      Action: ['s3:GetObject', 's3:GetObjectTagging'],
      Resource: `arn:aws:s3:::${b}/*`,
      Condition: { StringEquals: { 's3:ExistingObjectTag/team': 'blue' } },
    };
    expect((await setPolicy(owner, b, [statement])).status).toBe(204);
    expect(await (await s3(guest, `/${b}/blue`)).text()).toBe('for the blue team');
    expect((await s3(guest, `/${b}/blue?tagging`)).status).toBe(200);
    expect((await s3(guest, `/${b}/red`)).status).toBe(403);
    expect((await s3(guest, `/${b}/plain`)).status).toBe(403);
    // Retagging the object changes what the policy lets through.
    expect(
      (
        await s3(owner, `/${b}/red?tagging`, {
          method: 'PUT',
          body: '<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>',
        })
      ).status,
    ).toBe(200);
    expect(await (await s3(guest, `/${b}/red`)).text()).toBe('for the red team');
  });

  it('s3:x-amz-grant-* are the grant headers of the request: a Deny on them refuses even the owner', async () => {
    const owner = await obsUser();
    const b = await createBucket(owner);
    const deny = {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${b}/*`,
      Condition: { StringEquals: { 's3:x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' } },
    };
    expect((await setPolicy(owner, b, [deny])).status).toBe(204);
    const publicGrant = { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' };
    expect((await put(owner, b, 'k', 'v', publicGrant)).status).toBe(403);
    expect((await s3(owner, `/${b}/k`, { method: 'HEAD' })).status).toBe(404);
    expect((await put(owner, b, 'k', 'v')).status).toBe(200);
  });

  it('arn:aws:s3:::* names every bucket and key', async () => {
    const owner = await obsUser();
    const guest = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'deep/k', 'v');
    expect((await s3(guest, `/${b}/deep/k`)).status).toBe(403);
    const all = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${guest.account.domainId}:root` },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::*',
    };
    expect((await setPolicy(owner, b, [all])).status).toBe(204);
    expect(await (await s3(guest, `/${b}/deep/k`)).text()).toBe('v');
  });
});

/**
 * OBS public access block (each of its four switches enforced), ownership controls (BucketOwnerEnforced
 * disables ACLs; who owns an object another account writes), and `?policyStatus`.
 */
import { describe, expect, it } from 'vitest';
import { createBucket, type ObsUser, obsUser, put, s3, xmlText, xmlTexts } from './fixtures.ts';

async function failure(res: Response, status: number): Promise<string | undefined> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return xmlText(text, 'Code');
}

const blockDoc = (on: Partial<Record<'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets', boolean>>) =>
  `<PublicAccessBlockConfiguration>${Object.entries(on)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</PublicAccessBlockConfiguration>`;
const setBlock = (u: ObsUser, b: string, on: Parameters<typeof blockDoc>[0]) =>
  s3(u, `/${b}?publicAccessBlock`, { method: 'PUT', body: blockDoc(on) });

const publicRead = (b: string) => ({
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${b}/*` }],
});
const setPolicy = (u: ObsUser, b: string, policy: unknown) => s3(u, `/${b}?policy`, { method: 'PUT', body: JSON.stringify(policy) });
const ownershipDoc = (rule: string) => `<OwnershipControls><Rule><ObjectOwnership>${rule}</ObjectOwnership></Rule></OwnershipControls>`;

describe('public access block', () => {
  it('is read, written and deleted, absent switches being false', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect(await failure(await s3(u, `/${b}?publicAccessBlock`), 404)).toBe('NoSuchPublicAccessBlockConfiguration');
    expect((await setBlock(u, b, { BlockPublicAcls: true, RestrictPublicBuckets: true })).status).toBe(200);
    const doc = await (await s3(u, `/${b}?publicAccessBlock`)).text();
    expect(xmlText(doc, 'BlockPublicAcls')).toBe('true');
    expect(xmlText(doc, 'IgnorePublicAcls')).toBe('false');
    expect(xmlText(doc, 'BlockPublicPolicy')).toBe('false');
    expect(xmlText(doc, 'RestrictPublicBuckets')).toBe('true');
    const bad = await s3(u, `/${b}?publicAccessBlock`, {
      method: 'PUT',
      body: '<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>',
    });
    expect(await failure(bad, 400)).toBe('MalformedXML');
    expect((await s3(u, `/${b}?publicAccessBlock`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(u, `/${b}?publicAccessBlock`)).status).toBe(404);
  });

  it('BlockPublicAcls refuses public ACLs on the bucket and on objects, and lets private ones through', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await setBlock(u, b, { BlockPublicAcls: true })).status).toBe(200);
    expect(await failure(await s3(u, `/${b}?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } }), 403)).toBe('AccessDenied');
    expect(await failure(await put(u, b, 'k', 'x', { 'x-amz-acl': 'public-read' }), 403)).toBe('AccessDenied');
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    expect((await put(u, b, 'k', 'x', { 'x-amz-acl': 'private' })).status).toBe(200);
    const grant = { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"' };
    expect(await failure(await s3(u, `/${b}/k?acl`, { method: 'PUT', headers: grant }), 403)).toBe('AccessDenied');
    expect(await failure(await s3(u, `/${b}/mp?uploads`, { method: 'POST', headers: { 'x-amz-acl': 'public-read' } }), 403)).toBe(
      'AccessDenied',
    );
  });

  it('IgnorePublicAcls makes existing public grants count for nothing, and for something again once lifted', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await put(u, b, 'k', 'x', { 'x-amz-acl': 'public-read' })).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
    expect((await setBlock(u, b, { IgnorePublicAcls: true })).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    expect((await setBlock(u, b, {})).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
  });

  it('BlockPublicPolicy refuses a public policy and takes one narrowed to known sources', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await setBlock(u, b, { BlockPublicPolicy: true })).status).toBe(200);
    expect(await failure(await setPolicy(u, b, publicRead(b)), 403)).toBe('AccessDenied');
    const narrowed = publicRead(b);
    Object.assign(narrowed.Statement[0]!, { Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } });
    expect((await setPolicy(u, b, narrowed)).status).toBe(204);
  });

  it('RestrictPublicBuckets shuts out everyone outside the account while the policy is public', async () => {
    const owner = await obsUser();
    const other = await obsUser('obs-other');
    const b = await createBucket(owner);
    expect((await put(owner, b, 'k', 'x')).status).toBe(200);
    expect((await setPolicy(owner, b, publicRead(b))).status).toBe(204);
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
    expect((await s3(other, `/${b}/k`)).status).toBe(200);
    expect((await setBlock(owner, b, { RestrictPublicBuckets: true })).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    expect((await s3(other, `/${b}/k`)).status).toBe(403);
    expect((await s3(owner, `/${b}/k`)).status).toBe(200);
  });
});

describe('policy status', () => {
  it('says whether the bucket policy is public', async () => {
    const u = await obsUser();
    const other = await obsUser('obs-other');
    const b = await createBucket(u);
    expect(await failure(await s3(u, `/${b}?policyStatus`), 404)).toBe('NoSuchBucketPolicy');
    expect((await setPolicy(u, b, publicRead(b))).status).toBe(204);
    expect(xmlText(await (await s3(u, `/${b}?policyStatus`)).text(), 'IsPublic')).toBe('true');
    const toOne = publicRead(b);
    toOne.Statement[0]!.Principal = { AWS: [other.account.domainId] } as never;
    expect((await setPolicy(u, b, toOne)).status).toBe(204);
    expect(xmlText(await (await s3(u, `/${b}?policyStatus`)).text(), 'IsPublic')).toBe('false');
    expect((await s3(other, `/${b}?policyStatus`)).status).toBe(403);
  });
});

describe('ownership controls', () => {
  it('are read, written and deleted, and set at creation by x-amz-object-ownership', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect(await failure(await s3(u, `/${b}?ownershipControls`), 404)).toBe('OwnershipControlsNotFoundError');
    expect((await s3(u, `/${b}?ownershipControls`, { method: 'PUT', body: ownershipDoc('BucketOwnerPreferred') })).status).toBe(200);
    expect(xmlText(await (await s3(u, `/${b}?ownershipControls`)).text(), 'ObjectOwnership')).toBe('BucketOwnerPreferred');
    expect(await failure(await s3(u, `/${b}?ownershipControls`, { method: 'PUT', body: ownershipDoc('Nobody') }), 400)).toBe(
      'MalformedXML',
    );
    expect((await s3(u, `/${b}?ownershipControls`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(u, `/${b}?ownershipControls`)).status).toBe(404);
    const c = await createBucket(u, undefined, { 'x-amz-object-ownership': 'BucketOwnerEnforced' });
    expect(xmlText(await (await s3(u, `/${c}?ownershipControls`)).text(), 'ObjectOwnership')).toBe('BucketOwnerEnforced');
    const bad = await s3(u, `/${c}-2`, { method: 'PUT', headers: { 'x-amz-object-ownership': 'Nobody' } });
    expect(await failure(bad, 400)).toBe('InvalidArgument');
    const both = await s3(u, `/${c}-3`, {
      method: 'PUT',
      headers: { 'x-amz-object-ownership': 'BucketOwnerEnforced', 'x-amz-acl': 'public-read' },
    });
    expect(await failure(both, 400)).toBe('InvalidBucketAclWithObjectOwnership');
  });

  it('BucketOwnerEnforced disables ACLs: none can be set, and those in place grant nothing', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await put(u, b, 'k', 'x', { 'x-amz-acl': 'public-read' })).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
    expect((await s3(u, `/${b}?ownershipControls`, { method: 'PUT', body: ownershipDoc('BucketOwnerEnforced') })).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    expect(await failure(await put(u, b, 'k2', 'x', { 'x-amz-acl': 'public-read' }), 400)).toBe('AccessControlListNotSupported');
    expect((await put(u, b, 'k2', 'x', { 'x-amz-acl': 'bucket-owner-full-control' })).status).toBe(200);
    const objectAcl = await s3(u, `/${b}/k?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } });
    expect(await failure(objectAcl, 400)).toBe('AccessControlListNotSupported');
    const bucketAcl = await s3(u, `/${b}?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } });
    expect(await failure(bucketAcl, 400)).toBe('AccessControlListNotSupported');
  });

  it('refuses BucketOwnerEnforced while the bucket ACL grants others', async () => {
    const u = await obsUser();
    const b = await createBucket(u, undefined, { 'x-amz-acl': 'public-read' });
    const res = await s3(u, `/${b}?ownershipControls`, { method: 'PUT', body: ownershipDoc('BucketOwnerEnforced') });
    expect(await failure(res, 400)).toBe('InvalidBucketAclWithObjectOwnership');
    expect((await s3(u, `/${b}?ownershipControls`)).status).toBe(404);
  });

  it("gives an object another account writes to its writer, or to the bucket's owner, as the controls say", async () => {
    const owner = await obsUser();
    const writer = await obsUser('obs-writer');
    const b = await createBucket(owner);
    const policy = {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [writer.account.domainId] }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${b}/*` },
      ],
    };
    expect((await setPolicy(owner, b, policy)).status).toBe(204);
    const ownerOf = async (key: string) => xmlText(await (await s3(writer, `/${b}/${key}?acl`)).text(), 'ID');
    // No controls (ObjectWriter): the writer owns it, and the bucket's owner cannot read it unless granted.
    expect((await put(writer, b, 'w', 'x')).status).toBe(200);
    expect(await ownerOf('w')).toBe(writer.account.domainId);
    expect((await s3(owner, `/${b}/w`)).status).toBe(403);
    expect((await s3(writer, `/${b}/w`)).status).toBe(200);
    expect((await put(writer, b, 'g', 'x', { 'x-amz-acl': 'bucket-owner-full-control' })).status).toBe(200);
    expect((await s3(owner, `/${b}/g`)).status).toBe(200);
    const grants = await (await s3(writer, `/${b}/g?acl`)).text();
    expect(xmlTexts(grants, 'ID')).toContain(owner.account.domainId);
    // BucketOwnerPreferred: the bucket's owner takes the objects given it with bucket-owner-full-control.
    expect((await s3(owner, `/${b}?ownershipControls`, { method: 'PUT', body: ownershipDoc('BucketOwnerPreferred') })).status).toBe(200);
    expect((await put(writer, b, 'p', 'x', { 'x-amz-acl': 'bucket-owner-full-control' })).status).toBe(200);
    expect(xmlText(await (await s3(owner, `/${b}/p?acl`)).text(), 'ID')).toBe(owner.account.domainId);
    expect((await put(writer, b, 'q', 'x')).status).toBe(200);
    expect(await ownerOf('q')).toBe(writer.account.domainId);
    // BucketOwnerEnforced: the bucket's owner owns everything written from now on.
    expect((await s3(owner, `/${b}?ownershipControls`, { method: 'PUT', body: ownershipDoc('BucketOwnerEnforced') })).status).toBe(200);
    expect((await put(writer, b, 'e', 'x')).status).toBe(200);
    expect(xmlText(await (await s3(owner, `/${b}/e?acl`)).text(), 'ID')).toBe(owner.account.domainId);
    expect((await s3(owner, `/${b}/e`)).status).toBe(200);
    // ... and every object already there.
    expect((await s3(owner, `/${b}/w`)).status).toBe(200);
    expect(xmlText(await (await s3(owner, `/${b}/w?acl`)).text(), 'ID')).toBe(owner.account.domainId);
  });
});

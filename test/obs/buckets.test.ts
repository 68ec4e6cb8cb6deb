/** OBS buckets: names unique across accounts, create/head/list/delete, location, versioning, ACLs, policies. */
import { describe, expect, it } from 'vitest';
import { bucketName, createBucket, obsUser, put, s3, xmlText, xmlTexts } from './fixtures.ts';

describe('buckets', () => {
  it('creates, heads, lists and deletes a bucket', async () => {
    const u = await obsUser();
    const name = await createBucket(u);
    const head = await s3(u, `/${name}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-amz-bucket-region')).toBe('eu-west-0');
    expect(head.headers.get('x-amz-request-id')).toBeTruthy();
    const list = await s3(u, '/');
    const xml = await list.text();
    expect(list.status).toBe(200);
    expect(xmlTexts(xml, 'Name')).toContain(name);
    expect(xmlText(xml, 'ID')).toBe(u.account.domainId);
    const location = await (await s3(u, `/${name}?location`)).text();
    expect(location).toContain('>eu-west-0</LocationConstraint>');
    expect((await s3(u, `/${name}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(u, `/${name}`, { method: 'HEAD' })).status).toBe(404);
    expect(xmlTexts(await (await s3(u, '/')).text(), 'Name')).not.toContain(name);
  });

  it('keeps names unique across accounts: 409 BucketAlreadyExists, or BucketAlreadyOwnedByYou', async () => {
    const [a, b] = await Promise.all([obsUser(), obsUser()]);
    const name = await createBucket(a);
    const again = await s3(a, `/${name}`, { method: 'PUT' });
    expect(again.status).toBe(409);
    expect(xmlText(await again.text(), 'Code')).toBe('BucketAlreadyOwnedByYou');
    const other = await s3(b, `/${name}`, { method: 'PUT' });
    expect(other.status).toBe(409);
    expect(xmlText(await other.text(), 'Code')).toBe('BucketAlreadyExists');
    // Once deleted, the name is free for anyone.
    expect((await s3(a, `/${name}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(b, `/${name}`, { method: 'PUT' })).status).toBe(200);
  });

  it('lets exactly one of many concurrent creators have a name', async () => {
    const users = await Promise.all([obsUser(), obsUser(), obsUser(), obsUser()]);
    const name = bucketName('race');
    const results = await Promise.all(users.map((u) => s3(u, `/${name}`, { method: 'PUT' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });

  it('refuses invalid names and unknown locations', async () => {
    const u = await obsUser();
    for (const bad of ['ab', 'UPPER-case', 'under_score', '-leading', 'trailing-', 'a..b', '192.168.1.1', 'x'.repeat(64)]) {
      const res = await s3(u, `/${bad}`, { method: 'PUT' });
      expect(res.status, bad).toBe(400);
      expect(xmlText(await res.text(), 'Code'), bad).toBe('InvalidBucketName');
    }
    const res = await s3(u, `/${bucketName()}`, {
      method: 'PUT',
      body: '<CreateBucketConfiguration><LocationConstraint>mars-1</LocationConstraint></CreateBucketConfiguration>',
    });
    expect(res.status).toBe(400);
    expect(xmlText(await res.text(), 'Code')).toBe('InvalidLocationConstraint');
  });

  it('takes a location constraint naming a region', async () => {
    const u = await obsUser();
    const name = bucketName();
    const res = await s3(u, `/${name}`, {
      method: 'PUT',
      body: '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
    });
    expect(res.status).toBe(200);
    expect(await (await s3(u, `/${name}?location`)).text()).toContain('>eu-west-1<');
  });

  it('refuses to delete a bucket that still holds objects (409 BucketNotEmpty)', async () => {
    const u = await obsUser();
    const name = await createBucket(u);
    await put(u, name, 'k', 'v');
    const res = await s3(u, `/${name}`, { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect(xmlText(await res.text(), 'Code')).toBe('BucketNotEmpty');
    expect((await s3(u, `/${name}/k`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(u, `/${name}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers NoSuchBucket with the bucket name and a request id', async () => {
    const u = await obsUser();
    const res = await s3(u, `/${bucketName('nope')}/key`);
    expect(res.status).toBe(404);
    const xml = await res.text();
    expect(xmlText(xml, 'Code')).toBe('NoSuchBucket');
    expect(xmlText(xml, 'RequestId')).toBe(res.headers.get('x-amz-request-id'));
  });

  it("hides another account's private bucket (AccessDenied) and needs a signature to list", async () => {
    const [a, b] = await Promise.all([obsUser(), obsUser()]);
    const name = await createBucket(a);
    await put(a, name, 'secret', 'data');
    for (const [path, method] of [
      [`/${name}`, 'GET'],
      [`/${name}/secret`, 'GET'],
      [`/${name}/secret`, 'PUT'],
      [`/${name}/secret`, 'DELETE'],
      [`/${name}`, 'DELETE'],
      [`/${name}?versioning`, 'GET'],
      [`/${name}?acl`, 'GET'],
    ] as const) {
      const res = await s3(b, path, { method, body: method === 'PUT' ? 'x' : undefined });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(xmlText(await res.text(), 'Code')).toBe('AccessDenied');
      const anon = await s3(null, path, { method, body: method === 'PUT' ? 'x' : undefined });
      expect(anon.status, `anonymous ${method} ${path}`).toBe(403);
    }
    expect(await (await s3(a, `/${name}/secret`)).text()).toBe('data');
  });

  it('serves a public-read bucket to anonymous readers, but not writers', async () => {
    const u = await obsUser();
    const name = await createBucket(u, bucketName(), { 'x-amz-acl': 'public-read' });
    await put(u, name, 'open.txt', 'hello', { 'x-amz-acl': 'public-read' });
    await put(u, name, 'closed.txt', 'hidden');
    expect((await s3(null, `/${name}?list-type=2`)).status).toBe(200);
    expect(await (await s3(null, `/${name}/open.txt`)).text()).toBe('hello');
    // A public bucket listing does not make private objects readable.
    expect((await s3(null, `/${name}/closed.txt`)).status).toBe(403);
    expect((await s3(null, `/${name}/new`, { method: 'PUT', body: 'x' })).status).toBe(403);
    const acl = await (await s3(u, `/${name}?acl`)).text();
    expect(acl).toContain('http://acs.amazonaws.com/groups/global/AllUsers');
    expect(acl).toContain('<Permission>FULL_CONTROL</Permission>');
    // Back to private through the ACL sub-resource.
    expect((await s3(u, `/${name}?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'private' } })).status).toBe(200);
    expect((await s3(null, `/${name}?list-type=2`)).status).toBe(403);
  });

  it('grants access by bucket policy, and an explicit Deny wins over the owner', async () => {
    const [owner, reader] = await Promise.all([obsUser(), obsUser()]);
    const name = await createBucket(owner);
    await put(owner, name, 'shared/a.txt', 'A');
    await put(owner, name, 'private/b.txt', 'B');
    const policy = {
      Version: '2008-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${reader.account.domainId}:root`] },
          Action: ['s3:GetObject'],
          Resource: [`arn:aws:s3:::${name}/shared/*`],
        },
        { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${name}/shared/*` },
      ],
    };
    const putPolicy = await s3(owner, `/${name}?policy`, { method: 'PUT', body: JSON.stringify(policy) });
    expect(putPolicy.status).toBe(204);
    expect(JSON.parse(await (await s3(owner, `/${name}?policy`)).text())).toEqual(policy);
    expect(await (await s3(reader, `/${name}/shared/a.txt`)).text()).toBe('A');
    expect((await s3(reader, `/${name}/private/b.txt`)).status).toBe(403);
    expect((await s3(owner, `/${name}/shared/a.txt`, { method: 'DELETE' })).status).toBe(403);
    expect((await s3(owner, `/${name}/private/b.txt`, { method: 'DELETE' })).status).toBe(204);
    const bad = await s3(owner, `/${name}?policy`, { method: 'PUT', body: '{"Statement":[{"Effect":"Maybe"}]}' });
    expect(bad.status).toBe(400);
    expect(xmlText(await bad.text(), 'Code')).toBe('MalformedPolicy');
    expect((await s3(owner, `/${name}?policy`, { method: 'DELETE' })).status).toBe(204);
    expect((await s3(owner, `/${name}?policy`)).status).toBe(404);
    expect((await s3(reader, `/${name}/shared/a.txt`)).status).toBe(403);
  });

  it('reads and changes versioning', async () => {
    const u = await obsUser();
    const name = await createBucket(u);
    expect(await (await s3(u, `/${name}?versioning`)).text()).not.toContain('<Status>');
    const enable = await s3(u, `/${name}?versioning`, {
      method: 'PUT',
      body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
    });
    expect(enable.status).toBe(200);
    expect(xmlText(await (await s3(u, `/${name}?versioning`)).text(), 'Status')).toBe('Enabled');
    const bad = await s3(u, `/${name}?versioning`, { method: 'PUT', body: '<VersioningConfiguration><Status>On</Status>' });
    expect(bad.status).toBe(400);
    expect(xmlText(await bad.text(), 'Code')).toBe('MalformedXML');
  });

  it('reads the settings of features it does not offer as S3 answers where they are not configured, and sets none', async () => {
    const [owner, stranger] = await Promise.all([obsUser(), obsUser()]);
    const name = await createBucket(owner);
    const documents: [string, string, string | null][] = [
      ['accelerate', 'AccelerateConfiguration', null],
      ['requestPayment', 'RequestPaymentConfiguration', 'BucketOwner'],
      ['logging', 'BucketLoggingStatus', null],
      ['notification', 'NotificationConfiguration', null],
    ];
    for (const [sub, root, payer] of documents) {
      const res = await s3(owner, `/${name}?${sub}`);
      expect(res.status, sub).toBe(200);
      const xml = await res.text();
      expect(xml, sub).toContain(`<${root}`);
      expect(xmlText(xml, 'Payer') ?? null, sub).toBe(payer);
      expect(xmlText(xml, 'Status'), sub).toBeUndefined();
    }
    const absent: [string, string][] = [
      ['website', 'NoSuchWebsiteConfiguration'],
      ['replication', 'ReplicationConfigurationNotFoundError'],
      ['encryption', 'ServerSideEncryptionConfigurationNotFoundError'],
      ['object-lock', 'ObjectLockConfigurationNotFoundError'],
      ['ownershipControls', 'OwnershipControlsNotFoundError'],
      ['publicAccessBlock', 'NoSuchPublicAccessBlockConfiguration'],
    ];
    for (const [sub, code] of absent) {
      const res = await s3(owner, `/${name}?${sub}`);
      expect(res.status, sub).toBe(404);
      const xml = await res.text();
      expect(xmlText(xml, 'Code'), sub).toBe(code);
      expect(xmlText(xml, 'BucketName'), sub).toBe(name);
    }
    // The same access checks as any setting: another account is refused, a missing bucket is NoSuchBucket.
    expect(xmlText(await (await s3(stranger, `/${name}?website`)).text(), 'Code')).toBe('AccessDenied');
    expect(xmlText(await (await s3(owner, `/${name}-missing?logging`)).text(), 'Code')).toBe('NoSuchBucket');
    // Setting any of them, or reading those that have no empty form, is NotImplemented.
    for (const [method, sub] of [
      ['PUT', 'website'],
      ['DELETE', 'encryption'],
      ['PUT', 'accelerate'],
      ['GET', 'inventory'],
    ]) {
      const res = await s3(owner, `/${name}?${sub}`, { method, body: method === 'PUT' ? '<x/>' : undefined });
      expect(res.status, `${method} ${sub}`).toBe(501);
      expect(xmlText(await res.text(), 'Code')).toBe('NotImplemented');
    }
  });
});

/** OBS ACLs: canned, grant headers and AccessControlPolicy, per version, READ / READ_ACP / WRITE_ACP grants enforced. */
import { describe, expect, it } from 'vitest';
import { createBucket, obsUser, put, s3, xmlText, xmlTexts } from './fixtures.ts';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

/** An AccessControlPolicy granting `permission` to each account named (by its domain id). */
function policy(owner: string, grants: [string, string][]): string {
  const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  const grant = ([id, permission]: [string, string]) =>
    id.startsWith('http')
      ? `<Grant><Grantee ${xsi} xsi:type="Group"><URI>${id}</URI></Grantee><Permission>${permission}</Permission></Grant>`
      : `<Grant><Grantee ${xsi} xsi:type="CanonicalUser"><ID>${id}</ID></Grantee><Permission>${permission}</Permission></Grant>`;
  return `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${owner}</ID></Owner><AccessControlList>${grants.map(grant).join('')}</AccessControlList></AccessControlPolicy>`;
}

async function expectError(res: Response, status: number, code: string, what = '') {
  expect(res.status, what).toBe(status);
  expect(xmlText(await res.text(), 'Code'), what).toBe(code);
}

describe('object ACL', () => {
  it("starts as the owner's full control; public-read opens the object to anyone and private closes it", async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'photo.jpg', 'pixels');
    const initial = await s3(u, `/${b}/photo.jpg?acl`);
    expect(initial.status).toBe(200);
    const xml = await initial.text();
    expect(xmlText(xml, 'ID')).toBe(u.account.domainId);
    expect(xmlTexts(xml, 'Permission')).toEqual(['FULL_CONTROL']);
    expect((await s3(null, `/${b}/photo.jpg`)).status).toBe(403);

    const open = await s3(u, `/${b}/photo.jpg?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } });
    expect(open.status).toBe(200);
    const anon = await s3(null, `/${b}/photo.jpg`);
    expect(anon.status).toBe(200);
    expect(await anon.text()).toBe('pixels');
    const publicAcl = await (await s3(u, `/${b}/photo.jpg?acl`)).text();
    expect(publicAcl).toContain(`<URI>${ALL_USERS}</URI>`);
    expect(xmlTexts(publicAcl, 'Permission')).toEqual(['FULL_CONTROL', 'READ']);
    // READ on the object is not READ_ACP, nor any right on the bucket.
    await expectError(await s3(null, `/${b}/photo.jpg?acl`), 403, 'AccessDenied');
    expect((await s3(null, `/${b}/photo.jpg`, { method: 'DELETE' })).status).toBe(403);

    expect((await s3(u, `/${b}/photo.jpg?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'private' } })).status).toBe(200);
    await expectError(await s3(null, `/${b}/photo.jpg`), 403, 'AccessDenied');
    expect(xmlTexts(await (await s3(u, `/${b}/photo.jpg?acl`)).text(), 'Permission')).toEqual(['FULL_CONTROL']);
  });

  it('grants READ to another account named by its domain id, and to no one else', async () => {
    const [owner, reader, stranger] = await Promise.all([obsUser(), obsUser(), obsUser()]);
    const b = await createBucket(owner);
    await put(owner, b, 'report.pdf', 'numbers');
    await expectError(await s3(reader, `/${b}/report.pdf`), 403, 'AccessDenied');
    const body = policy(owner.account.domainId, [
      [owner.account.domainId, 'FULL_CONTROL'],
      [reader.account.domainId, 'READ'],
    ]);
    expect((await s3(owner, `/${b}/report.pdf?acl`, { method: 'PUT', body })).status).toBe(200);
    const acl = await (await s3(owner, `/${b}/report.pdf?acl`)).text();
    // The document's grants as given, the owner's own first as it listed it.
    expect(xmlTexts(acl, 'ID')).toEqual([owner.account.domainId, owner.account.domainId, reader.account.domainId]);
    expect(xmlTexts(acl, 'Permission')).toEqual(['FULL_CONTROL', 'READ']);

    expect(await (await s3(reader, `/${b}/report.pdf`)).text()).toBe('numbers');
    await expectError(await s3(stranger, `/${b}/report.pdf`), 403, 'AccessDenied');
    await expectError(await s3(null, `/${b}/report.pdf`), 403, 'AccessDenied');
    // READ is neither READ_ACP nor WRITE_ACP, nor a right to overwrite.
    await expectError(await s3(reader, `/${b}/report.pdf?acl`), 403, 'AccessDenied');
    await expectError(
      await s3(reader, `/${b}/report.pdf?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } }),
      403,
      'AccessDenied',
    );
    expect((await put(reader, b, 'report.pdf', 'forged')).status).toBe(403);
    await expectError(await s3(null, `/${b}/report.pdf`), 403, 'AccessDenied');
  });

  it('lets a WRITE_ACP grantee change the ACL, and a READ_ACP grantee read it', async () => {
    const [owner, admin, auditor] = await Promise.all([obsUser(), obsUser(), obsUser()]);
    const b = await createBucket(owner);
    await put(owner, b, 'k', 'v');
    const body = policy(owner.account.domainId, [
      [admin.account.domainId, 'WRITE_ACP'],
      [auditor.account.domainId, 'READ_ACP'],
    ]);
    expect((await s3(owner, `/${b}/k?acl`, { method: 'PUT', body })).status).toBe(200);
    expect((await s3(auditor, `/${b}/k?acl`)).status).toBe(200);
    await expectError(await s3(auditor, `/${b}/k?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } }), 403, 'AccessDenied');
    await expectError(await s3(admin, `/${b}/k?acl`), 403, 'AccessDenied');
    await expectError(await s3(admin, `/${b}/k`), 403, 'AccessDenied');
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    // The grantee replaces the whole ACL: public-read keeps no grant for the auditor, or for the admin itself.
    expect((await s3(admin, `/${b}/k?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } })).status).toBe(200);
    expect(await (await s3(null, `/${b}/k`)).text()).toBe('v');
    await expectError(await s3(auditor, `/${b}/k?acl`), 403, 'AccessDenied');
    await expectError(await s3(admin, `/${b}/k?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'private' } }), 403, 'AccessDenied');
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
  });

  it('belongs to one version, and changing it makes no new version', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await s3(u, `/${b}?versioning`, { method: 'PUT', body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' });
    const v1 = (await put(u, b, 'k', 'one')).headers.get('x-amz-version-id')!;
    const v2 = (await put(u, b, 'k', 'two')).headers.get('x-amz-version-id')!;
    const opened = await s3(u, `/${b}/k?acl&versionId=${v1}`, { method: 'PUT', headers: { 'x-amz-acl': 'public-read' } });
    expect(opened.status).toBe(200);
    expect(await (await s3(null, `/${b}/k?versionId=${v1}`)).text()).toBe('one');
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    expect((await s3(null, `/${b}/k?versionId=${v2}`)).status).toBe(403);
    expect(await (await s3(u, `/${b}/k?acl&versionId=${v1}`)).text()).toContain(ALL_USERS);
    expect(await (await s3(u, `/${b}/k?acl`)).text()).not.toContain(ALL_USERS);
    expect(xmlTexts(await (await s3(u, `/${b}?versions`)).text(), 'VersionId')).toEqual([v2, v1]);
    await expectError(await s3(u, `/${b}/k?acl&versionId=nonesuch`), 404, 'NoSuchVersion');
  });

  it('refuses unknown canned ACLs, bad documents, missing keys and other methods', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', 'v', { 'x-amz-acl': 'public-read' });
    await expectError(await s3(u, `/${b}/k?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'everyone' } }), 400, 'InvalidArgument');
    await expectError(await s3(u, `/${b}/k?acl`, { method: 'PUT', body: '<AccessControlPolicy><AccessControlList>' }), 400, 'MalformedXML');
    const badPermission = policy(u.account.domainId, [[ALL_USERS, 'EVERYTHING']]);
    await expectError(await s3(u, `/${b}/k?acl`, { method: 'PUT', body: badPermission }), 400, 'MalformedXML');
    // None of that changed the ACL.
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
    await expectError(await s3(u, `/${b}/missing?acl`), 404, 'NoSuchKey');
    await expectError(await s3(u, `/${b}/missing?acl`, { method: 'PUT', headers: { 'x-amz-acl': 'private' } }), 404, 'NoSuchKey');
    await expectError(await s3(u, `/${b}/k?acl`, { method: 'DELETE' }), 405, 'MethodNotAllowed');
    // A Group grant in a document works like the canned header.
    const closed = policy(u.account.domainId, []);
    expect((await s3(u, `/${b}/k?acl`, { method: 'PUT', body: closed })).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    expect((await s3(u, `/${b}/k?acl`, { method: 'PUT', body: policy(u.account.domainId, [[ALL_USERS, 'READ']]) })).status).toBe(200);
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
  });

  it('takes grants from x-amz-grant-* headers on a PUT, a bucket create and a PUT ?acl, and x-obs-grant-* alike', async () => {
    const [owner, reader, stranger] = await Promise.all([obsUser(), obsUser(), obsUser()]);
    // A bucket its creator opens for listing to one other account.
    const b = await createBucket(owner, undefined, { 'x-amz-grant-read': `id="${reader.account.domainId}"` });
    expect((await s3(reader, `/${b}?list-type=2`)).status).toBe(200);
    await expectError(await s3(stranger, `/${b}?list-type=2`), 403, 'AccessDenied');
    // An object readable by that account and by anyone, its ACL readable by the account only.
    await put(owner, b, 'shared', 'for two', {
      'x-amz-grant-read': `id="${reader.account.domainId}", uri="${ALL_USERS}"`,
      'x-amz-grant-read-acp': `id=${reader.account.domainId}`,
    });
    expect(await (await s3(null, `/${b}/shared`)).text()).toBe('for two');
    const acl = await (await s3(reader, `/${b}/shared?acl`)).text();
    expect(xmlTexts(acl, 'Permission')).toEqual(['FULL_CONTROL', 'READ', 'READ', 'READ_ACP']);
    expect(acl).toContain(`<URI>${ALL_USERS}</URI>`);
    await expectError(await s3(stranger, `/${b}/shared?acl`), 403, 'AccessDenied');
    // PUT ?acl with a header grant replaces the whole ACL; x-obs-grant-full-control is the OBS spelling.
    const change = await s3(owner, `/${b}/shared?acl`, {
      method: 'PUT',
      headers: { 'x-obs-grant-full-control': `id="${stranger.account.domainId}"` },
    });
    expect(change.status).toBe(200);
    expect((await s3(null, `/${b}/shared`)).status).toBe(403);
    await expectError(await s3(reader, `/${b}/shared`), 403, 'AccessDenied');
    expect(await (await s3(stranger, `/${b}/shared`)).text()).toBe('for two');
    expect((await s3(stranger, `/${b}/shared?acl`)).status).toBe(200);
  });

  it('refuses grant headers with a canned ACL, grants by email, unknown groups and bad syntax, storing nothing', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const refused: [Record<string, string>, number, string][] = [
      [{ 'x-amz-acl': 'public-read', 'x-amz-grant-read': `uri="${ALL_USERS}"` }, 400, 'InvalidRequest'],
      [{ 'x-amz-grant-read': 'emailAddress="someone@example.com"' }, 501, 'NotImplemented'],
      [{ 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/Everyone"' }, 400, 'InvalidArgument'],
      [{ 'x-amz-grant-write-acp': 'account=42' }, 400, 'InvalidArgument'],
      [{ 'x-amz-grant-read': 'id=""' }, 400, 'InvalidArgument'],
    ];
    for (const [headers, status, code] of refused) {
      await expectError(await put(u, b, 'k', 'v', headers), status, code, JSON.stringify(headers));
    }
    await expectError(await s3(u, `/${b}/k`), 404, 'NoSuchKey');
    // A document and grant headers together are refused too.
    await put(u, b, 'k', 'v');
    const both = await s3(u, `/${b}/k?acl`, {
      method: 'PUT',
      headers: { 'x-amz-grant-read': `uri="${ALL_USERS}"` },
      body: policy(u.account.domainId, [[ALL_USERS, 'READ']]),
    });
    await expectError(both, 400, 'UnexpectedContent');
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
  });
});

describe('a malformed ACL body', () => {
  /** Bodies that are no AccessControlPolicy at all: empty (with no ACL header), text, a NUL, bytes that are not UTF-8. */
  const BODIES: [string, BodyInit][] = [
    ['empty', ''],
    ['text only', 'make it private please'],
    ['a NUL', '\0'],
    ['invalid UTF-8', new Uint8Array([0xff, 0xfe, 0xc3, 0x28])],
  ];

  for (const level of ['bucket', 'object'] as const) {
    it(`is MalformedACLError on the ${level} and keeps its public-read grant`, async () => {
      const u = await obsUser();
      const b = await createBucket(u, undefined, { 'x-amz-acl': 'public-read' });
      await put(u, b, 'k', 'v', { 'x-amz-acl': 'public-read' });
      const path = level === 'bucket' ? `/${b}?acl` : `/${b}/k?acl`;
      for (const [what, body] of BODIES) {
        await expectError(await s3(u, path, { method: 'PUT', body }), 400, 'MalformedACLError', what);
        const acl = await (await s3(u, path)).text();
        expect(acl, what).toContain(`<URI>${ALL_USERS}</URI>`);
        expect(xmlTexts(acl, 'Permission'), what).toEqual(['FULL_CONTROL', 'READ']);
      }
      // The grant still works: anyone lists the bucket and reads the object.
      expect((await s3(null, `/${b}?list-type=2`)).status).toBe(200);
      expect(await (await s3(null, `/${b}/k`)).text()).toBe('v');
      // An empty body with a canned ACL header is still how `aws s3api put-bucket-acl --acl` closes it.
      expect((await s3(u, path, { method: 'PUT', headers: { 'x-amz-acl': 'private' } })).status).toBe(200);
      expect(xmlTexts(await (await s3(u, path)).text(), 'Permission')).toEqual(['FULL_CONTROL']);
    });
  }
});

describe('ACL documents', () => {
  it('keep the grants in the order given, each account with its ID and DisplayName', async () => {
    const owner = await obsUser();
    const reader = await obsUser();
    const b = await createBucket(owner);
    const body = policy(owner.account.domainId, [
      [reader.account.domainId, 'READ'],
      [ALL_USERS, 'READ'],
      [owner.account.domainId, 'FULL_CONTROL'],
    ]);
    expect((await s3(owner, `/${b}?acl`, { method: 'PUT', body })).status).toBe(200);
    const acl = await (await s3(owner, `/${b}?acl`)).text();
    expect(xmlTexts(acl, 'ID')).toEqual([owner.account.domainId, reader.account.domainId, owner.account.domainId]);
    expect(xmlTexts(acl, 'DisplayName')).toEqual([owner.account.domain, reader.account.domain, owner.account.domain]);
    expect(xmlTexts(acl, 'URI')).toEqual([ALL_USERS]);
    expect(xmlTexts(acl, 'Permission')).toEqual(['READ', 'READ', 'FULL_CONTROL']);
  });

  it('refuse a grant to a canonical id that names no account (InvalidArgument), and keep the ACL', async () => {
    const owner = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'k', 'v');
    const body = policy(owner.account.domainId, [['0123456789abcdef0123456789abcdef', 'READ']]);
    const res = await s3(owner, `/${b}/k?acl`, { method: 'PUT', body });
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xmlText(xml, 'Code')).toBe('InvalidArgument');
    expect(xmlText(xml, 'ArgumentName')).toBe('CanonicalUser/ID');
    expect(xmlText(xml, 'ArgumentValue')).toBe('0123456789abcdef0123456789abcdef');
    expect(xmlTexts(await (await s3(owner, `/${b}/k?acl`)).text(), 'Permission')).toEqual(['FULL_CONTROL']);
  });

  it('with an empty grant list empty the ACL: public readers lose access, the owner keeps it through IAM', async () => {
    const owner = await obsUser();
    const b = await createBucket(owner);
    await put(owner, b, 'k', 'v', { 'x-amz-acl': 'public-read' });
    expect((await s3(null, `/${b}/k`)).status).toBe(200);
    const body = policy(owner.account.domainId, []);
    expect((await s3(owner, `/${b}/k?acl`, { method: 'PUT', body })).status).toBe(200);
    const acl = await (await s3(owner, `/${b}/k?acl`)).text();
    expect(xmlTexts(acl, 'Permission')).toEqual([]);
    expect(xmlText(acl, 'ID')).toBe(owner.account.domainId);
    expect((await s3(null, `/${b}/k`)).status).toBe(403);
    expect(await (await s3(owner, `/${b}/k`)).text()).toBe('v');
  });
});

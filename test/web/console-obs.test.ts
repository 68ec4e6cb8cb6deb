/**
 * The Console's OBS section, as a person uses it: buckets created and deleted through the forms (a bad or taken
 * name shows its words next to the name), the object browser's folders and pages, a plain form upload and the
 * script's multipart upload through the Console's routes, each downloaded byte-identical, bucket settings seen by
 * S3 clients too; another account's bucket is neither listed nor reachable, and a user without the policy is
 * refused.
 */
import { describe, expect, it } from 'vitest';
import { type Account, createUser, newAccount, roleId, tokenFor } from '../fixtures.ts';
import { bucketName, type ObsUser, s3 } from '../obs/fixtures.ts';
import { call, keystone, ORIGIN } from '../request.ts';
import { type ConsoleSession, cookieSet, signIn } from './console.ts';

/** `n` random bytes. */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(at + 65536, n)));
  return out;
}

const sha256 = async (b: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', b))].map((x) => x.toString(16).padStart(2, '0')).join('');

/** Creates a bucket through the Console's form. */
async function bucket(s: ConsoleSession, name = bucketName('cobs')): Promise<string> {
  const res = await s.post('/console/obs/buckets', { name, region: 'eu-west-0', acl: 'private' });
  if (res.status !== 303) throw new Error(`create bucket ${name}: ${res.status} ${res.html}`);
  return name;
}

/** Uploads a file through the plain (no JavaScript) form. */
function formUpload(s: ConsoleSession, b: string, file: File, fields: Record<string, string> = {}) {
  const body = new FormData();
  body.set('_csrf', s.csrf);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  body.set('file', file);
  return s.fetch(`/console/obs/buckets/${b}/objects`, { method: 'POST', body });
}

/** Uploads bytes as the page's script does: initiate, parts of `partSize`, complete. */
async function scriptUpload(s: ConsoleSession, b: string, key: string, data: Uint8Array, partSize: number) {
  const json = { 'Content-Type': 'application/json' };
  const started = await s.fetch(`/console/obs/buckets/${b}/uploads`, { method: 'POST', headers: json, body: JSON.stringify({ key }) });
  expect(started.status).toBe(201);
  const { uploadId } = (await started.json()) as { uploadId: string };
  const parts: { partNumber: number; etag: string }[] = [];
  for (let n = 1, at = 0; at < data.length; n++, at += partSize) {
    const piece = data.slice(at, at + partSize);
    const res = await s.fetch(`/console/obs/buckets/${b}/uploads/${uploadId}/parts/${n}?key=${encodeURIComponent(key)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(piece.length) },
      body: piece,
    });
    expect(res.status).toBe(200);
    parts.push({ partNumber: n, etag: ((await res.json()) as { etag: string }).etag });
  }
  return s.fetch(`/console/obs/buckets/${b}/uploads/${uploadId}/complete`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ key, parts }),
  });
}

/** The page a form's 303 leads to, with the one-time message the answer left (as a browser follows it). */
async function follow(s: ConsoleSession, res: { headers: Headers }, to = res.headers.get('location') ?? '') {
  const flash = cookieSet(res, 'fe_flash');
  const page = await call(to, { headers: { Cookie: `${s.cookie}${flash ? `; fe_flash=${flash}` : ''}` }, redirect: 'manual' });
  return { status: page.status, html: await page.text() };
}

const download = (s: ConsoleSession, b: string, key: string) => s.fetch(`/console/obs/buckets/${b}/object?key=${encodeURIComponent(key)}`);

/** The account's admin as an S3 client (its AK/SK). */
async function s3User(a: Account): Promise<ObsUser> {
  const { AwsClient } = await import('aws4fetch');
  const c = a.credential!;
  return { account: a, client: new AwsClient({ accessKeyId: c.access, secretAccessKey: c.secret, service: 's3', region: 'eu-west-0' }) };
}

describe('the Console OBS section: buckets', () => {
  it('creates a bucket from the form, lists it, and deletes it once empty', async () => {
    const s = await signIn(await newAccount('cobs'));
    const list = await s.page('/console/obs/buckets');
    expect(list.status).toBe(200);
    expect(list.html).toContain('No bucket yet');
    const name = bucketName('cobs');
    const created = await s.post('/console/obs/buckets', { name, region: 'eu-west-0', acl: 'private' });
    expect(created.status).toBe(303);
    expect(created.location).toBe(`/console/obs/buckets/${name}`);
    const browser = await follow(s, created);
    expect(browser.html).toContain(`Bucket ${name} is created in eu-west-0.`);
    expect(browser.html).toContain('No object yet');
    const listed = await s.page('/console/obs/buckets');
    expect(listed.html).toContain(`<a href="/console/obs/buckets/${name}">${name}</a>`);
    const deleted = await s.post(`/console/obs/buckets/${name}/delete`);
    expect(deleted.status).toBe(303);
    expect((await s.page('/console/obs/buckets')).html).not.toContain(`/console/obs/buckets/${name}"`);
  });

  it('shows a bad or taken bucket name next to the name field', async () => {
    const s = await signIn(await newAccount('cobs-bad'));
    const bad = await s.post('/console/obs/buckets', { name: 'Not_A_Bucket', region: 'eu-west-0', acl: 'private' });
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/id="name-error" role="alert">A bucket name has 3 to 63 lowercase letters/);
    expect(bad.html).toMatch(/<input id="name" name="name" type="text" value="Not_A_Bucket"[^>]*aria-invalid="true"/);
    const other = await signIn(await newAccount('cobs-other'));
    const name = await bucket(other);
    const taken = await s.post('/console/obs/buckets', { name, region: 'eu-west-0', acl: 'private' });
    expect(taken.status).toBe(409);
    expect(taken.html).toMatch(/id="name-error" role="alert">The requested bucket name is not available/);
  });

  it('refuses to delete a bucket that holds objects, in words, and keeps it', async () => {
    const s = await signIn(await newAccount('cobs-full'));
    const b = await bucket(s);
    expect((await formUpload(s, b, new File(['x'], 'x.txt'))).status).toBe(303);
    const refused = await s.post(`/console/obs/buckets/${b}/delete`);
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('The bucket you tried to delete is not empty');
    expect((await s.page(`/console/obs/buckets/${b}`)).status).toBe(200);
  });
});

describe('the Console OBS section: objects', () => {
  it('uploads with the plain form into folders, browses them with breadcrumbs, downloads byte-identical, deletes', async () => {
    const s = await signIn(await newAccount('cobs-obj'));
    const b = await bucket(s);
    const data = randomBytes(300_000);
    const up = await formUpload(s, b, new File([data], 'photo.bin', { type: 'image/x-test' }), { prefix: 'docs/', name: '' });
    expect(up.status).toBe(303);
    expect(up.headers.get('location')).toBe(`/console/obs/buckets/${b}?prefix=docs%2F`);
    const root = await s.page(`/console/obs/buckets/${b}`);
    expect(root.html).toContain(`<a href="/console/obs/buckets/${b}?prefix=docs%2F">docs/</a>`);
    const folder = await follow(s, up);
    expect(folder.html).toContain('Uploaded docs/photo.bin (293.0 KiB).');
    expect(folder.html).toContain('<th scope="row">photo.bin</th>');
    expect(folder.html).toMatch(/<a href="\/console\/obs\/buckets\/[^"]+\?prefix=docs%2F" aria-current="page">docs<\/a>/);
    const got = await download(s, b, 'docs/photo.bin');
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/x-test');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="photo.bin"; filename*=UTF-8''photo.bin`);
    expect(await sha256(await got.arrayBuffer())).toBe(await sha256(data));
    const gone = await s.post(`/console/obs/buckets/${b}/objects/delete`, { key: 'docs/photo.bin', prefix: 'docs/' });
    expect(gone.status).toBe(303);
    expect((await download(s, b, 'docs/photo.bin')).status).toBe(404);
    expect((await s.page(`/console/obs/buckets/${b}?prefix=docs%2F`)).html).toContain('This folder is empty.');
  });

  it('asks for a file, and makes folders', async () => {
    const s = await signIn(await newAccount('cobs-folder'));
    const b = await bucket(s);
    const none = await s.post(`/console/obs/buckets/${b}/objects`, { prefix: '' });
    expect(none.status).toBe(400);
    expect(none.html).toMatch(/id="file-error" role="alert">Choose a file to upload\./);
    const slash = await s.post(`/console/obs/buckets/${b}/folders`, { prefix: '', folder: 'a/b' });
    expect(slash.status).toBe(400);
    expect(slash.html).toMatch(/id="folder-error" role="alert">A folder name has no slash\./);
    expect((await s.post(`/console/obs/buckets/${b}/folders`, { prefix: '', folder: 'reports' })).status).toBe(303);
    expect((await s.page(`/console/obs/buckets/${b}`)).html).toContain('>reports/</a>');
  });

  it('pages through a folder a hundred entries at a time', async () => {
    const a = await newAccount('cobs-page');
    const s = await signIn(a);
    const b = await bucket(s);
    const client = await s3User(a);
    await Promise.all(
      Array.from({ length: 105 }, (_, i) => s3(client, `/${b}/k${String(i).padStart(3, '0')}`, { method: 'PUT', body: 'x' })),
    );
    const first = await s.page(`/console/obs/buckets/${b}`);
    expect(first.html).toContain('<th scope="row">k099</th>');
    expect(first.html).not.toContain('<th scope="row">k100</th>');
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBe(`/console/obs/buckets/${b}?prefix=&after=k099`);
    const second = await s.page(next!);
    expect(second.html).toContain('<th scope="row">k104</th>');
    expect(second.html).not.toContain('<th scope="row">k099</th>');
  });

  it('takes a multipart upload through the Console routes and downloads it byte-identical', async () => {
    const s = await signIn(await newAccount('cobs-mp'));
    const b = await bucket(s);
    const data = randomBytes(12 * 1024 * 1024 + 123);
    const done = await scriptUpload(s, b, 'big/file.bin', data, 5 * 1024 * 1024);
    expect(done.status).toBe(200);
    expect(((await done.json()) as { size: number }).size).toBe(data.length);
    // The script then loads the folder again: the answer left the message it shows.
    const folder = await follow(s, done, `/console/obs/buckets/${b}?prefix=big%2F`);
    expect(folder.html).toContain('Uploaded big/file.bin (12.0 MiB).');
    expect(folder.html).toContain('<th scope="row">file.bin</th>');
    const got = await download(s, b, 'big/file.bin');
    expect(got.headers.get('content-length')).toBe(String(data.length));
    expect(await sha256(await got.arrayBuffer())).toBe(await sha256(data));
  });

  it('refuses a part without the CSRF token, and a part too small to complete, in words', async () => {
    const s = await signIn(await newAccount('cobs-mp-bad'));
    const b = await bucket(s);
    const json = { 'Content-Type': 'application/json' };
    const started = await s.fetch(`/console/obs/buckets/${b}/uploads`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ key: 'k' }),
    });
    const { uploadId } = (await started.json()) as { uploadId: string };
    const forged = await call(`/console/obs/buckets/${b}/uploads/${uploadId}/parts/1?key=k`, {
      method: 'PUT',
      headers: { Cookie: s.cookie, Origin: ORIGIN, 'X-CSRF-Token': 'forged', 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array(10),
    });
    expect(forged.status).toBe(403);
    const small = await scriptUpload(s, b, 'k', randomBytes(1024 * 1024 + 1), 1024 * 1024);
    expect(small.status).toBe(400);
    expect(((await small.json()) as { message: string }).message).toMatch(/smaller than the minimum allowed object size/);
    expect((await s.page('/console/assets/obs-upload.js')).status).toBe(200);
    expect((await s.page(`/console/obs/buckets/${b}`)).html).toMatch(/<script src="\/console\/assets\/obs-upload\.js\?v=[^"]+" defer/);
  });
});

describe('the Console OBS section: settings', () => {
  it('turns versioning on, opens the bucket to everyone, and adds and deletes a lifecycle rule, as S3 then sees', async () => {
    const a = await newAccount('cobs-set');
    const s = await signIn(a);
    const b = await bucket(s);
    const client = await s3User(a);
    const page = await s.page(`/console/obs/buckets/${b}/settings`);
    expect(page.html).toContain('Versioning is off');
    expect((await s.post(`/console/obs/buckets/${b}/settings/versioning`, { status: 'Enabled' })).status).toBe(303);
    expect(await (await s3(client, `/${b}?versioning`)).text()).toContain('<Status>Enabled</Status>');
    expect((await s.page(`/console/obs/buckets/${b}/settings`)).html).toContain('Versioning is on');

    await s3(client, `/${b}/public.txt`, { method: 'PUT', body: 'for all' });
    expect((await s3(null, `/${b}/public.txt`)).status).toBe(403);
    expect((await s.post(`/console/obs/buckets/${b}/settings/acl`, { acl: 'public-read' })).status).toBe(303);
    expect((await s3(null, `/${b}?list-type=2`)).status).toBe(200);
    expect((await s.page(`/console/obs/buckets/${b}/settings`)).html).toMatch(/<option value="public-read" selected/);

    expect((await s.post(`/console/obs/buckets/${b}/settings/lifecycle`, { id: 'tmp', prefix: 'tmp/', days: '7' })).status).toBe(303);
    const rules = await (await s3(client, `/${b}?lifecycle`)).text();
    expect(rules).toContain('<ID>tmp</ID>');
    expect(rules).toContain('<Days>7</Days>');
    const twice = await s.post(`/console/obs/buckets/${b}/settings/lifecycle`, { id: 'tmp', prefix: '', days: '3' });
    expect(twice.status).toBe(400);
    expect(twice.html).toMatch(/id="id-error" role="alert">Rule ID must be unique/);
    const zero = await s.post(`/console/obs/buckets/${b}/settings/lifecycle`, { id: 'zero', prefix: '', days: '0' });
    expect(zero.html).toMatch(/id="days-error" role="alert">The number of days is at least 1\./);
    expect((await s.page(`/console/obs/buckets/${b}/settings`)).html).toContain('deleted 7 days after they were written');
    expect((await s.post(`/console/obs/buckets/${b}/settings/lifecycle/delete`, { id: 'tmp' })).status).toBe(303);
    expect((await s3(client, `/${b}?lifecycle`)).status).toBe(404);
  });
});

describe('the Console OBS section: isolation and policy', () => {
  it("neither lists nor reaches another account's bucket or objects", async () => {
    const ownerAccount = await newAccount('cobs-owner');
    const owner = await signIn(ownerAccount);
    const intruder = await signIn(await newAccount('cobs-intruder'));
    const b = await bucket(owner);
    expect((await formUpload(owner, b, new File(['secret'], 'secret.txt'))).status).toBe(303);
    expect((await intruder.page('/console/obs/buckets')).html).not.toContain(b);
    expect((await intruder.page(`/console/obs/buckets/${b}`)).status).toBe(403);
    expect((await intruder.page(`/console/obs/buckets/${b}/settings`)).status).toBe(403);
    expect((await download(intruder, b, 'secret.txt')).status).toBe(403);
    expect((await formUpload(intruder, b, new File(['mine'], 'secret.txt'))).status).toBe(403);
    expect((await intruder.post(`/console/obs/buckets/${b}/objects/delete`, { key: 'secret.txt' })).status).toBe(403);
    expect((await intruder.post(`/console/obs/buckets/${b}/settings/acl`, { acl: 'public-read-write' })).status).toBe(403);
    expect((await intruder.post(`/console/obs/buckets/${b}/delete`)).status).toBe(403);
    const json = { 'Content-Type': 'application/json' };
    const start = await intruder.fetch(`/console/obs/buckets/${b}/uploads`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ key: 'x' }),
    });
    expect(start.status).toBe(403);
    // The owner's bucket and object are as they were.
    expect(await (await download(owner, b, 'secret.txt')).text()).toBe('secret');
    expect((await owner.page(`/console/obs/buckets/${b}/settings`)).html).toMatch(/<option value="private" selected/);
  });

  it('refuses a user without the policy, and counts roles on the account, not a project, as S3 does', async () => {
    const a = await newAccount('cobs-policy');
    const admin = await tokenFor(a);
    const vpcOnly = await createUser(a, admin, { role: 'vpc_viewer' });
    const n = await signIn(a, { user: vpcOnly.name, password: vpcOnly.password });
    const refused = await n.page('/console/obs/buckets');
    expect(refused.status).toBe(403);
    expect(refused.html).toMatch(/role="alert"[^>]*>[^<]*obs:buckets:list/);
    // readonly on a project lets the Console route in, but OBS (a global service) counts the account's roles only.
    const projectViewer = await createUser(a, admin, { role: 'readonly' });
    const p = await signIn(a, { user: projectViewer.name, password: projectViewer.password });
    expect((await p.page('/console/obs/buckets')).status).toBe(403);
    const owner = await signIn(a);
    const b = await bucket(owner);
    const viewer = await createUser(a, admin);
    const put = await keystone(admin, 'PUT', `/domains/${a.domainId}/users/${viewer.id}/roles/${await roleId(admin, 'obs_viewer')}`);
    expect(put.status).toBe(204);
    const v = await signIn(a, { user: viewer.name, password: viewer.password });
    expect((await v.page('/console/obs/buckets')).html).toContain(`>${b}</a>`);
    expect((await v.page(`/console/obs/buckets/${b}`)).status).toBe(200);
    const create = await v.post('/console/obs/buckets', { name: bucketName('cobs-v'), region: 'eu-west-0', acl: 'private' });
    expect(create.status).toBe(403);
    expect(create.html).toMatch(/obs:buckets:create/);
    expect((await v.post(`/console/obs/buckets/${b}/settings/versioning`, { status: 'Enabled' })).status).toBe(403);
  });
});

/**
 * OBS browser-form POST uploads: a policy signed with V4 or V2 (by a signer written here from the S3 docs),
 * its conditions and expiration, `${filename}`, the success answers, anonymous forms where the ACL lets everyone
 * write, and S3's error for each bad form.
 */
import { describe, expect, it } from 'vitest';
import { createBucket, type ObsUser, obsUser, s3, xmlText } from './fixtures.ts';

const enc = new TextEncoder();
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const hmac = async (key: ArrayBuffer | Uint8Array, message: string, hash = 'SHA-256') =>
  crypto.subtle.sign('HMAC', await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']), enc.encode(message));

const DATE = new Date().toISOString().slice(0, 10).replaceAll('-', '');
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

type Conditions = unknown[];

/** The fields of a V4-signed form for `user`, its policy holding `conditions` (and the signature's own fields). */
async function v4Form(user: ObsUser, conditions: Conditions, expiration = inAnHour()): Promise<Record<string, string>> {
  const { access, secret } = user.account.credential!;
  const credential = `${access}/${DATE}/eu-west-0/s3/aws4_request`;
  const own = { 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'x-amz-credential': credential, 'x-amz-date': `${DATE}T000000Z` };
  const policy = btoa(JSON.stringify({ expiration, conditions: [...conditions, ...Object.entries(own).map(([k, v]) => ({ [k]: v }))] }));
  let key = await hmac(enc.encode(`AWS4${secret}`), DATE);
  for (const part of ['eu-west-0', 's3', 'aws4_request']) key = await hmac(key, part);
  return { ...own, policy, 'x-amz-signature': hex(await hmac(key, policy)) };
}

/** Posts a form (its fields in order, the file last) to the bucket. */
async function post(bucket: string, fields: Record<string, string>, file = 'file bytes', fileName = 'photo.jpg'): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new File([file], fileName, { type: 'image/jpeg' }));
  const encoded = new Response(form);
  const body = await encoded.arrayBuffer();
  const headers = { 'content-type': encoded.headers.get('content-type')! };
  return s3(null, `/${bucket}`, { method: 'POST', body, headers, redirect: 'manual' });
}

async function failure(res: Response, status: number): Promise<string | undefined> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return xmlText(text, 'Code');
}

describe('browser-form POST uploads', () => {
  it('stores the file under a V4-signed policy, as the signer, with the fields the policy allows', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const fields = await v4Form(u, [
      { bucket: b },
      ['starts-with', '$key', 'uploads/'],
      ['starts-with', '$Content-Type', 'image/'],
      { 'x-amz-meta-origin': 'form' },
      ['content-length-range', 1, 1024],
    ]);
    const res = await post(b, { key: 'uploads/${filename}', 'Content-Type': 'image/png', 'x-amz-meta-origin': 'form', ...fields });
    expect(res.status, await res.clone().text()).toBe(204);
    const got = await s3(u, `/${b}/uploads/photo.jpg`);
    expect(await got.text()).toBe('file bytes');
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-amz-meta-origin')).toBe('form');
  });

  it('takes a V2 signature (AWSAccessKeyId, signature)', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const policy = btoa(JSON.stringify({ expiration: inAnHour(), conditions: [{ bucket: b }, { key: 'v2' }] }));
    const signature = btoa(String.fromCharCode(...new Uint8Array(await hmac(enc.encode(u.account.credential!.secret), policy, 'SHA-1'))));
    const res = await post(b, { key: 'v2', AWSAccessKeyId: u.account.credential!.access, policy, signature });
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await (await s3(u, `/${b}/v2`)).text()).toBe('file bytes');
    const forged = await post(b, { key: 'v2', AWSAccessKeyId: u.account.credential!.access, policy, signature: btoa('forged') });
    expect(await failure(forged, 403)).toBe('SignatureDoesNotMatch');
  });

  it('answers success_action_status 201 with a PostResponse, and success_action_redirect with a 303', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const created = await post(b, {
      key: 'a',
      success_action_status: '201',
      ...(await v4Form(u, [{ key: 'a' }, { success_action_status: '201' }])),
    });
    expect(created.status).toBe(201);
    const doc = await created.text();
    expect(xmlText(doc, 'Key')).toBe('a');
    expect(xmlText(doc, 'Bucket')).toBe(b);
    const redirect = 'https://app.example.com/done';
    const moved = await post(b, {
      key: 'b',
      success_action_redirect: redirect,
      ...(await v4Form(u, [{ key: 'b' }, { success_action_redirect: redirect }])),
    });
    expect(moved.status).toBe(303);
    const location = new URL(moved.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirect);
    expect(location.searchParams.get('key')).toBe('b');
    expect(location.searchParams.get('bucket')).toBe(b);
  });

  it('refuses a form the policy does not allow, and writes nothing', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const base = [{ bucket: b }, ['starts-with', '$key', 'ok/'], ['content-length-range', 0, 5]];
    const cases: [Record<string, string>, number, string, string?][] = [
      [{ key: 'bad/x', ...(await v4Form(u, base)) }, 403, 'AccessDenied'],
      [{ key: 'ok/x', extra: 'y', ...(await v4Form(u, base)) }, 403, 'AccessDenied'],
      [
        { key: 'ok/x', ...(await v4Form(u, [{ bucket: b }, ['starts-with', '$key', 'ok/']], new Date(Date.now() - 1000).toISOString())) },
        403,
        'AccessDenied',
      ],
      [{ key: 'ok/x', ...(await v4Form(u, [{ bucket: 'another' }, ['starts-with', '$key', 'ok/']])) }, 403, 'AccessDenied'],
      [
        { key: 'ok/x', ...(await v4Form(u, [{ bucket: b }, ['starts-with', '$key', 'ok/'], ['content-length-range', 0, 5]])) },
        400,
        'EntityTooLarge',
        'too many bytes',
      ],
      [{ key: 'ok/x', ...(await v4Form(u, base)), 'x-amz-signature': '00'.repeat(32) }, 403, 'SignatureDoesNotMatch'],
      [{ key: 'ok/x', ...(await v4Form(u, base)), policy: 'not base64 json!' }, 400, 'InvalidPolicyDocument'],
      [{ key: 'ok/x', 'x-amz-credential': 'AK/20261202/eu-west-0/s3/aws4_request' }, 400, 'InvalidArgument'],
      [await v4Form(u, base), 400, 'InvalidArgument'],
    ];
    for (const [fields, status, code, file] of cases) {
      expect(await failure(await post(b, fields, file ?? 'tiny'), status), JSON.stringify(Object.keys(fields))).toBe(code);
    }
    const listing = await (await s3(u, `/${b}`)).text();
    expect(listing).not.toContain('<Key>');
    const notForm = await s3(null, `/${b}`, {
      method: 'POST',
      body: 'key=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await failure(notForm, 412)).toBe('PreconditionFailed');
    const noFile = new FormData();
    noFile.append('key', 'a');
    const encoded = new Response(noFile);
    const res = await s3(null, `/${b}`, {
      method: 'POST',
      body: await encoded.arrayBuffer(),
      headers: { 'content-type': encoded.headers.get('content-type')! },
    });
    expect(await failure(res, 400)).toBe('InvalidArgument');
  });

  it('lets an anonymous form write only where the bucket ACL lets everyone write', async () => {
    const u = await obsUser();
    const closed = await createBucket(u);
    expect(await failure(await post(closed, { key: 'anon' }), 403)).toBe('AccessDenied');
    const open = await createBucket(u, undefined, { 'x-amz-acl': 'public-read-write' });
    expect((await post(open, { key: 'anon', acl: 'public-read' })).status).toBe(204);
    expect(await (await s3(null, `/${open}/anon`)).text()).toBe('file bytes');
  });
});

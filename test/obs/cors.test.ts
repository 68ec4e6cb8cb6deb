/** OBS CORS: the bucket's CORSConfiguration, unsigned preflight OPTIONS answered from it, headers on actual requests. */
import { describe, expect, it } from 'vitest';
import { bucketName, createBucket, obsUser, put, s3, xmlText, xmlTexts } from './fixtures.ts';

const rule = (body: string) => `<CORSRule>${body}</CORSRule>`;
const config = (...rules: string[]) =>
  `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules.join('')}</CORSConfiguration>`;

/** Two rules: an app's origins with uploads and `x-amz-*` headers first, then read-only access for anyone. */
const APP_RULES = config(
  rule(
    '<ID>app</ID><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedOrigin>http://localhost:3000</AllowedOrigin>' +
      '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>x-amz-*</AllowedHeader>' +
      '<AllowedHeader>Content-Type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-version-id</ExposeHeader>' +
      '<MaxAgeSeconds>3000</MaxAgeSeconds>',
  ),
  rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>'),
);

const options = (path: string, headers: Record<string, string>) => s3(null, path, { method: 'OPTIONS', headers });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(xmlText(await res.text(), 'Code')).toBe(code);
}

describe('CORS configuration', () => {
  it('is stored, read back and removed; none is 404 NoSuchCORSConfiguration', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await expectError(await s3(u, `/${b}?cors`), 404, 'NoSuchCORSConfiguration');
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    const got = await s3(u, `/${b}?cors`);
    expect(got.status).toBe(200);
    const xml = await got.text();
    expect(xmlTexts(xml, 'ID')).toEqual(['app']);
    expect(xmlTexts(xml, 'AllowedOrigin')).toEqual(['https://*.example.com', 'http://localhost:3000', '*']);
    expect(xmlTexts(xml, 'AllowedMethod')).toEqual(['GET', 'PUT', 'GET', 'HEAD']);
    expect(xmlTexts(xml, 'AllowedHeader')).toEqual(['x-amz-*', 'Content-Type']);
    expect(xmlTexts(xml, 'ExposeHeader')).toEqual(['ETag', 'x-amz-version-id']);
    expect(xmlTexts(xml, 'MaxAgeSeconds')).toEqual(['3000']);
    expect(xml.match(/<CORSRule>/g)).toHaveLength(2);
    expect((await s3(u, `/${b}?cors`, { method: 'DELETE' })).status).toBe(204);
    await expectError(await s3(u, `/${b}?cors`), 404, 'NoSuchCORSConfiguration');
  });

  it('refuses invalid configurations and keeps the one it has', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    const ok = '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>';
    const cases: [string, string][] = [
      ['not xml at all', 'MalformedXML'],
      ['<Other/>', 'MalformedXML'],
      [config(), 'MalformedXML'],
      [config(rule('<AllowedMethod>GET</AllowedMethod>')), 'MalformedXML'],
      [config(rule('<AllowedOrigin>*</AllowedOrigin>')), 'MalformedXML'],
      [config(rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>')), 'InvalidRequest'],
      [config(rule('<AllowedOrigin>http://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>')), 'InvalidRequest'],
      [config(rule(`${ok}<AllowedHeader>x-*-*</AllowedHeader>`)), 'InvalidRequest'],
      [config(rule(`${ok}<ExposeHeader>*</ExposeHeader>`)), 'InvalidRequest'],
      [config(rule(`${ok}<MaxAgeSeconds>soon</MaxAgeSeconds>`)), 'MalformedXML'],
      [config(rule(`<ID>${'i'.repeat(256)}</ID>${ok}`)), 'InvalidRequest'],
      [config(...Array.from({ length: 101 }, () => rule(ok))), 'InvalidRequest'],
    ];
    for (const [body, code] of cases) {
      const res = await s3(u, `/${b}?cors`, { method: 'PUT', body });
      expect(res.status, body.slice(0, 80)).toBe(400);
      expect(xmlText(await res.text(), 'Code'), body.slice(0, 80)).toBe(code);
    }
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: config(...Array.from({ length: 100 }, () => rule(ok))) })).status).toBe(200);
    expect((await (await s3(u, `/${b}?cors`)).text()).match(/<CORSRule>/g)).toHaveLength(100);
  });

  it("is the owner's: another account and anonymous callers are refused", async () => {
    const [owner, other] = await Promise.all([obsUser(), obsUser()]);
    const b = await createBucket(owner, bucketName(), { 'x-amz-acl': 'public-read-write' });
    expect((await s3(owner, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    for (const who of [other, null]) {
      await expectError(await s3(who, `/${b}?cors`), 403, 'AccessDenied');
      await expectError(await s3(who, `/${b}?cors`, { method: 'PUT', body: APP_RULES }), 403, 'AccessDenied');
      await expectError(await s3(who, `/${b}?cors`, { method: 'DELETE' }), 403, 'AccessDenied');
    }
    expect((await s3(owner, `/${b}?cors`)).status).toBe(200);
  });
});

describe('CORS preflight', () => {
  it('answers an unsigned OPTIONS from the first matching rule', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    const res = await options(`/${b}/photos/cat.jpg`, {
      Origin: 'https://app.example.com',
      'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'Content-Type, X-Amz-Date, x-amz-content-sha256',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, PUT');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-date, x-amz-content-sha256');
    expect(res.headers.get('access-control-max-age')).toBe('3000');
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag, x-amz-version-id');
    expect(res.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
    expect(res.headers.get('x-amz-request-id')).toBeTruthy();
    // The bucket itself takes preflights too; another listed origin matches exactly.
    const local = await options(`/${b}`, { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'GET' });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(local.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('answers `*` for a rule open to any origin, and falls through to it', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    // The first rule does not allow HEAD: the second one answers, for any origin.
    const res = await options(`/${b}/k`, { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    expect(res.headers.get('access-control-max-age')).toBeNull();
    const elsewhere = await options(`/${b}/k`, { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'GET' });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses what no rule allows with 403 AccessForbidden', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    const refused: Record<string, string>[] = [
      // A method only the app rule allows, from an origin it does not list.
      { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'PUT' },
      // The wildcard must match: the scheme differs.
      { Origin: 'http://app.example.com', 'Access-Control-Request-Method': 'PUT' },
      // A header neither rule allows.
      { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-custom' },
      // A method no rule allows.
      { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'DELETE' },
    ];
    for (const headers of refused) {
      const res = await options(`/${b}/k`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      const xml = await res.text();
      expect(xmlText(xml, 'Code')).toBe('AccessForbidden');
      expect(xmlText(xml, 'Message')).toMatch(/^CORSResponse: This CORS request is not allowed/);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('needs Origin and a request method (400), a bucket (404) and rules (403)', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await expectError(await options(`/${b}/k`, { 'Access-Control-Request-Method': 'GET' }), 400, 'BadRequest');
    await expectError(await options(`/${b}/k`, { Origin: 'https://a.test' }), 400, 'BadRequest');
    await expectError(await options(`/${b}/k`, { Origin: 'https://a.test', 'Access-Control-Request-Method': 'PATCH' }), 400, 'BadRequest');
    await expectError(
      await options(`/${bucketName('nope')}/k`, { Origin: 'https://a.test', 'Access-Control-Request-Method': 'GET' }),
      404,
      'NoSuchBucket',
    );
    await expectError(
      await options(`/${b}/k`, { Origin: 'https://a.test', 'Access-Control-Request-Method': 'GET' }),
      403,
      'AccessForbidden',
    );
  });

  it('follows a change of the rules at once', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    const ask = () => options(`/${b}/k`, { Origin: 'https://a.test', 'Access-Control-Request-Method': 'GET' });
    expect((await ask()).status).toBe(403);
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const narrower = config(rule('<AllowedOrigin>https://b.test</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'));
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: narrower })).status).toBe(200);
    expect((await ask()).status).toBe(403);
    expect((await s3(u, `/${b}?cors`, { method: 'DELETE' })).status).toBe(204);
    const gone = await options(`/${b}/k`, { Origin: 'https://b.test', 'Access-Control-Request-Method': 'GET' });
    expect(gone.status).toBe(403);
  });
});

describe('CORS on actual requests', () => {
  it("adds the matching rule's headers when the request has an Origin", async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    const up = await put(u, b, 'k', 'body', { Origin: 'https://app.example.com' });
    expect(up.status).toBe(200);
    expect(up.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(up.headers.get('access-control-expose-headers')).toBe('ETag, x-amz-version-id');
    expect(up.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
    const got = await s3(u, `/${b}/k`, { headers: { Origin: 'https://other.test' } });
    expect(await got.text()).toBe('body');
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
    expect(got.headers.get('access-control-expose-headers')).toBeNull();
    // No Origin: no CORS headers. An origin no rule allows for the method: none either.
    const plain = await s3(u, `/${b}/k`);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(plain.headers.get('vary')).toBeNull();
    const refused = await s3(u, `/${b}/k`, { method: 'DELETE', headers: { Origin: 'https://other.test' } });
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('stops adding them once the rules are deleted', async () => {
    const u = await obsUser();
    const b = await createBucket(u);
    await put(u, b, 'k', 'body');
    expect((await s3(u, `/${b}?cors`, { method: 'PUT', body: APP_RULES })).status).toBe(200);
    const before = await s3(u, `/${b}/k`, { headers: { Origin: 'https://app.example.com' } });
    expect(before.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await s3(u, `/${b}?cors`, { method: 'DELETE' })).status).toBe(204);
    const after = await s3(u, `/${b}/k`, { headers: { Origin: 'https://app.example.com' } });
    expect(after.status).toBe(200);
    expect(after.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/**
 * AK/SK: the secret is shown once and stored sealed; SDK-HMAC-SHA256 signed requests authenticate like a token.
 * The signer here is written from the Flexible Engine SDK's description, independently of the server's code.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type Account, newAccount, tokenFor } from '../fixtures.ts';
import { call, json, ORIGIN } from '../request.ts';

const enc = new TextEncoder();
const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (s: string) => hex(await crypto.subtle.digest('SHA-256', enc.encode(s)));

function sdkDate(ms: number) {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Signs a request as the Flexible Engine SDK does. */
async function signed(ak: string, sk: string, method: string, path: string, opts: { body?: string; at?: number; projectId?: string } = {}) {
  const url = new URL(ORIGIN + path);
  const date = sdkDate(opts.at ?? Date.now());
  const headers: Record<string, string> = { host: url.host, 'x-sdk-date': date, 'content-type': 'application/json' };
  if (opts.projectId) headers['x-project-id'] = opts.projectId;
  const names = Object.keys(headers).sort();
  const uri = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  const query = [...url.searchParams]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const canonical = [
    method,
    uri,
    query,
    names.map((n) => `${n}:${headers[n]}\n`).join(''),
    names.join(';'),
    await sha256(opts.body ?? ''),
  ].join('\n');
  const toSign = `SDK-HMAC-SHA256\n${date}\n${await sha256(canonical)}`;
  const key = await crypto.subtle.importKey('raw', enc.encode(sk), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = hex(await crypto.subtle.sign('HMAC', key, enc.encode(toSign)));
  return new Request(url, {
    method,
    body: opts.body,
    headers: { ...headers, Authorization: `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${names.join(';')}, Signature=${signature}` },
  });
}

async function newKey(a: Account) {
  const token = await tokenFor(a);
  const res = await call('/iam/v3.0/OS-CREDENTIAL/credentials', {
    method: 'POST',
    token,
    json: { credential: { user_id: a.userId, description: 'ci' } },
  });
  expect(res.status).toBe(201);
  return { token, ...(await json<{ credential: { access: string; secret: string } }>(res)).credential };
}

const send = (req: Request) =>
  call(new URL(req.url).pathname + new URL(req.url).search, { method: req.method, headers: req.headers, body: req.body });

describe('AK/SK credentials', () => {
  it('shows the secret once, never again, and stores it sealed', async () => {
    const a = await newAccount();
    const key = await newKey(a);
    expect(key.access).toMatch(/^[A-Z0-9]{20}$/);
    expect(key.secret.length).toBeGreaterThanOrEqual(40);
    const shown = await json(await call(`/iam/v3.0/OS-CREDENTIAL/credentials/${key.access}`, { token: key.token }));
    expect(shown.credential).toMatchObject({ access: key.access, user_id: a.userId, status: 'active', description: 'ci' });
    expect(JSON.stringify(shown)).not.toContain(key.secret);
    const listed = JSON.stringify(await json(await call(`/iam/v3.0/OS-CREDENTIAL/credentials?user_id=${a.userId}`, { token: key.token })));
    expect(listed).toContain(key.access);
    expect(listed).not.toContain(key.secret);
    // The directory row holds only the sealed form.
    const row = await (env as unknown as { LIBSQL: Fetcher }).LIBSQL.fetch('http://libsql.local/v2/pipeline', {
      method: 'POST',
      body: JSON.stringify({
        requests: [
          {
            type: 'execute',
            stmt: { sql: 'SELECT secret_sealed FROM credentials WHERE access = ?', args: [{ type: 'text', value: key.access }] },
          },
        ],
      }),
    });
    const sealed = JSON.stringify(await row.json());
    expect(sealed).not.toContain(key.secret);
    expect(sealed).toMatch(/[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{40,}/);
  });

  it('allows two keys per user and answers 409 for a third', async () => {
    const a = await newAccount();
    const first = await newKey(a);
    const second = await call('/iam/v3.0/OS-CREDENTIAL/credentials', {
      method: 'POST',
      token: first.token,
      json: { credential: { user_id: a.userId } },
    });
    expect(second.status).toBe(409);
  });

  it('authenticates a signed request, and refuses a wrong signature, a stale date, a disabled or deleted key', async () => {
    const a = await newAccount();
    const key = await newKey(a);
    const path = '/iam/v3.0/OS-CREDENTIAL/credentials';
    const ok = await send(await signed(key.access, key.secret, 'GET', path, { projectId: a.projects[0]!.id }));
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain(key.access);
    const withQuery = await send(await signed(key.access, key.secret, 'GET', `${path}?user_id=${a.userId}`));
    expect(withQuery.status).toBe(200);
    expect((await send(await signed(key.access, `${key.secret}x`, 'GET', path))).status).toBe(401);
    expect((await send(await signed(key.access, key.secret, 'GET', path, { at: Date.now() - 16 * 60 * 1000 }))).status).toBe(401);
    expect((await send(await signed('AAAAAAAAAAAAAAAAAAAA', key.secret, 'GET', path))).status).toBe(401);
    const body = JSON.stringify({ credential: { user_id: a.userId } });
    const tampered = await signed(key.access, key.secret, 'POST', path, { body });
    const forged = new Request(tampered.url, {
      method: 'POST',
      headers: tampered.headers,
      body: JSON.stringify({ credential: { user_id: 'someone-else' } }),
    });
    expect((await send(forged)).status).toBe(401);
    await call(`${path}/${key.access}`, { method: 'PUT', token: key.token, json: { credential: { status: 'inactive' } } });
    expect((await send(await signed(key.access, key.secret, 'GET', path))).status).toBe(401);
    await call(`${path}/${key.access}`, { method: 'PUT', token: key.token, json: { credential: { status: 'active' } } });
    expect((await send(await signed(key.access, key.secret, 'GET', path))).status).toBe(200);
    expect((await call(`${path}/${key.access}`, { method: 'DELETE', token: key.token })).status).toBe(204);
    expect((await send(await signed(key.access, key.secret, 'GET', path))).status).toBe(401);
  });

  it("a key cannot reach another account's project", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const key = await newKey(a);
    const res = await send(
      await signed(key.access, key.secret, 'GET', '/iam/v3.0/OS-CREDENTIAL/credentials', { projectId: b.projects[0]!.id }),
    );
    expect(res.status).toBe(401);
  });
});

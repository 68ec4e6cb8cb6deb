import { describe, expect, it } from 'vitest';
import { newAccount, passwordAuth, tokenFor } from '../fixtures.ts';
import { call } from '../request.ts';

describe('Keystone discovery', () => {
  it('answers 300 with the version list at /iam and 200 at /iam/v3', async () => {
    const root = await call('/iam');
    expect(root.status).toBe(300);
    const list = (await root.json()) as { versions: { values: { id: string; links: { href: string }[] }[] } };
    expect(list.versions.values[0]!.id).toBe('v3.14');
    const v3 = await call('/iam/v3');
    expect(v3.status).toBe(200);
    const body = (await v3.json()) as { version: { status: string; links: { href: string }[]; 'media-types': unknown[] } };
    expect(body.version.status).toBe('stable');
    expect(body.version.links[0]!.href).toBe('http://cloud.test/iam/v3/');
    expect(v3.headers.get('X-Openstack-Request-Id')).toMatch(/^req-/);
  });
});

describe('POST /v3/auth/tokens', () => {
  it('issues a project-scoped token with the catalog, in the exact time format', async () => {
    const a = await newAccount();
    const res = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: passwordAuth(a, a.user, a.password, { project: { name: 'eu-west-0', domain: { name: a.domain } } }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('X-Subject-Token')).toMatch(/^ey/);
    expect(res.headers.get('Openstack-Auth-Receipt')).toBeNull();
    const { token } = (await res.json()) as { token: Record<string, any> };
    expect(token.methods).toEqual(['password']);
    expect(token.user).toMatchObject({ id: a.userId, name: a.user, domain: { id: a.domainId, name: a.domain } });
    expect(token.project).toMatchObject({ id: a.projects[0]!.id, name: 'eu-west-0', domain: { id: a.domainId } });
    expect(token.roles.map((r: { name: string }) => r.name)).toEqual(['te_admin']);
    expect(token.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(token.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(token.expires_at) - Date.parse(token.issued_at)).toBeGreaterThan(120_000);
    const identity = token.catalog.find((s: { type: string }) => s.type === 'identity');
    expect(identity.endpoints).toContainEqual(
      expect.objectContaining({ interface: 'public', region: 'eu-west-0', region_id: 'eu-west-0', url: 'http://cloud.test/iam/v3' }),
    );
  });

  it('honours ?nocatalog and scopes to a domain', async () => {
    const a = await newAccount();
    const res = await call('/iam/v3/auth/tokens?nocatalog', {
      method: 'POST',
      json: passwordAuth(a, a.user, a.password, { domain: { id: a.domainId } }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: Record<string, any> };
    expect(token.catalog).toBeUndefined();
    expect(token.domain).toEqual({ id: a.domainId, name: a.domain });
  });

  it('answers 401 with the same message for a wrong password and an unknown user, in the Keystone envelope', async () => {
    const a = await newAccount();
    const wrong = await call('/iam/v3/auth/tokens', { method: 'POST', json: passwordAuth(a, a.user, 'nope-nope') });
    const unknown = await call('/iam/v3/auth/tokens', { method: 'POST', json: passwordAuth(a, 'nobody', 'nope-nope') });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const w = (await wrong.json()) as { error: { code: number; title: string; message: string } };
    const u = (await unknown.json()) as { error: { message: string } };
    expect(w.error).toMatchObject({ code: 401, title: 'Unauthorized' });
    expect(w.error.message).toBe(u.error.message);
    expect(wrong.headers.get('X-Subject-Token')).toBeNull();
  });

  it('rejects malformed JSON and missing fields with 400 naming the field', async () => {
    const bad = await call('/iam/v3/auth/tokens', { method: 'POST', body: '{"auth":', headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    const missing = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: { auth: { identity: { methods: ['password'], password: { user: { name: 'x' } } } } },
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('auth.identity.password.user.password');
  });

  it('re-scopes with the token method without extending the lifetime', async () => {
    const a = await newAccount();
    const first = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: passwordAuth(a, a.user, a.password, { project: { id: a.projects[0]!.id } }),
    });
    const t1 = first.headers.get('X-Subject-Token')!;
    const exp1 = ((await first.json()) as { token: { expires_at: string } }).token.expires_at;
    const second = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: { auth: { identity: { methods: ['token'], token: { id: t1 } }, scope: { project: { id: a.projects[1]!.id } } } },
    });
    expect(second.status).toBe(201);
    const body = (await second.json()) as { token: { expires_at: string; methods: string[]; project: { name: string } } };
    expect(body.token.project.name).toBe('eu-west-1');
    expect(body.token.methods).toEqual(['token']);
    expect(Date.parse(body.token.expires_at)).toBeLessThanOrEqual(Date.parse(exp1));
  });

  it('refuses a scope the user has no role on with 401', async () => {
    const a = await newAccount();
    const b = await newAccount();
    const res = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: passwordAuth(a, a.user, a.password, { project: { id: b.projects[0]!.id } }),
    });
    expect(res.status).toBe(401);
  });
});

describe('validating and revoking tokens', () => {
  it('validates with GET and HEAD, and DELETE revokes at once', async () => {
    const a = await newAccount();
    const token = await tokenFor(a);
    const get = await call('/iam/v3/auth/tokens', { token, headers: { 'X-Subject-Token': token } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { token: { user: { id: string } } }).token.user.id).toBe(a.userId);
    expect((await call('/iam/v3/auth/tokens', { method: 'HEAD', token, headers: { 'X-Subject-Token': token } })).status).toBe(200);
    const other = await tokenFor(a);
    expect((await call('/iam/v3/auth/tokens', { method: 'DELETE', token: other, headers: { 'X-Subject-Token': token } })).status).toBe(204);
    expect((await call('/iam/v3/auth/tokens', { token: other, headers: { 'X-Subject-Token': token } })).status).toBe(404);
    expect((await call('/iam/v3/auth/catalog', { token })).status).toBe(401);
    expect((await call('/iam/v3/auth/catalog', { token: other })).status).toBe(200);
  });
});

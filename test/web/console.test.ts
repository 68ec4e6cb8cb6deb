/**
 * The Console's session: sign-in through the form with the API's lockout, the session cookie's attributes, CSRF
 * and same-origin checks on every change, the Content-Security-Policy, sign-out revoking the token, and the region
 * switch re-scoping the session to the account's project of that region.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, newAccount } from '../fixtures.ts';
import { call, ORIGIN } from '../request.ts';
import { cookieSet, postForm, signIn } from './console.ts';

describe('the Console session', () => {
  let a: Account;
  beforeAll(async () => {
    a = await newAccount('console');
  });

  it('sends a signed-out visitor to the sign-in page and back to the page asked for', async () => {
    const res = await call('/console/ecs/servers?x=1', { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/sign-in?next=%2Fconsole%2Fecs%2Fservers%3Fx%3D1');
    const page = await call('/console/sign-in?next=/console');
    const html = await page.text();
    expect(html).toContain('<label for="account">Account name</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toMatch(/<option value="eu-west-1"/);
  });

  it('signs in with account, user and password into an HttpOnly, SameSite=Strict, Secure cookie', async () => {
    const res = await postForm('/console/sign-in', {
      account: a.domain,
      user: a.user,
      password: a.password,
      region: 'eu-west-0',
      next: '/console',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console');
    const line = res.headers.getSetCookie().find((l) => l.startsWith('fe_session='))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Strict/);
    // The tests' origin is not localhost, so the cookie is Secure as on a deployed Console.
    expect(line).toMatch(/Secure/);
    expect(line).toMatch(/Path=\//);
    const home = await call('/console', { headers: { Cookie: `fe_session=${cookieSet(res, 'fe_session')}` } });
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain(`<dd>${a.domain}</dd>`);
    expect(html).toContain(`eu-west-0 (${a.projects.find((p) => p.name === 'eu-west-0')!.id})`);
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(html).not.toMatch(/<script>|<style>|style="/);
  });

  it('shows a wrong password as an error on the form, and locks the user out after five as the API does', async () => {
    const b = await newAccount('console-lock');
    const wrong = await postForm('/console/sign-in', { account: b.domain, user: b.user, password: 'not-it', region: 'eu-west-0' });
    expect(wrong.status).toBe(401);
    const html = await wrong.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('The account, user name or password is wrong');
    expect(html).toContain(`value="${b.user}"`);
    expect(cookieSet(wrong, 'fe_session')).toBeUndefined();
    for (let i = 0; i < 4; i++) await postForm('/console/sign-in', { account: b.domain, user: b.user, password: 'not-it' });
    const locked = await postForm('/console/sign-in', { account: b.domain, user: b.user, password: b.password });
    expect(locked.status).toBe(401);
  });

  it('refuses a sign-in form posted from another site', async () => {
    const res = await postForm('/console/sign-in', { account: a.domain, user: a.user, password: a.password }, undefined, {
      Origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
    expect(cookieSet(res, 'fe_session')).toBeUndefined();
  });

  it('refuses a change without the CSRF token, with a wrong one, or from another site', async () => {
    const s = await signIn(a);
    const none = await postForm('/console/region', { region: 'eu-west-1' }, s.cookie);
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('The form has expired');
    const wrong = await postForm('/console/region', { region: 'eu-west-1', _csrf: 'f'.repeat(64) }, s.cookie);
    expect(wrong.status).toBe(403);
    const crossSite = await postForm('/console/region', { region: 'eu-west-1', _csrf: s.csrf }, s.cookie, {
      Origin: 'https://evil.example',
      'Sec-Fetch-Site': 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('sent from another site');
    // The session is where it was.
    expect((await s.page('/console')).html).toContain('<dd>eu-west-0</dd>');
  });

  it('refuses a form over 32 MiB before reading it, saying that a large file goes in parts', async () => {
    const s = await signIn(a);
    const big = new Uint8Array(32 * 2 ** 20 + 1);
    const res = await call('/console/region', {
      method: 'POST',
      body: big,
      headers: { Cookie: s.cookie, Origin: ORIGIN, 'Content-Type': 'multipart/form-data; boundary=x' },
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('a large file is uploaded in parts');
  });

  it("switches region by re-scoping the session to the account's project of that region", async () => {
    const s = await signIn(a);
    const res = await postForm('/console/region', { region: 'eu-west-1', _csrf: s.csrf }, s.cookie);
    expect(res.status).toBe(303);
    const token = cookieSet(res, 'fe_session')!;
    const flash = cookieSet(res, 'fe_flash')!;
    const home = await call('/console', { headers: { Cookie: `fe_session=${token}; fe_flash=${flash}` }, redirect: 'manual' });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('You are now working in eu-west-1.');
    expect(html).toContain(`eu-west-1 (${a.projects.find((p) => p.name === 'eu-west-1')!.id})`);
    // The session's old token is revoked: one live token per session.
    expect((await s.page('/console')).status).toBe(303);
  });

  it('signs out by revoking the token: the old cookie no longer opens a page', async () => {
    const s = await signIn(a);
    const out = await s.post('/console/sign-out');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/console/sign-in');
    expect(out.headers.getSetCookie().some((l) => l.startsWith('fe_session=;') && /Max-Age=0/.test(l))).toBe(true);
    const after = await s.page('/console');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/console\/sign-in/);
  });

  it('returns after sign-in only to this origin’s Console or Portal pages', async () => {
    const res = await postForm('/console/sign-in', {
      account: a.domain,
      user: a.user,
      password: a.password,
      next: '//evil.example/console',
    });
    expect(res.headers.get('location')).toBe('/console');
  });

  it('serves its stylesheet and scripts as versioned, long-cached assets of this origin', async () => {
    const s = await signIn(a);
    const { html } = await s.page('/console');
    const css = /href="(\/console\/assets\/console\.css\?v=\w+)"/.exec(html)?.[1];
    const js = /src="(\/console\/assets\/live\.js\?v=\w+)"/.exec(html)?.[1];
    expect(css && js).toBeTruthy();
    const script = await call(js!);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toMatch(/immutable/);
    expect(await script.text()).toContain('data-live');
    expect((await call('/console/assets/nothing.js')).status).toBe(404);
  });
});

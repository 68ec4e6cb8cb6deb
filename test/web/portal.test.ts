/**
 * The Customer Portal's identity pages, as a signed-in person sees them: the profile, the account's users and
 * groups with roles and custom policies, one's own password and access keys. Refusals come from the API's own
 * policy actions and show in words; another account's objects are never listed nor reachable.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, createUser, newAccount, tokenFor } from '../fixtures.ts';
import { call, json } from '../request.ts';
import { type ConsoleSession, postForm, signIn } from './console.ts';

let a: Account;
let b: Account;
let admin: ConsoleSession;

beforeAll(async () => {
  [a, b] = await Promise.all([newAccount('portal'), newAccount('portal-other')]);
  admin = await signIn(a);
});

/** The user ids a page links to. */
const linkedUsers = (html: string) => [...html.matchAll(/\/users\/([0-9a-f]{32})"/g)].map((m) => m[1]);

describe('the Customer Portal', () => {
  it('shows the account’s profile, signed in, never cached, under the Content-Security-Policy', async () => {
    const res = await admin.page('/store/portal');
    expect(res.status).toBe(200);
    expect(res.html).toContain(`<dd>${a.domain}</dd>`);
    expect(res.html).toContain(`<dd>${a.user}</dd>`);
    expect(res.html).toContain(a.projects[0]!.id);
    expect(res.html).toContain('| Customer Portal | Flexible Engine Cloud Store</title>');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.html).not.toMatch(/<style>|style="/);
  });

  it('sends a signed-out visitor to sign in, and back', async () => {
    const res = await call('/store/portal/users', { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/sign-in?next=%2Fstore%2Fportal%2Fusers');
  });

  it('lists the account’s users, creates one, and never lists or opens another account’s', async () => {
    const made = await admin.post('/store/portal/users', {
      name: 'portal-alice',
      email: 'alice@example.com',
      password: 'Alice-pass-123',
      enabled: 'on',
    });
    expect(made.status).toBe(303);
    expect(made.location).toBe('/store/portal/users');
    const page = await admin.page('/store/portal/users');
    expect(page.status).toBe(200);
    expect(page.html).toContain('portal-alice');
    expect(page.html).toContain(a.user);
    expect(page.html).not.toContain(b.user);
    expect(linkedUsers(page.html)).not.toContain(b.userId);
    const other = await admin.page(`/store/portal/users/${b.userId}`);
    expect(other.status).toBe(404);
    expect(other.html).not.toContain(b.user);
    // Nor can another account's user be disabled or deleted through a form.
    expect((await admin.post(`/store/portal/users/${b.userId}/disable`)).status).toBe(404);
    expect((await admin.post(`/store/portal/users/${b.userId}/delete`)).status).toBe(404);
    const bToken = await tokenFor(b);
    const still = await call(`/iam/v3/users/${b.userId}`, { token: bToken });
    expect((await json(still)).user.enabled).toBe(true);
  });

  it('shows a bad or refused input next to its field, with what was typed', async () => {
    const empty = await admin.post('/store/portal/users', { name: '', email: 'x@example.com' });
    expect(empty.status).toBe(400);
    expect(empty.html).toMatch(/<p class="error" id="name-error" role="alert">Enter the user name.<\/p>/);
    expect(empty.html).toContain('aria-invalid="true"');
    await admin.post('/store/portal/users', { name: 'portal-dup' });
    const dup = await admin.post('/store/portal/users', { name: 'portal-dup', email: 'dup@example.com' });
    expect(dup.status).toBe(409);
    expect(dup.html).toMatch(/id="name-error" role="alert">Duplicate entry: a user named &#39;portal-dup&#39; already exists/);
    expect(dup.html).toContain('value="dup@example.com"');
  });

  it('refuses a form without the session’s CSRF token', async () => {
    const res = await postForm('/store/portal/users', { name: 'portal-csrf' }, admin.cookie);
    expect(res.status).toBe(403);
    expect((await admin.page('/store/portal/users')).html).not.toContain('portal-csrf');
  });
});

describe('a user without identity rights', () => {
  let member: ConsoleSession;
  beforeAll(async () => {
    const u = await createUser(a, await tokenFor(a), { role: 'member' });
    member = await signIn(a, { user: u.name, password: u.password, region: a.projects[0]!.name });
  });

  it('sees the refusal in words, on pages and forms alike', async () => {
    const users = await member.page('/store/portal/users');
    expect(users.status).toBe(403);
    expect(users.html).toContain('<h1>Not allowed</h1>');
    expect(users.html).toContain('Policy doesn&#39;t allow iam:users:list to be performed.');
    expect(users.html).not.toContain(a.user);
    const create = await member.post('/store/portal/users', { name: 'by-member' });
    expect(create.status).toBe(403);
    expect((await member.page('/store/portal/groups')).status).toBe(403);
    expect((await member.page('/store/portal/policies')).status).toBe(403);
  });

  it('still reads its own profile and manages its own access keys', async () => {
    expect((await member.page('/store/portal')).status).toBe(200);
    const made = await member.post('/store/portal/credentials', { description: 'mine' });
    expect(made.status).toBe(201);
  });
});

describe('own access keys', () => {
  it('shows the secret key exactly once, then deactivates and deletes the key', async () => {
    const s = await signIn(a);
    const made = await s.post('/store/portal/credentials', { description: 'ci key' });
    expect(made.status).toBe(201);
    const access = /Access key \(AK\)<\/dt><dd><code>([A-Z0-9]+)<\/code>/.exec(made.html)?.[1];
    const secret = /Secret key \(SK\)<\/dt><dd><code>([^<]+)<\/code>/.exec(made.html)?.[1];
    expect(access && secret).toBeTruthy();
    expect(made.html.split(secret!).length - 1).toBe(1);
    expect(made.html).toContain('shown this once');
    const list = await s.page('/store/portal/credentials');
    expect(list.html).toContain(access!);
    expect(list.html).toContain('ci key');
    expect(list.html).not.toContain(secret!);
    // The API agrees, and never shows the secret either.
    const api = await json(await call(`/iam/v3.0/OS-CREDENTIAL/credentials/${access}`, { token: await tokenFor(a) }));
    expect(api.credential.status).toBe('active');
    expect(JSON.stringify(api)).not.toContain(secret!);
    expect((await s.post(`/store/portal/credentials/${access}/disable`)).status).toBe(303);
    expect((await s.page('/store/portal/credentials')).html).toMatch(new RegExp(`${access}[\\s\\S]*?data-status="inactive"`));
    expect((await s.post(`/store/portal/credentials/${access}/delete`)).status).toBe(303);
    expect((await s.page('/store/portal/credentials')).html).not.toContain(access!);
  });

  it("shows an administrator another user's keys on its page, to deactivate there, and nowhere else", async () => {
    const admin = await tokenFor(a);
    const u = await createUser(a, admin);
    const made = await json(
      await call('/iam/v3.0/OS-CREDENTIAL/credentials', { method: 'POST', token: admin, json: { credential: { user_id: u.id } } }),
    );
    const access = made.credential.access as string;
    const s = await signIn(a);
    const page = await s.page(`/store/portal/users/${u.id}`);
    expect(page.html).toContain(`<caption>Access keys of ${u.name}</caption>`);
    expect(page.html).toContain(access);
    expect(page.html).not.toContain(made.credential.secret);
    const off = await s.post(`/store/portal/credentials/${access}/disable`, { back: `/users/${u.id}` });
    expect(off.status).toBe(303);
    expect(off.location).toBe(`/store/portal/users/${u.id}`);
    expect((await json(await call(`/iam/v3.0/OS-CREDENTIAL/credentials/${access}`, { token: admin }))).credential.status).toBe('inactive');
    // A return path is only a user's page of this door.
    const elsewhere = await s.post(`/store/portal/credentials/${access}/enable`, { back: '//evil.example/users/x' });
    expect(elsewhere.location).toBe('/store/portal/credentials');
    // Its own keys page lists the caller's keys only.
    expect((await s.page('/store/portal/credentials')).html).not.toContain(access);
  });

  it('does not reach another user’s key', async () => {
    const token = await tokenFor(b);
    const theirs = await json(
      await call('/iam/v3.0/OS-CREDENTIAL/credentials', { method: 'POST', token, json: { credential: { user_id: b.userId } } }),
    );
    const access = theirs.credential.access as string;
    const s = await signIn(a);
    expect((await s.post(`/store/portal/credentials/${access}/delete`)).status).toBe(404);
    expect((await s.page('/store/portal/credentials')).html).not.toContain(access);
    expect((await call(`/iam/v3.0/OS-CREDENTIAL/credentials/${access}`, { token })).status).toBe(200);
  });
});

describe('own password', () => {
  it('shows a wrong old password next to its field, and a right one ends the session', async () => {
    const u = await createUser(a, await tokenFor(a), { role: 'member' });
    const s = await signIn(a, { user: u.name, password: u.password, region: a.projects[0]!.name });
    const wrong = await s.post('/store/portal/password', {
      original: 'not-my-password',
      password: 'New-pass-4567',
      confirm: 'New-pass-4567',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toMatch(
      /<input id="original" name="original" type="password" required="" aria-describedby="original-error" aria-invalid="true"/,
    );
    expect(wrong.html).toMatch(/id="original-error" role="alert">The original password is incorrect.<\/p>/);
    const differ = await s.post('/store/portal/password', { original: u.password, password: 'New-pass-4567', confirm: 'Other-pass-4567' });
    expect(differ.status).toBe(400);
    expect(differ.html).toContain('id="confirm-error"');
    const ok = await s.post('/store/portal/password', { original: u.password, password: 'New-pass-4567', confirm: 'New-pass-4567' });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/console/sign-in?next=%2Fstore%2Fportal');
    expect((await s.page('/store/portal')).status).toBe(303);
    await expect(signIn(a, { user: u.name, password: u.password, region: a.projects[0]!.name })).rejects.toThrow();
    const again = await signIn(a, { user: u.name, password: 'New-pass-4567', region: a.projects[0]!.name });
    expect((await again.page('/store/portal')).status).toBe(200);
  });
});

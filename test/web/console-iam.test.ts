/**
 * The identity pages' groups, roles and custom policies, in the Console's IAM section (the same pages as the
 * Customer Portal's, in the Console's shell): a custom policy made from its document, granted to a group, reaches
 * its members at their next sign-in, and taken away again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Account, createUser, newAccount, tokenFor } from '../fixtures.ts';
import { call } from '../request.ts';
import { type ConsoleSession, signIn } from './console.ts';

let a: Account;
let b: Account;
let admin: ConsoleSession;

beforeAll(async () => {
  [a, b] = await Promise.all([newAccount('ciam'), newAccount('ciam-other')]);
  admin = await signIn(a);
});

/** The id a page links to for the named object (`/console/iam/groups/<id>">name<`). */
function idOf(html: string, kind: 'users' | 'groups', name: string): string {
  const id = new RegExp(`/console/iam/${kind}/([0-9a-f]{32})">${name}<`).exec(html)?.[1];
  if (!id) throw new Error(`no ${kind} ${name} on the page`);
  return id;
}

describe("the Console's IAM section", () => {
  it('is a section of the Console, in its shell, with the same pages as the Portal', async () => {
    const home = await admin.page('/console');
    expect(home.html).toContain('<a href="/console/iam">');
    const users = await admin.page('/console/iam/users');
    expect(users.status).toBe(200);
    expect(users.html).toContain('| Flexible Engine Console</title>');
    expect(users.html).toMatch(/<a href="\/console\/iam" aria-current="page">/);
    expect(users.html).toContain('<caption>Users of the account</caption>');
    expect(users.html).toContain(a.user);
    expect(users.html).not.toContain(b.user);
  });

  it('shows a policy document that is not JSON, or not a policy, next to its field', async () => {
    const notJson = await admin.post('/console/iam/policies', { name: 'p-bad', type: 'XA', document: '{ not json' });
    expect(notJson.status).toBe(400);
    expect(notJson.html).toMatch(/id="document-error" role="alert">The policy document is not valid JSON.</);
    expect(notJson.html).toContain('{ not json');
    const badAction = await admin.post('/console/iam/policies', {
      name: 'p-bad',
      type: 'XA',
      document: JSON.stringify({ Version: '1.1', Statement: [{ Effect: 'Perhaps', Action: ['ecs:servers:get'] }] }),
    });
    expect(badAction.status).toBe(400);
    expect(badAction.html).toMatch(/id="document-error" role="alert">The policy document is not valid: Statement.0.Effect/);
  });

  it('grants a custom policy to a group: its member may list users from its next sign-in, and not after the revoke', async () => {
    const doc = JSON.stringify({ Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['iam:users:list'] }] });
    const made = await admin.post('/console/iam/policies', { name: 'user-readers', type: 'AX', description: 'reads users', document: doc });
    expect(made.status).toBe(303);
    const policies = await admin.page('/console/iam/policies');
    expect(policies.html).toContain('<th scope="row">user-readers</th>');
    const policyId = /\/console\/iam\/policies\/([0-9a-f]{32})\/delete/.exec(policies.html)![1]!;

    expect((await admin.post('/console/iam/groups', { name: 'readers' })).status).toBe(303);
    const groupId = idOf((await admin.page('/console/iam/groups')).html, 'groups', 'readers');
    // No role of its own (member's Deny of iam:*:* would win over any Allow): the group's policy is all it has.
    const u = await createUser(a, await tokenFor(a));
    expect((await admin.post(`/console/iam/groups/${groupId}/members`, { user: u.id })).status).toBe(303);
    const granted = await admin.post(`/console/iam/groups/${groupId}/roles`, { role: policyId, scope: 'domain' });
    expect(granted.status).toBe(303);
    const group = await admin.page(`/console/iam/groups/${groupId}`);
    expect(group.html).toContain(`>${u.name}</a>`);
    expect(group.html).toMatch(/<th scope="row">user-readers<\/th><td>The whole account<\/td>/);

    const member = await signIn(a, { user: u.name, password: u.password, region: a.projects[0]!.name });
    expect((await member.page('/console/iam/users')).status).toBe(200);
    // Still no right to create.
    expect((await member.post('/console/iam/users', { name: 'by-reader' })).status).toBe(403);

    expect((await admin.post(`/console/iam/groups/${groupId}/roles/revoke`, { role: policyId, scope: 'domain' })).status).toBe(303);
    // The revoke ends the member's sessions; signed in again, it is refused.
    expect((await member.page('/console/iam/users')).status).toBe(303);
    // The policy was its only role: now it has none in the project, and cannot even sign in there.
    await expect(signIn(a, { user: u.name, password: u.password, region: a.projects[0]!.name })).rejects.toThrow(/no role/);

    // Deleting the group and the policy takes them off their pages.
    expect((await admin.post(`/console/iam/groups/${groupId}/delete`)).status).toBe(303);
    expect((await admin.page('/console/iam/groups')).html).not.toContain('>readers<');
    expect((await admin.page(`/console/iam/groups/${groupId}`)).status).toBe(404);
    expect((await admin.post(`/console/iam/policies/${policyId}/delete`)).status).toBe(303);
    expect((await admin.page('/console/iam/policies')).html).not.toContain('user-readers');
    expect((await admin.post(`/console/iam/policies/${policyId}/delete`)).status).toBe(404);
  });

  it('refuses to grant another account’s policy, or to a group of another account', async () => {
    const bToken = await tokenFor(b);
    const theirs = await call('/iam/v3.0/OS-ROLE/roles', {
      method: 'POST',
      token: bToken,
      json: {
        role: { display_name: 'theirs', type: 'XA', policy: { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['*:*:*'] }] } },
      },
    });
    const theirPolicy = ((await theirs.json()) as { role: { id: string } }).role.id;
    const theirGroup = await call('/iam/v3/groups', { method: 'POST', token: bToken, json: { group: { name: 'their-group' } } });
    const theirGroupId = ((await theirGroup.json()) as { group: { id: string } }).group.id;
    await admin.post('/console/iam/users', { name: 'ciam-bob' });
    const bob = idOf((await admin.page('/console/iam/users')).html, 'users', 'ciam-bob');
    const foreignRole = await admin.post(`/console/iam/users/${bob}/roles`, { role: theirPolicy, scope: 'domain' });
    expect(foreignRole.status).toBe(404);
    expect(foreignRole.html).toMatch(/id="role-error" role="alert">Could not find role/);
    expect((await admin.page(`/console/iam/groups/${theirGroupId}`)).status).toBe(404);
    expect((await admin.post(`/console/iam/users/${bob}/groups`, { group: theirGroupId })).status).toBe(404);
    expect((await admin.page('/console/iam/policies')).html).not.toContain('theirs');
  });

  it('disables, enables and deletes a user from the list', async () => {
    await admin.post('/console/iam/users', { name: 'ciam-carol', password: 'Carol-pass-123', enabled: 'on' });
    const carol = idOf((await admin.page('/console/iam/users')).html, 'users', 'ciam-carol');
    // A role on the whole account, granted on the user's own page, lets it sign in to any project.
    const readonly = /<option value="([0-9a-f]{32})">readonly: /.exec((await admin.page(`/console/iam/users/${carol}`)).html)![1]!;
    expect((await admin.post(`/console/iam/users/${carol}/roles`, { role: readonly, scope: 'domain' })).status).toBe(303);
    expect((await admin.page(`/console/iam/users/${carol}`)).html).toMatch(/<th scope="row">readonly<\/th><td>The whole account<\/td>/);
    await signIn(a, { user: 'ciam-carol', password: 'Carol-pass-123', region: a.projects[0]!.name });
    expect((await admin.post(`/console/iam/users/${carol}/disable`)).status).toBe(303);
    expect((await admin.page(`/console/iam/users/${carol}`)).html).toContain('data-status="disabled"');
    await expect(signIn(a, { user: 'ciam-carol', password: 'Carol-pass-123', region: a.projects[0]!.name })).rejects.toThrow(/401/);
    expect((await admin.post(`/console/iam/users/${carol}/enable`)).status).toBe(303);
    await signIn(a, { user: 'ciam-carol', password: 'Carol-pass-123', region: a.projects[0]!.name });
    expect((await admin.post(`/console/iam/users/${carol}/delete`)).status).toBe(303);
    expect((await admin.page('/console/iam/users')).html).not.toContain('ciam-carol');
    expect((await admin.page(`/console/iam/users/${carol}`)).status).toBe(404);
  });
});

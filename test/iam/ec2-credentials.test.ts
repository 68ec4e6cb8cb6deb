/**
 * Keystone's EC2 credentials, `/v3/users/{id}/credentials/OS-EC2` (issue 18): made for a project, listed and shown
 * with their secret as Keystone does, deleted; they are the account's access keys (the two-per-user limit holds
 * across both APIs) while keys made through IAM's AK/SK API stay unlisted and unshown here.
 */
import { describe, expect, it } from 'vitest';
import { createUser, newAccount, tokenFor } from '../fixtures.ts';
import { keystone, send } from '../request.ts';

describe('OS-EC2 credentials', () => {
  it('creates, lists, shows and deletes a user’s own EC2 credential, with its project and secret', async () => {
    const a = await newAccount('ec2');
    const admin = await tokenFor(a);
    // A user of its own, without keys yet (the account's administrator has the one the bootstrap made).
    const u = await createUser(a, admin, { role: 'readonly' });
    const token = await tokenFor(a, { user: u.name, password: u.password });
    const path = `/users/${u.id}/credentials/OS-EC2`;
    const made = await keystone(token, 'POST', path, { tenant_id: a.projects[0]!.id });
    expect(made.status).toBe(201);
    const cred = made.body.credential;
    expect(cred).toEqual({
      user_id: u.id,
      tenant_id: a.projects[0]!.id,
      access: expect.stringMatching(/^[A-Z0-9]{20}$/),
      secret: expect.stringMatching(/^.{30,}$/),
      trust_id: null,
      links: { self: `http://cloud.test/iam/v3${path}/${cred.access}` },
    });
    // An AK/SK made through IAM is one of the same two keys, but not an EC2 credential to list.
    const iamKey = await send(token, 'POST', '/iam/v3.0/OS-CREDENTIAL/credentials', { credential: { user_id: u.id } });
    expect(iamKey.status).toBe(201);
    expect((await keystone(token, 'GET', path)).body.credentials).toEqual([cred]);
    expect((await keystone(token, 'GET', `${path}/${cred.access}`)).body.credential).toEqual(cred);
    const third = await keystone(token, 'POST', path, { tenant_id: a.projects[0]!.id });
    expect(third.status).toBe(409);
    expect((await keystone(token, 'GET', `${path}/${iamKey.body.credential.access}`)).status).toBe(404);
    expect((await keystone(token, 'DELETE', `${path}/${cred.access}`)).status).toBe(204);
    expect((await keystone(token, 'GET', `${path}/${cred.access}`)).status).toBe(404);
    expect((await keystone(token, 'GET', path)).body.credentials).toEqual([]);
  });

  it('refuses another account’s project or user, and another user’s keys without the action', async () => {
    const a = await newAccount('ec2a');
    const b = await newAccount('ec2b');
    const token = await tokenFor(a);
    const path = `/users/${a.userId}/credentials/OS-EC2`;
    expect((await keystone(token, 'POST', path, { tenant_id: b.projects[0]!.id })).status).toBe(404);
    expect((await keystone(token, 'POST', `/users/${b.userId}/credentials/OS-EC2`, { tenant_id: a.projects[0]!.id })).status).toBe(404);
    expect((await keystone(token, 'POST', path, {})).status).toBe(400);
    const plain = await createUser(a, token, { role: 'readonly' });
    const userToken = await tokenFor(a, { user: plain.name, password: plain.password });
    expect((await keystone(userToken, 'POST', path, { tenant_id: a.projects[0]!.id })).status).toBe(403);
    const own = await keystone(userToken, 'POST', `/users/${plain.id}/credentials/OS-EC2`, { tenant_id: a.projects[0]!.id });
    expect(own.status).toBe(201);
    expect((await keystone(token, 'GET', `/users/${plain.id}/credentials/OS-EC2`)).body.credentials).toHaveLength(1);
  });
});

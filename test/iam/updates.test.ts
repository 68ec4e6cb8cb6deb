/**
 * Updates that change nothing: Keystone refuses an empty patch (its update schemas ask for one property at least),
 * Flexible Engine's key update takes every field as optional; neither may reach the directory as an empty update.
 */
import { describe, expect, it } from 'vitest';
import { createUser, newAccount, operatorToken, tokenFor } from '../fixtures.ts';
import { call, json, keystone, send } from '../request.ts';

describe('empty updates', () => {
  it('refuses an empty Keystone patch with 400 and changes nothing; a patch of only unknown attributes answers the entity unchanged', async () => {
    const a = await newAccount('upd');
    const token = await tokenFor(a, { scope: { domain: { id: a.domainId } } });
    const user = await createUser(a, token);
    const group = (await keystone(token, 'POST', '/groups', { group: { name: 'g1', description: 'first' } })).body.group;
    const role = (await keystone(token, 'POST', '/roles', { role: { name: `r-${crypto.randomUUID().slice(0, 6)}` } })).body.role;
    const project = (await keystone(token, 'POST', '/projects', { project: { name: `p-${crypto.randomUUID().slice(0, 6)}` } })).body
      .project;
    // Accounts (domains) are the operator's to change.
    const operator = await operatorToken();
    const cases: [string, string, string][] = [
      ['user', `/users/${user.id}`, token],
      ['group', `/groups/${group.id}`, token],
      ['role', `/roles/${role.id}`, token],
      ['project', `/projects/${project.id}`, token],
      ['domain', `/domains/${a.domainId}`, operator],
    ];
    for (const [kind, path, caller] of cases) {
      const before = (await keystone(caller, 'GET', path)).body[kind];
      expect(before, path).toBeTruthy();
      const empty = await keystone(caller, 'PATCH', path, { [kind]: {} });
      expect(empty.status, `${path} ${JSON.stringify(empty.body)}`).toBe(400);
      expect(empty.body.error).toEqual({
        code: 400,
        title: 'Bad Request',
        message: `Invalid input for field '${kind}': {} does not have enough properties`,
      });
      const unknown = await keystone(caller, 'PATCH', path, { [kind]: { colour: 'blue' } });
      expect(unknown.status, `${path} ${JSON.stringify(unknown.body)}`).toBe(200);
      expect(unknown.body[kind]).toEqual(before);
      expect((await keystone(caller, 'GET', path)).body[kind]).toEqual(before);
    }
  });

  it('answers an AK/SK update that names no field with the key unchanged', async () => {
    const a = await newAccount('upd');
    const token = await tokenFor(a);
    const created = await call('/iam/v3.0/OS-CREDENTIAL/credentials', {
      method: 'POST',
      token,
      json: { credential: { user_id: (await createUser(a, token)).id, description: 'ci' } },
    });
    const { access } = (await json(created)).credential;
    const path = `/iam/v3.0/OS-CREDENTIAL/credentials/${access}`;
    const before = (await send(token, 'GET', path)).body.credential;
    const put = await send(token, 'PUT', path, { credential: {} });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.credential).toEqual(before);
    expect((await send(token, 'GET', path)).body.credential).toEqual(before);
  });

  it('takes an empty custom policy patch without a 500', async () => {
    const a = await newAccount('upd');
    const token = await tokenFor(a, { scope: { domain: { id: a.domainId } } });
    const policy = { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['ecs:servers:list'] }] };
    const created = await send(token, 'POST', '/iam/v3.0/OS-ROLE/roles', {
      role: { display_name: `cp-${crypto.randomUUID().slice(0, 6)}`, type: 'XA', description: 'd', policy },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const path = `/iam/v3.0/OS-ROLE/roles/${created.body.role.id}`;
    const patched = await send(token, 'PATCH', path, { role: {} });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.role).toMatchObject({ display_name: created.body.role.display_name, policy });
  });
});

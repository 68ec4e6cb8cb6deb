import { describe, expect, it } from 'vitest';
import { createUser, newAccount, passwordAuth, roleId, tokenFor } from '../fixtures.ts';
import { call, json } from '../request.ts';

describe('users', () => {
  it('creates, lists with filters, shows, updates and deletes users', async () => {
    const a = await newAccount();
    const token = await tokenFor(a);
    const created = await call('/iam/v3/users', {
      method: 'POST',
      token,
      json: { user: { name: 'alice', password: 'Alice-pass-1', email: 'a@example.com' } },
    });
    expect(created.status).toBe(201);
    const { user } = await json(created);
    expect(user).toMatchObject({ name: 'alice', domain_id: a.domainId, enabled: true, email: 'a@example.com' });
    expect(user.password).toBeUndefined();
    expect(user.links.self).toBe(`http://cloud.test/iam/v3/users/${user.id}`);

    const byName = await json(await call('/iam/v3/users?name=alice', { token }));
    expect(byName.users.map((u: { id: string }) => u.id)).toEqual([user.id]);
    const all = await json(await call('/iam/v3/users', { token }));
    expect(all.users.map((u: { name: string }) => u.name).sort()).toEqual(['alice', a.user].sort());

    const patched = await call(`/iam/v3/users/${user.id}`, {
      method: 'PATCH',
      token,
      json: { user: { description: 'ops', enabled: false } },
    });
    expect(await json(patched)).toMatchObject({ user: { description: 'ops', enabled: false } });
    const disabled = await json(await call('/iam/v3/users?enabled=false', { token }));
    expect(disabled.users.map((u: { id: string }) => u.id)).toEqual([user.id]);

    expect((await call(`/iam/v3/users/${user.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(`/iam/v3/users/${user.id}`, { token })).status).toBe(404);
  });

  it('answers 409 on a duplicate name and writes nothing', async () => {
    const a = await newAccount();
    const token = await tokenFor(a);
    await call('/iam/v3/users', { method: 'POST', token, json: { user: { name: 'bob' } } });
    const again = await call('/iam/v3/users', { method: 'POST', token, json: { user: { name: 'bob', description: 'second' } } });
    expect(again.status).toBe(409);
    expect((await json(again)).error).toMatchObject({ code: 409, title: 'Conflict' });
    const list = await json(await call('/iam/v3/users?name=bob', { token }));
    expect(list.users).toHaveLength(1);
    expect(list.users[0].description).toBe('');
  });

  it('rejects invalid bodies with 400 naming the field, writing nothing', async () => {
    const a = await newAccount();
    const token = await tokenFor(a);
    const res = await call('/iam/v3/users', { method: 'POST', token, json: { user: { name: '', password: 'x' } } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain("'user.name'");
    const big = await call('/iam/v3/users', {
      method: 'POST',
      token,
      json: { user: { name: 'x', description: 'y'.repeat(2 * 1024 * 1024) } },
    });
    expect(big.status).toBe(413);
    const list = await json(await call('/iam/v3/users', { token }));
    expect(list.users).toHaveLength(1);
  });

  it('lets a user change its own password, which revokes its tokens; unknown fields are refused', async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const u = await createUser(a, admin, { role: 'readonly' });
    const t1 = await tokenFor(a, { user: u.name, password: u.password });
    const unknown = await call(`/iam/v3/users/${u.id}/password`, {
      method: 'POST',
      token: t1,
      json: { user: { password: 'New-pass-123', original_password: u.password, extra: 1 } },
    });
    expect(unknown.status).toBe(400);
    const wrong = await call(`/iam/v3/users/${u.id}/password`, {
      method: 'POST',
      token: t1,
      json: { user: { password: 'New-pass-123', original_password: 'nope' } },
    });
    expect(wrong.status).toBe(401);
    expect((await call('/iam/v3/auth/catalog', { token: t1 })).status).toBe(200);
    const ok = await call(`/iam/v3/users/${u.id}/password`, {
      method: 'POST',
      token: t1,
      json: { user: { password: 'New-pass-123', original_password: u.password } },
    });
    expect(ok.status).toBe(204);
    expect((await call('/iam/v3/auth/catalog', { token: t1 })).status).toBe(401);
    const old = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: passwordAuth(a, u.name, u.password, { project: { id: a.projects[0]!.id } }),
    });
    expect(old.status).toBe(401);
    await tokenFor(a, { user: u.name, password: 'New-pass-123' });
  });

  it("refuses to change another user's password through the self-service route", async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const u = await createUser(a, admin, { role: 'readonly' });
    const res = await call(`/iam/v3/users/${u.id}/password`, {
      method: 'POST',
      token: admin,
      json: { user: { password: 'New-pass-123', original_password: u.password } },
    });
    expect(res.status).toBe(401);
    await tokenFor(a, { user: u.name, password: u.password });
  });

  it('disabling a user revokes its tokens at once and stops sign-in', async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const u = await createUser(a, admin, { role: 'readonly' });
    const t = await tokenFor(a, { user: u.name, password: u.password });
    await call(`/iam/v3/users/${u.id}`, { method: 'PATCH', token: admin, json: { user: { enabled: false } } });
    expect((await call('/iam/v3/auth/catalog', { token: t })).status).toBe(401);
    const res = await call('/iam/v3/auth/tokens', { method: 'POST', json: passwordAuth(a, u.name, u.password) });
    expect(res.status).toBe(401);
  });

  it('locks a user after five failed sign-ins, even for the right password, until an admin resets it', async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const u = await createUser(a, admin, { role: 'readonly' });
    for (let i = 0; i < 5; i++) {
      expect((await call('/iam/v3/auth/tokens', { method: 'POST', json: passwordAuth(a, u.name, 'wrong-password') })).status).toBe(401);
    }
    const locked = await call('/iam/v3/auth/tokens', { method: 'POST', json: passwordAuth(a, u.name, u.password) });
    expect(locked.status).toBe(401);
    await call(`/iam/v3/users/${u.id}`, { method: 'PATCH', token: admin, json: { user: { password: 'Reset-pass-123' } } });
    await tokenFor(a, { user: u.name, password: 'Reset-pass-123' });
  });
});

describe('groups, roles and assignments', () => {
  it('grants a role through a group, lists assignments, and revokes on removal', async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const u = await createUser(a, admin);
    const g = await json(await call('/iam/v3/groups', { method: 'POST', token: admin, json: { group: { name: 'ops' } } }));
    const gid = g.group.id;
    expect((await call('/iam/v3/groups', { method: 'POST', token: admin, json: { group: { name: 'ops' } } })).status).toBe(409);
    expect((await call(`/iam/v3/groups/${gid}/users/${u.id}`, { method: 'PUT', token: admin })).status).toBe(204);
    expect((await call(`/iam/v3/groups/${gid}/users/${u.id}`, { method: 'HEAD', token: admin })).status).toBe(204);
    const readonly = await roleId(admin, 'readonly');
    const project = a.projects[0]!.id;
    expect((await call(`/iam/v3/projects/${project}/groups/${gid}/roles/${readonly}`, { method: 'PUT', token: admin })).status).toBe(204);
    const t = await tokenFor(a, { user: u.name, password: u.password });
    const listing = await json(await call(`/iam/v3/role_assignments?user.id=${u.id}&effective&include_names`, { token: admin }));
    expect(listing.role_assignments).toEqual([
      expect.objectContaining({
        role: { id: readonly, name: 'readonly' },
        user: expect.objectContaining({ id: u.id, name: u.name }),
        scope: { project: expect.objectContaining({ id: project, name: 'eu-west-0' }) },
      }),
    ]);
    const direct = await json(await call(`/iam/v3/role_assignments?group.id=${gid}`, { token: admin }));
    expect(direct.role_assignments).toHaveLength(1);
    expect((await call(`/iam/v3/users/${u.id}/groups`, { token: t })).status).toBe(200);
    expect((await call(`/iam/v3/groups/${gid}/users/${u.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await call('/iam/v3/auth/catalog', { token: t })).status).toBe(401);
    const res = await call('/iam/v3/auth/tokens', {
      method: 'POST',
      json: passwordAuth(a, u.name, u.password, { project: { id: project } }),
    });
    expect(res.status).toBe(401);
  });

  it('removing a role assignment revokes tokens scoped to that project only', async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const u = await createUser(a, admin, { role: 'readonly' });
    const rid = await roleId(admin, 'readonly');
    const [p0, p1] = a.projects;
    await call(`/iam/v3/projects/${p1!.id}/users/${u.id}/roles/${rid}`, { method: 'PUT', token: admin });
    const t0 = await tokenFor(a, { user: u.name, password: u.password, scope: { project: { id: p0!.id } } });
    const t1 = await tokenFor(a, { user: u.name, password: u.password, scope: { project: { id: p1!.id } } });
    expect((await call(`/iam/v3/projects/${p0!.id}/users/${u.id}/roles/${rid}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await call('/iam/v3/auth/catalog', { token: t0 })).status).toBe(401);
    expect((await call('/iam/v3/auth/catalog', { token: t1 })).status).toBe(200);
    expect((await call(`/iam/v3/projects/${p0!.id}/users/${u.id}/roles/${rid}`, { method: 'HEAD', token: admin })).status).toBe(404);
  });

  it('system roles cannot be changed, deleted, or shadowed by a custom role', async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const rid = await roleId(admin, 'te_admin');
    expect((await call(`/iam/v3/roles/${rid}`, { method: 'DELETE', token: admin })).status).toBe(403);
    expect((await call(`/iam/v3/roles/${rid}`, { method: 'PATCH', token: admin, json: { role: { name: 'x' } } })).status).toBe(403);
    expect((await call('/iam/v3/roles', { method: 'POST', token: admin, json: { role: { name: 'te_admin' } } })).status).toBe(409);
  });

  it('lists and shows projects, and refuses to delete a region project', async () => {
    const a = await newAccount();
    const admin = await tokenFor(a);
    const list = await json(await call('/iam/v3/projects', { token: admin }));
    expect(list.projects.map((p: { name: string }) => p.name).sort()).toEqual(['eu-west-0', 'eu-west-1']);
    const created = await call('/iam/v3/projects', { method: 'POST', token: admin, json: { project: { name: 'eu-west-0_dev' } } });
    expect(created.status).toBe(201);
    const { project } = await json(created);
    expect(project).toMatchObject({ name: 'eu-west-0_dev', domain_id: a.domainId, is_domain: false });
    expect((await call(`/iam/v3/projects/${project.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await call(`/iam/v3/projects/${a.projects[0]!.id}`, { method: 'DELETE', token: admin })).status).toBe(403);
    const mine = await json(await call('/iam/v3/auth/projects', { token: admin }));
    expect(mine.projects).toHaveLength(2);
  });
});

/**
 * The query of every IAM list: which parameters it reads, what a malformed one answers (the same 400 as ever), and
 * that a parameter it does not read changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';

const badLimit = (raw: string) => `Invalid limit '${raw}': it must be a non-negative integer.`;

async function admin() {
  const account = await newAccount('iamq');
  return { account, token: await tokenFor(account) };
}

/** Expects a Keystone 400 with exactly that message. */
async function refused(token: string, path: string, message: string) {
  const res = await send(token, 'GET', path);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.message).toBe(message);
}

/** Expects the list to answer 200 and the same as without the parameters after `?`. */
async function ignored(token: string, path: string) {
  const res = await send(token, 'GET', path);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  expect(res.body).toEqual((await send(token, 'GET', path.split('?')[0]!)).body);
}

describe('IAM list queries', () => {
  it('pages users, groups and projects by limit and marker, refusing a malformed limit or an unknown marker', async () => {
    const { token } = await admin();
    for (const c of ['users', 'groups', 'projects']) {
      await refused(token, `/iam/v3/${c}?limit=abc`, badLimit('abc'));
      await refused(token, `/iam/v3/${c}?limit=-1`, badLimit('-1'));
      await refused(token, `/iam/v3/${c}?limit=1.5`, badLimit('1.5'));
      const marker = crypto.randomUUID();
      await refused(token, `/iam/v3/${c}?marker=${marker}`, `marker [${marker}] not found`);
      await ignored(token, `/iam/v3/${c}?limit=&marker=&bogus=1&sort_key=nope`);
    }
    const { body } = await send(token, 'GET', '/iam/v3/projects?limit=1');
    expect(body.projects).toHaveLength(1);
    expect(body.links.next).toBe(body.projects[0].id);
  });

  it('reads the first of repeated values, and filters users and projects by enabled', async () => {
    const { account, token } = await admin();
    const first = await send(token, 'GET', `/iam/v3/projects?name=${account.projects[0]!.name}&name=nope`);
    expect(first.body.projects.map((p: { id: string }) => p.id)).toEqual([account.projects[0]!.id]);
    expect((await send(token, 'GET', '/iam/v3/users?enabled=false')).body.users).toEqual([]);
    expect((await send(token, 'GET', '/iam/v3/users?enabled=0')).body.users).toEqual([]);
    expect((await send(token, 'GET', '/iam/v3/users?enabled=yes')).body.users).toHaveLength(1);
  });

  it('ignores limit, marker and unknown parameters where a list is not paged', async () => {
    const { token } = await admin();
    for (const path of [
      '/iam/v3/domains',
      '/iam/v3/roles',
      '/iam/v3/role_assignments',
      '/iam/v3/credentials',
      '/iam/v3.0/OS-CREDENTIAL/credentials',
    ]) {
      await ignored(token, `${path}?limit=abc&marker=${crypto.randomUUID()}&bogus=1`);
    }
    for (const path of ['/iam/v3/auth/projects', '/iam/v3/auth/domains']) await ignored(token, `${path}?limit=abc&bogus=1`);
  });

  it('pages custom policies by per_page (else limit), refusing a malformed one', async () => {
    const { token } = await admin();
    await refused(token, '/iam/v3.0/OS-ROLE/roles?per_page=abc', badLimit('abc'));
    await refused(token, '/iam/v3.0/OS-ROLE/roles?limit=-2', badLimit('-2'));
    await ignored(token, '/iam/v3.0/OS-ROLE/roles?per_page=5&limit=abc&bogus=1');
    const marker = crypto.randomUUID();
    await refused(token, `/iam/v3.0/OS-ROLE/roles?marker=${marker}`, `marker [${marker}] not found`);
  });
});

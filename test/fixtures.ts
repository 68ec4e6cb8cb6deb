/** Shared fixtures: fresh accounts (through the bootstrap route), their tokens, users and roles. */
import { call, keystone } from './request.ts';

export interface Account {
  domainId: string;
  domain: string;
  userId: string;
  user: string;
  password: string;
  projects: { id: string; name: string }[];
  credential?: { access: string; secret: string };
}

/** Creates (or finds) accounts through the bootstrap route: a domain, its te_admin user, a project per region. */
export async function bootstrapAccounts(
  accounts: { domain: string; user: string; password: string; operator?: boolean }[],
): Promise<Account[]> {
  const res = await call('/internal/bootstrap', {
    method: 'POST',
    headers: { Authorization: 'Bearer test-bootstrap-token' },
    json: { accounts },
  });
  if (res.status !== 200) throw new Error(`bootstrap failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { accounts: Omit<Account, 'password'>[] };
  return body.accounts.map((a, i) => ({ ...a, password: accounts[i]!.password }));
}

let counter = 0;
/** A new customer account with a unique name. */
export async function newAccount(prefix = 'acct'): Promise<Account> {
  const name = `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
  const [a] = await bootstrapAccounts([{ domain: name, user: `${name}-admin`, password: 'Secret-pass-123' }]);
  return a!;
}

/** The operator account (te_admin of the whole cloud). */
export async function operatorAccount(): Promise<Account> {
  const [a] = await bootstrapAccounts([{ domain: 'operator', user: 'te_admin', password: 'Operator-pass-123', operator: true }]);
  return a!;
}

/** Password credentials for a user in an account's domain, scoped as asked. */
export function passwordAuth(a: { domain: string }, user: string, password: string, scope?: unknown) {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: { name: a.domain }, password } } },
      ...(scope === undefined ? {} : { scope }),
    },
  };
}

/** Issues a token; scoped to the account's first project unless told otherwise. */
export async function tokenFor(a: Account, opts: { user?: string; password?: string; scope?: unknown } = {}): Promise<string> {
  const scope = opts.scope ?? { project: { id: a.projects[0]!.id } };
  const res = await keystone(undefined, 'POST', '/auth/tokens', passwordAuth(a, opts.user ?? a.user, opts.password ?? a.password, scope));
  if (res.status !== 201) throw new Error(`token issue failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.headers.get('X-Subject-Token')!;
}

/** The id of a role by name, as the caller sees it. */
export async function roleId(token: string, name: string): Promise<string> {
  const { body } = await keystone(token, 'GET', `/roles?name=${encodeURIComponent(name)}`);
  if (!body.roles[0]) throw new Error(`no role ${name}`);
  return body.roles[0].id as string;
}

/** Creates a user in the caller's account; optionally grants it a role on the account's first project. */
export async function createUser(a: Account, token: string, opts: { role?: string; password?: string } = {}) {
  const name = `u-${crypto.randomUUID().slice(0, 8)}`;
  const password = opts.password ?? 'User-pass-12345';
  const res = await keystone(token, 'POST', '/users', { user: { name, password } });
  if (res.status !== 201) throw new Error(`user create failed: ${res.status} ${JSON.stringify(res.body)}`);
  const user = res.body.user as { id: string };
  if (opts.role) {
    const rid = await roleId(token, opts.role);
    const put = await keystone(token, 'PUT', `/projects/${a.projects[0]!.id}/users/${user.id}/roles/${rid}`);
    if (put.status !== 204) throw new Error(`grant failed: ${put.status}`);
  }
  return { id: user.id, name, password };
}

let seq = 0;
/** Many fresh customer accounts in one bootstrap call, each with a project-scoped token. */
export async function manyAccounts(n: number, prefix = 'net'): Promise<{ account: Account; token: string }[]> {
  const stamp = `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}-${crypto.randomUUID().slice(0, 6)}`;
  const accounts = await bootstrapAccounts(
    Array.from({ length: n }, (_, i) => ({ domain: `${stamp}-${i}`, user: `${stamp}-${i}-admin`, password: 'Secret-pass-123' })),
  );
  return Promise.all(accounts.map(async (account) => ({ account, token: await tokenFor(account) })));
}

/** The operator's token. */
export async function operatorToken(): Promise<string> {
  return tokenFor(await operatorAccount());
}

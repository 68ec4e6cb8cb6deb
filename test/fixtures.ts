/** Shared test helpers: requests into the Worker, fresh accounts, tokens. */
import { exports } from 'cloudflare:workers';

export const ORIGIN = 'http://cloud.test';

/** Sends a request to the Worker under test. */
export function call(path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('X-Auth-Token', init.token);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return (exports as unknown as { default: Fetcher }).default.fetch(new Request(ORIGIN + path, { ...init, headers, body }));
}

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
  const res = await call('/iam/v3/auth/tokens', {
    method: 'POST',
    json: passwordAuth(a, opts.user ?? a.user, opts.password ?? a.password, scope),
  });
  if (res.status !== 201) throw new Error(`token issue failed: ${res.status} ${await res.text()}`);
  return res.headers.get('X-Subject-Token')!;
}

/** Parses a JSON response body. */
export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** The id of a role by name, as the caller sees it. */
export async function roleId(token: string, name: string): Promise<string> {
  const res = await call(`/iam/v3/roles?name=${encodeURIComponent(name)}`, { token });
  const body = await json<{ roles: { id: string }[] }>(res);
  if (!body.roles[0]) throw new Error(`no role ${name}`);
  return body.roles[0].id;
}

/** Creates a user in the caller's account; optionally grants it a role on the account's first project. */
export async function createUser(a: Account, token: string, opts: { role?: string; password?: string } = {}) {
  const name = `u-${crypto.randomUUID().slice(0, 8)}`;
  const password = opts.password ?? 'User-pass-12345';
  const res = await call('/iam/v3/users', { method: 'POST', token, json: { user: { name, password } } });
  if (res.status !== 201) throw new Error(`user create failed: ${res.status} ${await res.text()}`);
  const { user } = await json<{ user: { id: string } }>(res);
  if (opts.role) {
    const rid = await roleId(token, opts.role);
    const put = await call(`/iam/v3/projects/${a.projects[0]!.id}/users/${user.id}/roles/${rid}`, { method: 'PUT', token });
    if (put.status !== 204) throw new Error(`grant failed: ${put.status}`);
  }
  return { id: user.id, name, password };
}

/**
 * A Console session for workerd tests: signs in through the Console's own form (as a browser does), keeps the
 * session cookie, and reads the page's CSRF token, so tests post forms the way a page of this origin does.
 */
import type { Account } from '../fixtures.ts';
import { call, ORIGIN } from '../request.ts';

/** A page or form answer read whole. */
export interface WebReply {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

async function read(res: Response): Promise<WebReply> {
  return { status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers };
}

/** The value of a cookie a response sets (undefined when it sets none of that name). */
export function cookieSet(res: { headers: Headers }, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [k, ...v] = pair!.split('=');
    if (k?.trim() === name) return v.join('=');
  }
  return undefined;
}

/** Posts a form as a page of this origin would (urlencoded, with Origin), with the cookie if given. */
export async function postForm(
  path: string,
  fields: Record<string, string | string[]>,
  cookie?: string,
  headers: Record<string, string> = {},
) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return call(path, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });
}

/** A signed-in Console session. */
export interface ConsoleSession {
  cookie: string;
  csrf: string;
  project: string;
  /** GETs a page with the session. */
  page(path: string): Promise<WebReply>;
  /** Posts a form with the session's cookie and CSRF token. */
  post(path: string, fields?: Record<string, string | string[]>): Promise<WebReply>;
  /** Sends any request with the session's cookie (and CSRF header for writes), e.g. a script's fetch. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** Signs in to the Console with the account's administrator (or the user given) in its first region. */
export async function signIn(a: Account, opts: { user?: string; password?: string; region?: string } = {}): Promise<ConsoleSession> {
  const res = await postForm('/console/sign-in', {
    account: a.domain,
    user: opts.user ?? a.user,
    password: opts.password ?? a.password,
    region: opts.region ?? 'eu-west-0',
    next: '/console',
  });
  const token = cookieSet(res, 'fe_session');
  if (res.status !== 303 || !token) throw new Error(`Console sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = `fe_session=${token}`;
  const home = await read(await call('/console', { headers: { Cookie: cookie }, redirect: 'manual' }));
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(home.html)?.[1];
  if (!csrf) throw new Error(`the Console's overview carries no CSRF token: ${home.status}`);
  const project = a.projects.find((p) => p.name === (opts.region ?? 'eu-west-0'))?.id ?? '';
  return {
    cookie,
    csrf,
    project,
    page: async (path) => read(await call(path, { headers: { Cookie: cookie }, redirect: 'manual' })),
    post: async (path, fields = {}) => read(await postForm(path, { _csrf: csrf, ...fields }, cookie)),
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('Cookie', cookie);
      if (init.method && init.method !== 'GET') {
        headers.set('X-CSRF-Token', csrf);
        headers.set('Origin', ORIGIN);
      }
      return call(path, { ...init, headers, redirect: 'manual' });
    },
  };
}

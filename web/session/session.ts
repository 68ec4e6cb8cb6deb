/**
 * The signed-in web session, shared by the Console and the Customer Portal: the Keystone token in an HttpOnly,
 * SameSite=Strict cookie (Secure off localhost), verified exactly as an `X-Auth-Token` is (signature, then the
 * user's guard: revocation takes effect at the next page), and CSRF protection on every request that changes
 * something: same-origin only, and a token bound to the session's token id.
 */
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Env } from '../../core/env.ts';
import { userGuard } from '../../workers/auth/guard.ts';
import { principalFromToken } from '../../workers/auth/middleware.ts';
import type { Principal } from '../../workers/auth/principal.ts';
import type { AppContext, AppEnv } from '../../workers/lib/app.ts';
import { constantTimeEqual, hmacSha256Hex } from '../../workers/lib/crypto.ts';
import { ApiError, forbidden } from '../../workers/lib/errors.ts';

const SESSION = 'fe_session';
/** The largest form a page may post (a file in a plain upload form included); the Worker reads a form whole. */
export const MAX_FORM_BYTES = 32 * 2 ** 20;
const FLASH = 'fe_flash';

/** Browsers keep a Secure cookie only over HTTPS; the local cloud on 127.0.0.1 is plain HTTP. */
function secure(c: AppContext): boolean {
  const host = new URL(c.req.url).hostname;
  return !(host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost'));
}

/** Starts a session with a token that ends at `expiresAtMs`. */
export function startSession(c: AppContext, token: string, expiresAtMs: number): void {
  const maxAge = Math.max(0, Math.floor((expiresAtMs - Date.now()) / 1000));
  setCookie(c, SESSION, token, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/', maxAge });
}

/** Revokes the session's token, everywhere at once (sign-out; a region switch replaces it). */
export async function revokeSessionToken(c: AppContext): Promise<void> {
  const p = c.get('principal');
  if (p?.tokenId) await userGuard(c.env, p.userId).revokeToken(p.tokenId, p.expiresAtMs);
}

/** Ends the session: revokes its token and clears the cookie. */
export async function endSession(c: AppContext): Promise<void> {
  await revokeSessionToken(c);
  deleteCookie(c, SESSION, { path: '/', secure: secure(c) });
}

/** The session's token, if the request carries one (the region switch re-scopes it). */
export const sessionToken = (c: AppContext): string | undefined => getCookie(c, SESSION);

/** Where a signed-out visitor is sent to sign in, coming back to the page asked for. */
export const signInPath = (next: string) => `/console/sign-in?next=${encodeURIComponent(next)}`;

/** A path to return to after signing in: only this origin's Console or Portal pages. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(console|store\/portal)(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/console';
}

/**
 * Requires a signed-in session: sets `c.var.principal` from the cookie's token, so `act()` and `callerOf()` work as
 * in the APIs. Without one, a page (GET) redirects to the sign-in page and anything else is refused.
 */
export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = sessionToken(c);
    const principal = token ? await principalFromToken(c.env, token) : null;
    if (!principal) {
      if (token) deleteCookie(c, SESSION, { path: '/', secure: secure(c) });
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const url = new URL(c.req.url);
        return c.redirect(signInPath(url.pathname + url.search), 303);
      }
      throw new ApiError(401, 'Your session has ended: sign in again.');
    }
    c.set('principal', principal);
    c.set('csrf', await csrfToken(c.env, principal));
    await next();
    // A signed-in page is the account's own: never stored by a cache.
    c.header('Cache-Control', 'no-store');
  };
}

/** The CSRF token of a session: bound to its token id, so it dies with the session and cannot be guessed. */
export function csrfToken(env: Env, p: Principal): Promise<string> {
  return hmacSha256Hex(env.PLATFORM_KEY, `web-csrf:${p.tokenId ?? ''}`);
}

/** Whether a request came from a page of this origin (the browser says so in Sec-Fetch-Site or Origin). */
function sameOrigin(c: AppContext): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  return !origin || origin === new URL(c.req.url).origin;
}

/**
 * Refuses a request that changes something unless it comes from this origin with the session's CSRF token (the
 * form field `_csrf` or the header `X-CSRF-Token`). Runs after `session()`; reads and sign-in pass.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!sameOrigin(c)) throw forbidden('This form was sent from another site: it is refused.');
    let sent = c.req.header('x-csrf-token');
    if (!sent && /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(c.req.header('content-type') ?? '')) {
      // A form is read whole to find its token: its size is bounded first (a large file goes in parts, by script).
      const length = Number(c.req.header('content-length') ?? Number.NaN);
      if (!(length <= MAX_FORM_BYTES))
        throw new ApiError(
          413,
          `A form over ${MAX_FORM_BYTES / 2 ** 20} MiB is refused: with JavaScript on, a large file is uploaded in parts.`,
        );
      const field = (await c.req.parseBody())._csrf;
      sent = typeof field === 'string' ? field : undefined;
    }
    const expected = c.get('csrf');
    if (!expected || !sent || !constantTimeEqual(sent, expected)) throw forbidden('The form has expired: reload the page and try again.');
    await next();
  };
}

/** Refuses a cross-site post to a form that needs no session yet (the sign-in form). */
export function sameOriginOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameOrigin(c))
      throw forbidden('This form was sent from another site: it is refused.');
    await next();
  };
}

/** Leaves a one-time message for the next page (after a redirect). */
export function flash(c: AppContext, message: string): void {
  setCookie(c, FLASH, message, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/', maxAge: 60 });
}

/** Takes the one-time message left for this page, if any (a page read takes it; a form post leaves it). */
export function takeFlash(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const message = c.req.method === 'GET' ? getCookie(c, FLASH) : undefined;
    if (message) {
      c.set('flash', message);
      deleteCookie(c, FLASH, { path: '/', secure: secure(c) });
    }
    await next();
  };
}

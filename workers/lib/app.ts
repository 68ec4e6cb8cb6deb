/** The Hono application type shared by every service module, and the cross-cutting middleware. */

import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { Env } from '../../core/env.ts';
import type { Principal } from '../auth/principal.ts';
import { ApiError, type ErrorFamily, errorBody } from './errors.ts';

export interface AppVariables {
  requestId: string;
  family: ErrorFamily;
  principal: Principal;
  /** The web session's CSRF token (web/session/session.ts), on Console and Portal requests. */
  csrf?: string;
  /** A one-time message for the page a web form redirected to. */
  flash?: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
export type AppContext = Context<AppEnv>;

/** A new Hono router typed for this Worker; a trailing slash names the same resource (`/v2.0/` = `/v2.0`). */
export function router() {
  return new Hono<AppEnv>({ strict: false });
}

/** Sets the error envelope family for the routes below it. */
export function family(f: ErrorFamily): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('family', f);
    await next();
  };
}

const REQUEST_ID_HEADERS: Record<ErrorFamily, string[]> = {
  keystone: ['X-Openstack-Request-Id'],
  nova: ['X-Openstack-Request-Id', 'X-Compute-Request-Id'],
  neutron: ['X-Openstack-Request-Id'],
  native: ['X-Openstack-Request-Id', 'X-Request-Id'],
  coded: ['X-Openstack-Request-Id', 'X-Request-Id'],
  ces: ['X-Openstack-Request-Id', 'X-Request-Id'],
  octavia: ['X-Openstack-Request-Id'],
  smn: ['X-Openstack-Request-Id', 'X-Request-Id'],
  heat: ['X-Openstack-Request-Id'],
  s3: ['x-amz-request-id', 'x-obs-request-id'],
};

/** Gives every request an id, stamps it on the response, and writes one structured log line. */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    const requestId = `req-${crypto.randomUUID()}`;
    c.set('requestId', requestId);
    c.set('family', 'keystone');
    await next();
    for (const h of REQUEST_ID_HEADERS[c.get('family')]) c.res.headers.set(h, requestId);
    const principal = c.var.principal;
    console.log(
      JSON.stringify({
        at: new Date(started).toISOString(),
        request_id: requestId,
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        ms: Date.now() - started,
        user_id: principal?.userId,
        project_id: principal?.scope.type === 'project' ? principal.scope.projectId : undefined,
      }),
    );
  };
}

/** Renders an error in the envelope of the route's family; unexpected errors become 500 without details. */
export function renderError(err: unknown, c: AppContext): Response {
  const fam = c.get('family') ?? 'keystone';
  const requestId = c.get('requestId') ?? '';
  let status = 500;
  let message = 'The server has either erred or is incapable of performing the requested operation.';
  let code: string | undefined;
  if (err instanceof ApiError) {
    ({ status, message, code } = err);
  } else {
    console.error(JSON.stringify({ request_id: requestId, error: String(err), stack: (err as Error)?.stack }));
  }
  const body = errorBody(fam, status, message, code, requestId);
  // A body refused as too large was not read: the connection cannot carry another request after it, so say so
  // (a client that reused it saw its next request fail without a word).
  const close: Record<string, string> = status === 413 ? { Connection: 'close' } : {};
  if ('xml' in body) return c.body(body.xml ?? '', status as 500, { 'Content-Type': 'application/xml', ...close });
  return c.json(body.json, status as 500, close);
}

/**
 * A router whose refusals carry a native API's own codes (`Ecs.0114`, `EVS.5400`): `code` names the code of a
 * refusal (its status and the owner's kind), `statuses` the statuses the native API gives where the owner's differ.
 */
export function codedRouter(code: (status: number, kind?: string) => string | undefined, statuses: Record<string, number> = {}) {
  const r = router();
  r.onError((err, c: AppContext) =>
    renderError(
      err instanceof ApiError ? new ApiError((err.code && statuses[err.code]) || err.status, err.message, code(err.status, err.code)) : err,
      c,
    ),
  );
  return r;
}

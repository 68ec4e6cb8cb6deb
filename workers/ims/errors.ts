/**
 * IMS's error bodies. Glance answers through webob: `{"message", "code": "404 Not Found", "title"}` to a client
 * that accepts JSON (openstacksdk reads `message`), else the same words as text; the native API answers
 * `{"error": {"message", "code": "IMG.xxxx"}}`. Unexpected errors are a 500 without details, as everywhere.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../lib/app.ts';
import { ApiError, TITLES } from '../lib/errors.ts';

/** The native codes IMS documents, by status (IMG.0001: the request is malformed). */
const NATIVE_CODES: Record<number, string> = { 400: 'IMG.0001', 401: 'IMG.0401', 403: 'IMG.0403', 404: 'IMG.0404', 409: 'IMG.0409' };

/** Whether a path is the native API's (`/ims/v1/...`, `/ims/v2/cloudimages...`). */
export const isNative = (path: string) => /^\/ims\/(v1\/|v2\/cloudimages)/.test(path);

/** Renders an error of an IMS route in its API's shape. */
export function renderImsError(err: unknown, c: Context<AppEnv>): Response {
  let status = 500;
  let message = 'The server has either erred or is incapable of performing the requested operation.';
  let code: string | undefined;
  if (err instanceof ApiError) ({ status, message, code } = err);
  else console.error(JSON.stringify({ request_id: c.get('requestId'), error: String(err), stack: (err as Error)?.stack }));
  const title = TITLES[status] ?? 'Error';
  const headers = { 'X-Openstack-Request-Id': c.get('requestId') ?? '' };
  if (isNative(new URL(c.req.url).pathname)) {
    const native = code?.startsWith('IMG.') ? code : (NATIVE_CODES[status] ?? `IMG.0${status}`);
    return c.json({ error: { message, code: native } }, status as 400, headers);
  }
  if ((c.req.header('accept') ?? '').includes('json'))
    return c.json({ message, code: `${status} ${title}`, title }, status as 400, headers);
  return c.text(`${status} ${title}\n\n${message}\n\n   `, status as 400, headers);
}

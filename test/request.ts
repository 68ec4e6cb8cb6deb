/**
 * The one way tests send a request into the Worker under test, thin wrappers per API family over it, and what
 * each family answers when it refuses (its error envelope).
 */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';

/** The main origin the Worker under test is called on. */
export const ORIGIN = 'http://cloud.test';
/** Neutron's base path. */
export const V2 = '/vpc/v2.0';

/** Hands a request, as built, to the Worker under test (signed requests, other hosts). */
export function dispatch(request: Request): Promise<Response> {
  return (exports as unknown as { default: Fetcher }).default.fetch(request);
}

/** Sends a request to the Worker under test on the main origin; `json` becomes the body, `token` the X-Auth-Token. */
export function call(path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('X-Auth-Token', init.token);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return dispatch(new Request(ORIGIN + path, { ...init, headers, body }));
}

/** Parses a JSON response body. */
export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** A response read whole: its status, its parsed body (null when empty) and its headers. */
export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** Sends a JSON request with the token and answers the reply read whole. */
export async function send(
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Reply> {
  const res = await call(path, { method, token, json: body, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A Nova request under the project's endpoint, /ecs/v2.1/{project}. */
export function nova(
  token: string | undefined,
  project: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  return send(token, method, `/ecs/v2.1/${project}${path}`, body, headers);
}

/** A Neutron request under /vpc/v2.0. */
export function neutron(token: string | undefined, method: string, path: string, body?: unknown) {
  return send(token, method, V2 + path, body);
}

/** A request to a Flexible Engine native API (ECS v1, VPC v1) in the caller's own project. */
export function native(service: 'ecs' | 'vpc', t: { token: string; project: string }, method: string, path: string, body?: unknown) {
  return send(t.token, method, `/${service}/v1/${t.project}${path}`, body);
}

/** A Keystone request under /iam/v3. */
export function keystone(token: string | undefined, method: string, path: string, body?: unknown) {
  return send(token, method, `/iam/v3${path}`, body);
}

/** Asserts a Nova error: the status and the one-key envelope `{<key>: {code, message}}`. */
export function expectNovaError(res: Reply, status: number, key?: string, message?: string | RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const keys = Object.keys(res.body ?? {});
  expect(keys, JSON.stringify(res.body)).toHaveLength(1);
  const inner = res.body[keys[0]!];
  expect(inner).toEqual({ code: status, message: expect.any(String) });
  expect(inner.message.length).toBeGreaterThan(0);
  if (key) expect(keys[0]).toBe(key);
  if (message) expect(inner.message).toMatch(message);
}

/** Asserts a Neutron error: the status, the envelope, and (optionally) its type and a piece of its message. */
export function expectNeutronError(res: { status: number; body: any }, status: number, type?: string, message?: string | RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(['NeutronError']);
  expect(res.body.NeutronError).toEqual({ type: expect.any(String), message: expect.any(String), detail: expect.any(String) });
  expect(res.body.NeutronError.message.length).toBeGreaterThan(0);
  if (type) expect(res.body.NeutronError.type).toBe(type);
  if (message) expect(res.body.NeutronError.message).toMatch(message);
}

/** Asserts the native error envelope: status, exactly error_code/error_msg/request_id, and the code and message if given. */
export function expectNativeError(res: Reply, status: number, code?: string, message?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body).sort()).toEqual(['error_code', 'error_msg', 'request_id']);
  expect(res.body.error_msg.length).toBeGreaterThan(0);
  expect(res.body.request_id).toBe(res.headers.get('X-Request-Id'));
  if (code) expect(res.body.error_code).toBe(code);
  if (message) expect(res.body.error_msg).toMatch(message);
}

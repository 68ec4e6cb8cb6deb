/** Fixtures of the IMS tests: Glance requests (JSON errors asked for), JSON-patches, uploads and a project's image. */
import { expect } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { call, type Reply, send } from '../request.ts';

/** A Glance request; errors come back as Glance's JSON (`{message, code, title}`). */
export function glance(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(token, method, `/ims${path}`, body, { Accept: 'application/json', ...headers });
}

/** Reads a response whole (JSON when it has a body). */
async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A JSON-patch in Glance's media type (or the one given). */
export async function patch(
  token: string,
  id: string,
  ops: unknown,
  type = 'application/openstack-images-v2.1-json-patch',
): Promise<Reply> {
  const res = await call(`/ims/v2/images/${id}`, {
    method: 'PATCH',
    token,
    headers: { 'Content-Type': type, Accept: 'application/json' },
    body: typeof ops === 'string' ? ops : JSON.stringify(ops),
  });
  return reply(res);
}

/** Uploads bytes (`PUT /file`, octet-stream), with a Content-Length unless `chunked`. */
export async function upload(token: string, id: string, bytes: Uint8Array, chunked = false): Promise<Reply> {
  const body = chunked
    ? new ReadableStream<Uint8Array>({
        start(ctl) {
          for (let at = 0; at < bytes.byteLength; at += 100_000) ctl.enqueue(bytes.slice(at, at + 100_000));
          ctl.close();
        },
      })
    : bytes;
  const res = await call(`/ims/v2/images/${id}/file`, {
    method: 'PUT',
    token,
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
    body,
    ...(chunked ? { duplex: 'half' } : {}),
  } as RequestInit);
  return reply(res);
}

/** Downloads an image's data. */
export function download(token: string, id: string): Promise<Response> {
  return call(`/ims/v2/images/${id}/file`, { token });
}

/** A fresh account's project and token. */
export async function imageProject(prefix = 'ims') {
  const account = await newAccount(prefix);
  return { account, token: await tokenFor(account), project: account.projects[0]!.id };
}

/** Creates an image (201 expected) and answers it. */
export async function createImage(token: string, body: Record<string, unknown> = {}) {
  const res = await glance(token, 'POST', '/v2/images', { name: 'img', disk_format: 'qcow2', container_format: 'bare', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Deterministic bytes of a given length. */
export function bytesOf(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The hex digest of bytes. */
export async function digest(algo: 'MD5' | 'SHA-512', bytes: Uint8Array | ArrayBuffer): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest(algo, bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Asserts Glance's JSON error: the status and a message matching. */
export function expectGlanceError(res: Reply, status: number, message?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({
    message: expect.any(String),
    code: expect.stringMatching(new RegExp(`^${status} `)),
    title: expect.any(String),
  });
  if (message) expect(res.body.message).toMatch(message);
}

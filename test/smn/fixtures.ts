/**
 * SMN's test fixtures: a project with its token, SMN calls under its endpoint, and a webhook receiver inside workerd
 * (the SmnDO runs in the tests' isolate, so its `fetch` to the receiver's host is answered here) that checks every
 * message's signature against the public key served at its `signing_cert_url`.
 */
import { afterEach, expect, vi } from 'vitest';
import { type SignedMessage, verify } from '../../core/smn/signature.ts';
import { newAccount, tokenFor } from '../fixtures.ts';
import { call, ORIGIN, send } from '../request.ts';

export interface SmnProject {
  token: string;
  project: string;
}

/** A fresh account's first project and its administrator's token. */
export async function smnProject(prefix = 'smn'): Promise<SmnProject> {
  const a = await newAccount(prefix);
  return { token: await tokenFor(a), project: a.projects[0]!.id };
}

/** An SMN v2 call under the project. */
export const smn = (p: SmnProject, method: string, path: string, body?: unknown) =>
  send(p.token, method, `/smn/v2/${p.project}/notifications${path}`, body);

/** Creates a topic and answers its URN. */
export async function topic(p: SmnProject, name: string): Promise<string> {
  const res = await smn(p, 'POST', '/topics', { name, display_name: `${name} display` });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.topic_urn as string;
}

export interface Received {
  url: string;
  headers: Record<string, string>;
  body: SignedMessage;
  /** Whether its signature verified against the served public key. */
  verified: boolean;
}

export { bindings } from '../ecs/fixtures.ts';

/**
 * Answers requests to `http://{host}/...` as an endpoint would (the status of each call in turn from `statuses`,
 * then 200; `hang` answers never); everything else goes to the real fetch. Restored after each test.
 */
export function receiver(host: string, opts: { statuses?: number[]; hang?: boolean } = {}) {
  const received: Received[] = [];
  const statuses = [...(opts.statuses ?? [])];
  const real = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    if (new URL(request.url).host !== host) return real(input as RequestInfo, init);
    const body = (await request.json()) as SignedMessage;
    const pem = await (await call(new URL(body.signing_cert_url).pathname)).text();
    received.push({ url: request.url, headers: Object.fromEntries(request.headers), body, verified: await verify(pem, body) });
    if (opts.hang)
      return new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    return new Response('ok', { status: statuses.shift() ?? 200 });
  });
  return { received, restore: () => spy.mockRestore() };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Follows a link SMN sent (its subscribe or unsubscribe URL), on the Worker under test. */
export async function visit(link: string) {
  const url = new URL(link);
  expect(url.origin).toBe(ORIGIN);
  return send(undefined, 'GET', url.pathname + url.search);
}

/** Waits until `done` holds (deliveries run in the SmnDO's alarm, a moment after the call that caused them). */
export async function until(done: () => boolean, what = 'the condition', ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Subscribes an HTTP endpoint of the receiver's host and confirms it with the link its confirmation carried. */
export async function confirmedWebhook(p: SmnProject, urn: string, hook: ReturnType<typeof receiver>, url: string) {
  const add = await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol: 'http', endpoint: url });
  expect(add.status, JSON.stringify(add.body)).toBe(201);
  await until(() => hook.received.some((r) => r.url === url && r.body.type === 'SubscriptionConfirmation'), 'the confirmation');
  const confirmation = hook.received.find((r) => r.url === url && r.body.type === 'SubscriptionConfirmation')!;
  const visited = await visit(confirmation.body.subscribe_url!);
  expect(visited.status, JSON.stringify(visited.body)).toBe(200);
  return add.body.subscription_urn as string;
}

/**
 * The Console's SMN section as a user sees it: a topic created, an HTTP endpoint subscribed (it gets its confirmation
 * and shows unconfirmed, then confirmed), a message published and its delivery logged with its attempt; an email
 * subscription's confirmation and messages kept in the outbox; bad input refused next to its field. Another tenant
 * sees none of it.
 */
import { describe, expect, it } from 'vitest';
import { newAccount } from '../fixtures.ts';
import { receiver, until, visit } from '../smn/fixtures.ts';
import { signIn } from './console.ts';
import { fieldError, follow } from './console-pages.ts';

describe('the Console’s SMN section', () => {
  it('creates a topic, subscribes and confirms endpoints, publishes, and shows the delivery log and the outbox', async () => {
    const a = await newAccount('console-smn');
    const s = await signIn(a);
    const created = await s.post('/console/smn/topics', { name: 'ops', display_name: 'Operations' });
    expect(await follow(s, created)).toContain('Topic ops created.');
    const urn = `urn:smn:eu-west-0:${s.project}:ops`;
    const page = `/console/smn/topics/${encodeURIComponent(urn)}`;
    expect(created.location).toBe(page);
    const bad = await s.post(`${page}/subscriptions`, { protocol: 'http', endpoint: 'ftp://nope' });
    expect(bad.status).toBe(400);
    const hook = receiver('console-hook.test');
    const sub = await s.post(`${page}/subscriptions`, { protocol: 'http', endpoint: 'http://console-hook.test/in' });
    expect(await follow(s, sub)).toContain('its confirmation request is sent to the endpoint');
    await until(() => hook.received.length === 1, 'the confirmation');
    expect((await s.page(page)).html).toContain('data-status="unconfirmed"');
    await visit(hook.received[0]!.body.subscribe_url!);
    expect((await s.page(page)).html).toContain('data-status="confirmed"');
    await s.post(`${page}/subscriptions`, { protocol: 'email', endpoint: 'ops@example.com' });
    const empty = await s.post(`${page}/publish`, { subject: 'hello', message: '' });
    expect(fieldError(empty, 'message')).toBe('Enter a message.');
    const published = await s.post(`${page}/publish`, { subject: 'hello', message: 'from the Console' });
    expect(await follow(s, published)).toMatch(/Message [0-9a-f]{32} published\./);
    await until(() => hook.received.length === 2, 'the notification');
    expect(hook.received[1]!.body.message).toBe('from the Console');
    const log = (await s.page('/console/smn/deliveries')).html;
    expect(log).toContain('http://console-hook.test/in');
    expect(log).toContain('SubscriptionConfirmation');
    const outbox = (await s.page('/console/smn/deliveries?outbox=1')).html;
    expect(outbox).toContain('no mail or SMS gateway');
    expect(outbox).toContain('ops@example.com');
    expect(outbox).toContain('subscribe_url: ');

    const other = await signIn(await newAccount('console-smn-other'));
    expect((await other.page('/console/smn/topics')).html).not.toContain(urn);
    expect((await other.page(page)).status).toBe(404);
  });
});

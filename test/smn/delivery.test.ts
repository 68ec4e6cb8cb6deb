/**
 * SMN's delivery in workerd: an HTTP endpoint gets a signed confirmation request and nothing else until its subscribe
 * URL is visited; then each message once, signed so that it verifies against the key at its signing_cert_url; a
 * failing or silent endpoint is retried with backoff, each attempt recorded, a bounded number of times; email and
 * SMS copies go to the outbox, not out; delivered notifications are usage events.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { stringToSign, verify } from '../../core/smn/signature.ts';
import { call } from '../request.ts';
import { bindings, confirmedWebhook, receiver, smn, smnProject, topic, until, visit } from './fixtures.ts';

const HOST = 'hooks.test';
const owner = (project: string) => bindings.SMN.getByName(project);

describe('HTTP delivery', () => {
  it('confirms first, then delivers each message once, signed', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'deploys');
    const hook = receiver(HOST);
    const url = `http://${HOST}/deploys`;
    const add = await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol: 'http', endpoint: url });
    await until(() => hook.received.length === 1, 'the confirmation');
    const [confirm] = hook.received;
    expect(confirm!.verified).toBe(true);
    expect(confirm!.headers['x-smn-message-type']).toBe('SubscriptionConfirmation');
    expect(confirm!.headers['x-smn-topic-urn']).toBe(urn);
    expect(confirm!.body).toMatchObject({ type: 'SubscriptionConfirmation', topic_urn: urn, signature_version: 'v1' });
    // Unconfirmed, the endpoint gets nothing else.
    await smn(p, 'POST', `/topics/${urn}/publish`, { subject: 'early', message: 'not for you yet' });
    await owner(p.project).deliverDue(Date.now() + 3_600_000);
    expect(hook.received).toHaveLength(1);
    expect((await visit(confirm!.body.subscribe_url!)).body).toMatchObject({ subscription_urn: add.body.subscription_urn, status: 1 });
    expect((await smn(p, 'GET', `/topics/${urn}/subscriptions`)).body.subscriptions[0].status).toBe(1);
    const pub = await smn(p, 'POST', `/topics/${urn}/publish`, { subject: 'v42 is out', message: 'Deployed v42 to prod.' });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body.message_id).toMatch(/^[0-9a-f]{32}$/);
    await until(() => hook.received.length === 2, 'the notification');
    const note = hook.received[1]!;
    expect(note.verified).toBe(true);
    expect(note.body).toMatchObject({
      type: 'Notification',
      topic_urn: urn,
      message_id: pub.body.message_id,
      subject: 'v42 is out',
      message: 'Deployed v42 to prod.',
    });
    expect(note.headers['x-smn-message-id']).toBe(pub.body.message_id);
    // Driving the deliveries again sends nothing twice.
    await owner(p.project).deliverDue(Date.now() + 3_600_000);
    expect(hook.received).toHaveLength(2);
    // The signature covers the message: a changed one does not verify against the served key.
    const pem = await (await call(new URL(note.body.signing_cert_url).pathname)).text();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(await verify(pem, { ...note.body, message: 'Deployed v43 to prod.' })).toBe(false);
    expect(stringToSign(note.body)).toBe(
      `message\nDeployed v42 to prod.\nmessage_id\n${pub.body.message_id}\nsubject\nv42 is out\ntimestamp\n${note.body.timestamp}\ntopic_urn\n${urn}\ntype\nNotification\n`,
    );
    // Each delivered notification is a usage event for billing, once.
    const usage = await owner(p.project).usageOutbox(0, 100);
    expect(usage.map((u) => [u.event.meter, u.event.attributes, u.event.quantity])).toEqual([
      ['smn.notification', { protocol: 'http' }, 1],
    ]);
  });

  it('retries a failing endpoint with backoff, the same message each time, and records every attempt', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'flaky');
    const hook = receiver(HOST, { statuses: [200, 500, 503] });
    await confirmedWebhook(p, urn, hook, `http://${HOST}/flaky`);
    const pub = await smn(p, 'POST', `/topics/${urn}/publish`, { message: 'try hard' });
    await until(() => hook.received.length === 2, 'the first attempt');
    const t0 = Date.now();
    // Not due again before its backoff (10 s in this configuration), due after it, then 40 s after that.
    expect(await owner(p.project).deliverDue(t0 + 1_000)).toBe(0);
    expect(await owner(p.project).deliverDue(t0 + 10_500)).toBe(1);
    expect(await owner(p.project).deliverDue(t0 + 11_000 + 20_000)).toBe(0);
    expect(await owner(p.project).deliverDue(t0 + 11_000 + 40_500)).toBe(1);
    expect(hook.received.slice(1).map((r) => r.body.message_id)).toEqual([pub.body.message_id, pub.body.message_id, pub.body.message_id]);
    const log = (await owner(p.project).deliveries({ topicUrn: urn, limit: 10 })) as any;
    const d = log.ok.find((x: any) => x.type === 'Notification');
    expect(d.status).toBe('delivered');
    expect(d.tries.map((t: any) => [t.n, t.httpStatus])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
  });

  it('sets the alarm for a retry before it posts, so an attempt that never ends leaves its delivery an owner', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'hung');
    const hook = receiver(HOST, { hang: true });
    await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol: 'http', endpoint: `http://${HOST}/hung` });
    await until(() => hook.received.length === 1, 'the confirmation being posted');
    // The post hangs (until its timeout); the retry's alarm is set meanwhile.
    const alarmAt = await runInDurableObject(owner(p.project), (_, state) => state.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    expect(alarmAt!).toBeGreaterThan(Date.now());
  });

  it('gives up after five attempts, and counts a silent endpoint as failed by its timeout', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'dead');
    const hook = receiver(HOST, { statuses: [200, 500, 500, 500, 500, 500, 500] });
    await confirmedWebhook(p, urn, hook, `http://${HOST}/dead`);
    await smn(p, 'POST', `/topics/${urn}/publish`, { message: 'anyone?' });
    await until(() => hook.received.length === 2, 'the first attempt');
    // Each try after the last one's backoff (10, 40, 160, 640 s), all within the message's hour to live.
    const t0 = Date.now();
    for (const s of [20, 100, 300, 1000, 2000, 3000]) await owner(p.project).deliverDue(t0 + s * 1000);
    expect(hook.received).toHaveLength(1 + 5);
    const log = (await owner(p.project).deliveries({ topicUrn: urn, limit: 10 })) as any;
    const d = log.ok.find((x: any) => x.type === 'Notification');
    expect([d.status, d.attempts, d.lastError]).toEqual(['failed', 5, 'The endpoint answered 500.']);

    const silent = await topic(p, 'silent');
    hook.restore();
    const quiet = receiver(HOST, { hang: true });
    await smn(p, 'POST', `/topics/${silent}/subscriptions`, { protocol: 'http', endpoint: `http://${HOST}/silent` });
    await until(() => quiet.received.length === 1, 'the confirmation attempt');
    const deadline = Date.now() + 3000;
    let confirmation: any;
    while (Date.now() < deadline) {
      confirmation = ((await owner(p.project).deliveries({ topicUrn: silent, limit: 1 })) as any).ok[0];
      if (confirmation.tries.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(confirmation.tries[0]).toMatchObject({ n: 1, httpStatus: null, error: 'No answer within 300 ms.' });
    expect(confirmation.status).toBe('pending');
  });

  it('stops delivering to a subscription canceled by its unsubscribe link', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'leaving');
    const hook = receiver(HOST);
    await confirmedWebhook(p, urn, hook, `http://${HOST}/leaving`);
    await smn(p, 'POST', `/topics/${urn}/publish`, { message: 'one' });
    await until(() => hook.received.length === 2, 'the notification');
    const gone = await visit(hook.received[1]!.body.unsubscribe_url!);
    expect(gone.body.status).toBe(3);
    await smn(p, 'POST', `/topics/${urn}/publish`, { message: 'two' });
    await owner(p.project).deliverDue(Date.now() + 3_600_000);
    expect(hook.received).toHaveLength(2);
    const bad = await send404(`/smn/subscriptions/confirm?token=${'0'.repeat(64)}&topic_urn=${encodeURIComponent(urn)}`);
    expect(bad).toEqual([404, 'SMN.0011']);
  });
});

async function send404(path: string) {
  const res = await call(path);
  return [res.status, ((await res.json()) as any).code];
}

describe('what each protocol gets', () => {
  it('sends a per-protocol text and fills templates; email and SMS copies are kept in the outbox, never sent', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'mixed');
    const hook = receiver(HOST);
    await confirmedWebhook(p, urn, hook, `http://${HOST}/mixed`);
    const mail = await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol: 'email', endpoint: 'ops@example.com' });
    // The email's confirmation request is in the outbox with its link; following it confirms the address.
    const outbox = async () => ((await owner(p.project).deliveries({ outbox: true, limit: 10 })) as any).ok;
    const request = (await outbox())[0];
    expect([request.type, request.status, request.endpoint]).toEqual(['SubscriptionConfirmation', 'recorded', 'ops@example.com']);
    await visit(/subscribe_url: (\S+)/.exec(request.payload)![1]!);
    const structure = JSON.stringify({ default: 'plain words', http: '{"event":"deploy"}' });
    const pub = await smn(p, 'POST', `/topics/${urn}/publish`, { subject: 'both', message_structure: structure });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    await until(() => hook.received.length === 2, 'the notification');
    expect(hook.received[1]!.body.message).toBe('{"event":"deploy"}');
    const kept = (await outbox()).filter((d: any) => d.type === 'Notification');
    expect(kept.map((d: any) => [d.subscriptionUrn, d.status, d.payload])).toEqual([
      [mail.body.subscription_urn, 'recorded', 'Subject: both\n\nplain words'],
    ]);
    await smn(p, 'POST', '/message_template', { message_template_name: 'shipped', protocol: 'default', content: 'Order {order} shipped' });
    await smn(p, 'POST', '/message_template', { message_template_name: 'shipped', protocol: 'http', content: '{"order":"{order}"}' });
    const templated = await smn(p, 'POST', `/topics/${urn}/publish`, { message_template_name: 'shipped', tags: { order: 'A-17' } });
    expect(templated.status, JSON.stringify(templated.body)).toBe(200);
    await until(() => hook.received.length === 3, 'the template message');
    expect(hook.received[2]!.body.message).toBe('{"order":"A-17"}');
    expect((await outbox())[0].payload).toBe('Order A-17 shipped');
    const untagged = await smn(p, 'POST', `/topics/${urn}/publish`, { message_template_name: 'shipped' });
    expect([untagged.status, untagged.body.code]).toEqual([400, 'SMN.0001']);
    // Email and SMS are not sent, so only the HTTP copies are metered.
    const usage = await owner(p.project).usageOutbox(0, 100);
    expect(usage.map((u) => u.event.attributes.protocol)).toEqual(['http', 'http']);
  });

  it('refuses a publish with none or two of message, message_structure and template, or a structure without default', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'strict');
    for (const body of [
      {},
      { message: 'a', message_structure: '{"default":"b"}' },
      { message_structure: '{"http":"no default"}' },
      { message_structure: 'not json' },
      { message: 'x', time_to_live: '0' },
      { message: 'x'.repeat(256 * 1024 + 1) },
    ]) {
      const res = await smn(p, 'POST', `/topics/${urn}/publish`, body);
      expect([res.status, res.body.code], JSON.stringify(body).slice(0, 80)).toEqual([400, 'SMN.0001']);
    }
  });
});

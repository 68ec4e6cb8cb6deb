/**
 * SMN v2's topics, subscriptions and templates in workerd: the shapes a client reads (request_id in every answer,
 * URNs in SMN's form), lists with offset, limit and name filters, SMN's error envelope and codes, quotas of names.
 */
import { describe, expect, it } from 'vitest';
import { smn, smnProject, topic } from './fixtures.ts';

describe('topics', () => {
  it('are created, shown, listed, renamed and deleted as SMN v2 does', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'orders');
    expect(urn).toBe(`urn:smn:eu-west-0:${p.project}:orders`);
    const shown = await smn(p, 'GET', `/topics/${urn}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ topic_urn: urn, name: 'orders', display_name: 'orders display', push_policy: 0 });
    expect(shown.body.request_id).toMatch(/^req-/);
    expect(shown.body.topic_id).toMatch(/^[0-9a-f]{32}$/);
    await topic(p, 'billing');
    await topic(p, 'orders_eu');
    const all = await smn(p, 'GET', '/topics');
    expect(all.body.topic_count).toBe(3);
    expect(all.body.topics.map((t: any) => t.name)).toEqual(['orders', 'billing', 'orders_eu']);
    const fuzzy = await smn(p, 'GET', '/topics?fuzzy_name=orders');
    expect(fuzzy.body.topics.map((t: any) => t.name)).toEqual(['orders', 'orders_eu']);
    // `_` and `%` in a fuzzy name are letters, not LIKE's wildcards.
    expect((await smn(p, 'GET', '/topics?fuzzy_name=s_e')).body.topics.map((t: any) => t.name)).toEqual(['orders_eu']);
    expect((await smn(p, 'GET', '/topics?fuzzy_name=%25')).body.topics).toEqual([]);
    const exact = await smn(p, 'GET', '/topics?name=orders');
    expect(exact.body.topics.map((t: any) => t.name)).toEqual(['orders']);
    const second = await smn(p, 'GET', '/topics?offset=1&limit=1');
    expect([second.body.topic_count, second.body.topics.map((t: any) => t.name)]).toEqual([3, ['billing']]);
    const renamed = await smn(p, 'PUT', `/topics/${urn}`, { display_name: 'Orders' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.request_id).toMatch(/^req-/);
    expect((await smn(p, 'GET', `/topics/${urn}`)).body.display_name).toBe('Orders');
    expect((await smn(p, 'DELETE', `/topics/${urn}`)).status).toBe(200);
    const gone = await smn(p, 'GET', `/topics/${urn}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ request_id: expect.stringMatching(/^req-/), code: 'SMN.0006', message: `Topic not found: ${urn}.` });
  });

  it("refuses bad names, a second topic of a name, and bodies with unknown fields, in SMN's envelope", async () => {
    const p = await smnProject();
    await topic(p, 'once');
    const twice = await smn(p, 'POST', '/topics', { name: 'once' });
    expect([twice.status, twice.body.code]).toEqual([409, 'SMN.0009']);
    for (const body of [{ name: '-bad' }, { name: 'a'.repeat(256) }, { name: 'ok', colour: 'red' }, {}]) {
      const res = await smn(p, 'POST', '/topics', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'SMN.0001', request_id: expect.any(String), message: expect.any(String) });
    }
  });
});

describe('subscriptions', () => {
  it('are added unconfirmed, listed per topic and for the project, and deleted', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'alerts');
    const add = await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol: 'email', endpoint: 'ops@example.com', remark: 'on call' });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect(add.body.subscription_urn).toMatch(new RegExp(`^${urn}:[0-9a-f]{32}$`));
    const again = await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol: 'email', endpoint: 'ops@example.com' });
    expect(again.body.subscription_urn).toBe(add.body.subscription_urn);
    await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol: 'sms', endpoint: '+33612345678' });
    const listed = await smn(p, 'GET', `/topics/${urn}/subscriptions`);
    expect(listed.body.subscription_count).toBe(2);
    expect(listed.body.subscriptions[0]).toEqual({
      subscription_urn: add.body.subscription_urn,
      topic_urn: urn,
      protocol: 'email',
      endpoint: 'ops@example.com',
      remark: 'on call',
      status: 0,
      owner: p.project,
    });
    const other = await topic(p, 'other');
    await smn(p, 'POST', `/topics/${other}/subscriptions`, { protocol: 'sms', endpoint: '+33700000000' });
    expect((await smn(p, 'GET', '/subscriptions?limit=2')).body).toMatchObject({ subscription_count: 3 });
    expect((await smn(p, 'GET', '/subscriptions?limit=2')).body.subscriptions).toHaveLength(2);
    expect((await smn(p, 'DELETE', `/subscriptions/${add.body.subscription_urn}`)).status).toBe(200);
    const gone = await smn(p, 'DELETE', `/subscriptions/${add.body.subscription_urn}`);
    expect([gone.status, gone.body.code]).toEqual([404, 'SMN.0007']);
    // A topic's deletion takes its subscriptions with it.
    await smn(p, 'DELETE', `/topics/${urn}`);
    expect((await smn(p, 'GET', '/subscriptions')).body.subscription_count).toBe(1);
  });

  it('refuses an endpoint that does not fit its protocol, and a topic that is not there', async () => {
    const p = await smnProject();
    const urn = await topic(p, 'checks');
    for (const [protocol, endpoint] of [
      ['http', 'https://wrong.scheme/x'],
      ['https', 'not a url'],
      ['email', 'nobody'],
      ['sms', 'call me'],
      ['carrier-pigeon', 'roof'],
    ]) {
      const res = await smn(p, 'POST', `/topics/${urn}/subscriptions`, { protocol, endpoint });
      expect([res.status, res.body.code], `${protocol} ${endpoint}`).toEqual([400, 'SMN.0001']);
    }
    const missing = await smn(p, 'POST', `/topics/${urn}x/subscriptions`, { protocol: 'email', endpoint: 'a@b.example' });
    expect([missing.status, missing.body.code]).toEqual([404, 'SMN.0006']);
  });
});

describe('message templates', () => {
  it('are created with the tags their content names, listed, shown with content, changed and deleted', async () => {
    const p = await smnProject();
    const made = await smn(p, 'POST', '/message_template', {
      message_template_name: 'greeting',
      protocol: 'default',
      content: 'Hello {name}, your order {order} shipped. Bye {name}.',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.message_template_id;
    const shown = await smn(p, 'GET', `/message_template/${id}`);
    expect(shown.body).toMatchObject({ message_template_name: 'greeting', protocol: 'default', tag_names: ['name', 'order'] });
    expect(shown.body.content).toContain('{order}');
    const dup = await smn(p, 'POST', '/message_template', { message_template_name: 'greeting', protocol: 'default', content: 'x' });
    expect([dup.status, dup.body.code]).toEqual([409, 'SMN.0009']);
    expect((await smn(p, 'PUT', `/message_template/${id}`, { content: 'Hi {who}' })).status).toBe(200);
    const listed = await smn(p, 'GET', '/message_template?message_template_name=greet');
    expect(listed.body.message_template_count).toBe(1);
    expect(listed.body.message_templates[0].tag_names).toEqual(['who']);
    expect(listed.body.message_templates[0].content).toBeUndefined();
    expect((await smn(p, 'DELETE', `/message_template/${id}`)).status).toBe(200);
    expect((await smn(p, 'GET', `/message_template/${id}`)).body.code).toBe('SMN.0008');
  });
});

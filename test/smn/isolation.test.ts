/**
 * SMN's tenancy: another project neither sees a topic nor publishes or subscribes to it (through its own path it is
 * not found, through the owner's path it is forbidden), and the owner's endpoint receives nothing from it; a user
 * without an SMN role is refused, a viewer reads and does not write.
 */
import { describe, expect, it } from 'vitest';
import { createUser, newAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';
import { confirmedWebhook, receiver, smn, smnProject, topic } from './fixtures.ts';

describe('SMN isolation', () => {
  it("keeps a project's topics its own", async () => {
    const owner = await smnProject('smn-owner');
    const urn = await topic(owner, 'private');
    const hook = receiver('owner-hook.test');
    await confirmedWebhook(owner, urn, hook, 'http://owner-hook.test/in');
    const intruder = await smnProject('smn-intruder');
    expect((await smn(intruder, 'GET', '/topics')).body.topic_count).toBe(0);
    for (const [method, path, body] of [
      ['GET', `/topics/${urn}`],
      ['POST', `/topics/${urn}/publish`, { message: 'spoofed' }],
      ['POST', `/topics/${urn}/subscriptions`, { protocol: 'email', endpoint: 'spy@example.com' }],
      ['DELETE', `/topics/${urn}`],
    ] as const) {
      const own = await smn(intruder, method, path, body);
      expect([own.status, own.body.code], `${method} ${path}`).toEqual([404, 'SMN.0006']);
      const theirs = await send(intruder.token, method, `/smn/v2/${owner.project}/notifications${path}`, body);
      expect(theirs.status, `${method} ${path} in the owner's path`).toBe(403);
    }
    expect(hook.received.map((r) => r.body.type)).toEqual(['SubscriptionConfirmation']);
    expect((await smn(owner, 'GET', `/topics/${urn}/subscriptions`)).body.subscription_count).toBe(1);
  });

  it('refuses a user without an SMN role, and lets a viewer read only', async () => {
    const a = await newAccount('smn-roles');
    const admin = await tokenFor(a);
    const project = a.projects[0]!.id;
    const base = `/smn/v2/${project}/notifications/topics`;
    const none = await createUser(a, admin, { role: 'ecs_viewer' });
    const viewer = await createUser(a, admin, { role: 'smn_viewer' });
    const as = (u: { name: string; password: string }) => tokenFor(a, { user: u.name, password: u.password });
    const noneToken = await as(none);
    const viewerToken = await as(viewer);
    expect((await send(noneToken, 'GET', base)).status).toBe(403);
    expect((await send(viewerToken, 'GET', base)).status).toBe(200);
    const write = await send(viewerToken, 'POST', base, { name: 'nope' });
    expect([write.status, write.body.code]).toEqual([403, 'SMN.0003']);
  });
});

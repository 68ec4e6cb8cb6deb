/**
 * SMN v2's topics and subscriptions (`/smn/v2/{project_id}/notifications`): create, list, show, rename and delete
 * topics; subscribe endpoints to a topic, list a topic's or the project's subscriptions, delete one. Every answer
 * carries its request_id; the project's SmnDO keeps the state.
 */
import { z } from 'zod';
import { endpointFits } from '../../core/smn/endpoints.ts';
import { TOPIC_NAME } from '../../core/smn/urn.ts';
import type { Subscription, Topic } from '../../schema/smn.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { projectScope, unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { smnRouter } from './errors.ts';

/** The project's SMN owner (taken before a request is read: another project's caller is refused first). */
export const smnOf = (c: AppContext) => c.env.SMN.getByName(projectScope(c).projectId);

/** The answer's request id, which SMN puts in every body. */
export const rid = (c: AppContext) => ({ request_id: c.var.requestId });

const displayName = z.string().max(192);
const page = { offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(100) };

const createTopic = z
  .object({
    name: z.string().regex(TOPIC_NAME, 'a topic name is 1 to 255 letters, digits, - or _, starting with a letter or digit'),
    display_name: displayName.optional(),
    enterprise_project_id: z.string().max(64).optional(),
  })
  .strict();

/** A topic as SMN v2 shows it. */
export function topicView(t: Topic) {
  return {
    topic_urn: t.urn,
    topic_id: t.id,
    name: t.name,
    display_name: t.displayName,
    push_policy: 0,
    enterprise_project_id: '0',
    create_time: t.createdAt,
    update_time: t.updatedAt,
  };
}

/** A subscription as SMN v2 shows it. */
export function subscriptionView(s: Subscription, owner: string) {
  return {
    subscription_urn: s.urn,
    topic_urn: s.topicUrn,
    protocol: s.protocol,
    endpoint: s.endpoint,
    remark: s.remark,
    status: s.status,
    owner,
  };
}

const urnOf = (c: AppContext) => c.req.param('topic_urn') ?? '';

export const topicRoutes = smnRouter();

topicRoutes.post('/notifications/topics', act('smn:topic:create'), async (c) => {
  const store = smnOf(c);
  const { projectId, region } = projectScope(c);
  const b = await jsonBody(c, createTopic);
  const origin = new URL(c.req.url).origin;
  const t = unwrap(await store.createTopic({ region, projectId, name: b.name, displayName: b.display_name ?? '', origin }));
  return c.json({ ...rid(c), topic_urn: t.urn }, 201);
});

topicRoutes.get('/notifications/topics', act('smn:topic:list'), async (c) => {
  const store = smnOf(c);
  const q = query(c, z.object({ ...page, name: z.string().max(255).optional(), fuzzy_name: z.string().max(255).optional() }));
  const { page: rows, total } = unwrap(await store.topics({ offset: q.offset, limit: q.limit, exactName: q.name, name: q.fuzzy_name }));
  return c.json({ ...rid(c), topic_count: total, topics: rows.map(topicView) });
});

topicRoutes.get('/notifications/topics/:topic_urn', act('smn:topic:get'), async (c) => {
  const t = unwrap(await smnOf(c).topic(urnOf(c)));
  return c.json({ ...rid(c), ...topicView(t) });
});

topicRoutes.put('/notifications/topics/:topic_urn', act('smn:topic:update'), async (c) => {
  const store = smnOf(c);
  const b = await jsonBody(c, z.object({ display_name: displayName }).strict());
  unwrap(await store.renameTopic(urnOf(c), b.display_name));
  return c.json(rid(c));
});

topicRoutes.delete('/notifications/topics/:topic_urn', act('smn:topic:delete'), async (c) => {
  unwrap(await smnOf(c).deleteTopic(urnOf(c)));
  return c.json(rid(c));
});

const subscribeBody = z
  .object({
    protocol: z.enum(['http', 'https', 'email', 'sms']),
    endpoint: z.string().max(2048),
    remark: z.string().max(128).optional(),
  })
  .strict()
  .refine((b) => endpointFits(b.protocol, b.endpoint), { error: 'the endpoint does not fit its protocol', path: ['endpoint'] });

topicRoutes.post('/notifications/topics/:topic_urn/subscriptions', act('smn:topic:subscribe'), async (c) => {
  const store = smnOf(c);
  const b = await jsonBody(c, subscribeBody);
  const s = unwrap(await store.subscribe({ topicUrn: urnOf(c), protocol: b.protocol, endpoint: b.endpoint, remark: b.remark ?? '' }));
  return c.json({ ...rid(c), subscription_urn: s!.urn }, 201);
});

/** A page of subscriptions in SMN's shape. */
async function subscriptionPage(c: AppContext, topicUrn: string | undefined) {
  const store = smnOf(c);
  const q = query(c, z.object(page));
  const { page: rows, total } = unwrap(await store.subscriptions({ topicUrn, offset: q.offset, limit: q.limit }));
  const owner = projectScope(c).projectId;
  return c.json({ ...rid(c), subscription_count: total, subscriptions: rows.map((s) => subscriptionView(s, owner)) });
}

topicRoutes.get('/notifications/topics/:topic_urn/subscriptions', act('smn:subscription:list'), (c) => subscriptionPage(c, urnOf(c)));

topicRoutes.get('/notifications/subscriptions', act('smn:subscription:list'), (c) => subscriptionPage(c, undefined));

topicRoutes.delete('/notifications/subscriptions/:subscription_urn', act('smn:subscription:delete'), async (c) => {
  unwrap(await smnOf(c).unsubscribe(c.req.param('subscription_urn') ?? ''));
  return c.json(rid(c));
});

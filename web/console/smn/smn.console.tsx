/**
 * The Console's SMN section, mounted at `/console/smn`: the topics (list, create, delete), a topic's page with its
 * subscriptions and their status, a subscribe form, a publish form and its newest deliveries, and the project's
 * delivery log (HTTP(S) attempts) and outbox (email and SMS, kept here: there is no mail or SMS gateway). Each route
 * is guarded by the action of its API route and calls SMN's use cases.
 */
import { z } from 'zod';
import { act } from '../../../workers/auth/middleware.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { createTopic, deleteTopic, deliveryLog, publishText, subscribe, unsubscribe } from '../../../workers/smn/usecases/topics.ts';
import { consoleRouter, done, f, form } from '../kit.tsx';
import { renderDeliveries, renderTopic, renderTopics, topicHref } from './topics.page.tsx';

export const smnConsole = consoleRouter();

const urnOf = (c: { req: { param: (k: string) => string | undefined } }) => c.req.param('topic_urn') ?? '';

smnConsole.get('/', act('smn:topic:list'), (c) => c.redirect('/console/smn/topics', 303));
smnConsole.get('/topics', act('smn:topic:list'), (c) => renderTopics(c));

smnConsole.post(
  '/topics',
  act('smn:topic:create'),
  form(
    z.object({
      name: f.text('a name').pipe(z.string().regex(/^[A-Za-z0-9][\w-]{0,254}$/, 'A name is letters, digits, - or _.')),
      display_name: f.optional().pipe(z.string().max(192).optional()),
    }),
    async (c, v) => {
      const t = await createTopic(callerOf(c), v.name, v.display_name ?? '', new URL(c.req.url).origin);
      return done(c, topicHref(t.urn), `Topic ${v.name} created.`);
    },
    (c, failure) => renderTopics(c, failure),
  ),
);

smnConsole.get('/topics/:topic_urn', act('smn:topic:get'), (c) => renderTopic(c));

smnConsole.post(
  '/topics/:topic_urn/delete',
  act('smn:topic:delete'),
  form(
    z.object({}),
    async (c) => {
      await deleteTopic(callerOf(c), urnOf(c));
      return done(c, '/console/smn/topics', 'The topic and its subscriptions are deleted.');
    },
    (c, failure) => renderTopic(c, failure),
  ),
);

smnConsole.post(
  '/topics/:topic_urn/subscriptions',
  act('smn:topic:subscribe'),
  form(
    z.object({
      protocol: z.enum(['http', 'https', 'email', 'sms'], { error: 'Choose a protocol.' }),
      endpoint: f.text('the endpoint').pipe(z.string().max(2048)),
      remark: f.optional().pipe(z.string().max(128).optional()),
    }),
    async (c, v) => {
      await subscribe(callerOf(c), urnOf(c), v.protocol, v.endpoint, v.remark ?? '');
      const where = v.protocol === 'http' || v.protocol === 'https' ? 'sent to the endpoint' : 'kept in the outbox';
      return done(c, topicHref(urnOf(c)), `Subscribed: its confirmation request is ${where}.`);
    },
    (c, failure) => renderTopic(c, failure, 'subscribe'),
  ),
);

smnConsole.post(
  '/topics/:topic_urn/publish',
  act('smn:topic:publish'),
  form(
    z.object({
      subject: f.optional().pipe(z.string().max(512).optional()),
      message: f.text('a message').pipe(z.string().max(256 * 1024)),
    }),
    async (c, v) => {
      const id = await publishText(callerOf(c), urnOf(c), v.subject ?? '', v.message);
      return done(c, topicHref(urnOf(c)), `Message ${id} published.`);
    },
    (c, failure) => renderTopic(c, failure, 'publish'),
  ),
);

smnConsole.post(
  '/subscriptions/:subscription_urn/delete',
  act('smn:subscription:delete'),
  form(
    z.object({ topic: z.string().max(400) }),
    async (c, v) => {
      await unsubscribe(callerOf(c), c.req.param('subscription_urn') ?? '');
      return done(c, topicHref(v.topic), 'The subscription is deleted.');
    },
    (c, failure) => renderTopics(c, failure),
  ),
);

smnConsole.get('/deliveries', act('smn:topic:get'), async (c) => {
  const outbox = c.req.query('outbox') === '1';
  return renderDeliveries(c, outbox, await deliveryLog(callerOf(c), outbox));
});

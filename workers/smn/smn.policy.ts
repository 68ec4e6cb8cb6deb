/**
 * The policy actions of Simple Message Notification, with SMN's names (`smn:topic:create`, `smn:topic:publish`,
 * `smn:subscription:list`, ...). Each lists the operations (method, path) it covers; the Console's pages are listed
 * under the action whose use case they call.
 */
import { defineActions } from '../auth/actions.ts';

const V2 = '/smn/v2/{project_id}/notifications';
const C = '/console/smn';

export const smnActions = defineActions('smn', {
  'topic:create': {
    description: 'Create topics',
    scope: 'project',
    operations: [`POST ${V2}/topics`, `POST ${C}/topics`],
  },
  'topic:list': {
    description: 'List topics',
    scope: 'project',
    operations: [`GET ${V2}/topics`, `GET ${C}`, `GET ${C}/topics`],
  },
  'topic:get': {
    description: 'Show topics, and the messages delivered from them (the delivery log and the outbox)',
    scope: 'project',
    operations: [`GET ${V2}/topics/{topic_urn}`, `GET ${C}/topics/{topic_urn}`, `GET ${C}/deliveries`],
  },
  'topic:update': {
    description: "Change a topic's display name",
    scope: 'project',
    operations: [`PUT ${V2}/topics/{topic_urn}`],
  },
  'topic:delete': {
    description: 'Delete topics and their subscriptions',
    scope: 'project',
    operations: [`DELETE ${V2}/topics/{topic_urn}`, `POST ${C}/topics/{topic_urn}/delete`],
  },
  'topic:publish': {
    description: 'Publish messages to topics',
    scope: 'project',
    operations: [`POST ${V2}/topics/{topic_urn}/publish`, `POST ${C}/topics/{topic_urn}/publish`],
  },
  'topic:subscribe': {
    description: 'Subscribe endpoints to topics',
    scope: 'project',
    operations: [`POST ${V2}/topics/{topic_urn}/subscriptions`, `POST ${C}/topics/{topic_urn}/subscriptions`],
  },
  'subscription:list': {
    description: "List subscriptions, a topic's or the project's",
    scope: 'project',
    operations: [`GET ${V2}/topics/{topic_urn}/subscriptions`, `GET ${V2}/subscriptions`],
  },
  'subscription:delete': {
    description: 'Delete subscriptions',
    scope: 'project',
    operations: [`DELETE ${V2}/subscriptions/{subscription_urn}`, `POST ${C}/subscriptions/{subscription_urn}/delete`],
  },
  'template:create': {
    description: 'Create message templates',
    scope: 'project',
    operations: [`POST ${V2}/message_template`],
  },
  'template:list': {
    description: 'List and show message templates',
    scope: 'project',
    operations: [`GET ${V2}/message_template`, `GET ${V2}/message_template/{message_template_id}`],
  },
  'template:update': {
    description: "Change a message template's content",
    scope: 'project',
    operations: [`PUT ${V2}/message_template/{message_template_id}`],
  },
  'template:delete': {
    description: 'Delete message templates',
    scope: 'project',
    operations: [`DELETE ${V2}/message_template/{message_template_id}`],
  },
});

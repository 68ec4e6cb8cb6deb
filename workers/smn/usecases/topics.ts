/**
 * SMN's use cases for the Console: the caller's topics with their subscriptions and deliveries, creating and
 * deleting topics, subscribing, publishing a text. Each calls the project's SmnDO as the API does and turns its
 * refusal into an ApiError.
 */
import type { Protocol } from '../../../schema/smn.ts';
import type { Caller } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

const smnOfCaller = (caller: Caller) => caller.env.SMN.getByName(caller.projectId);

/** The project's topics (the first thousand, in creation order). */
export async function topicsOf(caller: Caller) {
  return unwrap(await smnOfCaller(caller).topics({ offset: 0, limit: 1000 })).page;
}

/** A topic with its subscriptions and its newest deliveries. */
export async function topicDetail(caller: Caller, urn: string) {
  const store = smnOfCaller(caller);
  const topic = unwrap(await store.topic(urn));
  const subscriptions = unwrap(await store.subscriptions({ topicUrn: urn, offset: 0, limit: 1000 })).page;
  const deliveries = unwrap(await store.deliveries({ topicUrn: urn, limit: 20 }));
  return { topic, subscriptions, deliveries };
}

/** Creates a topic of the caller's project; its links are made on `origin`. */
export async function createTopic(caller: Caller, name: string, displayName: string, origin: string) {
  const input = { region: caller.region, projectId: caller.projectId, name, displayName, origin };
  return unwrap(await smnOfCaller(caller).createTopic(input));
}

export async function deleteTopic(caller: Caller, urn: string) {
  unwrap(await smnOfCaller(caller).deleteTopic(urn));
}

/** Subscribes an endpoint; it gets its confirmation request (email and SMS: in the outbox). */
export async function subscribe(caller: Caller, topicUrn: string, protocol: Protocol, endpoint: string, remark: string) {
  return unwrap(await smnOfCaller(caller).subscribe({ topicUrn, protocol, endpoint, remark }));
}

export async function unsubscribe(caller: Caller, urn: string) {
  unwrap(await smnOfCaller(caller).unsubscribe(urn));
}

/** Publishes a text message to a topic; answers its message id. */
export async function publishText(caller: Caller, topicUrn: string, subject: string, message: string) {
  const r = await smnOfCaller(caller).publish({ topicUrn, subject, body: { kind: 'message', message }, ttl: 3600 });
  return unwrap(r).messageId;
}

/** The newest deliveries of the project: HTTP(S) ones (the delivery log) or the email and SMS outbox. */
export async function deliveryLog(caller: Caller, outbox: boolean) {
  return unwrap(await smnOfCaller(caller).deliveries({ outbox, limit: 50 }));
}

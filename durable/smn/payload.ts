/**
 * What SMN sends: the documents posted to HTTP(S) endpoints (a subscription's confirmation request, a notification),
 * each signed once when it is made so that every retry sends the same bytes, and the text an email or SMS endpoint
 * would get (kept in the outbox: there is no mail or SMS gateway here).
 */
import { keyId, type MessageType, sign } from '../../core/smn/signature.ts';
import type { Protocol, Topic } from '../../schema/smn.ts';

/** The links a message carries: where a subscription is confirmed or canceled, where the public key is. */
export function links(topic: Topic, token: string | null) {
  const q = token ? `?token=${token}&topic_urn=${encodeURIComponent(topic.urn)}` : '';
  return {
    subscribe: `${topic.origin}/smn/subscriptions/confirm${q}`,
    unsubscribe: `${topic.origin}/smn/subscriptions/unsubscribe${q}`,
    cert: (key: string) => `${topic.origin}/smn/certificates/${keyId(key)}.pem`,
  };
}

/** The document for an HTTP(S) endpoint, signed with the platform key. */
export async function signedDocument(key: string, topic: Topic, fields: Record<string, string> & { type: MessageType }) {
  const signature = await sign(key, fields);
  return JSON.stringify({ ...fields, signature_version: 'v1', signature, signing_cert_url: links(topic, null).cert(key) });
}

const isWeb = (p: Protocol) => p === 'http' || p === 'https';

/** A subscription's confirmation request: a signed document for HTTP(S), a text with the link for the others. */
export async function confirmation(key: string, topic: Topic, protocol: Protocol, token: string, messageId: string, timestamp: string) {
  const link = links(topic, token).subscribe;
  const message = `You are invited to subscribe to topic ${topic.urn}. To confirm the subscription, visit the subscribe_url included in this message.`;
  if (!isWeb(protocol)) return `${message}\n\nsubscribe_url: ${link}`;
  return signedDocument(key, topic, {
    type: 'SubscriptionConfirmation',
    topic_urn: topic.urn,
    message_id: messageId,
    message,
    subscribe_url: link,
    timestamp,
  });
}

/** A notification for one subscription: a signed document for HTTP(S), the subject and text for the others. */
export async function notification(
  key: string,
  topic: Topic,
  m: { protocol: Protocol; token: string | null; messageId: string; subject: string; text: string; timestamp: string },
) {
  if (!isWeb(m.protocol)) return m.subject ? `Subject: ${m.subject}\n\n${m.text}` : m.text;
  const doc = await signedDocument(key, topic, {
    type: 'Notification',
    topic_urn: topic.urn,
    message_id: m.messageId,
    subject: m.subject,
    message: m.text,
    timestamp: m.timestamp,
  });
  return m.token ? JSON.stringify({ ...JSON.parse(doc), unsubscribe_url: links(topic, m.token).unsubscribe }) : doc;
}

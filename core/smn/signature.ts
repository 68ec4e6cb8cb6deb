/**
 * SMN's message signatures, shared by the deliverer and by anyone who checks them (the tests, a receiver): the
 * string to sign is the message's signed fields in alphabetical order, each name on a line and its value on the
 * next; the platform's RSA key signs it (RSASSA-PKCS1-v1_5 over SHA-256, WebCrypto) and `signing_cert_url` serves
 * the public key. A field that is empty (a Notification without subject) is left out, as SMN documents.
 */

/** The message types an HTTP(S) endpoint receives, and the fields each one signs. */
export const SIGNED_FIELDS = {
  SubscriptionConfirmation: ['message', 'message_id', 'subscribe_url', 'timestamp', 'topic_urn', 'type'],
  Notification: ['message', 'message_id', 'subject', 'timestamp', 'topic_urn', 'type'],
  UnsubscribeConfirmation: ['message', 'message_id', 'timestamp', 'topic_urn', 'type', 'unsubscribe_url'],
} as const;

export type MessageType = keyof typeof SIGNED_FIELDS;

/** What SMN posts to an HTTP(S) endpoint (the signature fields come last). */
export type SignedMessage = Record<string, string> & {
  type: MessageType;
  signature: string;
  signature_version: string;
  signing_cert_url: string;
};

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** SMN's string to sign for a message of its type. */
export function stringToSign(message: Record<string, string>): string {
  const fields = SIGNED_FIELDS[message.type as MessageType];
  if (!fields) throw new Error(`No signature is defined for a message of type ${message.type}.`);
  return [...fields]
    .sort()
    .filter((f) => (message[f] ?? '') !== '')
    .map((f) => `${f}\n${message[f]}\n`)
    .join('');
}

const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unbase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

/** The platform's signing key (a private RSA JWK), imported once per isolate. */
const keys = new Map<string, Promise<CryptoKey>>();
function importPrivate(jwkText: string): Promise<CryptoKey> {
  let key = keys.get(jwkText);
  if (!key) {
    const { kid: _kid, alg: _alg, ...jwk } = JSON.parse(jwkText) as JsonWebKey & { kid?: string };
    key = crypto.subtle.importKey('jwk', jwk, ALGORITHM, true, ['sign']) as Promise<CryptoKey>;
    keys.set(jwkText, key);
  }
  return key;
}

/** Signs a message with the platform key: the fields of its type, base64. */
export async function sign(jwkText: string, message: Record<string, string>): Promise<string> {
  const key = await importPrivate(jwkText);
  return base64(await crypto.subtle.sign(ALGORITHM, key, new TextEncoder().encode(stringToSign(message))));
}

/** The key id of the platform key (the file name of its certificate URL). */
export function keyId(jwkText: string): string {
  return (JSON.parse(jwkText) as { kid?: string }).kid ?? 'smn';
}

/** The public half of the platform key as PEM (SubjectPublicKeyInfo), what `signing_cert_url` serves. */
export async function publicKeyPem(jwkText: string): Promise<string> {
  const { n, e } = JSON.parse(jwkText) as JsonWebKey;
  const pub = await crypto.subtle.importKey('jwk', { kty: 'RSA', n, e }, ALGORITHM, true, ['verify']);
  const der = base64((await crypto.subtle.exportKey('spki', pub)) as ArrayBuffer);
  return `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** Whether a received message's signature verifies against a PEM public key (what a receiver does). */
export async function verify(pem: string, message: SignedMessage): Promise<boolean> {
  const der = unbase64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
  const key = await crypto.subtle.importKey('spki', der, ALGORITHM, false, ['verify']);
  return crypto.subtle.verify(ALGORITHM, key, unbase64(message.signature), new TextEncoder().encode(stringToSign(message)));
}

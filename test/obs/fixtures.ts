/** Fixtures of the OBS tests: accounts with AK/SK, requests signed by an independent SigV4 signer (aws4fetch). */
import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { type Account, newAccount } from '../fixtures.ts';
import { dispatch } from '../request.ts';

/** The OBS endpoint as Flexible Engine names it; the Worker serves it by Host. */
export const OBS = 'http://oss.eu-west-0.cloud.test';

export interface ObsUser {
  account: Account;
  client: AwsClient;
}

/** A new account with its AK/SK, ready to sign S3 requests. */
export async function obsUser(prefix = 'obs'): Promise<ObsUser> {
  const account = await newAccount(prefix);
  if (!account.credential) throw new Error('bootstrap gave no credential');
  const client = new AwsClient({
    accessKeyId: account.credential.access,
    secretAccessKey: account.credential.secret,
    service: 's3',
    region: 'eu-west-0',
  });
  return { account, client };
}

let n = 0;
/** A bucket name unique to this run. */
export const bucketName = (prefix = 'bkt') =>
  `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}-${crypto.randomUUID().slice(0, 6)}`;

/** Sends an S3 request: signed by `user`, or anonymous when `user` is null. */
export async function s3(user: ObsUser | null, path: string, init: RequestInit = {}): Promise<Response> {
  const request = user ? await user.client.sign(OBS + path, init) : new Request(OBS + path, init);
  return dispatch(request);
}

/** Creates a bucket and checks it worked. */
export async function createBucket(user: ObsUser, name = bucketName(), headers: Record<string, string> = {}): Promise<string> {
  const res = await s3(user, `/${name}`, { method: 'PUT', headers });
  if (res.status !== 200) throw new Error(`create bucket ${name}: ${res.status} ${await res.text()}`);
  return name;
}

/** Puts an object and returns the response. */
export function put(user: ObsUser | null, bucket: string, key: string, body: BodyInit, headers: Record<string, string> = {}) {
  return s3(user, `/${bucket}/${encodeKey(key)}`, { method: 'PUT', body, headers });
}

/** A key as a path: each segment URL-encoded, slashes kept. */
export const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/** The text of an XML element (first match). */
export function xmlText(xml: string, element: string): string | undefined {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
}

/** Every text of an element, in document order. */
export function xmlTexts(xml: string, element: string): string[] {
  return [...xml.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))].map((m) => m[1]!);
}

/** Decodes the five XML entities. */
export const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|amp|apos|quot|#13);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"', '#13': '\r' })[e]!);

/** Runs the bucket's alarm (its R2 sweep) now. */
export async function sweep(bucket: string): Promise<void> {
  const stub = (env as unknown as { BUCKET: DurableObjectNamespace }).BUCKET.getByName(bucket);
  await runDurableObjectAlarm(stub);
}

/** Every blob key R2 holds for the whole store. */
export async function r2Keys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await (env as unknown as { OBS_DATA: R2Bucket }).OBS_DATA.list({ cursor, limit: 1000 });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

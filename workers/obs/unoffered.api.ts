/**
 * Bucket features S3 has and this store does not offer (website hosting, access logs, replication,
 * ...). Reading one's configuration answers what S3 answers for a bucket where it is not configured (after the
 * same access checks), so that clients which read every setting of a bucket, as Terraform's `aws_s3_bucket`
 * does, see the truth; setting one is 501 NotImplemented.
 */
import type { ActionName } from '../../core/obs/actions.ts';
import { describe } from './bucket-settings.ts';
import type { S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { type XmlObject, xmlResponse } from './xml.ts';

type Unconfigured = { action: ActionName } & ({ root: string; body: XmlObject } | { code: string; message: string });

/** What a GET of each sub-resource answers: an empty (or default) document, or S3's "not configured" 404. */
const UNCONFIGURED: Record<string, Unconfigured> = {
  accelerate: { action: 'getAccelerateConfiguration', root: 'AccelerateConfiguration', body: {} },
  requestPayment: { action: 'getBucketRequestPayment', root: 'RequestPaymentConfiguration', body: { Payer: 'BucketOwner' } },
  logging: { action: 'getBucketLogging', root: 'BucketLoggingStatus', body: {} },
  notification: { action: 'getBucketNotification', root: 'NotificationConfiguration', body: {} },
  website: {
    action: 'getBucketWebsite',
    code: 'NoSuchWebsiteConfiguration',
    message: 'The specified bucket does not have a website configuration',
  },
  replication: {
    action: 'getReplicationConfiguration',
    code: 'ReplicationConfigurationNotFoundError',
    message: 'The replication configuration was not found',
  },
  encryption: {
    action: 'getEncryptionConfiguration',
    code: 'ServerSideEncryptionConfigurationNotFoundError',
    message: 'The server side encryption configuration was not found',
  },
};

/**
 * Answers a request on an unoffered feature's sub-resource; null when the request names none. Features not
 * offered at all (inventory, analytics, ...) are refused before routing, by the table in subresources.ts.
 */
export async function routeUnoffered(s: S3Context): Promise<Response | null> {
  const q = s.target.query;
  const name = Object.keys(UNCONFIGURED).find((sub) => q.has(sub));
  if (!name) return null;
  const unconfigured = UNCONFIGURED[name]!;
  if (s.request.method !== 'GET') throw s3.notImplemented(`?${name}`);
  const b = await describe(s, unconfigured.action);
  if ('code' in unconfigured) throw new S3Error(404, unconfigured.code, unconfigured.message, { BucketName: b.name });
  return xmlResponse(unconfigured.root, unconfigured.body);
}

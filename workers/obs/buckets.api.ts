/**
 * The service and bucket level of OBS: list my buckets, create (names unique across every account, through
 * the directory's registry), head, delete, and the dispatch of bucket sub-resources.
 */
import { and, asc, eq } from 'drizzle-orm';
import { ACTIONS } from '../../core/obs/actions.ts';
import { REGIONS } from '../../core/regions.ts';
import { obsBuckets } from '../../schema/global.ts';
import { directory } from '../directory/client.ts';
import { requestedAcl } from './acl.ts';
import { routeBucketConfig } from './config.api.ts';
import { amz, type S3Context, unwrap } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { routeBucketListing } from './listing.api.ts';
import { routeBucketUploads } from './multipart.api.ts';
import { storageClassNamed } from './object-fields.ts';
import { deleteObjects } from './objects.api.ts';
import { servedSubresource } from './subresources.ts';
import { routeUnoffered } from './unoffered.api.ts';
import { childText, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** `GET /`: the caller's buckets. */
export async function routeService(s: S3Context): Promise<Response> {
  if (s.request.method !== 'GET') throw s3.methodNotAllowed(s.request.method, 'SERVICE');
  const caller = s.caller;
  if (!caller) throw s3.accessDenied('Anonymous users cannot list buckets.');
  if (!s.who(ACTIONS.listAllMyBuckets).iamAllows) throw s3.accessDenied();
  const db = await directory(s.env);
  const rows = await db.select().from(obsBuckets).where(eq(obsBuckets.domainId, caller.domainId)).orderBy(asc(obsBuckets.name));
  return xmlResponse('ListAllMyBucketsResult', {
    Owner: { ID: caller.domainId, DisplayName: caller.domainName },
    Buckets: { Bucket: rows.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region })) },
  });
}

/** Requests on a bucket (no key). */
export async function routeBucket(s: S3Context): Promise<Response> {
  const method = s.request.method;
  const q = s.target.query;
  servedSubresource(s, 'bucket');
  const configured = await routeBucketConfig(s);
  if (configured) return configured;
  const listed = (await routeBucketListing(s)) ?? (await routeBucketUploads(s));
  if (listed) return listed;
  if (method === 'PUT' && !q.size) return createBucket(s);
  if (method === 'HEAD' && !q.size) return headBucket(s);
  if (method === 'DELETE' && !q.size) return deleteBucket(s);
  if (method === 'POST' && q.has('delete')) return deleteObjects(s);
  const unoffered = await routeUnoffered(s);
  if (unoffered) return unoffered;
  throw s3.methodNotAllowed(method, 'BUCKET');
}

/** S3's bucket naming rules (DNS-compatible names). */
export function checkBucketName(name: string): void {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !/\.\.|\.-|-\./.test(name) &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias');
  if (!ok) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
}

async function createBucket(s: S3Context): Promise<Response> {
  const name = s.target.bucket!;
  const caller = s.caller;
  if (!caller) throw s3.accessDenied('Anonymous users cannot create buckets.');
  if (!s.who(ACTIONS.createBucket).iamAllows) throw s3.accessDenied();
  checkBucketName(name);
  const text = await readBodyText(s.body);
  let region = s.target.hostRegion && REGIONS.includes(s.target.hostRegion) ? s.target.hostRegion : s.env.DEFAULT_REGION;
  if (text.trim()) {
    const constraint = childText(parseXml(text, 'CreateBucketConfiguration'), 'LocationConstraint');
    if (constraint) {
      if (!REGIONS.includes(constraint)) {
        throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location constraint is not valid.', {
          LocationConstraint: constraint,
        });
      }
      region = constraint;
    }
  }
  const acl = requestedAcl(s);
  // The class objects get when their PUT names none (OBS: x-obs-storage-class; its S3 dialect: x-default-storage-class).
  const asked = s.request.headers.get('x-default-storage-class') ?? amz(s, 'storage-class');
  const defaultStorageClass = asked === null ? 'STANDARD' : storageClassNamed(asked);
  const db = await directory(s.env);
  const claimed = await db.insert(obsBuckets).values({ name, domainId: caller.domainId, region }).onConflictDoNothing().returning();
  if (!claimed.length) {
    const holder = await db.select().from(obsBuckets).where(eq(obsBuckets.name, name)).get();
    if (!holder)
      throw new S3Error(
        409,
        'OperationAborted',
        'A conflicting conditional operation is currently in progress against this resource. Please try again.',
      );
    if (holder.domainId !== caller.domainId) {
      throw new S3Error(
        409,
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        { BucketName: name },
      );
    }
    // Ours already: the bucket answers BucketAlreadyOwnedByYou, or a create interrupted between the two steps is finished.
  }
  const result = await s
    .bucket()
    .create(name, { ownerDomainId: caller.domainId, ownerDomainName: caller.domainName, region, acl, defaultStorageClass });
  if ('error' in result && claimed.length) {
    await db.delete(obsBuckets).where(and(eq(obsBuckets.name, name), eq(obsBuckets.domainId, caller.domainId)));
  }
  unwrap(result);
  return new Response(null, { status: 200, headers: { Location: `/${name}` } });
}

async function headBucket(s: S3Context): Promise<Response> {
  const b = unwrap(await s.bucket().describe(s.target.bucket!, s.who(ACTIONS.headBucket), 'headBucket'));
  return new Response(null, {
    status: 200,
    headers: { 'x-amz-bucket-region': b.region, 'x-obs-bucket-location': b.region, 'x-obs-storage-class': b.defaultStorageClass },
  });
}

async function deleteBucket(s: S3Context): Promise<Response> {
  const name = s.target.bucket!;
  unwrap(await s.bucket().destroy(name, s.who(ACTIONS.deleteBucket)));
  const db = await directory(s.env);
  await db.delete(obsBuckets).where(eq(obsBuckets.name, name));
  return new Response(null, { status: 204 });
}

/**
 * The service and bucket level of OBS: list my buckets, create (names unique across every account, through
 * the directory's registry), head, delete, and the dispatch of bucket sub-resources.
 */
import { REGIONS } from '../../core/regions.ts';
import { requestedOwnership } from './access-controls.api.ts';
import { requestedAcl } from './acl.ts';
import { routeBucketConfig } from './config.api.ts';
import { amz, type S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { routeBucketListing } from './listing.api.ts';
import { routeBucketUploads } from './multipart.api.ts';
import { storageClassNamed } from './object-fields.ts';
import { deleteObjects } from './objects.api.ts';
import { postObject } from './post-object.api.ts';
import { servedSubresource } from './subresources.ts';
import { routeUnoffered } from './unoffered.api.ts';
import { bucketInfo, checkCreate, createBucket, deleteBucket, listBuckets } from './usecases/buckets.ts';
import { childText, parseXml, readBodyText, xmlResponse } from './xml.ts';

/** `GET /`: the caller's buckets. */
export async function routeService(s: S3Context): Promise<Response> {
  if (s.request.method !== 'GET') throw s3.methodNotAllowed(s.request.method, 'SERVICE');
  const { owner, buckets } = await listBuckets(s.user);
  return xmlResponse('ListAllMyBucketsResult', {
    Owner: { ID: owner.id, DisplayName: owner.name },
    Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region })) },
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
  if (method === 'PUT' && !q.size) return createBucketRoute(s);
  if (method === 'HEAD' && !q.size) return headBucket(s);
  if (method === 'DELETE' && !q.size) return deleteBucketRoute(s);
  if (method === 'POST' && q.has('delete')) return deleteObjects(s);
  if (method === 'POST' && !q.size) return postObject(s);
  const unoffered = await routeUnoffered(s);
  if (unoffered) return unoffered;
  throw s3.methodNotAllowed(method, 'BUCKET');
}

/** `PUT /{bucket}`: the region from the body's LocationConstraint, else the endpoint's host, else the default. */
async function createBucketRoute(s: S3Context): Promise<Response> {
  const name = s.target.bucket!;
  checkCreate(s.user, name);
  const text = await readBodyText(s.body);
  let region = s.target.hostRegion && REGIONS.includes(s.target.hostRegion) ? s.target.hostRegion : s.env.DEFAULT_REGION;
  if (text.trim()) {
    const constraint = childText(parseXml(text, 'CreateBucketConfiguration'), 'LocationConstraint');
    if (constraint) region = constraint;
  }
  const acl = requestedAcl(s);
  // The class objects get when their PUT names none (OBS: x-obs-storage-class; its S3 dialect: x-default-storage-class).
  const asked = s.request.headers.get('x-default-storage-class') ?? amz(s, 'storage-class');
  const defaultStorageClass = asked === null ? 'STANDARD' : storageClassNamed(asked);
  const objectLock = s.request.headers.get('x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true';
  const ownership = requestedOwnership(s);
  if (ownership === 'BucketOwnerEnforced' && acl.grants.length)
    throw new S3Error(
      400,
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  await createBucket(s.user, name, { region, acl, defaultStorageClass, objectLock, ownership });
  return new Response(null, { status: 200, headers: { Location: `/${name}` } });
}

async function headBucket(s: S3Context): Promise<Response> {
  const b = await bucketInfo(s.user, s.target.bucket!, 'headBucket');
  return new Response(null, {
    status: 200,
    headers: { 'x-amz-bucket-region': b.region, 'x-obs-bucket-location': b.region, 'x-obs-storage-class': b.defaultStorageClass },
  });
}

async function deleteBucketRoute(s: S3Context): Promise<Response> {
  await deleteBucket(s.user, s.target.bucket!);
  return new Response(null, { status: 204 });
}

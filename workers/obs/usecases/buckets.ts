/**
 * Buckets: the account's list, create (a name is unique across every account, claimed in the directory's
 * registry before the bucket's Durable Object is made), delete, and the read of a bucket's row for one action.
 */
import { and, asc, eq } from 'drizzle-orm';
import { ACTIONS, type ActionName } from '../../../core/obs/actions.ts';
import { REGIONS } from '../../../core/regions.ts';
import type { Acl, BucketRow } from '../../../durable/obs/access.ts';
import { obsBuckets } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import { S3Error, s3 } from '../errors.ts';
import { bucketOf, type ObsUser, unwrap } from './caller.ts';

export interface BucketList {
  owner: { id: string; name: string };
  buckets: { name: string; createdAt: string; region: string }[];
}

/** The caller's account's buckets, by name. */
export async function listBuckets(user: ObsUser): Promise<BucketList> {
  const account = user.account;
  if (!account) throw s3.accessDenied('Anonymous users cannot list buckets.');
  if (!user.who(ACTIONS.listAllMyBuckets).iamAllows) throw s3.accessDenied();
  const db = await directory(user.env);
  const rows = await db.select().from(obsBuckets).where(eq(obsBuckets.domainId, account.domainId)).orderBy(asc(obsBuckets.name));
  return {
    owner: { id: account.domainId, name: account.domainName },
    buckets: rows.map((b) => ({ name: b.name, createdAt: b.createdAt, region: b.region })),
  };
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

export interface NewBucket {
  region: string;
  acl: Acl;
  /** The class objects get when their write names none. */
  defaultStorageClass: string;
  /** Object Lock on from the start (and with it versioning). */
  objectLock?: boolean;
  /** Ownership controls (ObjectWriter, BucketOwnerPreferred, BucketOwnerEnforced); null for none. */
  ownership?: string | null;
}

/** The refusals of a create that need nothing but the caller and the name (S3 answers them before reading the body). */
export function checkCreate(user: ObsUser, name: string): NonNullable<ObsUser['account']> {
  if (!user.account) throw s3.accessDenied('Anonymous users cannot create buckets.');
  if (!user.who(ACTIONS.createBucket).iamAllows) throw s3.accessDenied();
  checkBucketName(name);
  return user.account;
}

/** Creates a bucket for the caller's account in a region of the cloud. */
export async function createBucket(user: ObsUser, name: string, input: NewBucket): Promise<void> {
  const account = checkCreate(user, name);
  if (!REGIONS.includes(input.region)) {
    throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location constraint is not valid.', {
      LocationConstraint: input.region,
    });
  }
  const db = await directory(user.env);
  const claimed = await db
    .insert(obsBuckets)
    .values({ name, domainId: account.domainId, region: input.region })
    .onConflictDoNothing()
    .returning();
  if (!claimed.length) {
    const holder = await db.select().from(obsBuckets).where(eq(obsBuckets.name, name)).get();
    if (!holder)
      throw new S3Error(
        409,
        'OperationAborted',
        'A conflicting conditional operation is currently in progress against this resource. Please try again.',
      );
    if (holder.domainId !== account.domainId) {
      throw new S3Error(
        409,
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        { BucketName: name },
      );
    }
    // Ours already: the bucket answers BucketAlreadyOwnedByYou, or a create interrupted between the two steps is finished.
  }
  const result = await bucketOf(user, name).create(name, {
    ownerDomainId: account.domainId,
    ownerDomainName: account.domainName,
    ...input,
  });
  if ('error' in result && claimed.length) {
    await db.delete(obsBuckets).where(and(eq(obsBuckets.name, name), eq(obsBuckets.domainId, account.domainId)));
  }
  unwrap(result);
}

/** Deletes an empty bucket and frees its name. */
export async function deleteBucket(user: ObsUser, name: string): Promise<void> {
  unwrap(await bucketOf(user, name).destroy(name, user.who(ACTIONS.deleteBucket)));
  const db = await directory(user.env);
  await db.delete(obsBuckets).where(eq(obsBuckets.name, name));
}

/** The bucket's row, once the caller may perform `action` (a read of its settings, HEAD). */
export async function bucketInfo(user: ObsUser, name: string, action: ActionName): Promise<BucketRow> {
  return unwrap(await bucketOf(user, name).describe(name, user.who(ACTIONS[action]), action));
}

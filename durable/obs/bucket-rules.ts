/**
 * The rules a bucket's own settings impose on changes: the public access block (no public ACL or policy may be
 * set while it blocks them), ownership controls (BucketOwnerEnforced disables ACLs; who owns an object another
 * account writes), and versioning under Object Lock. Each refusal is S3's.
 */
import type { BucketSetting } from '../../core/obs/actions.ts';
import { DomainError } from '../../core/result.ts';
import type { AccountRef } from '../../schema/bucket.ts';
import { type Acl, aclIsPublic, type BucketRow, policyIsPublic } from './access.ts';
import { checkLockRequest, type LockRequest, lockFail } from './locks.ts';
import { fail } from './refusals.ts';

export const aclsDisabled = () => new DomainError(400, 'AccessControlListNotSupported', 'The bucket does not allow ACLs');
const aclWithEnforced = () =>
  new DomainError(
    400,
    'InvalidBucketAclWithObjectOwnership',
    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
  );

/** An ACL (JSON) that grants more than its owner's full control. */
const grantsAnything = (acl: string | null) => !!acl && (JSON.parse(acl) as Acl).grants.length > 0;

/** Refuses an ACL on an object (or bucket) of `b`: disabled by BucketOwnerEnforced, or public under BlockPublicAcls. */
export function checkAcl(b: BucketRow, acl: string | null): void {
  if (b.ownership === 'BucketOwnerEnforced' && grantsAnything(acl)) throw aclsDisabled();
  if (b.publicAccessBlock?.blockPublicAcls && aclIsPublic(acl)) throw fail.accessDenied();
}

/** Refuses a change of a bucket setting that the bucket's other settings forbid. */
export function checkSetting(b: BucketRow, setting: BucketSetting, value: string | null): void {
  if (setting === 'versioning' && value === 'Suspended' && b.objectLock) throw lockFail.versioningLocked();
  if (setting === 'objectLock' && !b.objectLock && b.versioning !== 'Enabled') throw lockFail.versioningRequired();
  if (setting === 'acl') checkAcl(b, value);
  if (setting === 'policy' && b.publicAccessBlock?.blockPublicPolicy && policyIsPublic(value)) throw fail.accessDenied();
  // The bucket's own grants to others would stop counting, so S3 asks that they go first.
  if (setting === 'ownership' && value === 'BucketOwnerEnforced' && grantsAnything(b.acl)) throw aclWithEnforced();
}

/** What a write (PUT, copy, multipart upload) brings besides its bytes that the bucket's rules judge. */
export interface WriteGuards {
  /** The ACL the write sets (JSON grants), null for the owner's full control only. */
  acl: string | null;
  /** The canned ACL it named (`x-amz-acl`), which BucketOwnerPreferred reads. */
  cannedAcl: string | null;
  /** The writing account; null when anonymous. */
  writer: AccountRef | null;
  lock?: LockRequest;
}

/** A write judged: the object's owner (null: the bucket's owner) and the ACL it gets. */
export interface WriteOwnership {
  owner: AccountRef | null;
  acl: string | null;
}

/**
 * Judges a write's ACL and lock headers, and says who will own the object: the writer under ObjectWriter (or no
 * controls), the bucket's owner under BucketOwnerEnforced, or under BucketOwnerPreferred when the writer gave it
 * `bucket-owner-full-control`. A writer who keeps the object and names a bucket-owner-* ACL grants the bucket's owner.
 */
export function judgeWrite(b: BucketRow, key: string, guards: WriteGuards): WriteOwnership {
  checkAcl(b, guards.acl);
  checkLockRequest(b, key, guards.lock);
  const w = guards.writer;
  const bucketOwns =
    !w ||
    w.id === b.ownerDomainId ||
    b.ownership === 'BucketOwnerEnforced' ||
    (b.ownership === 'BucketOwnerPreferred' && guards.cannedAcl === 'bucket-owner-full-control');
  if (bucketOwns) return { owner: null, acl: b.ownership === 'BucketOwnerEnforced' ? null : guards.acl };
  const permission = { 'bucket-owner-read': 'READ', 'bucket-owner-full-control': 'FULL_CONTROL' }[guards.cannedAcl ?? ''];
  if (!permission) return { owner: w, acl: guards.acl };
  const grant = { grantee: { type: 'CanonicalUser', id: b.ownerDomainId, displayName: b.ownerDomainName }, permission };
  return { owner: w, acl: JSON.stringify({ grants: [grant] }) };
}

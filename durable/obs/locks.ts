/**
 * Object Lock, as S3 has it: a lock bucket (always versioned) gives versions a retention (GOVERNANCE or
 * COMPLIANCE, until a date) and a legal hold, and no one deletes a protected version: a COMPLIANCE retention is
 * never shortened or removed, a GOVERNANCE one only by a caller allowed s3:BypassGovernanceRetention who asks
 * to bypass it. A delete without a version id still adds a delete marker, which hides and destroys nothing.
 */
import { ACTIONS } from '../../core/obs/actions.ts';
import { DomainError } from '../../core/result.ts';
import type { ObjectLockFields, Retention } from '../../schema/bucket.ts';
import { type BucketRow, decide, type Requester } from './access.ts';
import type { BucketCtx } from './context.ts';
import { fail } from './refusals.ts';
import type { VersionRow } from './versions.ts';

export const lockFail = {
  notLockBucket: () => new DomainError(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration'),
  protectedVersion: () => new DomainError(403, 'AccessDenied', 'Access Denied because object protected by object lock.'),
  versioningRequired: () =>
    new DomainError(409, 'InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration"),
  versioningLocked: () =>
    new DomainError(
      409,
      'InvalidBucketState',
      'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
    ),
};

/** The lock a write asks for, with the writer as the two permissions it needs see it (s3:PutObjectRetention, s3:PutObjectLegalHold). */
export interface LockRequest {
  fields: ObjectLockFields;
  retentionWho: Requester;
  legalHoldWho: Requester;
}

/** The bucket, which must have Object Lock (InvalidRequest otherwise). */
export function requireLockBucket(b: BucketRow): BucketRow {
  if (!b.objectLock) throw lockFail.notLockBucket();
  return b;
}

/** Whether a retention still holds at `nowMs`. */
const holds = (r: Retention | null | undefined, nowMs: number): r is Retention => !!r && Date.parse(r.until) > nowMs;

/** Whether `bypass` (the caller, asking with x-amz-bypass-governance-retention) may set a GOVERNANCE retention aside. */
function mayBypass(b: BucketRow, key: string, bypass: Requester | null): boolean {
  return bypass !== null && decide({ bucket: b, who: bypass, action: ACTIONS.bypassGovernanceRetention, key });
}

/** Refuses to remove a version that a legal hold or a retention protects (a GOVERNANCE one yields to an allowed bypass). */
export function guardRemoval(ctx: BucketCtx, b: BucketRow, row: VersionRow, bypass: Requester | null): void {
  if (row.legalHold === 'ON') throw lockFail.protectedVersion();
  if (!holds(row.retention, ctx.nowMs)) return;
  if (row.retention.mode === 'GOVERNANCE' && mayBypass(b, row.key, bypass)) return;
  throw lockFail.protectedVersion();
}

/** Whether nothing protects a version now (the lifecycle rules leave protected versions alone). */
export function removable(row: VersionRow, nowMs: number): boolean {
  return row.legalHold !== 'ON' && !holds(row.retention, nowMs);
}

/** Checks a write's lock headers: only a lock bucket takes them, and each needs its own permission. */
export function checkLockRequest(b: BucketRow, key: string, lock: LockRequest | undefined): void {
  if (!lock) return;
  const { retention, legalHold } = lock.fields;
  if (retention === undefined && legalHold === undefined) return;
  requireLockBucket(b);
  if (retention && !decide({ bucket: b, who: lock.retentionWho, action: ACTIONS.putObjectRetention, key })) throw fail.accessDenied();
  if (legalHold !== undefined && !decide({ bucket: b, who: lock.legalHoldWho, action: ACTIONS.putObjectLegalHold, key }))
    throw fail.accessDenied();
}

/** The retention and legal hold a new version gets: what its write asked, else the bucket's default retention from now. */
export function lockOfNewVersion(
  b: BucketRow,
  asked: ObjectLockFields | null | undefined,
  nowMs: number,
): { retention: Retention | null; legalHold: 'ON' | 'OFF' | null } {
  if (!b.objectLock) return { retention: null, legalHold: null };
  const rule = b.objectLock.rule;
  let retention = asked?.retention ?? null;
  if (!retention && rule) {
    const until = new Date(nowMs);
    if (rule.years) until.setUTCFullYear(until.getUTCFullYear() + rule.years);
    else until.setUTCDate(until.getUTCDate() + (rule.days ?? 0));
    retention = { mode: rule.mode, until: until.toISOString() };
  }
  return { retention, legalHold: asked?.legalHold ?? null };
}

/**
 * Checks a change of a version's retention (null removes it). While one holds, a COMPLIANCE retention may only
 * be lengthened; a GOVERNANCE one may be lengthened or made COMPLIANCE, and shortened or removed only by a bypass.
 */
export function checkRetentionChange(
  ctx: BucketCtx,
  b: BucketRow,
  row: VersionRow,
  next: Retention | null,
  bypass: Requester | null,
): void {
  requireLockBucket(b);
  const current = row.retention;
  if (!holds(current, ctx.nowMs)) return;
  const weaker =
    !next || Date.parse(next.until) < Date.parse(current.until) || (current.mode === 'COMPLIANCE' && next.mode !== 'COMPLIANCE');
  if (!weaker) return;
  if (current.mode === 'GOVERNANCE' && mayBypass(b, row.key, bypass)) return;
  throw fail.accessDenied();
}

/**
 * An object version's sub-resources: its ACL and its tags. A change rewrites the version's row in place, as S3
 * does: a new ACL or tag set is not a new version, and the version id, ETag and Last-Modified stay as they are.
 */
import { eq } from 'drizzle-orm';
import { ACTIONS, type ObsAction } from '../../core/obs/actions.ts';
import { DomainError } from '../../core/result.ts';
import type { Retention } from '../../schema/bucket.ts';
import { objects } from '../../schema/bucket.ts';
import { type BucketRow, foreignOwnerOf, type Requester, withObjectTags } from './access.ts';
import { checkAcl } from './bucket-rules.ts';
import { authorize, type BucketCtx, meter } from './context.ts';
import { checkRetentionChange, requireLockBucket } from './locks.ts';
import { fail } from './refusals.ts';
import { latestOf, type VersionRow, versionOf } from './versions.ts';

/** What a sub-resource request does; each has its own action, for the latest version and for a named one. */
const GUARDS = {
  getAcl: [ACTIONS.getObjectAcl, ACTIONS.getObjectVersionAcl],
  putAcl: [ACTIONS.putObjectAcl, ACTIONS.putObjectVersionAcl],
  getTagging: [ACTIONS.getObjectTagging, ACTIONS.getObjectVersionTagging],
  putTagging: [ACTIONS.putObjectTagging, ACTIONS.putObjectVersionTagging],
  deleteTagging: [ACTIONS.deleteObjectTagging, ACTIONS.deleteObjectVersionTagging],
  // S3 has no version-specific actions for the lock of a version.
  getRetention: [ACTIONS.getObjectRetention, ACTIONS.getObjectRetention],
  putRetention: [ACTIONS.putObjectRetention, ACTIONS.putObjectRetention],
  getLegalHold: [ACTIONS.getObjectLegalHold, ACTIONS.getObjectLegalHold],
  putLegalHold: [ACTIONS.putObjectLegalHold, ACTIONS.putObjectLegalHold],
} as const;
export type ObjectSettingUse = keyof typeof GUARDS;

/** The action guarding `use` on the latest version (no versionId) or on a named version. */
export function objectSettingAction(use: ObjectSettingUse, versionId: string | undefined): ObsAction {
  return GUARDS[use][versionId === undefined ? 0 : 1];
}

/** The object a request names: a key, and one of its versions (none: the latest). */
export interface ObjectRef {
  key: string;
  versionId?: string;
}

/**
 * A change of one sub-resource: the ACL (JSON grants, null = the owner only), the tags (null removes them), the
 * retention (null removes it; `bypass` is the caller asking to set a GOVERNANCE one aside) or the legal hold.
 */
export type ObjectSettingChange =
  | { acl: string | null }
  | { tags: Record<string, string> | null }
  | { retention: Retention | null; bypass: Requester | null }
  | { legalHold: 'ON' | 'OFF' };

export interface ObjectSettings {
  /** The bucket's owner, unless the ownership controls let another account that wrote the object own it. */
  owner: { id: string; name: string };
  acl: string | null;
  tags: Record<string, string>;
  retention: Retention | null;
  legalHold: 'ON' | 'OFF' | null;
  versionId: string;
  versioned: boolean;
}

/** The version a request names, once `use` is allowed on it (its object ACL may grant that). */
function targetVersion(ctx: BucketCtx, who: Requester, { key, versionId }: ObjectRef, use: ObjectSettingUse) {
  const row = versionId === undefined ? latestOf(ctx, key) : versionOf(ctx, key, versionId);
  const live = row && !row.deleteMarker ? row : null;
  const b = authorize(ctx, withObjectTags(who, live?.tags), objectSettingAction(use, versionId), {
    key,
    objectAcl: live ? live.acl : null,
    objectOwner: live?.owner?.id,
  });
  if (!row) throw versionId === undefined ? fail.noSuchKey(key) : fail.noSuchVersion(key, versionId);
  if (row.deleteMarker) {
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': row.versionId };
    if (versionId === undefined) throw fail.noSuchKey(key, headers);
    const method = use.startsWith('get') ? 'GET' : use.startsWith('put') ? 'PUT' : 'DELETE';
    throw new DomainError(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      { Method: method, ResourceType: 'DeleteMarker' },
      headers,
    );
  }
  return { b, row };
}

function settingsOf(b: BucketRow, row: VersionRow): ObjectSettings {
  return {
    owner: row.owner && foreignOwnerOf(b, row.owner.id) ? row.owner : { id: b.ownerDomainId, name: b.ownerDomainName },
    acl: row.acl,
    tags: row.tags ?? {},
    retention: row.retention,
    legalHold: row.legalHold,
    versionId: row.versionId,
    versioned: b.versioning !== '',
  };
}

/** Reads a version's ACL and tags under `use`'s access check (a PUT ?acl reads the owner first, checked as the write). */
export function readObjectSettings(ctx: BucketCtx, who: Requester, ref: ObjectRef, use: ObjectSettingUse): ObjectSettings {
  const { b, row } = targetVersion(ctx, who, ref, use);
  if (use === 'getRetention' || use === 'getLegalHold') requireLockBucket(b);
  if (use.startsWith('get')) meter(ctx, 'requests.get');
  return settingsOf(b, row);
}

/** The sub-resource a change is of. */
function useOf(change: ObjectSettingChange): ObjectSettingUse {
  if ('acl' in change) return 'putAcl';
  if ('retention' in change) return 'putRetention';
  if ('legalHold' in change) return 'putLegalHold';
  return change.tags === null ? 'deleteTagging' : 'putTagging';
}

/** The columns a change writes, once the bucket's rules allow it. */
function columnsOf(ctx: BucketCtx, b: BucketRow, row: VersionRow, change: ObjectSettingChange): Partial<VersionRow> {
  if ('acl' in change) {
    checkAcl(b, change.acl);
    return { acl: change.acl };
  }
  if ('retention' in change) {
    checkRetentionChange(ctx, b, row, change.retention, change.bypass);
    return { retention: change.retention };
  }
  if ('legalHold' in change) {
    requireLockBucket(b);
    return { legalHold: change.legalHold };
  }
  return { tags: change.tags };
}

/** Replaces a version's ACL, tags, retention or legal hold in place. */
export function changeObjectSettings(ctx: BucketCtx, who: Requester, ref: ObjectRef, change: ObjectSettingChange): ObjectSettings {
  const use = useOf(change);
  const { b, row } = targetVersion(ctx, who, ref, use);
  const set = columnsOf(ctx, b, row, change);
  ctx.db.update(objects).set(set).where(eq(objects.seq, row.seq)).run();
  meter(ctx, use === 'deleteTagging' ? 'requests.delete' : 'requests.put');
  return settingsOf(b, { ...row, ...set });
}

/**
 * An object version's sub-resources: its ACL and its tags. A change rewrites the version's row in place, as S3
 * does: a new ACL or tag set is not a new version, and the version id, ETag and Last-Modified stay as they are.
 */
import { eq } from 'drizzle-orm';
import { ACTIONS, type ObsAction } from '../../core/obs/actions.ts';
import { DomainError } from '../../core/result.ts';
import { objects } from '../../schema/bucket.ts';
import { type Requester, withObjectTags } from './access.ts';
import { authorize, type BucketCtx, meter } from './context.ts';
import { fail } from './refusals.ts';
import { latestOf, type VersionRow, versionOf } from './versions.ts';

/** What a sub-resource request does; each has its own action, for the latest version and for a named one. */
const GUARDS = {
  getAcl: [ACTIONS.getObjectAcl, ACTIONS.getObjectVersionAcl],
  putAcl: [ACTIONS.putObjectAcl, ACTIONS.putObjectVersionAcl],
  getTagging: [ACTIONS.getObjectTagging, ACTIONS.getObjectVersionTagging],
  putTagging: [ACTIONS.putObjectTagging, ACTIONS.putObjectVersionTagging],
  deleteTagging: [ACTIONS.deleteObjectTagging, ACTIONS.deleteObjectVersionTagging],
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

/** A change of one sub-resource: the ACL (JSON grants, null = the owner only) or the tags (null removes them). */
export type ObjectSettingChange = { acl: string | null } | { tags: Record<string, string> | null };

export interface ObjectSettings {
  /** Objects belong to the bucket owner. */
  owner: { id: string; name: string };
  acl: string | null;
  tags: Record<string, string>;
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

function settingsOf(b: { ownerDomainId: string; ownerDomainName: string; versioning: string }, row: VersionRow): ObjectSettings {
  return {
    owner: { id: b.ownerDomainId, name: b.ownerDomainName },
    acl: row.acl,
    tags: row.tags ?? {},
    versionId: row.versionId,
    versioned: b.versioning !== '',
  };
}

/** Reads a version's ACL and tags under `use`'s access check (a PUT ?acl reads the owner first, checked as the write). */
export function readObjectSettings(ctx: BucketCtx, who: Requester, ref: ObjectRef, use: ObjectSettingUse): ObjectSettings {
  const { b, row } = targetVersion(ctx, who, ref, use);
  if (use === 'getAcl' || use === 'getTagging') meter(ctx, 'requests.get');
  return settingsOf(b, row);
}

/** Replaces a version's ACL or tags in place. */
export function changeObjectSettings(ctx: BucketCtx, who: Requester, ref: ObjectRef, change: ObjectSettingChange): ObjectSettings {
  const use: ObjectSettingUse = 'acl' in change ? 'putAcl' : change.tags === null ? 'deleteTagging' : 'putTagging';
  const { b, row } = targetVersion(ctx, who, ref, use);
  const set = 'acl' in change ? { acl: change.acl } : { tags: change.tags };
  ctx.db.update(objects).set(set).where(eq(objects.seq, row.seq)).run();
  meter(ctx, use === 'deleteTagging' ? 'requests.delete' : 'requests.put');
  return settingsOf(b, { ...row, ...set });
}

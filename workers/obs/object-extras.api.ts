/**
 * An object's ACL and tags (`?acl`, `?tagging`, optionally of one `versionId`), read and written as S3's XML.
 * Both belong to one version and change in place: neither makes a new version.
 */
import type { Acl } from '../../durable/obs/access.ts';
import { type ObjectRef, type ObjectSettingChange, type ObjectSettingUse, objectSettingAction } from '../../durable/obs/object-settings.ts';
import { aclDocument, aclFromRequest } from './acl.ts';
import type { S3Context } from './context.ts';
import { s3 } from './errors.ts';
import { checkTags } from './object-fields.ts';
import { readTagging, taggingResponse } from './tagging.api.ts';
import { unwrap } from './usecases/caller.ts';

/** Routes `?acl` and `?tagging` on an object; null for anything else. */
export async function routeObjectExtras(s: S3Context): Promise<Response | null> {
  const q = s.target.query;
  const method = s.request.method;
  if (q.has('acl')) {
    if (method === 'GET') return getAcl(s);
    if (method === 'PUT') return putAcl(s);
    throw s3.methodNotAllowed(method, 'OBJECT');
  }
  if (q.has('tagging')) {
    if (method === 'GET') return getTagging(s);
    if (method === 'PUT') return putTagging(s);
    if (method === 'DELETE') return deleteTagging(s);
    throw s3.methodNotAllowed(method, 'OBJECT');
  }
  return null;
}

/** The object the request names: its key, and the `versionId` query (empty meaning none). */
function refOf(s: S3Context): ObjectRef {
  return { key: s.target.key!, versionId: s.target.query.get('versionId') || undefined };
}

async function read(s: S3Context, use: ObjectSettingUse) {
  const ref = refOf(s);
  return unwrap(await s.bucket().objectSettings(s.target.bucket!, s.who(objectSettingAction(use, ref.versionId)), ref, use));
}

async function change(s: S3Context, use: ObjectSettingUse, what: ObjectSettingChange) {
  const ref = refOf(s);
  return unwrap(await s.bucket().changeObjectSettings(s.target.bucket!, s.who(objectSettingAction(use, ref.versionId)), ref, what));
}

/** S3 names the version a tagging request touched when the bucket is versioned. */
const versionHeaders = (v: { versioned: boolean; versionId: string }): Record<string, string> =>
  v.versioned ? { 'x-amz-version-id': v.versionId } : {};

async function getAcl(s: S3Context): Promise<Response> {
  const v = await read(s, 'getAcl');
  return aclDocument(v.acl ? (JSON.parse(v.acl) as Acl) : { grants: [] }, v.owner);
}

async function putAcl(s: S3Context): Promise<Response> {
  // The owner's id first (checked as the write itself), so that a grant naming the owner is not stored twice.
  const { owner } = await read(s, 'putAcl');
  const acl = await aclFromRequest(s, owner.id);
  // An explicit document is kept even when empty: it says the object has no grant at all.
  await change(s, 'putAcl', { acl: acl.grants.length || acl.explicit ? JSON.stringify(acl) : null });
  return new Response(null, { status: 200 });
}

async function getTagging(s: S3Context): Promise<Response> {
  const v = await read(s, 'getTagging');
  return taggingResponse(v.tags, versionHeaders(v));
}

async function putTagging(s: S3Context): Promise<Response> {
  const tags = await readTagging(s);
  checkTags(tags);
  const v = await change(s, 'putTagging', { tags });
  return new Response(null, { status: 200, headers: versionHeaders(v) });
}

async function deleteTagging(s: S3Context): Promise<Response> {
  const v = await change(s, 'deleteTagging', { tags: null });
  return new Response(null, { status: 204, headers: versionHeaders(v) });
}

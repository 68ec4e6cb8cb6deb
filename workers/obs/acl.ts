/**
 * ACLs as S3 writes them: a canned `x-amz-acl`, `x-amz-grant-*` headers, or an AccessControlPolicy document; and
 * the document S3 answers with. (Where ACLs are checked: `durable/obs/access.ts`.)
 */

import { inArray } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import type { AclPermission } from '../../core/obs/actions.ts';
import { type Acl, CANNED_ACLS, type CannedAcl, cannedAcl, type Grant, type GroupName } from '../../durable/obs/access.ts';
import { domains } from '../../schema/global.ts';
import { directory } from '../directory/client.ts';
import { amz, type S3Context } from './context.ts';
import { S3Error, s3 } from './errors.ts';
import { childText, MAX_XML_BYTES, parseXml, readBodyText, xmlResponse } from './xml.ts';

const GROUP_URIS: Record<GroupName, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};
const PERMISSIONS: AclPermission[] = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'];

/** The group a grantee URI names, or InvalidArgument. */
function groupOf(uri: string | undefined, field: string): GroupName {
  const group = (Object.keys(GROUP_URIS) as GroupName[]).find((k) => GROUP_URIS[k] === uri);
  if (!group) throw s3.invalidArgument('Invalid group uri', field, uri ?? '');
  return group;
}

const byEmail = () =>
  new S3Error(501, 'NotImplemented', 'Grants by email address are not supported: name the account by its id (its domain id).');

/**
 * The ACL a request asks for with `x-amz-acl` (canned) or the `x-amz-grant-*` headers (`id="..."`, `uri="..."`,
 * comma separated; `x-obs-*` alike); private by default. Asking both ways at once is refused, as S3 does.
 */
export function requestedAcl(s: S3Context): Acl {
  const canned = amz(s, 'acl');
  const grants = grantHeaders(s);
  if (canned && grants.length) throw s3.invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  if (canned) {
    if (!(CANNED_ACLS as readonly string[]).includes(canned)) throw s3.invalidArgument('Invalid canned ACL.', 'x-amz-acl', canned);
    return cannedAcl(canned as CannedAcl);
  }
  return { grants };
}

/** The grants of the `x-amz-grant-{read,write,read-acp,write-acp,full-control}` headers. */
function grantHeaders(s: S3Context): Grant[] {
  const grants: Grant[] = [];
  for (const permission of PERMISSIONS) {
    const header = `grant-${permission.toLowerCase().replace('_', '-')}`;
    const value = amz(s, header);
    if (value === null) continue;
    const entries = value.split(',').map((e) => e.trim());
    for (const entry of entries) {
      const m = /^(id|uri|emailAddress)\s*=\s*(?:"([^"]*)"|([^\s"]+))$/i.exec(entry);
      if (!m) throw s3.invalidArgument(`Invalid grantee in x-amz-${header}.`, `x-amz-${header}`, value);
      const kind = m[1]!.toLowerCase();
      const target = m[2] ?? m[3]!;
      if (kind === 'emailaddress') throw byEmail();
      if (!target) throw s3.invalidArgument(`Invalid grantee in x-amz-${header}.`, `x-amz-${header}`, value);
      grants.push(
        kind === 'uri'
          ? { grantee: { type: 'Group', uri: groupOf(target, `x-amz-${header}`) }, permission }
          : { grantee: { type: 'CanonicalUser', id: target }, permission },
      );
    }
  }
  return grants;
}

const malformedAcl = () =>
  new S3Error(400, 'MalformedACLError', 'The ACL you provided was not well formed or did not validate against our published schema.');

/**
 * The ACL a PUT ?acl asks for: headers (canned or grants), or an AccessControlPolicy body. A request with
 * neither, or whose body is no XML text at all (a NUL, bytes that are not UTF-8), is MalformedACLError: it must
 * never read as "no grants" and close the bucket or object. XML that is no valid policy stays MalformedXML.
 */
export async function aclFromRequest(s: S3Context, ownerId: string): Promise<Acl> {
  const text = await readBodyText(s.body, MAX_XML_BYTES, malformedAcl);
  const headers = Boolean(amz(s, 'acl')) || grantHeaders(s).length > 0;
  if (!text.trim()) {
    if (!headers) throw malformedAcl();
    return requestedAcl(s);
  }
  if (headers) throw new S3Error(400, 'UnexpectedContent', 'This request does not support content with ACL headers.');
  if (!text.trimStart().startsWith('<') || text.includes('\0')) throw malformedAcl();
  const doc = parseXml(text, 'AccessControlPolicy');
  const list = (doc.AccessControlList ?? {}) as { Grant?: Record<string, unknown>[] };
  const grants: Grant[] = [];
  for (const g of list.Grant ?? []) {
    const permission = childText(g, 'Permission') as AclPermission;
    if (!PERMISSIONS.includes(permission)) throw s3.malformedXml();
    const who = g.Grantee as Record<string, unknown> | undefined;
    const type = who?.['@type'];
    if (type === 'Group') {
      grants.push({ grantee: { type: 'Group', uri: groupOf(childText(who, 'URI'), 'Grantee') }, permission });
    } else if (type === 'CanonicalUser') {
      const id = childText(who, 'ID');
      if (!id) throw s3.malformedXml();
      grants.push({ grantee: { type: 'CanonicalUser', id }, permission });
    } else if (type === 'AmazonCustomerByEmail') {
      throw byEmail();
    } else {
      throw new S3Error(501, 'NotImplemented', 'Only CanonicalUser and Group grantees are supported.');
    }
  }
  return { grants: await named(s.env, grants, ownerId), explicit: true };
}

/**
 * The grants with each account grantee's display name; an id that names no account is refused as S3 refuses it
 * (InvalidArgument), so a typo cannot leave a grant that nobody holds.
 */
async function named(env: Env, grants: Grant[], ownerId: string): Promise<Grant[]> {
  const ids = [...new Set(grants.flatMap((g) => (g.grantee.type === 'CanonicalUser' ? [g.grantee.id] : [])))];
  if (!ids.length) return grants;
  const db = await directory(env);
  const rows = await db.select({ id: domains.id, name: domains.name }).from(domains).where(inArray(domains.id, ids));
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const unknown = ids.find((id) => !names.has(id) && id !== ownerId);
  if (unknown !== undefined) throw s3.invalidArgument('Invalid id', 'CanonicalUser/ID', unknown);
  return grants.map((g) =>
    g.grantee.type === 'CanonicalUser' ? { ...g, grantee: { ...g.grantee, displayName: names.get(g.grantee.id) } } : g,
  );
}

/** An ACL as S3's AccessControlPolicy document: a document's grants as given, else the owner's full control first. */
export function aclDocument(acl: Acl, owner: { id: string; name: string }): Response {
  const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  const grantee = (g: Grant['grantee']) =>
    g.type === 'CanonicalUser'
      ? { [`Grantee ${xsi} xsi:type="CanonicalUser"`]: { ID: g.id, DisplayName: g.displayName } }
      : { [`Grantee ${xsi} xsi:type="Group"`]: { URI: GROUP_URIS[g.uri] } };
  const ownerGrant = { grantee: { type: 'CanonicalUser', id: owner.id, displayName: owner.name }, permission: 'FULL_CONTROL' } as Grant;
  const shown = (g: Grant): Grant =>
    g.grantee.type === 'CanonicalUser' && g.grantee.id === owner.id ? { ...g, grantee: { ...g.grantee, displayName: owner.name } } : g;
  const grants = acl.explicit ? acl.grants.map(shown) : [ownerGrant, ...acl.grants];
  return xmlResponse('AccessControlPolicy', {
    Owner: { ID: owner.id, DisplayName: owner.name },
    AccessControlList: { Grant: grants.map((g) => ({ ...grantee(g.grantee), Permission: g.permission })) },
  });
}

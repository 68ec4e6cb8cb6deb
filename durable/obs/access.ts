/**
 * Who may do what to a bucket and its objects: the owner's users by their IAM permissions, anyone a bucket
 * policy names, anyone an ACL grants. An explicit Deny in the bucket policy wins over everything.
 */

import type { AclPermission, ObsAction } from '../../core/obs/actions.ts';
import type { bucket } from '../../schema/bucket.ts';
import { type ConditionContext, conditionsHold, matchesWildcard, type PolicyCondition } from './policy-conditions.ts';

export type BucketRow = typeof bucket.$inferSelect;

export type Grantee = { type: 'CanonicalUser'; id: string; displayName?: string } | { type: 'Group'; uri: GroupName };
export type GroupName = 'AllUsers' | 'AuthenticatedUsers' | 'LogDelivery';
export interface Grant {
  grantee: Grantee;
  permission: AclPermission;
}
/** An ACL: the grants beyond the owner's implicit full control. */
export interface Acl {
  grants: Grant[];
  /**
   * The grants are the whole ACL, the owner's own included, as an AccessControlPolicy document gave them (an
   * empty list empties it). Otherwise (canned, grant headers) the owner's full control comes first, implied.
   */
  explicit?: boolean;
}

/** What a new bucket is created with. */
export interface BucketInput {
  ownerDomainId: string;
  ownerDomainName: string;
  region: string;
  acl: Acl;
  defaultStorageClass: string;
  /** `x-amz-bucket-object-lock-enabled: true`: Object Lock on, and with it versioning. */
  objectLock?: boolean;
  ownership?: string | null;
}

/** The caller as the bucket sees it: its account (null when anonymous) and whether its IAM policies allow the action. */
export interface Requester {
  domainId: string | null;
  userId: string | null;
  userName: string | null;
  iamAllows: boolean;
  /** The request's condition keys, for bucket policy conditions. */
  context: ConditionContext;
  /** `x-amz-expected-bucket-owner`: the request is refused unless the bucket's owner is this account. */
  expectedOwner?: string | null;
}

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

const group = (uri: GroupName, permission: AclPermission): Grant => ({ grantee: { type: 'Group', uri }, permission });

/** The grants of a canned ACL (objects are owned by the bucket owner, so the bucket-owner-* forms add nothing). */
export function cannedAcl(name: CannedAcl): Acl {
  switch (name) {
    case 'public-read':
      return { grants: [group('AllUsers', 'READ')] };
    case 'public-read-write':
      return { grants: [group('AllUsers', 'READ'), group('AllUsers', 'WRITE')] };
    case 'authenticated-read':
      return { grants: [group('AuthenticatedUsers', 'READ')] };
    case 'log-delivery-write':
      return { grants: [group('LogDelivery', 'WRITE'), group('LogDelivery', 'READ_ACP')] };
    default:
      return { grants: [] };
  }
}

/** A grant to everyone or to every authenticated account: what S3's public access block calls public. */
export const isPublicGrant = (g: Grant) =>
  g.grantee.type === 'Group' && (g.grantee.uri === 'AllUsers' || g.grantee.uri === 'AuthenticatedUsers');

function aclGrants(acl: Acl, who: Requester, permission: AclPermission, ignorePublic: boolean): boolean {
  return acl.grants.some((g) => {
    if (g.permission !== permission && g.permission !== 'FULL_CONTROL') return false;
    if (ignorePublic && isPublicGrant(g)) return false;
    if (g.grantee.type === 'CanonicalUser') return who.domainId !== null && g.grantee.id === who.domainId;
    if (g.grantee.uri === 'AllUsers') return true;
    if (g.grantee.uri === 'AuthenticatedUsers') return who.domainId !== null;
    return false;
  });
}

/** A bucket policy statement, normalised. */
export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  principals: string[];
  actions: string[];
  notActions: string[];
  resources: string[];
  /** All must hold for the statement to apply (absent in policies stored before conditions existed). */
  conditions?: PolicyCondition[];
}

/** The principal names a requester answers to in a policy (account, user, everyone). */
function principalNames(who: Requester): string[] {
  const names = ['*'];
  if (who.domainId) {
    names.push(who.domainId, `domain/${who.domainId}`, `arn:aws:iam::${who.domainId}:root`);
    if (who.userId) names.push(`domain/${who.domainId}:user/${who.userId}`);
    if (who.userName) names.push(`arn:aws:iam::${who.domainId}:user/${who.userName}`);
  }
  return names;
}

function statementApplies(s: PolicyStatement, who: Requester, s3Action: string, resource: string): boolean {
  const names = principalNames(who);
  if (!s.principals.some((p) => names.includes(p))) return false;
  const actionHit = s.actions.length
    ? s.actions.some((a) => matchesWildcard(a, s3Action, true))
    : !s.notActions.some((a) => matchesWildcard(a, s3Action, true));
  if (!actionHit) return false;
  if (!s.resources.some((r) => matchesWildcard(r, resource) || matchesWildcard(r, resource.replace(/^arn:aws:s3:::/, '')))) return false;
  return conditionsHold(s.conditions, who.context);
}

const parsedPolicies = new Map<string, PolicyStatement[]>();
function statementsOf(policy: string | null): PolicyStatement[] {
  if (!policy) return [];
  let parsed = parsedPolicies.get(policy);
  if (!parsed) {
    parsed = (JSON.parse(policy) as { statements: PolicyStatement[] }).statements;
    if (parsedPolicies.size > 200) parsedPolicies.clear();
    parsedPolicies.set(policy, parsed);
  }
  return parsed;
}

/** `who` with the object's tags as `s3:ExistingObjectTag/<key>` condition keys, for a request on that object. */
export function withObjectTags(who: Requester, tags: Record<string, string> | null | undefined): Requester {
  if (!tags || !Object.keys(tags).length) return who;
  const keys = Object.fromEntries(Object.entries(tags).map(([k, v]) => [`s3:existingobjecttag/${k.toLowerCase()}`, [v]]));
  return { ...who, context: { ...who.context, ...keys } };
}

/** The account owning an object when it is not the bucket's owner; under BucketOwnerEnforced the bucket's owner owns them all. */
export function foreignOwnerOf(b: BucketRow, objectOwner: string | null | undefined): string | null {
  if (!objectOwner || objectOwner === b.ownerDomainId || b.ownership === 'BucketOwnerEnforced') return null;
  return objectOwner;
}

/** What `decide` weighs: the bucket, the caller, the action, and the object it acts on (its ACL and owner). */
export interface Decision {
  bucket: BucketRow;
  who: Requester;
  action: ObsAction;
  key?: string;
  objectAcl?: string | null;
  /** The account owning the object, when not the bucket's owner. */
  objectOwner?: string | null;
}

/** Whether `who` may perform `action` on the bucket, or on one of its keys. */
export function decide(args: Decision): boolean {
  const { bucket: b, who, action, key } = args;
  const resource = key === undefined ? `arn:aws:s3:::${b.name}` : `arn:aws:s3:::${b.name}/${key}`;
  const statements = statementsOf(b.policy);
  let policyAllows = false;
  for (const s of statements) {
    if (!statementApplies(s, who, action.s3, resource)) continue;
    if (s.effect === 'Deny') return false;
    policyAllows = true;
  }
  const block = b.publicAccessBlock;
  // RestrictPublicBuckets: while the policy is public, it lets in no one outside the owner's account.
  if (block?.restrictPublicBuckets && who.domainId !== b.ownerDomainId && isPublicPolicy(statements)) policyAllows = false;
  const objectLevel = action.acl?.on === 'object';
  const foreignOwner = objectLevel ? foreignOwnerOf(b, args.objectOwner) : null;
  if (foreignOwner) {
    // An object another account owns: its owner has full control of it; the bucket's policy cannot grant it.
    if (who.domainId === foreignOwner) return who.iamAllows;
    policyAllows = false;
  } else if (who.domainId === b.ownerDomainId) return who.iamAllows || policyAllows;
  // Another account's users still need their own IAM permission; anonymous callers have none to check.
  if (who.domainId !== null && !who.iamAllows) return false;
  if (policyAllows) return true;
  // BucketOwnerEnforced: ACLs are disabled, they grant nothing.
  if (!action.acl || b.ownership === 'BucketOwnerEnforced') return false;
  const acl = objectLevel && args.objectAcl !== undefined ? args.objectAcl : b.acl;
  return acl ? aclGrants(JSON.parse(acl) as Acl, who, action.acl.permission, block?.ignorePublicAcls === true) : false;
}

/** Condition keys that tie a statement to known sources, so that S3 does not call it public. */
const FIXING_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:userid',
  'aws:username',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
]);

/** A condition that narrows who may use a statement: a fixed source account, VPC, ..., or a source IP range narrower than /8. */
function narrowsPrincipal(c: PolicyCondition): boolean {
  const negated = c.operator.includes('Not');
  if (negated || c.ifExists) return false;
  if (c.key === 'aws:sourceip') return c.operator === 'IpAddress' && c.values.every((v) => Number(v.split('/')[1] ?? 32) >= 8);
  return FIXING_KEYS.has(c.key) && c.values.every((v) => !/[*?]/.test(v));
}

/** S3's "public" policy: an Allow to everyone (`*`) that no condition narrows to known sources. */
export function isPublicPolicy(statements: PolicyStatement[]): boolean {
  return statements.some(
    (s) => s.effect === 'Allow' && s.principals.includes('*') && !(s.conditions ?? []).some((c) => narrowsPrincipal(c)),
  );
}

/** Whether a stored bucket policy (JSON) is public. */
export const policyIsPublic = (policy: string | null) => isPublicPolicy(statementsOf(policy));

/** Whether an ACL (JSON) grants anything to everyone or to every authenticated account. */
export const aclIsPublic = (acl: string | null) => (acl ? (JSON.parse(acl) as Acl).grants.some(isPublicGrant) : false);

/**
 * A bucket's settings that people change often: versioning, its ACL (canned or granted), lifecycle rules; and
 * the one write every setting goes through. Values arrive validated; each is stored by the BucketDO, guarded by
 * its own action (core/obs/actions.ts SETTING_ACTIONS).
 */
import { ACTIONS, type BucketSetting, SETTING_ACTIONS } from '../../../core/obs/actions.ts';
import { type Acl, type BucketRow, CANNED_ACLS, type CannedAcl, cannedAcl } from '../../../durable/obs/access.ts';
import type { LifecycleConfig, LifecycleRule } from '../../../durable/obs/lifecycle.ts';
import { s3 } from '../errors.ts';
import { bucketInfo } from './buckets.ts';
import { bucketOf, type ObsUser, unwrap } from './caller.ts';

/** Stores a setting (null removes it); answers the bucket's row as it now is. */
export async function configureBucket(user: ObsUser, bucket: string, setting: BucketSetting, value: string | null): Promise<BucketRow> {
  const who = user.who(ACTIONS[SETTING_ACTIONS[setting]]);
  return unwrap(await bucketOf(user, bucket).configure(bucket, who, setting, value));
}

export type Versioning = 'Enabled' | 'Suspended';

/** The bucket's versioning: Enabled, Suspended, or null when it was never turned on. */
export async function versioningOf(user: ObsUser, bucket: string): Promise<Versioning | null> {
  const b = await bucketInfo(user, bucket, 'getBucketVersioning');
  return (b.versioning || null) as Versioning | null;
}

/** Turns versioning on, or suspends it (once on, it can never be removed). */
export async function setVersioning(user: ObsUser, bucket: string, status: Versioning): Promise<void> {
  await configureBucket(user, bucket, 'versioning', status);
}

/** The bucket's ACL (the grants beyond its owner's full control), and its owner. */
export async function bucketAcl(user: ObsUser, bucket: string): Promise<{ acl: Acl; owner: { id: string; name: string } }> {
  const b = await bucketInfo(user, bucket, 'getBucketAcl');
  return { acl: JSON.parse(b.acl) as Acl, owner: { id: b.ownerDomainId, name: b.ownerDomainName } };
}

/** Replaces the bucket's ACL. */
export async function setBucketAcl(user: ObsUser, bucket: string, acl: Acl): Promise<void> {
  await configureBucket(user, bucket, 'acl', JSON.stringify(acl));
}

/** Replaces the bucket's ACL by a canned one (private, public-read, ...). */
export async function setCannedAcl(user: ObsUser, bucket: string, name: string): Promise<void> {
  if (!(CANNED_ACLS as readonly string[]).includes(name)) throw s3.invalidArgument('Invalid canned ACL.', 'x-amz-acl', name);
  await setBucketAcl(user, bucket, cannedAcl(name as CannedAcl));
}

/** The canned ACL an ACL is (the first that grants exactly the same), or null when it is a set of its own. */
export function cannedNameOf(acl: Acl): CannedAcl | null {
  const key = (a: Acl) => JSON.stringify([...a.grants].map((g) => JSON.stringify(g)).sort());
  return CANNED_ACLS.find((name) => key(cannedAcl(name)) === key(acl)) ?? null;
}

/** The bucket's lifecycle rules; null when it has no lifecycle configuration. */
export async function lifecycleRules(user: ObsUser, bucket: string): Promise<LifecycleRule[] | null> {
  const b = await bucketInfo(user, bucket, 'getLifecycle');
  return b.lifecycle ? (JSON.parse(b.lifecycle) as LifecycleConfig).rules : null;
}

/** Replaces the lifecycle configuration (null removes it); the bucket's alarm applies the new rules. */
export async function setLifecycle(user: ObsUser, bucket: string, config: LifecycleConfig | null): Promise<void> {
  await configureBucket(user, bucket, 'lifecycle', config?.rules.length ? JSON.stringify(config) : null);
  if (config?.rules.length) await bucketOf(user, bucket).lifecycleChanged();
}

/** As many rules as S3 allows in one configuration. */
const MAX_RULES = 1000;

/** An expiration rule as people ask for one: objects under `prefix` are deleted `days` days after they were written. */
export interface ExpirationRule {
  id: string;
  prefix: string;
  days: number;
}

/**
 * Adds an enabled expiration rule to the bucket's rules. The rules are read, then written whole (as S3 itself
 * only writes a whole configuration): two people adding a rule at the same moment may see one of them lost.
 */
export async function addExpirationRule(user: ObsUser, bucket: string, rule: ExpirationRule): Promise<void> {
  if (!Number.isInteger(rule.days) || rule.days <= 0)
    throw s3.invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', String(rule.days));
  if (!rule.id || rule.id.length > 255) throw s3.invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.id);
  const rules = (await lifecycleRules(user, bucket)) ?? [];
  if (rules.some((r) => r.id === rule.id))
    throw s3.invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', rule.id);
  if (rules.length >= MAX_RULES) throw s3.malformedXml();
  const added: LifecycleRule = {
    id: rule.id,
    enabled: true,
    filter: { form: 'filter', prefix: rule.prefix, tags: [] },
    expiration: { days: rule.days },
  };
  await setLifecycle(user, bucket, { rules: [...rules, added] });
}

/** Removes one rule by its id (NoSuchLifecycleConfiguration when the bucket has none, InvalidArgument for an unknown id). */
export async function deleteLifecycleRule(user: ObsUser, bucket: string, id: string): Promise<void> {
  const rules = await lifecycleRules(user, bucket);
  if (!rules) throw s3.noSuchLifecycle(bucket);
  if (!rules.some((r) => r.id === id)) throw s3.invalidArgument(`No lifecycle rule has the ID ${id}.`, 'ID', id);
  await setLifecycle(user, bucket, { rules: rules.filter((r) => r.id !== id) });
}

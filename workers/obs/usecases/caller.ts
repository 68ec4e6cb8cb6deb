/**
 * Who calls an OBS use case, whichever door it came through: the S3 endpoint (an AK/SK signature, or nobody) or
 * the Console (a Keystone token). A bucket decides by the caller's account and by whether the caller's IAM
 * permissions allow the action (durable/obs/access.ts); the door works out both, the use cases never see HTTP.
 *
 * A token counts exactly as the same user's AK/SK does: OBS is a global service, so the roles that count are
 * those assigned on the user's domain (to the user or one of its groups), never a project's. The token's own
 * roles (its project's and its domain's) only pass the Console's route guard; the bucket then decides with the
 * domain's, so a person sees the same buckets in the Console as with s3cmd.
 */

import type { Env } from '../../../core/env.ts';
import type { ObsAction } from '../../../core/obs/actions.ts';
import { type Result, valueOr } from '../../../core/result.ts';
import type { BucketDO } from '../../../durable/bucket.ts';
import type { Requester } from '../../../durable/obs/access.ts';
import type { ConditionContext } from '../../../durable/obs/policy-conditions.ts';
import { evaluate, type Statement } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { domainStatements } from '../auth/caller.ts';
import { S3Error } from '../errors.ts';

/** The identity behind a call, when there is one. */
export interface ObsIdentity {
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  /** IAM statements of the user's roles on its domain. */
  statements: Statement[];
}

export interface ObsUser {
  env: Env;
  /** The calling account; null when anonymous (ACLs and bucket policies may still let it in). */
  account: { domainId: string; domainName: string } | null;
  /** The caller as a bucket sees it, for one action. */
  who(action: ObsAction): Requester;
  /** Keeps work (giving up a blob) going after the answer is sent. */
  later(work: Promise<unknown>): void;
}

/** A caller of the use cases: `identity` (null: anonymous) with the request's condition keys and expected bucket owner. */
export function obsUser(
  env: Env,
  identity: ObsIdentity | null,
  context: () => ConditionContext,
  later: (work: Promise<unknown>) => void,
  expectedOwner: string | null = null,
): ObsUser {
  let keys: ConditionContext | undefined;
  return {
    env,
    account: identity && { domainId: identity.domainId, domainName: identity.domainName },
    later,
    who: (action) => {
      keys ??= context();
      if (!identity) return { domainId: null, userId: null, userName: null, iamAllows: false, context: keys, expectedOwner };
      const { domainId, userId, userName } = identity;
      return { domainId, userId, userName, iamAllows: evaluate(identity.statements, action.iam), context: keys, expectedOwner };
    },
  };
}

/** The condition keys every request has, whatever its door: who, when, from where. */
export function requestKeys(request: Request, identity: Pick<ObsIdentity, 'domainId' | 'userId' | 'userName'> | null): ConditionContext {
  const context: ConditionContext = {};
  const set = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) context[key] = [value];
  };
  const now = Date.now();
  set('aws:sourceip', request.headers.get('cf-connecting-ip'));
  set('aws:securetransport', String(request.url.startsWith('https:')));
  set('aws:currenttime', new Date(now).toISOString());
  set('aws:epochtime', String(Math.floor(now / 1000)));
  set('aws:referer', request.headers.get('referer'));
  set('aws:useragent', request.headers.get('user-agent'));
  set('aws:principalaccount', identity?.domainId);
  set('aws:userid', identity?.userId);
  set('aws:username', identity?.userName);
  return context;
}

/** The caller a Keystone token stands for (the Console's), with the request it came with. */
export async function tokenUser(
  env: Env,
  principal: Principal,
  request: Request,
  later: (work: Promise<unknown>) => void,
): Promise<ObsUser> {
  const { userId, userName, domainId, domainName } = principal;
  const statements = await domainStatements(env, { userId, domainId, domainName });
  const identity = { userId, userName, domainId, domainName, statements };
  return obsUser(env, identity, () => requestKeys(request, identity), later);
}

/** A bucket's Durable Object. */
export const bucketOf = (user: ObsUser, name: string): DurableObjectStub<BucketDO> => user.env.BUCKET.getByName(name);

/** The value of a BucketDO result, or its refusal thrown as an S3 error (the kind is the S3 code). */
export function unwrap<T>(result: Result<T>): T {
  return valueOr(result, (e) => new S3Error(e.status, e.kind, e.message, e.extra, e.headers));
}

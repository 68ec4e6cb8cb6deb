/** What an OBS route handler works with: the request, its target, the caller, the verified body, the bucket. */

import type { Env } from '../../core/env.ts';
import type { ObsAction } from '../../core/obs/actions.ts';
import { type Result, valueOr } from '../../core/result.ts';
import type { BucketDO } from '../../durable/bucket.ts';
import type { Requester } from '../../durable/obs/access.ts';
import type { ConditionContext } from '../../durable/obs/policy-conditions.ts';
import { evaluate } from '../auth/policy.ts';
import type { Authenticated, ObsCaller } from './auth/authenticate.ts';
import { S3Error } from './errors.ts';
import type { Target } from './target.ts';

export interface S3Context {
  env: Env;
  exec: ExecutionContext;
  request: Request;
  target: Target;
  caller: ObsCaller | null;
  /** The verified payload (aws-chunked framing removed). */
  body: ReadableStream<Uint8Array> | null;
  length: number | null;
  requestId: string;
  /** The bucket's Durable Object (the target's bucket). */
  bucket(): DurableObjectStub<BucketDO>;
  /** The caller as a bucket sees it, for one action. */
  who(action: ObsAction): Requester;
}

export function s3Context(
  env: Env,
  exec: ExecutionContext,
  request: Request,
  target: Target,
  auth: Authenticated,
  requestId: string,
): S3Context {
  let context: ConditionContext | undefined;
  return {
    env,
    exec,
    request,
    target,
    caller: auth.caller,
    body: auth.body,
    length: auth.length,
    requestId,
    bucket: () => env.BUCKET.getByName(target.bucket ?? ''),
    who: (action) => {
      context ??= conditionContext(request, target, auth);
      return requesterOf(auth.caller, action, context);
    },
  };
}

/** The request's condition keys, as bucket policy conditions name them (lowercased). */
export function conditionContext(request: Request, target: Target, auth: Pick<Authenticated, 'caller' | 'signed'>): ConditionContext {
  const { caller } = auth;
  const context: ConditionContext = {};
  const set = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) context[key] = [value];
  };
  const now = Date.now();
  const header = (name: string) => request.headers.get(`x-amz-${name}`) ?? request.headers.get(`x-obs-${name}`);
  set('aws:sourceip', request.headers.get('cf-connecting-ip'));
  set('aws:securetransport', String(request.url.startsWith('https:')));
  set('aws:currenttime', new Date(now).toISOString());
  set('aws:epochtime', String(Math.floor(now / 1000)));
  set('aws:referer', request.headers.get('referer'));
  set('aws:useragent', request.headers.get('user-agent'));
  set('aws:principalaccount', caller?.domainId);
  set('aws:userid', caller?.userId);
  set('aws:username', caller?.userName);
  set('s3:signatureversion', auth.signed?.version);
  set('s3:authtype', auth.signed?.authType);
  for (const name of ['prefix', 'delimiter', 'max-keys']) set(`s3:${name}`, target.query.get(name));
  set('s3:versionid', target.query.get('versionId'));
  for (const name of ['acl', 'storage-class', 'copy-source', 'metadata-directive', 'server-side-encryption'])
    set(`s3:x-amz-${name}`, header(name));
  return context;
}

/** The caller as a bucket sees it: its account, and whether its IAM policies allow the action. */
export function requesterOf(caller: ObsCaller | null, action: ObsAction, context: ConditionContext): Requester {
  if (!caller) return { domainId: null, userId: null, userName: null, iamAllows: false, context };
  return {
    domainId: caller.domainId,
    userId: caller.userId,
    userName: caller.userName,
    iamAllows: evaluate(caller.statements, action.iam),
    context,
  };
}

/** The value of a BucketDO result, or its refusal thrown as an S3 error (the kind is the S3 code). */
export function unwrap<T>(result: Result<T>): T {
  return valueOr(result, (e) => new S3Error(e.status, e.kind, e.message, e.extra, e.headers));
}

/** An S3 header under either prefix: `x-amz-{name}` or `x-obs-{name}`. */
export function amz(s: S3Context, name: string): string | null {
  return s.request.headers.get(`x-amz-${name}`) ?? s.request.headers.get(`x-obs-${name}`);
}

/** What an OBS route handler works with: the request, its target, the caller, the verified body, the bucket. */
import type { BucketDO } from '../../durable/bucket.ts';
import type { Requester } from '../../durable/obs/access.ts';
import type { ObsResult } from '../../durable/obs/result.ts';
import { evaluate } from '../auth/policy.ts';
import type { Env } from '../env.ts';
import type { ObsAction } from './actions.ts';
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
    who: (action) => requesterOf(auth.caller, action),
  };
}

/** The caller as a bucket sees it: its account, and whether its IAM policies allow the action. */
export function requesterOf(caller: ObsCaller | null, action: ObsAction): Requester {
  if (!caller) return { domainId: null, userId: null, userName: null, iamAllows: false };
  return {
    domainId: caller.domainId,
    userId: caller.userId,
    userName: caller.userName,
    iamAllows: evaluate(caller.statements, action.iam),
  };
}

/** The value of a BucketDO result, or its refusal thrown as an S3 error. */
export function unwrap<T>(result: ObsResult<T>): T {
  if ('error' in result) {
    const e = result.error;
    throw new S3Error(e.status, e.code, e.message, e.extra, e.headers);
  }
  return result.ok;
}

/** An S3 header under either prefix: `x-amz-{name}` or `x-obs-{name}`. */
export function amz(s: S3Context, name: string): string | null {
  return s.request.headers.get(`x-amz-${name}`) ?? s.request.headers.get(`x-obs-${name}`);
}

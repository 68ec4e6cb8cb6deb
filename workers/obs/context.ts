/** What an OBS route handler works with: the request, its target, the caller, the verified body, the bucket. */

import type { Env } from '../../core/env.ts';
import type { ObsAction } from '../../core/obs/actions.ts';
import type { BucketDO } from '../../durable/bucket.ts';
import type { Requester } from '../../durable/obs/access.ts';
import type { ConditionContext } from '../../durable/obs/policy-conditions.ts';
import type { Authenticated, ObsCaller } from './auth/authenticate.ts';
import type { Target } from './target.ts';
import { type ObsUser, obsUser, requestKeys } from './usecases/caller.ts';

export interface S3Context {
  env: Env;
  exec: ExecutionContext;
  request: Request;
  target: Target;
  caller: ObsCaller | null;
  /** The verified payload (aws-chunked framing removed). */
  body: ReadableStream<Uint8Array> | null;
  length: number | null;
  /** The checksum algorithms the request declared, and their values once the body has matched them. */
  checksumAlgorithms: Authenticated['checksumAlgorithms'];
  checksums: Authenticated['checksums'];
  requestId: string;
  /** The caller as the use cases take it. */
  user: ObsUser;
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
  const user = obsUser(
    env,
    auth.caller,
    () => conditionContext(request, target, auth),
    (work) => exec.waitUntil(work),
    request.headers.get('x-amz-expected-bucket-owner'),
  );
  return {
    env,
    exec,
    request,
    target,
    caller: auth.caller,
    body: auth.body,
    length: auth.length,
    checksumAlgorithms: auth.checksumAlgorithms,
    checksums: auth.checksums,
    requestId,
    user,
    bucket: () => env.BUCKET.getByName(target.bucket ?? ''),
    who: user.who,
  };
}

/** The request's condition keys, as bucket policy conditions name them (lowercased). */
export function conditionContext(request: Request, target: Target, auth: Pick<Authenticated, 'caller' | 'signed'>): ConditionContext {
  const context = requestKeys(request, auth.caller);
  const set = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) context[key] = [value];
  };
  const header = (name: string) => request.headers.get(`x-amz-${name}`) ?? request.headers.get(`x-obs-${name}`);
  set('s3:signatureversion', auth.signed?.version);
  set('s3:authtype', auth.signed?.authType);
  for (const name of ['prefix', 'delimiter', 'max-keys']) set(`s3:${name}`, target.query.get(name));
  set('s3:versionid', target.query.get('versionId'));
  const grants = ['grant-read', 'grant-write', 'grant-read-acp', 'grant-write-acp', 'grant-full-control'];
  for (const name of ['acl', 'storage-class', 'copy-source', 'metadata-directive', 'server-side-encryption', ...grants])
    set(`s3:x-amz-${name}`, header(name));
  return context;
}

/** An S3 header under either prefix: `x-amz-{name}` or `x-obs-{name}`. */
export function amz(s: S3Context, name: string): string | null {
  return s.request.headers.get(`x-amz-${name}`) ?? s.request.headers.get(`x-obs-${name}`);
}

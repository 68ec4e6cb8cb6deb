/** Reads and writes of one bucket setting, as every setting route (versioning, ACL, CORS, lifecycle, tags) does them. */
import type { ActionName, BucketSetting } from '../../core/obs/actions.ts';
import type { S3Context } from './context.ts';
import { bucketInfo } from './usecases/buckets.ts';
import { configureBucket } from './usecases/settings.ts';

/** The bucket row after an access check for a read of its settings. */
export function describe(s: S3Context, action: ActionName) {
  return bucketInfo(s.user, s.target.bucket!, action);
}

/** Stores a setting (null removes it) and answers with an empty 200 (or `status`). */
export async function configure(s: S3Context, setting: BucketSetting, value: string | null, status = 200): Promise<Response> {
  await configureBucket(s.user, s.target.bucket!, setting, value);
  return new Response(null, { status });
}

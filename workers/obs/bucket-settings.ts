/** Reads and writes of one bucket setting, as every setting route (versioning, ACL, CORS, lifecycle, tags) does them. */
import { ACTIONS, type ActionName, type BucketSetting, SETTING_ACTIONS } from '../../core/obs/actions.ts';
import { type S3Context, unwrap } from './context.ts';

/** The bucket row after an access check for a read of its settings. */
export async function describe(s: S3Context, action: ActionName) {
  return unwrap(await s.bucket().describe(s.target.bucket!, s.who(ACTIONS[action]), action));
}

/** Stores a setting (null removes it) and answers with an empty 200 (or `status`). */
export async function configure(s: S3Context, setting: BucketSetting, value: string | null, status = 200): Promise<Response> {
  unwrap(await s.bucket().configure(s.target.bucket!, s.who(ACTIONS[SETTING_ACTIONS[setting]]), setting, value));
  return new Response(null, { status });
}

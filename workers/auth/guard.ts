/** The stub of a user's guard Durable Object; ids are derived once per isolate (idFromName hashes the name). */
import type { Env } from '../../core/env.ts';

const ids = new Map<string, DurableObjectId>();
const IDS_MAX = 10_000;

/** The UserGuardDO of a user. */
export function userGuard(env: Env, userId: string) {
  let id = ids.get(userId);
  if (!id) {
    id = env.USER_GUARD.idFromName(userId);
    if (ids.size >= IDS_MAX) ids.delete(ids.keys().next().value as string);
    ids.set(userId, id);
  }
  return env.USER_GUARD.get(id);
}

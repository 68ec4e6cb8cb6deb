/**
 * What must happen when identity changes: tokens that no longer reflect the truth are revoked at once through
 * the user's guard, and this isolate's caches of grants, credentials and policies are dropped.
 */

import { inArray } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { groupMembers } from '../../schema/global.ts';
import { invalidateCredential } from '../auth/aksk.ts';
import { userGuard } from '../auth/guard.ts';
import { invalidateGrants } from '../auth/middleware.ts';
import type { Directory } from '../directory/client.ts';
import { invalidateObsGrants } from '../obs/auth/caller.ts';
import { invalidateStatements } from './grants.ts';

/** Revokes every token of a user issued so far (for one project when given) and drops cached grants. */
export async function revokeUserTokens(env: Env, userId: string, reason: string, projectId?: string): Promise<void> {
  await userGuard(env, userId).revokeAll(reason, projectId);
  invalidateGrants();
  invalidateObsGrants();
  invalidateCredential();
}

/** Drops cached policy statements and grants after a policy, custom role or attachment changed. */
export function policiesChanged(): void {
  invalidateStatements();
  invalidateGrants();
  invalidateObsGrants();
}

/** Whether an error is a unique-constraint violation from the directory. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (String((e as Error).message ?? '').includes('UNIQUE constraint failed')) return true;
  }
  return false;
}

/** Revokes the tokens of users and of every member of the given groups. */
export async function revokeActors(
  env: Env,
  db: Directory,
  actors: { type: 'user' | 'group'; id: string }[],
  reason: string,
  projectId?: string,
): Promise<void> {
  const userIds = new Set(actors.filter((a) => a.type === 'user').map((a) => a.id));
  const groupIds = actors.filter((a) => a.type === 'group').map((a) => a.id);
  if (groupIds.length) {
    const members = await db.select({ id: groupMembers.userId }).from(groupMembers).where(inArray(groupMembers.groupId, groupIds));
    for (const m of members) userIds.add(m.id);
  }
  for (const id of userIds) await revokeUserTokens(env, id, reason, projectId);
}

/**
 * Who signed an OBS request: the credential's owner and the IAM statements that apply to it for OBS. OBS is a
 * global service, so what counts is the roles assigned on the user's domain (to the user or one of its
 * groups), system and custom alike. They are cached per isolate for a bounded time, as AK/SK grants are.
 */

import type { Env } from '../../../core/env.ts';
import type { CredentialOwner } from '../../auth/aksk.ts';
import { directory } from '../../directory/client.ts';
import { groupsOf, rolesIn, statementsFor } from '../../iam/grants.ts';
import type { ObsCaller } from './authenticate.ts';

const GRANT_TTL_MS = 30_000;
const domainRoles = new Map<string, { at: number; roleIds: string[] }>();

/** Forgets cached OBS role grants in this isolate (roles or membership changed). */
export function invalidateObsGrants(userId?: string): void {
  if (userId) domainRoles.delete(userId);
  else domainRoles.clear();
}

async function rolesOnDomain(env: Env, owner: CredentialOwner): Promise<string[]> {
  const hit = domainRoles.get(owner.userId);
  if (hit && Date.now() - hit.at < GRANT_TTL_MS) return hit.roleIds;
  const db = await directory(env);
  const groupIds = await groupsOf(db, owner.userId);
  const roles = await rolesIn(db, owner.userId, groupIds, { type: 'domain', domainId: owner.domainId, domainName: owner.domainName });
  const roleIds = roles.map((r) => r.id);
  domainRoles.set(owner.userId, { at: Date.now(), roleIds });
  return roleIds;
}

/** The caller a verified credential stands for. */
export async function callerFor(env: Env, owner: CredentialOwner): Promise<ObsCaller> {
  const roleIds = await rolesOnDomain(env, owner);
  const statements = await statementsFor(() => directory(env), roleIds);
  const { access, userId, userName, domainId, domainName, operator } = owner;
  return { access, userId, userName, domainId, domainName, operator, statements };
}

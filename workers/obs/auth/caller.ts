/**
 * Who signed an OBS request: the credential's owner and the IAM statements that apply to it for OBS. OBS is a
 * global service, so what counts is the roles assigned on the user's domain (to the user or one of its
 * groups), system and custom alike. They are cached per isolate for a bounded time, as AK/SK grants are.
 */

import type { Env } from '../../../core/env.ts';
import type { CredentialOwner } from '../../auth/aksk.ts';
import type { Statement } from '../../auth/policy.ts';
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

type DomainUser = Pick<CredentialOwner, 'userId' | 'domainId' | 'domainName'>;

async function rolesOnDomain(env: Env, user: DomainUser): Promise<string[]> {
  const hit = domainRoles.get(user.userId);
  if (hit && Date.now() - hit.at < GRANT_TTL_MS) return hit.roleIds;
  const db = await directory(env);
  const groupIds = await groupsOf(db, user.userId);
  const roles = await rolesIn(db, user.userId, groupIds, { type: 'domain', domainId: user.domainId, domainName: user.domainName });
  const roleIds = roles.map((r) => r.id);
  domainRoles.set(user.userId, { at: Date.now(), roleIds });
  return roleIds;
}

/** The IAM statements that count for a user in OBS: those of its roles on its domain. */
export async function domainStatements(env: Env, user: DomainUser): Promise<Statement[]> {
  return statementsFor(() => directory(env), await rolesOnDomain(env, user));
}

/** The caller a verified credential stands for. */
export async function callerFor(env: Env, owner: CredentialOwner): Promise<ObsCaller> {
  const statements = await domainStatements(env, owner);
  const { access, userId, userName, domainId, domainName, operator } = owner;
  return { access, userId, userName, domainId, domainName, operator, statements };
}

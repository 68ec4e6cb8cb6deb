/**
 * Who calls a use case, whichever door it came through (OpenStack API, native API, Console): the project
 * it works in and who asks. The doors build it from their request; the use cases never see HTTP.
 */

import type { Env } from '../../core/env.ts';
import type { Actor } from '../../durable/ecs/servers.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from './app.ts';
import { projectScope } from './tenant.ts';

export interface Caller {
  env: Env;
  projectId: string;
  region: string;
  userId: string;
  requestId: string;
  /** The cloud operator (Nova's admin, whom a lock does not stop). */
  admin: boolean;
}

/** The caller's TenantDO. */
export const tenantOf = (caller: Caller) => caller.env.TENANT.getByName(caller.projectId);

/** The caller as the TenantDO records it in a server's actions. */
export const actorOf = (caller: Caller): Actor => ({ requestId: caller.requestId, userId: caller.userId, admin: caller.admin });

/** The caller of the use cases a request reaches: its project, user and request id, and whether the operator. */
export function callerOf(c: AppContext): Caller {
  const { projectId, region } = projectScope(c);
  const p = c.var.principal;
  return { env: c.env, projectId, region, userId: p.userId, requestId: c.var.requestId, admin: p.operator };
}

/**
 * Who calls an identity use case. IAM is global: it works in an account, not a project, and a domain-scoped or
 * even an unscoped token reaches it, so the caller is the principal itself (its account, roles and operator flag).
 */
export interface IdentityCaller {
  env: Env;
  principal: Principal;
  requestId: string;
}

/** The caller of the identity use cases a request reaches. */
export function identityOf(c: AppContext): IdentityCaller {
  return { env: c.env, principal: c.var.principal, requestId: c.var.requestId };
}

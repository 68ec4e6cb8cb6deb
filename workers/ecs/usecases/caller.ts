/**
 * Who calls a compute use case, whichever door it came through (OpenStack API, native API, Console): the project
 * it works in and who asks. The doors build it from their request; the use cases never see HTTP.
 */

import type { Env } from '../../../core/env.ts';
import type { Actor } from '../../../durable/ecs/servers.ts';

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

/**
 * How a stack keeps its owner's rights. The stack records who made it; each step, when it runs, reads that user's
 * roles in the project from the directory again and asks the policy for the step's own action (`ecs:servers:create`
 * for a server), as the route would have for a request of theirs. A user disabled, or a role revoked since the
 * create, stops the next step with a 403 reason; nothing is done with rights the owner no longer has.
 */
import { eq } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import type { StackOwner } from '../../core/rts/messages.ts';
import { users } from '../../schema/global.ts';
import { evaluate } from '../auth/policy.ts';
import { directory } from '../directory/client.ts';
import { groupsOf, rolesIn, statementsFor } from '../iam/grants.ts';
import type { Caller } from '../lib/caller.ts';
import { forbidden } from '../lib/errors.ts';
import type { Action } from '../services.ts';

/** Refuses the step unless the owner, as the directory knows them now, may perform the action in the project. */
export async function requireOwnerMay(env: Env, owner: StackOwner, action: Action): Promise<void> {
  const db = await directory(env);
  const user = await db.select({ enabled: users.enabled }).from(users).where(eq(users.id, owner.userId)).get();
  if (!user?.enabled) throw forbidden(`The stack's owner ${owner.userId} is disabled or gone.`);
  const scope = {
    type: 'project' as const,
    projectId: owner.projectId,
    projectName: owner.projectName,
    domainId: owner.domainId,
    domainName: owner.domainName,
  };
  const roles = await rolesIn(db, owner.userId, await groupsOf(db, owner.userId), scope);
  const statements = await statementsFor(
    () => directory(env),
    roles.map((r) => r.id),
  );
  if (!evaluate(statements, action)) throw forbidden(`Policy doesn't allow ${action} to be performed.`);
}

/** The owner as the caller of the services' use cases (its requests are named after the stack). */
export function ownerCaller(env: Env, owner: StackOwner, stackId: string): Caller {
  return { env, projectId: owner.projectId, region: owner.region, userId: owner.userId, requestId: `req-rts-${stackId}`, admin: false };
}

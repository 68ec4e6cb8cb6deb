/**
 * Custom policies: an account's own roles carrying a policy document (`{Version: "1.1", Statement: [{Effect,
 * Action}]}`), granted to groups or users on the account or a project like any role. Changing or deleting one
 * changes what its holders may do at once: cached statements are dropped and holders' tokens revoked.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { hexId } from '../../../core/ids.ts';
import { type Role, roleAssignments, roles } from '../../../schema/global.ts';
import { isSystemRoleName } from '../../auth/policy.ts';
import { directory } from '../../directory/client.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { isUniqueViolation, policiesChanged, revokeActors } from '../changes.ts';
import type { policyDocument } from '../policy-document.ts';

/** A policy document as its schema gives it. */
export type PolicyDocument = z.output<typeof policyDocument>;

/** A custom policy's fields: its name, scope type (AX account-level, XA project-level), description and document. */
export interface PolicyFields {
  displayName: string;
  type: 'AX' | 'XA';
  description?: string;
  policy: PolicyDocument;
}

const duplicate = (name?: string) => conflict(`Duplicate entry: a policy named '${name}' already exists.`);

/** The custom policies of the caller's account, by name. */
export async function listPolicies(caller: IdentityCaller, displayName?: string): Promise<Role[]> {
  const rows = await (await directory(caller.env))
    .select()
    .from(roles)
    .where(eq(roles.domainId, caller.principal.domainId))
    .orderBy(roles.name);
  return rows.filter((r) => r.policy && (!displayName || r.name === displayName));
}

/** One custom policy of the caller's account, or 404 (another account's answers the same). */
export async function getPolicy(caller: IdentityCaller, id: string): Promise<Role> {
  const row = await (await directory(caller.env))
    .select()
    .from(roles)
    .where(and(eq(roles.id, id), eq(roles.domainId, caller.principal.domainId)))
    .get();
  if (!row?.policy) throw notFound(`Could not find custom policy: ${id}.`);
  return row;
}

/** Creates a custom policy in the caller's account; a name taken (or a system role's) is refused with 409. */
export async function createPolicy(caller: IdentityCaller, f: PolicyFields): Promise<Role> {
  if (isSystemRoleName(f.displayName)) throw duplicate(f.displayName);
  try {
    const [row] = await (await directory(caller.env))
      .insert(roles)
      .values({
        id: hexId(),
        name: f.displayName,
        domainId: caller.principal.domainId,
        description: f.description ?? '',
        policy: JSON.stringify(f.policy),
        policyType: f.type,
      })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(f.displayName);
    throw err;
  }
}

/** Changes a custom policy; its holders' next requests are judged by the new document. */
export async function updatePolicy(caller: IdentityCaller, id: string, f: Partial<PolicyFields>): Promise<Role> {
  const current = await getPolicy(caller, id);
  if (f.displayName && isSystemRoleName(f.displayName)) throw duplicate(f.displayName);
  const changes: Partial<typeof roles.$inferInsert> = { updatedAt: new Date().toISOString() };
  if (f.displayName !== undefined) changes.name = f.displayName;
  if (f.description !== undefined) changes.description = f.description;
  if (f.type !== undefined) changes.policyType = f.type;
  if (f.policy !== undefined) changes.policy = JSON.stringify(f.policy);
  try {
    const [row] = await (await directory(caller.env)).update(roles).set(changes).where(eq(roles.id, current.id)).returning();
    policiesChanged();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(f.displayName);
    throw err;
  }
}

/** Deletes a custom policy with its grants, and revokes the tokens of everyone who held it. */
export async function deletePolicy(caller: IdentityCaller, id: string): Promise<void> {
  const current = await getPolicy(caller, id);
  const db = await directory(caller.env);
  const holders = await db
    .select({ type: roleAssignments.actorType, id: roleAssignments.actorId })
    .from(roleAssignments)
    .where(eq(roleAssignments.roleId, current.id));
  await db.batch([
    db.delete(roleAssignments).where(eq(roleAssignments.roleId, current.id)),
    db.delete(roles).where(eq(roles.id, current.id)),
  ]);
  await revokeActors(caller.env, db, holders, 'policy deleted');
  policiesChanged();
}

/** The roles the caller can grant: the system roles, then its account's custom roles and policies. */
export async function grantableRoles(caller: IdentityCaller): Promise<Role[]> {
  return (await directory(caller.env))
    .select()
    .from(roles)
    .where(inArray(roles.domainId, ['', caller.principal.domainId]))
    .orderBy(roles.domainId, roles.name);
}

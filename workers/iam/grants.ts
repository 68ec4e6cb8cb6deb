/**
 * What a user may do where: group membership, role assignments resolved for a scope, and the policy statements
 * behind those roles. Reads the directory; the statements are cached per isolate for a bounded time.
 */
import { and, eq, inArray, or } from 'drizzle-orm';
import { groupMembers, roleAssignments, roles } from '../../schema/global.ts';
import { type Statement, systemRoleStatements } from '../auth/policy.ts';
import type { RoleRef, Scope } from '../auth/principal.ts';
import type { Directory } from '../directory/client.ts';

/** Groups a user belongs to. */
export async function groupsOf(db: Directory, userId: string): Promise<string[]> {
  const rows = await db.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, userId));
  return rows.map((r) => r.id);
}

/**
 * Roles that apply in a scope: those assigned on the project (or domain) to the user or one of its groups, plus,
 * for a project, those assigned on its domain (Flexible Engine's "all projects" grant).
 */
export async function rolesIn(db: Directory, userId: string, groupIds: string[], scope: Scope): Promise<RoleRef[]> {
  if (scope.type === 'unscoped') return [];
  const targets =
    scope.type === 'project'
      ? or(
          and(eq(roleAssignments.targetType, 'project'), eq(roleAssignments.targetId, scope.projectId)),
          and(eq(roleAssignments.targetType, 'domain'), eq(roleAssignments.targetId, scope.domainId)),
        )
      : and(eq(roleAssignments.targetType, 'domain'), eq(roleAssignments.targetId, scope.domainId));
  const actors = or(
    and(eq(roleAssignments.actorType, 'user'), eq(roleAssignments.actorId, userId)),
    groupIds.length ? and(eq(roleAssignments.actorType, 'group'), inArray(roleAssignments.actorId, groupIds)) : undefined,
  );
  const rows = await db
    .selectDistinct({ id: roles.id, name: roles.name })
    .from(roleAssignments)
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .where(and(targets, actors));
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

const STATEMENT_TTL_MS = 30_000;
const statementCache = new Map<string, { at: number; statements: Statement[] }>();

/** Forgets cached statements (after a policy, role or attachment changes in this isolate). */
export function invalidateStatements(): void {
  statementCache.clear();
}

async function cached(key: string, load: () => Promise<Statement[]>): Promise<Statement[]> {
  const hit = statementCache.get(key);
  if (hit && Date.now() - hit.at < STATEMENT_TTL_MS) return hit.statements;
  const statements = await load();
  statementCache.set(key, { at: Date.now(), statements });
  return statements;
}

function parseDocument(text: string | null): Statement[] {
  if (!text) return [];
  try {
    return (JSON.parse(text) as { Statement?: Statement[] }).Statement ?? [];
  } catch {
    return [];
  }
}

/** The statements granted by roles: system roles from code, custom roles (custom policies) from the directory. */
export async function statementsFor(db: () => Promise<Directory>, roleIds: string[]): Promise<Statement[]> {
  const out: Statement[] = [];
  for (const roleId of roleIds) {
    out.push(
      ...(systemRoleStatements(roleId) ??
        (await cached(roleId, async () => {
          const row = await (await db()).select({ policy: roles.policy }).from(roles).where(eq(roles.id, roleId)).get();
          return parseDocument(row?.policy ?? null);
        }))),
    );
  }
  return out;
}

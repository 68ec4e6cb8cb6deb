/**
 * Role assignments: a role (system, or a custom role or policy of the account) granted to a user or a group on a
 * project or on the whole account (domain). Actor, target and role must all be visible to the caller, and actor
 * and target of one account. Taking a role away revokes the holders' tokens for that scope at once.
 */
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import { domains, groupMembers, groups, projects, type Role, roleAssignments, roles, users } from '../../../schema/global.ts';
import { type Directory, directory } from '../../directory/client.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { revokeActors } from '../changes.ts';
import { canSeeDomain, visibleGroup, visibleProject, visibleRole, visibleUser } from '../lookups.ts';

export type TargetType = 'project' | 'domain';
export type ActorType = 'user' | 'group';

/** Who holds a grant, and where: a user or group, on a project or a domain (the whole account). */
export interface Grant {
  actorType: ActorType;
  actorId: string;
  targetType: TargetType;
  targetId: string;
}

/** One assignment as stored: a grant and its role. */
export interface Assignment extends Grant {
  roleId: string;
}

/** The filters of an assignment listing; `effective` expands group grants to their members. */
export interface AssignmentFilter {
  roleId?: string;
  projectId?: string;
  domainId?: string;
  groupId?: string;
  userId?: string;
  effective?: boolean;
}

async function target(db: Directory, caller: IdentityCaller, type: TargetType, id: string) {
  if (type === 'project') {
    const pr = await visibleProject(db, caller.principal, id);
    return { id: pr.id, domainId: pr.domainId };
  }
  const d = canSeeDomain(caller.principal, id) ? await db.select().from(domains).where(eq(domains.id, id)).get() : undefined;
  if (!d) throw notFound(`Could not find domain: ${id}.`);
  return { id: d.id, domainId: d.id };
}

/** The grant's actor and target, both visible and of one account, and the condition selecting its rows. */
async function resolve(caller: IdentityCaller, g: Grant) {
  const db = await directory(caller.env);
  const t = await target(db, caller, g.targetType, g.targetId);
  const p = caller.principal;
  const a = g.actorType === 'user' ? await visibleUser(db, p, g.actorId) : await visibleGroup(db, p, g.actorId);
  if (a.domainId !== t.domainId && !p.operator) throw badRequest('Roles are granted within one account.');
  const key = and(
    eq(roleAssignments.actorType, g.actorType),
    eq(roleAssignments.actorId, a.id),
    eq(roleAssignments.targetType, g.targetType),
    eq(roleAssignments.targetId, t.id),
  );
  return { db, t, a, key };
}

/** The roles an actor holds on a target. */
export async function rolesGranted(caller: IdentityCaller, g: Grant): Promise<Role[]> {
  const { db, key } = await resolve(caller, g);
  const rows = await db.select({ r: roles }).from(roleAssignments).innerJoin(roles, eq(roles.id, roleAssignments.roleId)).where(key);
  return rows.map((x) => x.r);
}

/** Grants a role (already granted: nothing changes); a custom role only within its own account. */
export async function grantRole(caller: IdentityCaller, g: Grant, roleId: string): Promise<void> {
  const { db, t, a } = await resolve(caller, g);
  const role = await visibleRole(db, caller.principal, roleId);
  if (role.domainId !== '' && role.domainId !== t.domainId) throw badRequest('A custom role can only be granted within its own account.');
  await db
    .insert(roleAssignments)
    .values({ roleId: role.id, actorType: g.actorType, actorId: a.id, targetType: g.targetType, targetId: t.id })
    .onConflictDoNothing();
}

/** Whether the role is granted; 404 when not. */
export async function checkRole(caller: IdentityCaller, g: Grant, roleId: string): Promise<void> {
  const { db, key } = await resolve(caller, g);
  const role = await visibleRole(db, caller.principal, roleId);
  const row = await db
    .select()
    .from(roleAssignments)
    .where(and(key, eq(roleAssignments.roleId, role.id)))
    .get();
  if (!row) throw notFound('The role is not assigned.');
}

/** Takes a role away; 404 when it was not granted. The holders' tokens for that scope stop working now. */
export async function revokeRole(caller: IdentityCaller, g: Grant, roleId: string): Promise<void> {
  const { db, t, a, key } = await resolve(caller, g);
  const role = await visibleRole(db, caller.principal, roleId);
  const removed = await db
    .delete(roleAssignments)
    .where(and(key, eq(roleAssignments.roleId, role.id)))
    .returning();
  if (removed.length === 0) throw notFound('The role is not assigned.');
  await revokeActors(caller.env, db, [{ type: g.actorType, id: a.id }], 'role removed', g.targetType === 'project' ? t.id : undefined);
}

/** The assignments of the caller's account (any for the operator) that match the filter. */
export async function listAssignments(caller: IdentityCaller, f: AssignmentFilter): Promise<Assignment[]> {
  const db = await directory(caller.env);
  const p = caller.principal;
  const filters: (SQL | undefined)[] = [
    f.roleId ? eq(roleAssignments.roleId, f.roleId) : undefined,
    f.projectId ? and(eq(roleAssignments.targetType, 'project'), eq(roleAssignments.targetId, f.projectId)) : undefined,
    f.domainId ? and(eq(roleAssignments.targetType, 'domain'), eq(roleAssignments.targetId, f.domainId)) : undefined,
    f.groupId ? and(eq(roleAssignments.actorType, 'group'), eq(roleAssignments.actorId, f.groupId)) : undefined,
  ];
  if (f.userId && !f.effective) filters.push(and(eq(roleAssignments.actorType, 'user'), eq(roleAssignments.actorId, f.userId)));
  // Confined to the caller's account: an assignment is visible when its actor belongs to it.
  if (!p.operator) {
    filters.push(
      or(
        and(
          eq(roleAssignments.actorType, 'user'),
          inArray(roleAssignments.actorId, db.select({ id: users.id }).from(users).where(eq(users.domainId, p.domainId))),
        ),
        and(
          eq(roleAssignments.actorType, 'group'),
          inArray(roleAssignments.actorId, db.select({ id: groups.id }).from(groups).where(eq(groups.domainId, p.domainId))),
        ),
      ),
    );
  }
  let rows: Assignment[] = await db
    .select()
    .from(roleAssignments)
    .where(and(...filters));
  if (f.effective) {
    const groupIds = rows.filter((r) => r.actorType === 'group').map((r) => r.actorId);
    const members = groupIds.length ? await db.select().from(groupMembers).where(inArray(groupMembers.groupId, groupIds)) : [];
    rows = rows.flatMap((r) =>
      r.actorType === 'user'
        ? [r]
        : members.filter((m) => m.groupId === r.actorId).map((m) => ({ ...r, actorType: 'user' as const, actorId: m.userId })),
    );
    if (f.userId) rows = rows.filter((r) => r.actorId === f.userId);
  }
  return rows;
}

/** The named objects of some assignments (roles, actors, projects, their domains), to show names beside ids. */
export async function assignmentNames(caller: IdentityCaller, rows: Assignment[]) {
  const db = await directory(caller.env);
  const ids = (pick: (r: Assignment) => string | undefined) => [...new Set(rows.map(pick).filter((x): x is string => !!x))];
  const projectRows = await db
    .select()
    .from(projects)
    .where(
      inArray(
        projects.id,
        ids((r) => (r.targetType === 'project' ? r.targetId : undefined)),
      ),
    );
  const userRows = await db
    .select()
    .from(users)
    .where(
      inArray(
        users.id,
        ids((r) => (r.actorType === 'user' ? r.actorId : undefined)),
      ),
    );
  const groupRows = await db
    .select()
    .from(groups)
    .where(
      inArray(
        groups.id,
        ids((r) => (r.actorType === 'group' ? r.actorId : undefined)),
      ),
    );
  const domainIds = [
    ...new Set(
      [...projectRows, ...userRows, ...groupRows]
        .map((x) => x.domainId)
        .concat(ids((r) => (r.targetType === 'domain' ? r.targetId : undefined))),
    ),
  ];
  const roleRows = await db
    .select()
    .from(roles)
    .where(
      inArray(
        roles.id,
        ids((r) => r.roleId),
      ),
    );
  return {
    roles: new Map(roleRows.map((r) => [r.id, r])),
    users: new Map(userRows.map((u) => [u.id, u])),
    groups: new Map(groupRows.map((g) => [g.id, g])),
    projects: new Map(projectRows.map((pr) => [pr.id, pr])),
    domains: new Map((await db.select().from(domains).where(inArray(domains.id, domainIds))).map((d) => [d.id, d])),
  };
}

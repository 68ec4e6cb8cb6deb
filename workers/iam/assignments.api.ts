/**
 * Role assignments: grants of a role to a user or group on a project or domain, and `/v3/role_assignments`.
 * Actor, target and role must all be visible to the caller, and actor and target in one account.
 */
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { domains, groupMembers, groups, projects, roleAssignments, roles, users } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { type Directory, directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { query } from '../lib/validate.ts';
import { revokeActors } from './changes.ts';
import { canSeeDomain, visibleGroup, visibleProject, visibleRole, visibleUser } from './lookups.ts';
import { collectionLinks, roleView } from './views.ts';

// Filters on role, scope, group and user; `effective` expands group grants to their members, `include_names` adds
// names (both flags, whatever their value). Not paged; other parameters are ignored.
const listQuery = z.object({
  'role.id': z.string().optional(),
  'scope.project.id': z.string().optional(),
  'scope.domain.id': z.string().optional(),
  'group.id': z.string().optional(),
  'user.id': z.string().optional(),
  effective: z.string().optional(),
  include_names: z.string().optional(),
});
type ListQuery = z.output<typeof listQuery>;

type TargetType = 'project' | 'domain';
type ActorType = 'user' | 'group';

async function target(db: Directory, c: AppContext, type: TargetType) {
  if (type === 'project') {
    const pr = await visibleProject(db, c.var.principal, c.req.param('target_id') ?? '');
    return { id: pr.id, domainId: pr.domainId };
  }
  const id = c.req.param('target_id') ?? '';
  const d = canSeeDomain(c.var.principal, id) ? await db.select().from(domains).where(eq(domains.id, id)).get() : undefined;
  if (!d) throw notFound(`Could not find domain: ${id}.`);
  return { id: d.id, domainId: d.id };
}

async function actor(db: Directory, c: AppContext, type: ActorType) {
  const id = c.req.param('actor_id') ?? '';
  return type === 'user' ? visibleUser(db, c.var.principal, id) : visibleGroup(db, c.var.principal, id);
}

async function resolve(c: AppContext, targetType: TargetType, actorType: ActorType) {
  const db = await directory(c.env);
  const t = await target(db, c, targetType);
  const a = await actor(db, c, actorType);
  if (a.domainId !== t.domainId && !c.var.principal.operator) throw badRequest('Roles are granted within one account.');
  const key = and(
    eq(roleAssignments.actorType, actorType),
    eq(roleAssignments.actorId, a.id),
    eq(roleAssignments.targetType, targetType),
    eq(roleAssignments.targetId, t.id),
  );
  return { db, t, a, key };
}

function mount(r: ReturnType<typeof router>, targetType: TargetType, actorType: ActorType) {
  const base = `/${targetType}s/:target_id/${actorType}s/:actor_id/roles`;
  r.get(base, act('iam:assignments:list'), async (c) => {
    const { db, key } = await resolve(c, targetType, actorType);
    const rows = await db.select({ r: roles }).from(roleAssignments).innerJoin(roles, eq(roles.id, roleAssignments.roleId)).where(key);
    return c.json({
      roles: rows.map((x) => roleView(new URL(c.req.url).origin, x.r)),
      links: collectionLinks(new URL(c.req.url).origin, base),
    });
  });
  r.put(`${base}/:role_id`, act('iam:assignments:create'), async (c) => {
    const { db, t, a } = await resolve(c, targetType, actorType);
    const role = await visibleRole(db, c.var.principal, c.req.param('role_id'));
    if (role.domainId !== '' && role.domainId !== t.domainId) throw badRequest('A custom role can only be granted within its own account.');
    await db
      .insert(roleAssignments)
      .values({ roleId: role.id, actorType, actorId: a.id, targetType, targetId: t.id })
      .onConflictDoNothing();
    return c.body(null, 204);
  });
  const exists = act('iam:assignments:get');
  const check = async (c: AppContext) => {
    const { db, key } = await resolve(c, targetType, actorType);
    const role = await visibleRole(db, c.var.principal, c.req.param('role_id') ?? '');
    const row = await db
      .select()
      .from(roleAssignments)
      .where(and(key, eq(roleAssignments.roleId, role.id)))
      .get();
    if (!row) throw notFound('The role is not assigned.');
    return c.body(null, 204);
  };
  r.get(`${base}/:role_id`, exists, check);
  r.on('HEAD', `${base}/:role_id`, exists, check);
  r.delete(`${base}/:role_id`, act('iam:assignments:delete'), async (c) => {
    const { db, t, a, key } = await resolve(c, targetType, actorType);
    const role = await visibleRole(db, c.var.principal, c.req.param('role_id'));
    const removed = await db
      .delete(roleAssignments)
      .where(and(key, eq(roleAssignments.roleId, role.id)))
      .returning();
    if (removed.length === 0) throw notFound('The role is not assigned.');
    // Tokens carry their roles: the holder's tokens for that scope must stop working now.
    await revokeActors(c.env, db, [{ type: actorType, id: a.id }], 'role removed', targetType === 'project' ? t.id : undefined);
    return c.body(null, 204);
  });
}

export const assignmentRoutes = router();
for (const t of ['project', 'domain'] as const) for (const a of ['user', 'group'] as const) mount(assignmentRoutes, t, a);

interface Listed {
  roleId: string;
  actorType: ActorType;
  actorId: string;
  targetType: TargetType;
  targetId: string;
}

async function listAssignments(db: Directory, c: AppContext, q: ListQuery): Promise<Listed[]> {
  const p = c.var.principal;
  const effective = q.effective !== undefined;
  const filters: (SQL | undefined)[] = [
    q['role.id'] ? eq(roleAssignments.roleId, q['role.id']) : undefined,
    q['scope.project.id'] ? and(eq(roleAssignments.targetType, 'project'), eq(roleAssignments.targetId, q['scope.project.id'])) : undefined,
    q['scope.domain.id'] ? and(eq(roleAssignments.targetType, 'domain'), eq(roleAssignments.targetId, q['scope.domain.id'])) : undefined,
    q['group.id'] ? and(eq(roleAssignments.actorType, 'group'), eq(roleAssignments.actorId, q['group.id'])) : undefined,
  ];
  if (q['user.id'] && !effective) filters.push(and(eq(roleAssignments.actorType, 'user'), eq(roleAssignments.actorId, q['user.id'])));
  // Confine to the caller's account: an assignment is visible when its actor belongs to it.
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
  let rows: Listed[] = await db
    .select()
    .from(roleAssignments)
    .where(and(...filters));
  if (effective) {
    const groupIds = rows.filter((r) => r.actorType === 'group').map((r) => r.actorId);
    const members = groupIds.length ? await db.select().from(groupMembers).where(inArray(groupMembers.groupId, groupIds)) : [];
    rows = rows.flatMap((r) =>
      r.actorType === 'user'
        ? [r]
        : members.filter((m) => m.groupId === r.actorId).map((m) => ({ ...r, actorType: 'user' as const, actorId: m.userId })),
    );
    if (q['user.id']) rows = rows.filter((r) => r.actorId === q['user.id']);
  }
  return rows;
}

assignmentRoutes.get('/role_assignments', act('iam:assignments:list'), async (c) => {
  const q = query(c, listQuery);
  const db = await directory(c.env);
  const rows = await listAssignments(db, c, q);
  const names = q.include_names !== undefined;
  const origin = new URL(c.req.url).origin;
  const ids = (pick: (r: Listed) => string | undefined) => [...new Set(rows.map(pick).filter((x): x is string => !!x))];
  const lookup = async () => {
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
    return {
      roles: new Map(
        (
          await db
            .select()
            .from(roles)
            .where(
              inArray(
                roles.id,
                ids((r) => r.roleId),
              ),
            )
        ).map((r) => [r.id, r]),
      ),
      users: new Map(userRows.map((u) => [u.id, u])),
      groups: new Map(groupRows.map((g) => [g.id, g])),
      projects: new Map(projectRows.map((pr) => [pr.id, pr])),
      domains: new Map((await db.select().from(domains).where(inArray(domains.id, domainIds))).map((d) => [d.id, d])),
    };
  };
  const n = names ? await lookup() : undefined;
  const named = (id: string, name?: string, domainId?: string) =>
    n ? { id, name, ...(domainId ? { domain: { id: domainId, name: n.domains.get(domainId)?.name } } : {}) } : { id };
  const body = rows.map((r) => {
    const actorDomain = r.actorType === 'user' ? n?.users.get(r.actorId)?.domainId : n?.groups.get(r.actorId)?.domainId;
    const actorName = r.actorType === 'user' ? n?.users.get(r.actorId)?.name : n?.groups.get(r.actorId)?.name;
    const pr = n?.projects.get(r.targetId);
    return {
      role: named(r.roleId, n?.roles.get(r.roleId)?.name),
      [r.actorType]: named(r.actorId, actorName, actorDomain),
      scope:
        r.targetType === 'project'
          ? { project: named(r.targetId, pr?.name, pr?.domainId) }
          : { domain: named(r.targetId, n?.domains.get(r.targetId)?.name) },
      links: { assignment: `${origin}/iam/v3/${r.targetType}s/${r.targetId}/${r.actorType}s/${r.actorId}/roles/${r.roleId}` },
    };
  });
  return c.json({ role_assignments: body, links: collectionLinks(origin, 'role_assignments') });
});

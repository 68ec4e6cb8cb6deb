/** Keystone `/v3/users`: accounts' users, their passwords, groups and projects. */
import { and, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { credentials, groupMembers, groups, projects, roleAssignments, users } from '../../schema/global.ts';
import { userGuard } from '../auth/guard.ts';
import { act, authenticated } from '../auth/middleware.ts';
import { directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { hashPassword, verifyPassword } from '../lib/crypto.ts';
import { badRequest, conflict, unauthorized } from '../lib/errors.ts';
import { hexId } from '../lib/ids.ts';
import { limitParam, paginate } from '../lib/pagination.ts';
import { jsonBody, query, someProperties } from '../lib/validate.ts';
import { isUniqueViolation, revokeUserTokens } from './changes.ts';
import { canSeeDomain, listingDomain, visibleProject, visibleUser } from './lookups.ts';
import { collectionLinks, groupView, projectView, userView } from './views.ts';

const name = z.string().trim().min(1).max(255);
const userFields = {
  name,
  password: z.string().min(1).max(4096).nullable().optional(),
  enabled: z.boolean().optional(),
  description: z.string().max(1024).nullable().optional(),
  email: z.string().max(255).nullable().optional(),
  default_project_id: z.string().nullable().optional(),
};
const createBody = z.object({ user: z.object({ ...userFields, domain_id: z.string().optional() }) });
const updateBody = z.object({ user: someProperties(z.object({ ...userFields, name: name.optional() })) });
// Filters on domain, name and enabled (anything but false and 0 is true), one page after marker; others are ignored.
const listQuery = z.object({
  domain_id: z.string().optional(),
  name: z.string().optional(),
  enabled: z.string().optional(),
  limit: limitParam(),
  marker: z.string().optional(),
});
const passwordBody = z.object({
  user: z.object({ password: z.string().min(1).max(4096), original_password: z.string() }).strict(),
});

const origin = (c: AppContext) => new URL(c.req.url).origin;
const isSelf = (c: AppContext) => c.req.param('user_id') === c.var.principal?.userId;

export const userRoutes = router();

userRoutes.post('/users', act('iam:users:create'), async (c) => {
  const { user: u } = await jsonBody(c, createBody);
  const p = c.var.principal;
  const domainId = u.domain_id ?? p.domainId;
  if (!canSeeDomain(p, domainId)) throw badRequest(`Could not find domain: ${domainId}.`);
  const db = await directory(c.env);
  if (u.default_project_id) await visibleProject(db, p, u.default_project_id);
  const row = {
    id: hexId(),
    domainId,
    name: u.name,
    enabled: u.enabled ?? true,
    description: u.description ?? '',
    email: u.email ?? null,
    defaultProjectId: u.default_project_id ?? null,
    passwordHash: u.password ? await hashPassword(u.password) : null,
    passwordChangedAt: u.password ? new Date().toISOString() : null,
  };
  try {
    const [created] = await db.insert(users).values(row).returning();
    return c.json({ user: userView(origin(c), created!) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a user named '${u.name}' already exists in this domain.`);
    throw err;
  }
});

userRoutes.get('/users', act('iam:users:list'), async (c) => {
  const q = query(c, listQuery);
  const db = await directory(c.env);
  const domainId = listingDomain(c.var.principal, q.domain_id);
  const rows = await db
    .select()
    .from(users)
    .where(
      and(
        domainId ? eq(users.domainId, domainId) : undefined,
        q.name ? eq(users.name, q.name) : undefined,
        q.enabled !== undefined ? eq(users.enabled, q.enabled.toLowerCase() !== 'false' && q.enabled !== '0') : undefined,
      ),
    )
    .orderBy(users.name, users.id);
  const page = paginate(rows, (u) => u.id, q.limit, q.marker);
  return c.json({ users: page.items.map((u) => userView(origin(c), u)), links: collectionLinks(origin(c), 'users', page.next) });
});

userRoutes.get('/users/:user_id', act('iam:users:get', { self: isSelf }), async (c) => {
  const user = await visibleUser(await directory(c.env), c.var.principal, c.req.param('user_id'));
  return c.json({ user: userView(origin(c), user) });
});

userRoutes.patch('/users/:user_id', act('iam:users:update'), async (c) => {
  const { user: u } = await jsonBody(c, updateBody);
  const db = await directory(c.env);
  const p = c.var.principal;
  const current = await visibleUser(db, p, c.req.param('user_id'));
  if (u.default_project_id) await visibleProject(db, p, u.default_project_id);
  const changes: Partial<typeof users.$inferInsert> = {};
  if (u.name !== undefined) changes.name = u.name;
  if (u.enabled !== undefined) changes.enabled = u.enabled;
  if (u.description !== undefined) changes.description = u.description ?? '';
  if (u.email !== undefined) changes.email = u.email;
  if (u.default_project_id !== undefined) changes.defaultProjectId = u.default_project_id;
  if (u.password !== undefined) {
    changes.passwordHash = u.password ? await hashPassword(u.password) : null;
    changes.passwordChangedAt = new Date().toISOString();
  }
  let updated: typeof users.$inferSelect | undefined;
  try {
    // Unknown attributes are dropped, so a patch of only those changes nothing (and drizzle refuses an empty set).
    [updated] = Object.keys(changes).length ? await db.update(users).set(changes).where(eq(users.id, current.id)).returning() : [current];
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Duplicate entry: a user named '${u.name}' already exists in this domain.`);
    throw err;
  }
  if (u.enabled === false || u.password !== undefined)
    await revokeUserTokens(c.env, current.id, u.password !== undefined ? 'password reset' : 'user disabled');
  if (u.password || u.enabled === true) await userGuard(c.env, current.id).unlock();
  return c.json({ user: userView(origin(c), updated!) });
});

userRoutes.delete('/users/:user_id', act('iam:users:delete'), async (c) => {
  const db = await directory(c.env);
  const user = await visibleUser(db, c.var.principal, c.req.param('user_id'));
  await db.batch([
    db.delete(roleAssignments).where(and(eq(roleAssignments.actorType, 'user'), eq(roleAssignments.actorId, user.id))),
    db.delete(groupMembers).where(eq(groupMembers.userId, user.id)),
    db.delete(credentials).where(eq(credentials.userId, user.id)),
    db.delete(users).where(eq(users.id, user.id)),
  ]);
  await revokeUserTokens(c.env, user.id, 'user deleted');
  return c.body(null, 204);
});

userRoutes.post('/users/:user_id/password', authenticated(), async (c) => {
  const { user: body } = await jsonBody(c, passwordBody);
  // Only the user itself changes its password this way; administrators use PATCH.
  if (!isSelf(c)) throw unauthorized('You can only change your own password.');
  const db = await directory(c.env);
  const user = await visibleUser(db, c.var.principal, c.req.param('user_id'));
  if (!(await verifyPassword(body.original_password, user.passwordHash))) throw unauthorized('The original password is incorrect.');
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(body.password), passwordChangedAt: new Date().toISOString() })
    .where(eq(users.id, user.id));
  await revokeUserTokens(c.env, user.id, 'password changed');
  return c.body(null, 204);
});

userRoutes.get('/users/:user_id/groups', act('iam:users:get', { self: isSelf }), async (c) => {
  const db = await directory(c.env);
  const user = await visibleUser(db, c.var.principal, c.req.param('user_id'));
  const rows = await db
    .select({ g: groups })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, user.id));
  return c.json({ groups: rows.map((r) => groupView(origin(c), r.g)), links: collectionLinks(origin(c), `users/${user.id}/groups`) });
});

userRoutes.get('/users/:user_id/projects', act('iam:users:get', { self: isSelf }), async (c) => {
  const db = await directory(c.env);
  const user = await visibleUser(db, c.var.principal, c.req.param('user_id'));
  const memberOf = (await db.select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, user.id))).map(
    (r) => r.id,
  );
  const grants = await db
    .selectDistinct({ type: roleAssignments.targetType, id: roleAssignments.targetId })
    .from(roleAssignments)
    .where(
      or(
        and(eq(roleAssignments.actorType, 'user'), eq(roleAssignments.actorId, user.id)),
        memberOf.length ? and(eq(roleAssignments.actorType, 'group'), inArray(roleAssignments.actorId, memberOf)) : undefined,
      ),
    );
  const projectIds = grants.filter((g) => g.type === 'project').map((g) => g.id);
  const domainIds = grants.filter((g) => g.type === 'domain').map((g) => g.id);
  const rows = await db
    .select()
    .from(projects)
    .where(or(inArray(projects.id, projectIds), inArray(projects.domainId, domainIds)));
  return c.json({ projects: rows.map((r) => projectView(origin(c), r)), links: collectionLinks(origin(c), `users/${user.id}/projects`) });
});

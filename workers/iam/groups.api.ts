/** Keystone `/v3/groups` and membership. Custom policies (custom roles) attach to groups by role assignment. */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { groupMembers, groups, roleAssignments, users } from '../../schema/global.ts';
import { act } from '../auth/middleware.ts';
import { directory } from '../directory/client.ts';
import { type AppContext, router } from '../lib/app.ts';
import { badRequest, conflict, notFound } from '../lib/errors.ts';
import { hexId } from '../lib/ids.ts';
import { limitParam, paginate } from '../lib/pagination.ts';
import { jsonBody, query, someProperties } from '../lib/validate.ts';
import { isUniqueViolation, revokeUserTokens } from './changes.ts';
import { canSeeDomain, listingDomain, visibleGroup, visibleUser } from './lookups.ts';
import { collectionLinks, groupView, userView } from './views.ts';

const fields = { name: z.string().trim().min(1).max(64), description: z.string().max(1024).nullable().optional() };
const createBody = z.object({ group: z.object({ ...fields, domain_id: z.string().optional() }) });
const updateBody = z.object({ group: someProperties(z.object({ ...fields, name: fields.name.optional() })) });
// Filters on domain and name, one page after marker; others are ignored.
const listQuery = z.object({
  domain_id: z.string().optional(),
  name: z.string().optional(),
  limit: limitParam(),
  marker: z.string().optional(),
});

const origin = (c: AppContext) => new URL(c.req.url).origin;
const duplicate = (name?: string) => conflict(`Duplicate entry: a group named '${name}' already exists in this domain.`);

export const groupRoutes = router();

groupRoutes.post('/groups', act('iam:groups:create'), async (c) => {
  const { group: g } = await jsonBody(c, createBody);
  const p = c.var.principal;
  const domainId = g.domain_id ?? p.domainId;
  if (!canSeeDomain(p, domainId)) throw badRequest(`Could not find domain: ${domainId}.`);
  try {
    const [row] = await (await directory(c.env))
      .insert(groups)
      .values({ id: hexId(), domainId, name: g.name, description: g.description ?? '' })
      .returning();
    return c.json({ group: groupView(origin(c), row!) }, 201);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(g.name);
    throw err;
  }
});

groupRoutes.get('/groups', act('iam:groups:list'), async (c) => {
  const q = query(c, listQuery);
  const domainId = listingDomain(c.var.principal, q.domain_id);
  const rows = await (await directory(c.env))
    .select()
    .from(groups)
    .where(and(domainId ? eq(groups.domainId, domainId) : undefined, q.name ? eq(groups.name, q.name) : undefined))
    .orderBy(groups.name, groups.id);
  const page = paginate(rows, (g) => g.id, q.limit, q.marker);
  return c.json({ groups: page.items.map((g) => groupView(origin(c), g)), links: collectionLinks(origin(c), 'groups', page.next) });
});

groupRoutes.get('/groups/:group_id', act('iam:groups:get'), async (c) => {
  const g = await visibleGroup(await directory(c.env), c.var.principal, c.req.param('group_id'));
  return c.json({ group: groupView(origin(c), g) });
});

groupRoutes.patch('/groups/:group_id', act('iam:groups:update'), async (c) => {
  const { group: g } = await jsonBody(c, updateBody);
  const db = await directory(c.env);
  const current = await visibleGroup(db, c.var.principal, c.req.param('group_id'));
  try {
    const changes = { ...(g.name ? { name: g.name } : {}), ...(g.description !== undefined ? { description: g.description ?? '' } : {}) };
    const [row] = Object.keys(changes).length
      ? await db.update(groups).set(changes).where(eq(groups.id, current.id)).returning()
      : [current];
    return c.json({ group: groupView(origin(c), row!) });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(g.name);
    throw err;
  }
});

groupRoutes.delete('/groups/:group_id', act('iam:groups:delete'), async (c) => {
  const db = await directory(c.env);
  const g = await visibleGroup(db, c.var.principal, c.req.param('group_id'));
  const members = await db.select({ id: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, g.id));
  await db.batch([
    db.delete(roleAssignments).where(and(eq(roleAssignments.actorType, 'group'), eq(roleAssignments.actorId, g.id))),
    db.delete(groupMembers).where(eq(groupMembers.groupId, g.id)),
    db.delete(groups).where(eq(groups.id, g.id)),
  ]);
  // Members' tokens carried the group's grants; they must not outlive it.
  for (const m of members) await revokeUserTokens(c.env, m.id, 'group deleted');
  return c.body(null, 204);
});

groupRoutes.get('/groups/:group_id/users', act('iam:groups:get'), async (c) => {
  const db = await directory(c.env);
  const g = await visibleGroup(db, c.var.principal, c.req.param('group_id'));
  const rows = await db
    .select({ u: users })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, g.id));
  return c.json({ users: rows.map((r) => userView(origin(c), r.u)), links: collectionLinks(origin(c), `groups/${g.id}/users`) });
});

async function membership(c: AppContext) {
  const db = await directory(c.env);
  const g = await visibleGroup(db, c.var.principal, c.req.param('group_id') ?? '');
  const u = await visibleUser(db, c.var.principal, c.req.param('user_id') ?? '');
  if (g.domainId !== u.domainId) throw badRequest('A user can only join a group of its own domain.');
  return { db, g, u };
}

groupRoutes.put('/groups/:group_id/users/:user_id', act('iam:groups:update'), async (c) => {
  const { db, g, u } = await membership(c);
  await db.insert(groupMembers).values({ groupId: g.id, userId: u.id }).onConflictDoNothing();
  return c.body(null, 204);
});

/** Answers 204 when the user is a member of the group, 404 otherwise (Keystone's membership check). */
async function checkMembership(c: AppContext) {
  const { db, g, u } = await membership(c);
  const row = await db
    .select()
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, g.id), eq(groupMembers.userId, u.id)))
    .get();
  if (!row) throw notFound(`User ${u.id} is not a member of group ${g.id}.`);
  return c.body(null, 204);
}

groupRoutes.on('HEAD', '/groups/:group_id/users/:user_id', act('iam:groups:get'), checkMembership);
groupRoutes.get('/groups/:group_id/users/:user_id', act('iam:groups:get'), checkMembership);

groupRoutes.delete('/groups/:group_id/users/:user_id', act('iam:groups:update'), async (c) => {
  const { db, g, u } = await membership(c);
  const removed = await db
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, g.id), eq(groupMembers.userId, u.id)))
    .returning();
  if (removed.length === 0) throw notFound(`User ${u.id} is not a member of group ${g.id}.`);
  await revokeUserTokens(c.env, u.id, 'removed from group');
  return c.body(null, 204);
});

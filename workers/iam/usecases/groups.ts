/**
 * An account's groups and their members. Custom policies and roles reach people through groups (a role
 * assigned to a group on a project or the account), so leaving or losing a group revokes its members' tokens.
 */
import { and, eq } from 'drizzle-orm';
import { hexId } from '../../../core/ids.ts';
import { type Group, groupMembers, groups, roleAssignments, type User, users } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isUniqueViolation, revokeUserTokens } from '../changes.ts';
import { canSeeDomain, listingDomain, visibleGroup, visibleUser } from '../lookups.ts';

/** A new group, or a change to one (only the fields given change). */
export interface GroupFields {
  name: string;
  description?: string | null;
}

const duplicate = (name?: string) => conflict(`Duplicate entry: a group named '${name}' already exists in this domain.`);

/** The groups of the caller's account (any account's for the operator), by name. */
export async function listGroups(caller: IdentityCaller, filter: { domainId?: string; name?: string } = {}): Promise<Group[]> {
  const domainId = listingDomain(caller.principal, filter.domainId);
  return (await directory(caller.env))
    .select()
    .from(groups)
    .where(and(domainId ? eq(groups.domainId, domainId) : undefined, filter.name ? eq(groups.name, filter.name) : undefined))
    .orderBy(groups.name, groups.id);
}

/** One group the caller may see, or 404. */
export async function getGroup(caller: IdentityCaller, groupId: string): Promise<Group> {
  return visibleGroup(await directory(caller.env), caller.principal, groupId);
}

/** Creates a group in the caller's account (or the one named, if the caller may see it); 409 on a taken name. */
export async function createGroup(caller: IdentityCaller, g: GroupFields & { domainId?: string }): Promise<Group> {
  const p = caller.principal;
  const domainId = g.domainId ?? p.domainId;
  if (!canSeeDomain(p, domainId)) throw badRequest(`Could not find domain: ${domainId}.`);
  try {
    const [row] = await (await directory(caller.env))
      .insert(groups)
      .values({ id: hexId(), domainId, name: g.name, description: g.description ?? '' })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(g.name);
    throw err;
  }
}

/** Renames or redescribes a group. */
export async function updateGroup(caller: IdentityCaller, groupId: string, g: Partial<GroupFields>): Promise<Group> {
  const db = await directory(caller.env);
  const current = await visibleGroup(db, caller.principal, groupId);
  const changes = { ...(g.name ? { name: g.name } : {}), ...(g.description !== undefined ? { description: g.description ?? '' } : {}) };
  try {
    const [row] = Object.keys(changes).length
      ? await db.update(groups).set(changes).where(eq(groups.id, current.id)).returning()
      : [current];
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(g.name);
    throw err;
  }
}

/** Deletes a group with its grants and memberships; its members' tokens, which carried its grants, are revoked. */
export async function deleteGroup(caller: IdentityCaller, groupId: string): Promise<void> {
  const db = await directory(caller.env);
  const g = await visibleGroup(db, caller.principal, groupId);
  const members = await db.select({ id: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, g.id));
  await db.batch([
    db.delete(roleAssignments).where(and(eq(roleAssignments.actorType, 'group'), eq(roleAssignments.actorId, g.id))),
    db.delete(groupMembers).where(eq(groupMembers.groupId, g.id)),
    db.delete(groups).where(eq(groups.id, g.id)),
  ]);
  for (const m of members) await revokeUserTokens(caller.env, m.id, 'group deleted');
}

/** The members of a group. */
export async function membersOf(caller: IdentityCaller, groupId: string): Promise<{ group: Group; users: User[] }> {
  const db = await directory(caller.env);
  const group = await visibleGroup(db, caller.principal, groupId);
  const rows = await db
    .select({ u: users })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, group.id));
  return { group, users: rows.map((r) => r.u) };
}

/** A group and a user the caller may see, of one account. */
async function pair(caller: IdentityCaller, groupId: string, userId: string) {
  const db = await directory(caller.env);
  const g = await visibleGroup(db, caller.principal, groupId);
  const u = await visibleUser(db, caller.principal, userId);
  if (g.domainId !== u.domainId) throw badRequest('A user can only join a group of its own domain.');
  return { db, g, u };
}

/** Adds a user to a group (already a member: nothing changes). */
export async function addMember(caller: IdentityCaller, groupId: string, userId: string): Promise<void> {
  const { db, g, u } = await pair(caller, groupId, userId);
  await db.insert(groupMembers).values({ groupId: g.id, userId: u.id }).onConflictDoNothing();
}

/** Whether a user is a member of a group; 404 when not (Keystone's membership check). */
export async function checkMember(caller: IdentityCaller, groupId: string, userId: string): Promise<void> {
  const { db, g, u } = await pair(caller, groupId, userId);
  const row = await db
    .select()
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, g.id), eq(groupMembers.userId, u.id)))
    .get();
  if (!row) throw notFound(`User ${u.id} is not a member of group ${g.id}.`);
}

/** Removes a user from a group and revokes its tokens, which carried the group's grants; 404 if not a member. */
export async function removeMember(caller: IdentityCaller, groupId: string, userId: string): Promise<void> {
  const { db, g, u } = await pair(caller, groupId, userId);
  const removed = await db
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, g.id), eq(groupMembers.userId, u.id)))
    .returning();
  if (removed.length === 0) throw notFound(`User ${u.id} is not a member of group ${g.id}.`);
  await revokeUserTokens(caller.env, u.id, 'removed from group');
}

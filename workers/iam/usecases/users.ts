/**
 * An account's users: list, create, change (name, description, email, enabled, a reset password), delete, and a
 * user's own password change. Every door (Keystone `/v3/users`, the Portal, the Console) calls these; the door
 * has already authorized the action, and these confine every look-up to what the caller may see.
 */
import { and, eq, inArray, or } from 'drizzle-orm';
import { hexId } from '../../../core/ids.ts';
import { credentials, groupMembers, groups, projects, roleAssignments, type User, users } from '../../../schema/global.ts';
import { userGuard } from '../../auth/guard.ts';
import { directory } from '../../directory/client.ts';
import type { IdentityCaller } from '../../lib/caller.ts';
import { hashPassword, verifyPassword } from '../../lib/crypto.ts';
import { badRequest, conflict, unauthorized } from '../../lib/errors.ts';
import { isUniqueViolation, revokeUserTokens } from '../changes.ts';
import { canSeeDomain, listingDomain, visibleProject, visibleUser } from '../lookups.ts';

/** A new user; unset fields take Keystone's defaults. */
export interface NewUser {
  name: string;
  domainId?: string;
  password?: string | null;
  enabled?: boolean;
  description?: string | null;
  email?: string | null;
  defaultProjectId?: string | null;
}

/** A change to a user: only the fields given change (a null password removes it). */
export type UserChange = Partial<Omit<NewUser, 'domainId'>>;

/** What a user listing is confined to (a non-operator lists only its own account, whatever it asks). */
export interface UserFilter {
  domainId?: string;
  name?: string;
  enabled?: boolean;
}

const duplicate = (name?: string) => conflict(`Duplicate entry: a user named '${name}' already exists in this domain.`);

/** The users of the caller's account (any account's for the operator), by name. */
export async function listUsers(caller: IdentityCaller, filter: UserFilter = {}): Promise<User[]> {
  const db = await directory(caller.env);
  const domainId = listingDomain(caller.principal, filter.domainId);
  return db
    .select()
    .from(users)
    .where(
      and(
        domainId ? eq(users.domainId, domainId) : undefined,
        filter.name ? eq(users.name, filter.name) : undefined,
        filter.enabled !== undefined ? eq(users.enabled, filter.enabled) : undefined,
      ),
    )
    .orderBy(users.name, users.id);
}

/** One user the caller may see, or 404. */
export async function getUser(caller: IdentityCaller, userId: string): Promise<User> {
  return visibleUser(await directory(caller.env), caller.principal, userId);
}

/** Creates a user in the caller's account (or the one named, if the caller may see it); 409 on a taken name. */
export async function createUser(caller: IdentityCaller, u: NewUser): Promise<User> {
  const p = caller.principal;
  const domainId = u.domainId ?? p.domainId;
  if (!canSeeDomain(p, domainId)) throw badRequest(`Could not find domain: ${domainId}.`);
  const db = await directory(caller.env);
  if (u.defaultProjectId) await visibleProject(db, p, u.defaultProjectId);
  const row = {
    id: hexId(),
    domainId,
    name: u.name,
    enabled: u.enabled ?? true,
    description: u.description ?? '',
    email: u.email ?? null,
    defaultProjectId: u.defaultProjectId ?? null,
    passwordHash: u.password ? await hashPassword(u.password) : null,
    passwordChangedAt: u.password ? new Date().toISOString() : null,
  };
  try {
    const [created] = await db.insert(users).values(row).returning();
    return created!;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(u.name);
    throw err;
  }
}

/** The columns a change sets (the password hashed); empty when it names nothing known. */
async function changedColumns(u: UserChange): Promise<Partial<typeof users.$inferInsert>> {
  const changes: Partial<typeof users.$inferInsert> = {};
  if (u.name !== undefined) changes.name = u.name;
  if (u.enabled !== undefined) changes.enabled = u.enabled;
  if (u.description !== undefined) changes.description = u.description ?? '';
  if (u.email !== undefined) changes.email = u.email;
  if (u.defaultProjectId !== undefined) changes.defaultProjectId = u.defaultProjectId;
  if (u.password !== undefined) {
    changes.passwordHash = u.password ? await hashPassword(u.password) : null;
    changes.passwordChangedAt = new Date().toISOString();
  }
  return changes;
}

/**
 * Changes a user. Disabling it or resetting its password revokes its tokens at once; a new password or
 * enabling it again lifts a sign-in lockout.
 */
export async function updateUser(caller: IdentityCaller, userId: string, u: UserChange): Promise<User> {
  const db = await directory(caller.env);
  const p = caller.principal;
  const current = await visibleUser(db, p, userId);
  if (u.defaultProjectId) await visibleProject(db, p, u.defaultProjectId);
  const changes = await changedColumns(u);
  let updated: User | undefined;
  try {
    // Drizzle refuses an empty set, and a change naming nothing known changes nothing.
    [updated] = Object.keys(changes).length ? await db.update(users).set(changes).where(eq(users.id, current.id)).returning() : [current];
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(u.name);
    throw err;
  }
  if (u.enabled === false || u.password !== undefined)
    await revokeUserTokens(caller.env, current.id, u.password !== undefined ? 'password reset' : 'user disabled');
  if (u.password || u.enabled === true) await userGuard(caller.env, current.id).unlock();
  return updated!;
}

/** Deletes a user with its memberships, grants and credentials, and revokes its tokens. */
export async function deleteUser(caller: IdentityCaller, userId: string): Promise<void> {
  const db = await directory(caller.env);
  const user = await visibleUser(db, caller.principal, userId);
  await db.batch([
    db.delete(roleAssignments).where(and(eq(roleAssignments.actorType, 'user'), eq(roleAssignments.actorId, user.id))),
    db.delete(groupMembers).where(eq(groupMembers.userId, user.id)),
    db.delete(credentials).where(eq(credentials.userId, user.id)),
    db.delete(users).where(eq(users.id, user.id)),
  ]);
  await revokeUserTokens(caller.env, user.id, 'user deleted');
}

/**
 * The caller changes its own password, proving the old one (administrators reset others' with `updateUser`).
 * Every token of the user is revoked, the one in use included: the holder signs in again.
 */
export async function changeOwnPassword(caller: IdentityCaller, userId: string, original: string, password: string): Promise<void> {
  if (userId !== caller.principal.userId) throw unauthorized('You can only change your own password.');
  const db = await directory(caller.env);
  const user = await visibleUser(db, caller.principal, userId);
  if (!(await verifyPassword(original, user.passwordHash))) throw unauthorized('The original password is incorrect.');
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), passwordChangedAt: new Date().toISOString() })
    .where(eq(users.id, user.id));
  await revokeUserTokens(caller.env, user.id, 'password changed');
}

/** The groups a user belongs to. */
export async function groupsOfUser(caller: IdentityCaller, userId: string) {
  const db = await directory(caller.env);
  const user = await visibleUser(db, caller.principal, userId);
  const rows = await db
    .select({ g: groups })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, user.id));
  return { user, groups: rows.map((r) => r.g) };
}

/** The projects a user holds a role in, directly or through a group, on the project or on its whole account. */
export async function projectsOfUser(caller: IdentityCaller, userId: string) {
  const db = await directory(caller.env);
  const user = await visibleUser(db, caller.principal, userId);
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
  return { user, projects: rows };
}

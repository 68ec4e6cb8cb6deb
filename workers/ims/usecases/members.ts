/**
 * Who besides its owner sees a private image: the `image_members` relation of the global directory (a row per
 * member project, or one for `*` when every project sees it). The image itself stays in its owner's TenantDO.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Env } from '../../../core/env.ts';
import { type ImageMember, imageMembers } from '../../../schema/global.ts';
import { directory } from '../../directory/client.ts';

/** The member id that stands for every project (community images, public ones an operator made). */
export const EVERYONE = '*';

/** Glance's limit of members per image (`image_member_quota`). */
export const MEMBER_QUOTA = 128;

/** The rows that let a project see images of others: its own memberships and every `*` row. */
export async function grantsTo(env: Env, projectId: string): Promise<ImageMember[]> {
  const db = await directory(env);
  return db
    .select()
    .from(imageMembers)
    .where(inArray(imageMembers.memberProjectId, [projectId, EVERYONE]))
    .all();
}

/** The rows of one image that concern a project (its membership, the `*` row). */
export async function grantsOf(env: Env, imageId: string, projectId: string): Promise<ImageMember[]> {
  const db = await directory(env);
  return db
    .select()
    .from(imageMembers)
    .where(and(eq(imageMembers.imageId, imageId), inArray(imageMembers.memberProjectId, [projectId, EVERYONE])))
    .all();
}

/** The member projects of an owner's image (not the `*` row). */
export async function membersOf(env: Env, owner: string, imageId: string): Promise<ImageMember[]> {
  const db = await directory(env);
  const rows = await db
    .select()
    .from(imageMembers)
    .where(and(eq(imageMembers.ownerProjectId, owner), eq(imageMembers.imageId, imageId)))
    .all();
  return rows.filter((r) => r.memberProjectId !== EVERYONE);
}

/** Adds a pending member, within MEMBER_QUOTA; `member` when it already was one, `full` when no room is left. */
export async function addMember(env: Env, imageId: string, owner: string, member: string): Promise<ImageMember | 'member' | 'full'> {
  const db = await directory(env);
  const now = new Date().toISOString();
  const col = (c: { name: string }) => sql.identifier(c.name);
  const m = imageMembers;
  // The count and the insert are one statement, one write in the directory: parallel adds cannot all see room for
  // themselves, as a count read first lets them.
  const added = await db.all<Record<string, string>>(sql`
    INSERT OR IGNORE INTO ${m} (${col(m.imageId)}, ${col(m.ownerProjectId)}, ${col(m.memberProjectId)}, ${col(m.status)}, ${col(m.createdAt)}, ${col(m.updatedAt)})
    SELECT ${imageId}, ${owner}, ${member}, 'pending', ${now}, ${now}
    WHERE (SELECT count(*) FROM ${m} WHERE ${m.ownerProjectId} = ${owner} AND ${m.imageId} = ${imageId} AND ${m.memberProjectId} != ${EVERYONE}) < ${MEMBER_QUOTA}
    RETURNING *`);
  const row = added[0];
  if (row)
    return {
      imageId: row.image_id!,
      ownerProjectId: row.owner_project_id!,
      memberProjectId: row.member_project_id!,
      status: row.status as ImageMember['status'],
      createdAt: row.created_at!,
      updatedAt: row.updated_at!,
    };
  const existing = await db
    .select({ id: m.memberProjectId })
    .from(m)
    .where(and(eq(m.ownerProjectId, owner), eq(m.imageId, imageId), eq(m.memberProjectId, member)))
    .get();
  return existing ? 'member' : 'full';
}

/** Sets a member's answer about an owner's image. */
export async function answer(
  env: Env,
  owner: string,
  imageId: string,
  member: string,
  status: ImageMember['status'],
): Promise<ImageMember | null> {
  const db = await directory(env);
  const rows = await db
    .update(imageMembers)
    .set({ status, updatedAt: new Date().toISOString() })
    .where(and(eq(imageMembers.ownerProjectId, owner), eq(imageMembers.imageId, imageId), eq(imageMembers.memberProjectId, member)))
    .returning()
    .all();
  return rows[0] ?? null;
}

/** Removes a member of an owner's image; false when it was none. */
export async function removeMember(env: Env, owner: string, imageId: string, member: string): Promise<boolean> {
  const db = await directory(env);
  const rows = await db
    .delete(imageMembers)
    .where(and(eq(imageMembers.ownerProjectId, owner), eq(imageMembers.imageId, imageId), eq(imageMembers.memberProjectId, member)))
    .returning()
    .all();
  return rows.length > 0;
}

/** Whether every project sees an image: the `*` row follows its visibility (community, or public). */
export async function seenByEveryone(env: Env, imageId: string, owner: string, on: boolean): Promise<void> {
  if (!on) {
    await removeMember(env, owner, imageId, EVERYONE);
    return;
  }
  const now = new Date().toISOString();
  const db = await directory(env);
  await db
    .insert(imageMembers)
    .values({ imageId, ownerProjectId: owner, memberProjectId: EVERYONE, status: 'accepted', createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .run();
}

/** Forgets every row of an owner's deleted image. */
export async function forgetImage(env: Env, owner: string, imageId: string): Promise<void> {
  const db = await directory(env);
  await db
    .delete(imageMembers)
    .where(and(eq(imageMembers.ownerProjectId, owner), eq(imageMembers.imageId, imageId)))
    .run();
}

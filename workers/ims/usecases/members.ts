/**
 * Who besides its owner sees a private image: the `image_members` relation of the global directory (a row per
 * member project, or one for `*` when every project sees it). The image itself stays in its owner's TenantDO.
 */
import { and, eq, inArray } from 'drizzle-orm';
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

/** Adds a pending member; false when it already was one. */
export async function addMember(env: Env, imageId: string, owner: string, member: string): Promise<ImageMember | null> {
  const db = await directory(env);
  const now = new Date().toISOString();
  const row = { imageId, ownerProjectId: owner, memberProjectId: member, status: 'pending' as const, createdAt: now, updatedAt: now };
  const added = await db.insert(imageMembers).values(row).onConflictDoNothing().returning().all();
  return added[0] ?? null;
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

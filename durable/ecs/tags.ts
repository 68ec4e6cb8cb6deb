/** Nova server tags (2.26): a sorted set of at most 50 strings per server, changed only in settled states. */
import { eq } from 'drizzle-orm';
import { VM_STATE } from '../../core/ecs/states.ts';
import { conflict, DomainError } from '../../core/result.ts';
import { servers } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { type Server, server } from './servers.ts';

/** Nova's per-server limit. */
export const MAX_TAGS = 50;

/** Tags change only while the server is active, paused, suspended or stopped (409 otherwise, as Nova). */
function taggable(ctx: Ctx, id: string, action: string): Server {
  const s = server(ctx, id);
  if (![VM_STATE.ACTIVE, 'paused', 'suspended', VM_STATE.STOPPED].includes(s.vmState))
    throw conflict('InstanceInvalidState', `Cannot '${action}' instance ${id} while it is in vm_state ${s.vmState}`);
  return s;
}

/** Writes a server's tags, kept sorted and without duplicates; a tag is not a change of the server (`updated` stays). */
function writeTags(ctx: Ctx, id: string, tags: Iterable<string>): string[] {
  const sorted = [...new Set(tags)].sort();
  ctx.db.update(servers).set({ tags: sorted }).where(eq(servers.id, id)).run();
  return sorted;
}

/** Replaces all of a server's tags (the caller checked each one and their number). */
export function replaceTags(ctx: Ctx, id: string, tags: string[]): string[] {
  taggable(ctx, id, 'update tags');
  return writeTags(ctx, id, tags);
}

/** Adds one tag; answers false when the server already had it. A server with 50 tags takes no more. */
export function addTag(ctx: Ctx, id: string, tag: string): boolean {
  const s = taggable(ctx, id, 'update tag');
  if (s.tags.length >= MAX_TAGS) throw new DomainError(400, 'BadRequest', `The number of tags exceeded the per-server limit ${MAX_TAGS}`);
  if (s.tags.includes(tag)) return false;
  writeTags(ctx, id, [...s.tags, tag]);
  return true;
}

/** Removes one tag (404 when the server does not have it). */
export function removeTag(ctx: Ctx, id: string, tag: string): void {
  const s = taggable(ctx, id, 'delete tag');
  if (!s.tags.includes(tag)) throw new DomainError(404, 'InstanceTagNotFound', `Instance ${id} has no tag '${tag}'`);
  writeTags(
    ctx,
    id,
    s.tags.filter((t) => t !== tag),
  );
}

/** Removes every tag. */
export function clearTags(ctx: Ctx, id: string): void {
  taggable(ctx, id, 'delete tags');
  writeTags(ctx, id, []);
}

/**
 * Server locks (Nova's os-lock-server): a locked server refuses every change but renaming and tagging to anyone
 * but a cloud administrator (servers.ts checks it with requireUnlocked).
 */

import { DomainError } from '../../core/result.ts';
import type { Ctx } from '../vpc/context.ts';
import { type Server, server, set } from './servers.ts';

/** Locks a server; a lock already held by its owner stays as it is. Answers whether anything changed. */
export function lock(ctx: Ctx, id: string): boolean {
  const s = server(ctx, id);
  if (s.lockedBy) return false;
  set(ctx, id, { lockedBy: 'owner' });
  return true;
}

/** Unlocks a server; one an administrator locked stays locked for anyone else (403, as Nova's unlock_override). */
export function unlock(ctx: Ctx, id: string, admin: boolean): Server {
  const s = server(ctx, id);
  if (s.lockedBy === 'admin' && !admin) throw new DomainError(403, 'Forbidden', `Instance ${id} was locked by an administrator.`);
  set(ctx, id, { lockedBy: null });
  return server(ctx, id);
}

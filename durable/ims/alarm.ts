/**
 * The images half of the TenantDO's alarm: an upload that stopped streaming without finishing (a crash, a client
 * gone) is given up once it has been in progress for longer than an upload may take (`OBS_PENDING_TTL_MS`, the
 * same limit as OBS's abandoned uploads): a file upload goes back to `queued` (the client may try again), an
 * import from a server or OBS ends `killed`, and the bytes written so far are freed.
 */
import { inArray } from 'drizzle-orm';
import { IMAGE } from '../../core/ims/states.ts';
import { images } from '../../schema/tenant.ts';
import type { Saga } from '../vpc/context.ts';

/** How long an upload may stream, unless the deployment says otherwise. */
export const UPLOAD_TTL_MS = 24 * 3_600_000;

/**
 * Gives up the uploads past their time (`abort` frees what they wrote); answers when the next one in progress
 * will be, or null when none is in progress.
 */
export async function imageAlarm(s: Saga, abort: (id: string, fault: string, kill: boolean) => Promise<unknown>): Promise<number | null> {
  const ttl = Number(s.env.OBS_PENDING_TTL_MS ?? UPLOAD_TTL_MS);
  const now = Date.now();
  let next: number | null = null;
  const inProgress = s.db
    .select()
    .from(images)
    .where(inArray(images.status, [IMAGE.SAVING, IMAGE.IMPORTING]))
    .all();
  for (const i of inProgress) {
    const staleAt = Date.parse(i.updatedAt) + ttl;
    if (staleAt <= now) {
      const minutes = Math.round(ttl / 60_000);
      // Only a file upload can be tried again by its client; an import or a server's image is made once.
      const kill = i.status === IMAGE.IMPORTING || (i.origin !== null && i.origin.kind !== 'file');
      await abort(i.id, `The upload did not finish within ${minutes} minutes and was given up.`, kill);
    } else next = next === null ? staleAt : Math.min(next, staleAt);
  }
  return next;
}

/**
 * The storage half of the TenantDO's alarm: a volume (or attachment) whose step has made no progress for
 * STALE_MS is driven again through the storage queue, so that none stays in a transitional state without an owner.
 */
import { eq } from 'drizzle-orm';
import { type StorageMessage, storageQueue } from '../../core/evs/messages.ts';
import { ATTACHMENT, VOLUME } from '../../core/evs/states.ts';
import * as t from '../../schema/tenant.ts';
import { STALE_MS } from '../ecs/alarm.ts';
import { sendAll } from '../lib/queues.ts';
import { backupAlarm } from '../vbs/alarm.ts';
import type { Saga } from '../vpc/context.ts';

const TRANSITIONS = new Set<string>([VOLUME.CREATING, VOLUME.EXTENDING, VOLUME.DELETING, VOLUME.ATTACHING, VOLUME.DETACHING]);

/** Re-drives the project's volume steps that stopped making progress; true while some remain. */
export async function storageAlarm(s: Saga): Promise<boolean> {
  const projectId = s.projectId;
  const before = new Date(Date.now() - STALE_MS).toISOString();
  const messages: StorageMessage[] = [];
  const now = new Date().toISOString();
  for (const v of s.db.select().from(t.volumes).all()) {
    if (!TRANSITIONS.has(v.status) || v.updatedAt >= before) continue;
    // Touch it, so that the next alarm waits a full STALE_MS before driving it again.
    s.db.update(t.volumes).set({ updatedAt: now }).where(eq(t.volumes.id, v.id)).run();
    if (v.status === VOLUME.CREATING) messages.push({ kind: 'create', projectId, volumeId: v.id });
    if (v.status === VOLUME.EXTENDING) messages.push({ kind: 'extend', projectId, volumeId: v.id });
    if (v.status === VOLUME.DELETING) messages.push({ kind: 'delete', projectId, volumeId: v.id });
  }
  for (const a of s.db.select().from(t.volumeAttachments).all()) {
    if (a.status === ATTACHMENT.ATTACHED || a.createdAt >= before) continue;
    const kind = a.status === ATTACHMENT.ATTACHING ? 'attach' : 'detach';
    messages.push({ kind, projectId, volumeId: a.volumeId, serverId: a.serverId });
  }
  await sendAll(storageQueue(s.env), messages);
  // Snapshots, backups and backup policies (durable/vbs/alarm.ts).
  const backupsRemain = await backupAlarm(s);
  if (backupsRemain) return true;
  return s.db
    .select()
    .from(t.volumes)
    .all()
    .some((v) => TRANSITIONS.has(v.status));
}

/**
 * The snapshot and backup half of the storage alarm: a snapshot or backup whose step made no progress for STALE_MS
 * is driven again through the storage queue, and the backup policies whose time has come are run (their backups
 * and retention deletions queued), the alarm then set for the next policy's run.
 */
import { eq } from 'drizzle-orm';
import { type StorageMessage, storageQueue } from '../../core/evs/messages.ts';
import { BACKUP, SNAPSHOT } from '../../core/evs/states.ts';
import * as t from '../../schema/tenant.ts';
import { STALE_MS } from '../ecs/alarm.ts';
import { sendAll } from '../lib/queues.ts';
import type { Saga } from '../vpc/context.ts';
import { nextPolicyRun, type PolicyRun, runDuePolicies } from './policies.ts';

/** Who an automatic backup is made by (the policy, not a user). */
export const POLICY_USER = 'vbs-backup-policy';

const SNAPSHOT_STEPS: Record<string, StorageMessage['kind']> = {
  [SNAPSHOT.CREATING]: 'snapshot-create',
  [SNAPSHOT.DELETING]: 'snapshot-delete',
};
const BACKUP_STEPS: Record<string, StorageMessage['kind']> = {
  [BACKUP.CREATING]: 'backup-create',
  [BACKUP.RESTORING]: 'backup-restore',
  [BACKUP.DELETING]: 'backup-delete',
};

/** The storage steps of policy runs: the backups they started, then those their retention deletes. */
export function policySteps(projectId: string, runs: PolicyRun[]): StorageMessage[] {
  return runs.flatMap((run) => [
    ...run.created.map((backupId): StorageMessage => ({ kind: 'backup-create', projectId, backupId })),
    ...run.deleting.map((backupId): StorageMessage => ({ kind: 'backup-delete', projectId, backupId })),
  ]);
}

/** Re-drives stalled snapshot and backup steps and runs the policies due; true while some step remains. */
export async function backupAlarm(s: Saga): Promise<boolean> {
  const projectId = s.projectId;
  const before = new Date(Date.now() - STALE_MS).toISOString();
  const now = new Date().toISOString();
  const messages: StorageMessage[] = [];
  for (const snap of s.db.select().from(t.snapshots).all()) {
    const kind = SNAPSHOT_STEPS[snap.status];
    if (!kind || snap.updatedAt >= before) continue;
    s.db.update(t.snapshots).set({ updatedAt: now }).where(eq(t.snapshots.id, snap.id)).run();
    messages.push({ kind, projectId, snapshotId: snap.id } as StorageMessage);
  }
  for (const b of s.db.select().from(t.backups).all()) {
    const kind = BACKUP_STEPS[b.status];
    if (!kind || b.updatedAt >= before) continue;
    s.db.update(t.backups).set({ updatedAt: now }).where(eq(t.backups.id, b.id)).run();
    messages.push({ kind, projectId, backupId: b.id } as StorageMessage);
  }
  const runs = s.run((ctx) => runDuePolicies(ctx, POLICY_USER));
  if ('ok' in runs) messages.push(...policySteps(projectId, runs.ok));
  await sendAll(storageQueue(s.env), messages);
  const next = s.run((ctx) => nextPolicyRun(ctx));
  if ('ok' in next && next.ok !== null) await s.alarmBy(next.ok);
  return (
    s.db
      .select()
      .from(t.snapshots)
      .all()
      .some((x) => SNAPSHOT_STEPS[x.status]) ||
    s.db
      .select()
      .from(t.backups)
      .all()
      .some((x) => BACKUP_STEPS[x.status])
  );
}

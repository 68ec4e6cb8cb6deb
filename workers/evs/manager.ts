/**
 * The storage manager: the queue consumer that drives volumes through their steps (Cinder's volume service). A
 * create holds the volume's GB in its zone's pool of its type, then the volume is ready; an extend grows the hold;
 * a delete lets go of it; an attach or detach has the server's host plug the disk in or out. Each step is
 * idempotent, keyed by the volume, so a redelivered message never holds twice or attaches twice.
 */

import { STATUS } from '../../core/ecs/states.ts';
import type { Env } from '../../core/env.ts';
import type { SnapshotMessage, StorageMessage } from '../../core/evs/messages.ts';
import { SNAPSHOT, VOLUME } from '../../core/evs/states.ts';
import { handleBackup, handleDeadBackup } from '../vbs/steps.ts';

const tenantOf = (env: Env, m: StorageMessage) => env.TENANT.getByName(m.projectId);

async function create(env: Env, m: Extract<StorageMessage, { kind: 'create' }>): Promise<void> {
  const tenant = tenantOf(env, m);
  const v = await tenant.volume(m.volumeId);
  if (!v || v.status !== VOLUME.CREATING) return;
  const held = await env.ZONE.getByName(v.zone).holdStorage(v.zone, {
    volumeId: v.id,
    projectId: m.projectId,
    volumeType: v.volumeType,
    sizeGb: v.size,
  });
  if ('error' in held) {
    await tenant.volumeFailed(v.id, held.error.message);
    return;
  }
  const done = await tenant.volumeCreated(v.id);
  // Deleted while it was being made: the deletion may have run before the hold existed, so let go here too.
  if ('ok' in done && !done.ok && !(await tenant.volume(v.id))) await env.ZONE.getByName(v.zone).releaseStorage(v.id);
}

async function extend(env: Env, m: Extract<StorageMessage, { kind: 'extend' }>): Promise<void> {
  const tenant = tenantOf(env, m);
  const v = await tenant.volume(m.volumeId);
  if (!v || v.status !== VOLUME.EXTENDING || !v.pending?.newSize) return;
  const held = await env.ZONE.getByName(v.zone).holdStorage(v.zone, {
    volumeId: v.id,
    projectId: m.projectId,
    volumeType: v.volumeType,
    sizeGb: v.pending.newSize,
  });
  if ('error' in held) await tenant.volumeFailed(v.id, held.error.message);
  else await tenant.volumeExtended(v.id);
}

async function remove(env: Env, m: Extract<StorageMessage, { kind: 'delete' }>): Promise<void> {
  const tenant = tenantOf(env, m);
  const v = await tenant.volume(m.volumeId);
  if (!v || v.status !== VOLUME.DELETING) return;
  // A cascade takes the volume's snapshots with it: their holds go too.
  const { snapshots } = await tenant.list(['snapshots']);
  for (const s of snapshots.filter((x) => x.volumeId === v.id)) await env.ZONE.getByName(v.zone).releaseStorage(s.id);
  await env.ZONE.getByName(v.zone).releaseStorage(v.id);
  await tenant.volumeRemoved(v.id);
}

/** The server's host plugs the disk in (or out); the host may not run it now (stopped), which is fine. */
async function plug(env: Env, m: Extract<StorageMessage, { kind: 'attach' | 'detach' }>): Promise<void> {
  const tenant = tenantOf(env, m);
  const [v, a, s] = await Promise.all([
    tenant.volume(m.volumeId),
    tenant.volumeAttachment(m.volumeId, m.serverId),
    tenant.server(m.serverId),
  ]);
  if (!v || !a) return;
  const attach = m.kind === 'attach';
  if (a.status !== (attach ? 'attaching' : 'detaching')) return;
  // The volumes a server is created with are attached by its build (in-use once it is ACTIVE), not here.
  if (attach && s && (s.status === STATUS.BUILD || (s.status === STATUS.ERROR && v.createdFor === s.id))) return;
  if (s?.hostId) await env.HOST.getByName(s.hostId).plugDisk(s.id, { device: a.device, sizeGb: v.size, attach });
  if (attach) await tenant.volumeAttached(v.id, m.serverId);
  else await tenant.volumeDetached(v.id, m.serverId);
}

/**
 * A snapshot's step: the zone's pool of its volume's type holds its GB under the snapshot id (a snapshot lives on
 * the backend), or lets go of it; then the snapshot is available, or gone.
 */
async function snapshotStep(env: Env, m: SnapshotMessage): Promise<void> {
  const tenant = tenantOf(env, m);
  const s = await tenant.snapshot(m.snapshotId);
  const creating = m.kind === 'snapshot-create';
  if (!s || s.status !== (creating ? SNAPSHOT.CREATING : SNAPSHOT.DELETING)) return;
  const v = await tenant.volume(s.volumeId);
  if (!creating) {
    if (v) await env.ZONE.getByName(v.zone).releaseStorage(s.id);
    await tenant.snapshotRemoved(s.id);
    return;
  }
  if (!v) return void (await tenant.snapshotFailed(s.id, `The volume ${s.volumeId} of the snapshot no longer exists.`));
  const zone = env.ZONE.getByName(v.zone);
  const held = await zone.holdStorage(v.zone, { volumeId: s.id, projectId: m.projectId, volumeType: v.volumeType, sizeGb: s.size });
  if ('error' in held) return void (await tenant.snapshotFailed(s.id, held.error.message));
  const done = await tenant.snapshotCreated(s.id);
  // Deleted (with its volume) while it was being made: let go here too.
  if ('ok' in done && !done.ok && !(await tenant.snapshot(s.id))) await zone.releaseStorage(s.id);
}

/** Runs one step. */
export function handle(env: Env, m: StorageMessage): Promise<void> {
  switch (m.kind) {
    case 'create':
      return create(env, m);
    case 'extend':
      return extend(env, m);
    case 'delete':
      return remove(env, m);
    case 'attach':
    case 'detach':
      return plug(env, m);
    case 'snapshot-create':
    case 'snapshot-delete':
      return snapshotStep(env, m);
    case 'backup-create':
    case 'backup-restore':
    case 'backup-delete':
      return handleBackup(env, m);
  }
}

/**
 * A message that failed for good: an attach is rolled back (the volume available again), a detach leaves the disk
 * attached; any other step ends its volume in an error state with the reason.
 */
async function handleDead(env: Env, m: StorageMessage): Promise<void> {
  if (m.kind === 'attach') {
    await tenantOf(env, m).abandonAttach(m.volumeId, m.serverId);
    return;
  }
  if (m.kind === 'detach') {
    await tenantOf(env, m).abandonDetach(m.volumeId, m.serverId);
    return;
  }
  if (m.kind === 'snapshot-create' || m.kind === 'snapshot-delete')
    return void (await tenantOf(env, m).snapshotFailed(
      m.snapshotId,
      `The ${m.kind} of snapshot ${m.snapshotId} failed repeatedly and was given up.`,
    ));
  if (m.kind === 'backup-create' || m.kind === 'backup-restore' || m.kind === 'backup-delete') return handleDeadBackup(env, m);
  const reason = `The ${m.kind} of volume ${m.volumeId} failed repeatedly and was given up.`;
  await tenantOf(env, m).volumeFailed(m.volumeId, reason);
}

/** The queue consumer (storage and its dead letters): each message is one step, acked when done, retried when it throws. */
export async function consumeStorage(batch: MessageBatch<StorageMessage>, env: Env): Promise<void> {
  const dead = batch.queue.endsWith('-dlq');
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        await (dead ? handleDead(env, msg.body) : handle(env, msg.body));
        msg.ack();
      } catch (err) {
        console.error(JSON.stringify({ queue: batch.queue, message: msg.body, attempts: msg.attempts, error: String(err) }));
        msg.retry({ delaySeconds: Math.min(30, 2 ** msg.attempts) });
      }
    }),
  );
}

/** Creating snapshots, the one use case behind Cinder's `POST /snapshots` and the native `POST /cloudsnapshots`. */
import type { Snapshot } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { unwrap } from '../../lib/tenant.ts';

export interface SnapshotRequest {
  volumeId: string;
  name: string;
  description: string | null;
  metadata: Record<string, string>;
  /** Take an attached (in-use) volume. */
  force: boolean;
}

/** Records a snapshot of a volume (`creating`); the storage manager has its zone's pool hold it. */
export async function createSnapshot(caller: Caller, req: SnapshotRequest): Promise<Snapshot> {
  return unwrap(await tenantOf(caller).createSnapshot(caller.projectId, { ...req, id: crypto.randomUUID(), userId: caller.userId }));
}

/** The project's snapshots. */
export async function listSnapshots(caller: Caller): Promise<Snapshot[]> {
  return (await tenantOf(caller).list(['snapshots'])).snapshots;
}

/** Deletes a snapshot (`deleting`, then gone; refused while a volume is being made from it). */
export async function deleteSnapshot(caller: Caller, id: string) {
  unwrap(await tenantOf(caller).deleteSnapshot(caller.projectId, id));
}

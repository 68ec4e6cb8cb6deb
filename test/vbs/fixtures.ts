/**
 * Fixtures of the snapshot and backup tests: polling a snapshot or backup until it reaches a state, the usage
 * events the TenantDO wrote for a resource, and a volume's status set directly (a state a race would give).
 */
import { runInDurableObject } from 'cloudflare:test';
import { bindings, type ComputeProject, sleep } from '../ecs/fixtures.ts';
import { cinder } from '../evs/fixtures.ts';
import type { Reply } from '../request.ts';

type P = Pick<ComputeProject, 'token' | 'project'>;

/** Polls `GET <path>` until the body's `key` has one of `statuses` (or the path is 404, for `deleted`). */
export async function waitFor(p: P, path: string, key: string, ...statuses: string[]): Promise<any> {
  const until = Date.now() + 10_000;
  let last: Reply | undefined;
  while (Date.now() < until) {
    last = await cinder(p, 'GET', path);
    if (last.status === 404 && statuses.includes('deleted')) return null;
    if (last.status === 200 && statuses.includes(last.body[key].status)) return last.body[key];
    await sleep(30);
  }
  throw new Error(`${path} did not reach ${statuses.join('|')}: ${last?.status} ${JSON.stringify(last?.body)}`);
}

export const waitSnapshot = (p: P, id: string, ...statuses: string[]) => waitFor(p, `/snapshots/${id}`, 'snapshot', ...statuses);
export const waitBackup = (p: P, id: string, ...statuses: string[]) => waitFor(p, `/backups/${id}`, 'backup', ...statuses);

/** The usage events of a resource, oldest first. */
export function usageOf(project: string, resourceId: string): Promise<{ id: string; meter: string; action: string; quantity: number }[]> {
  return runInDurableObject(bindings.TENANT.getByName(project), async (_o, state) =>
    state.storage.sql
      .exec('SELECT id, meter, action, quantity FROM usage_events WHERE resource_id = ? ORDER BY at, id', resourceId)
      .toArray()
      .map((r) => ({ id: String(r.id), meter: String(r.meter), action: String(r.action), quantity: Number(r.quantity) })),
  );
}

/** Sets a volume's status in its TenantDO, as an operation in flight would have it. */
export function setVolumeStatus(project: string, volumeId: string, status: string): Promise<void> {
  return runInDurableObject(bindings.TENANT.getByName(project), async (_o, state) => {
    state.storage.sql.exec('UPDATE volumes SET status = ? WHERE id = ?', status, volumeId);
  });
}

/**
 * Fixtures of the EVS tests: Cinder calls in a project, volumes created and awaited, and what the zone's storage
 * pools hold for a volume.
 */
import { runInDurableObject } from 'cloudflare:test';
import { expect } from 'vitest';
import { bindings, type ComputeProject, sleep } from '../ecs/fixtures.ts';
import { type Reply, send } from '../request.ts';

/** A Cinder v3 call in the project (`version`: the microversion asked, as the SDK sends it). */
export async function cinder(
  p: Pick<ComputeProject, 'token' | 'project'>,
  method: string,
  path: string,
  body?: unknown,
  version?: string,
): Promise<Reply> {
  return send(p.token, method, `/evs/v3/${p.project}${path}`, body, version ? { 'OpenStack-API-Version': `volume ${version}` } : {});
}

/** Creates a volume (202 expected) and answers its create body. */
export async function createVolume(p: Pick<ComputeProject, 'token' | 'project'>, volume: Record<string, unknown> = {}) {
  const res = await cinder(p, 'POST', '/volumes', { volume: { size: 10, name: 'v', ...volume } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.volume as Record<string, any> & { id: string; status: string; availability_zone: string; size: number };
}

/** Polls a volume until `done` holds (10 s at most); null if it is gone. */
export async function waitVolume(
  p: Pick<ComputeProject, 'token' | 'project'>,
  id: string,
  done: (v: any) => boolean,
  timeoutMs = 10_000,
): Promise<any> {
  const until = Date.now() + timeoutMs;
  let last: Reply | undefined;
  while (Date.now() < until) {
    last = await cinder(p, 'GET', `/volumes/${id}`);
    if (last.status === 404 && done(null)) return null;
    if (last.status === 200 && done(last.body.volume)) return last.body.volume;
    await sleep(30);
  }
  throw new Error(`volume ${id} did not get there in ${timeoutMs} ms: ${last?.status} ${JSON.stringify(last?.body)}`);
}

/** Polls until the volume's status is one of `statuses` (or it is gone, for `deleted`). */
export function waitVolumeStatus(p: Pick<ComputeProject, 'token' | 'project'>, id: string, ...statuses: string[]) {
  return waitVolume(p, id, (v) => (v === null ? statuses.includes('deleted') : statuses.includes(v.status)));
}

/** A volume created and awaited until available. */
export async function availableVolume(p: Pick<ComputeProject, 'token' | 'project'>, volume: Record<string, unknown> = {}) {
  const v = await createVolume(p, volume);
  return waitVolumeStatus(p, v.id, 'available');
}

/** What the zone's pools hold for a volume (GB), or undefined. */
export async function heldGb(zone: string, volumeId: string): Promise<number | undefined> {
  return runInDurableObject(bindings.ZONE.getByName(zone), async (_o, state) => {
    const row = state.storage.sql.exec('SELECT size_gb FROM storage_claims WHERE volume_id = ?', volumeId).toArray()[0];
    return row ? Number(row.size_gb) : undefined;
  });
}

/**
 * Every snapshot, backup and policy route that reads a body, fed bodies that are wrong in every way (not JSON, not an object, empty,
 * wrong types), on a real resource and on a missing one: a 4xx in the family's envelope (Cinder's fault wrapper,
 * or `{"error": {"code", "message"}}` natively), never a 500, and nothing written.
 */
import { describe, expect, it } from 'vitest';
import { app } from '../../workers/index.ts';
import { computeProject } from '../ecs/fixtures.ts';
import { availableVolume, cinder } from '../evs/fixtures.ts';
import { endpoints } from '../platform/route-checks.ts';
import { call } from '../request.ts';
import { waitBackup, waitSnapshot } from './fixtures.ts';

const MINE = /^\/(vbs\/|evs\/v3\/\{project_id\}\/(snapshots|backups)|evs\/v2\/\{project_id\}\/cloudsnapshots)/;
const CINDER_KEYS = ['badRequest', 'itemNotFound', 'forbidden', 'overLimit', 'conflictingRequest', 'badMethod'];
const BODIES = [
  '{"x": ',
  '[]',
  '{}',
  'null',
  '"text"',
  '{"backup": "x", "snapshot": 1, "restore": [], "rollback": 2}',
  '{"resources": "x"}',
];

describe('snapshot, backup and policy routes under bad input', () => {
  it('answer 4xx in their envelope, never a 500, and change nothing', async () => {
    const p = await computeProject('fuzz');
    const v = await availableVolume(p, { size: 1 });
    const snap = (await cinder(p, 'POST', '/snapshots', { snapshot: { volume_id: v.id } })).body.snapshot;
    await waitSnapshot(p, snap.id, 'available');
    const bk = (await cinder(p, 'POST', '/backups', { backup: { volume_id: v.id } })).body.backup;
    await waitBackup(p, bk.id, 'available');
    // Routes that read no body (deletions, running a policy) are left out: a body cannot be wrong for them.
    const bodiless = (path: string) =>
      path.endsWith('/backuppolicy/{backup_policy_id}/action') || path.endsWith('/cloudbackups/{backup_id}');
    const routes = endpoints(app).filter((e) => MINE.test(e.path) && !['GET', 'DELETE'].includes(e.method) && !bodiless(e.path));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const before = JSON.stringify([(await cinder(p, 'GET', '/snapshots/detail')).body, (await cinder(p, 'GET', '/backups/detail')).body]);
    const wrong: string[] = [];
    for (const e of routes)
      for (const real of [true, false]) {
        const path = e.path.replace(/\{(\w+)\}/g, (_, k: string) =>
          k === 'project_id' ? p.project : !real ? crypto.randomUUID() : k === 'snapshot_id' ? snap.id : k === 'backup_id' ? bk.id : 'k',
        );
        for (const body of BODIES) {
          const res = await call(path, { method: e.method, token: p.token, body, headers: { 'Content-Type': 'application/json' } });
          const text = await res.text();
          const json = text ? JSON.parse(text) : null;
          const native = path.startsWith('/vbs/v1') || /\/(cloudbackups|cloudsnapshots|backuppolicy)/.test(path);
          const enveloped = native ? typeof json?.error?.code === 'string' : CINDER_KEYS.some((k) => json?.[k]?.message);
          if (res.status < 400 || res.status >= 500 || !enveloped)
            wrong.push(`${e.method} ${path} ${body}: ${res.status} ${text.slice(0, 100)}`);
        }
      }
    expect(wrong, wrong.join('\n')).toEqual([]);
    const after = JSON.stringify([(await cinder(p, 'GET', '/snapshots/detail')).body, (await cinder(p, 'GET', '/backups/detail')).body]);
    expect(after).toBe(before);
  }, 60_000);
});

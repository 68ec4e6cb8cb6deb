/**
 * Backup scenarios, timed once each: 100 backups (10 tenants x 10 volumes) from the first request to all
 * `available`, then their 100 restores onto new volumes from the first request to all restored volumes available.
 */
import { accounts, api, type BenchAccount, type BenchCloud } from './cloud.ts';
import type { ScenarioResult } from './ecs.bench.ts';
import { pool } from './evs.bench.ts';

const TENANTS = 10;

/** Polls until `count` of the tenants' resources at `path` (a Cinder list) add up to `total`. */
async function waitAll(cloud: BenchCloud, tenants: BenchAccount[], path: string, key: string, total: number): Promise<number> {
  const end = Date.now() + 120_000;
  for (;;) {
    let n = 0;
    for (const t of tenants) {
      const res = await api(cloud, t.token, 'GET', `/evs/v3/${t.projectId}${path}`);
      n += ((await res.json()) as Record<string, unknown[]>)[key]!.length;
    }
    if (n >= total || Date.now() > end) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the creates answer: `{volume: {id}}` or `{backup: {id}}`. */
type Made = { volume: { id: string }; backup: { id: string } };

async function post(cloud: BenchCloud, t: BenchAccount, path: string, body: unknown): Promise<Made> {
  const res = await api(cloud, t.token, 'POST', `/evs/v3/${t.projectId}${path}`, body);
  if (res.status !== 202) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Made;
}

/** Each tenant's volumes (1 GB, available), by `projectId/n`. */
async function volumesOf(cloud: BenchCloud, prefix: string, perTenant: number) {
  const tenants = await accounts(
    cloud,
    Array.from({ length: TENANTS }, (_, i) => `${prefix}-${i}`),
  );
  const jobs = tenants.flatMap((t) => Array.from({ length: perTenant }, (_, n) => ({ t, n, key: `${t.projectId}/${n}` })));
  const volumes = new Map<string, string>();
  await pool(jobs, async ({ t, n, key }) => {
    const made = await post(cloud, t, '/volumes', { volume: { name: `v-${n}`, size: 1, availability_zone: 'eu-west-0a' } });
    volumes.set(key, made.volume.id);
  });
  await waitAll(cloud, tenants, '/volumes/detail?status=available', 'volumes', jobs.length);
  return { tenants, jobs, volumes };
}

/** Backs up every volume; answers the backups by `projectId/n` and when they were all available (ms). */
async function backUp(cloud: BenchCloud, set: Awaited<ReturnType<typeof volumesOf>>) {
  const backups = new Map<string, string>();
  await pool(set.jobs, async ({ t, n, key }) => {
    const made = await post(cloud, t, '/backups', { backup: { volume_id: set.volumes.get(key), name: `b-${n}` } });
    backups.set(key, made.backup.id);
  });
  const done = await waitAll(cloud, set.tenants, '/backups/detail?status=available', 'backups', set.jobs.length);
  return { backups, done };
}

const perTenant = () => Number(process.env.BENCH_VOLUMES_PER_TENANT || 10);

/** 100 backups (10 tenants x 10 volumes) from the first request to all available. */
export async function backupScenario(cloud: BenchCloud): Promise<ScenarioResult> {
  const set = await volumesOf(cloud, 'bench-vbs', perTenant());
  const started = performance.now();
  const { done } = await backUp(cloud, set);
  const seconds = (performance.now() - started) / 1000;
  return { name: `${done} backups (10 tenants) from create to all available`, seconds, count: done, target: 'under 5 s for 100' };
}

/** 100 restores onto new volumes (10 tenants) from the first request to all the new volumes available. */
export async function restoreScenario(cloud: BenchCloud): Promise<ScenarioResult> {
  const set = await volumesOf(cloud, 'bench-vbr', perTenant());
  const { backups } = await backUp(cloud, set);
  const started = performance.now();
  await pool(set.jobs, async ({ t, n, key }) => {
    await post(cloud, t, `/backups/${backups.get(key)}/restore`, { restore: { name: `r-${n}` } });
  });
  // The sources and the restored volumes: all available.
  const done = (await waitAll(cloud, set.tenants, '/volumes/detail?status=available', 'volumes', 2 * set.jobs.length)) - set.jobs.length;
  const seconds = (performance.now() - started) / 1000;
  return { name: `${done} restores onto new volumes (10 tenants) to all available`, seconds, count: done, target: 'under 5 s for 100' };
}

/**
 * Cloud Eye's metric intake: custom points posted in batches (`POST metric-data`, 500 points a request, 20 series a
 * project) into five projects' CesDOs at once, each point written raw and into its five rollups; points per second
 * against the target of 10,000, with the server's CPU per 10,000 points.
 */
import { accounts, api, type BenchCloud } from './cloud.ts';
import { pool } from './evs.bench.ts';
import { serverCpuSeconds } from './harness.ts';

const TENANTS = 5;
const BATCH = 500;
const BATCHES = Number(process.env.BENCH_CES_BATCHES || 40);

/** One request's points: 20 series of one project, 25 seconds of one point a second each, from `start`. */
function batch(start: number) {
  return Array.from({ length: BATCH }, (_, i) => ({
    metric: { namespace: 'BENCH.app', metric_name: 'requests', dimensions: [{ name: 'shard', value: `s${i % 20}` }] },
    ttl: 86_400,
    collect_time: start + Math.floor(i / 20) * 1000,
    value: i % 97,
    type: 'int',
  }));
}

export async function cesBench(cloud: BenchCloud): Promise<string> {
  const tenants = await accounts(
    cloud,
    Array.from({ length: TENANTS }, (_, i) => `bench-ces-${i}`),
  );
  const start = Date.now() - 3_600_000;
  const post = async ({ t, n }: { t: (typeof tenants)[number]; n: number }) => {
    const res = await api(cloud, t.token, 'POST', `/ces/V1.0/${t.projectId}/metric-data`, batch(start + n * 25_000));
    if (res.status !== 201) throw new Error(`metric-data: ${res.status} ${await res.text()}`);
    await res.body?.cancel();
  };
  // Warm each project's object and the route once.
  await pool(
    tenants.map((t) => ({ t, n: BATCHES })),
    post,
  );
  const jobs = tenants.flatMap((t) => Array.from({ length: BATCHES }, (_, n) => ({ t, n })));
  const cpu0 = serverCpuSeconds();
  const began = performance.now();
  await pool(jobs, post);
  const seconds = (performance.now() - began) / 1000;
  const cpu = serverCpuSeconds() - cpu0;
  const points = jobs.length * BATCH;
  return [
    '| measurement | points | seconds | points per second | server CPU per 10,000 points | target |',
    '|---|---:|---:|---:|---:|---|',
    `| custom metric intake (${TENANTS} projects, ${BATCH} points a request) | ${points} | ${seconds.toFixed(2)} | ${(points / seconds).toFixed(0)} | ${((cpu / points) * 10_000).toFixed(2)} s | 10,000 points/s |`,
  ].join('\n');
}

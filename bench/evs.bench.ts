/**
 * Block storage scenarios, timed once each: volumes from create to all `available` across tenants, and attaches
 * from the request to all `in-use` (each tenant attaching its volumes to one server).
 */
import { accounts, api, type BenchAccount, type BenchCloud, ok } from './cloud.ts';
import type { ScenarioResult } from './ecs.bench.ts';

const TENANTS = 10;

/** Runs `jobs` 16 at a time. */
export async function pool<T>(jobs: T[], each: (job: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < jobs.length) await each(jobs[next++]!);
    }),
  );
}

/** Polls until every tenant's volumes in `status` add up to `total`. */
async function waitVolumes(cloud: BenchCloud, tenants: BenchAccount[], status: string, total: number, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let n = 0;
    for (const t of tenants) {
      const res = await api(cloud, t.token, 'GET', `/evs/v3/${t.projectId}/volumes/detail?status=${status}`);
      n += ((await res.json()) as { volumes: unknown[] }).volumes.length;
    }
    if (n >= total || Date.now() > end) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates `perTenant` volumes in each tenant (in eu-west-0a) and answers their ids by tenant. */
async function createVolumes(cloud: BenchCloud, tenants: BenchAccount[], perTenant: number): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>(tenants.map((t) => [t.projectId, []]));
  const jobs = tenants.flatMap((t) => Array.from({ length: perTenant }, (_, n) => ({ t, n })));
  await pool(jobs, async ({ t, n }) => {
    const body = { volume: { name: `b-${n}`, size: 10, volume_type: 'SSD', availability_zone: 'eu-west-0a' } };
    const res = await api(cloud, t.token, 'POST', `/evs/v3/${t.projectId}/volumes`, body);
    if (res.status !== 202) throw new Error(`volume create: ${res.status} ${await res.text()}`);
    ids.get(t.projectId)!.push(((await res.json()) as { volume: { id: string } }).volume.id);
  });
  return ids;
}

/** 100 volumes (10 tenants x 10) from the first create to all available. */
export async function volumeCreateScenario(cloud: BenchCloud): Promise<ScenarioResult> {
  const perTenant = Number(process.env.BENCH_VOLUMES_PER_TENANT || 10);
  const tenants = await accounts(
    cloud,
    Array.from({ length: TENANTS }, (_, i) => `bench-evs-${i}`),
  );
  const started = performance.now();
  await createVolumes(cloud, tenants, perTenant);
  const done = await waitVolumes(cloud, tenants, 'available', TENANTS * perTenant, 120_000);
  const seconds = (performance.now() - started) / 1000;
  return {
    name: `${done} volumes (10 tenants) from create to all available (${(done / seconds).toFixed(0)}/s)`,
    seconds,
    count: done,
    target: 'under 5 s for 100',
  };
}

/** 100 attaches (10 tenants, each 10 volumes onto one server) from the first request to all in-use. */
export async function attachScenario(cloud: BenchCloud): Promise<ScenarioResult> {
  const perTenant = Number(process.env.BENCH_VOLUMES_PER_TENANT || 10);
  const tenants = await accounts(
    cloud,
    Array.from({ length: TENANTS }, (_, i) => `bench-att-${i}`),
  );
  const image = (
    (await (await api(cloud, tenants[0]!.token, 'GET', `/ims/v2/images?name=${encodeURIComponent('OBS Ubuntu 22.04')}`)).json()) as {
      images: { id: string }[];
    }
  ).images[0]!.id;
  const servers = new Map<string, string>();
  for (const t of tenants) {
    const net = (await (await api(cloud, t.token, 'POST', '/vpc/v2.0/networks', { network: { name: 'bench' } })).json()) as {
      network: { id: string };
    };
    await ok(await api(cloud, t.token, 'POST', '/vpc/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '10.0.0.0/24' } }), 201);
    const body = {
      server: {
        name: 'host',
        imageRef: image,
        flavorRef: 's3.small.1',
        availability_zone: 'eu-west-0a',
        networks: [{ uuid: net.network.id }],
      },
    };
    const res = await api(cloud, t.token, 'POST', `/ecs/v2.1/${t.projectId}/servers`, body);
    servers.set(t.projectId, ((await res.json()) as { server: { id: string } }).server.id);
  }
  const volumes = await createVolumes(cloud, tenants, perTenant);
  await waitVolumes(cloud, tenants, 'available', TENANTS * perTenant, 120_000);
  for (const t of tenants) {
    for (;;) {
      const s = (await (await api(cloud, t.token, 'GET', `/ecs/v2.1/${t.projectId}/servers/${servers.get(t.projectId)}`)).json()) as {
        server: { status: string };
      };
      if (s.server.status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const jobs = tenants.flatMap((t) => volumes.get(t.projectId)!.map((v) => ({ t, v })));
  const started = performance.now();
  // One server's attaches in order (each takes the next device), the tenants in parallel.
  await Promise.all(
    tenants.map(async (t) => {
      for (const { v } of jobs.filter((j) => j.t === t)) {
        const res = await api(
          cloud,
          t.token,
          'POST',
          `/ecs/v2.1/${t.projectId}/servers/${servers.get(t.projectId)}/os-volume_attachments`,
          {
            volumeAttachment: { volumeId: v },
          },
        );
        if (res.status !== 200) throw new Error(`attach: ${res.status} ${await res.text()}`);
      }
    }),
  );
  const done = await waitVolumes(cloud, tenants, 'in-use', jobs.length, 120_000);
  const seconds = (performance.now() - started) / 1000;
  return {
    name: `${done} attaches (10 tenants) from request to all in-use (${(done / seconds).toFixed(0)}/s)`,
    seconds,
    count: done,
    target: 'under 5 s for 100',
  };
}

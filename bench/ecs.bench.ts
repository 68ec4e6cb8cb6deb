/**
 * Compute scenarios, timed once each: servers from create to all ACTIVE across tenants, and recovery of a failed
 * host's auto-recovery servers from declared failure to all ACTIVE elsewhere.
 */
import { accounts, api, type BenchAccount, type BenchCloud, ok } from './cloud.ts';

export interface ScenarioResult {
  name: string;
  seconds: number;
  count: number;
  target: string;
}

const IMAGE = 'OBS Ubuntu 22.04';

async function prepare(cloud: BenchCloud, tenants: BenchAccount[], operator: BenchAccount, perTenant: number) {
  const images = (await (await api(cloud, tenants[0]!.token, 'GET', `/ims/v2/images?name=${encodeURIComponent(IMAGE)}`)).json()) as {
    images: { id: string }[];
  };
  const nets: string[] = [];
  for (const t of tenants) {
    const quota = { quota_set: { instances: perTenant + 10, cores: perTenant + 10, ram: (perTenant + 10) * 1024 } };
    await ok(await api(cloud, operator.token, 'PUT', `/ecs/v2.1/${operator.projectId}/os-quota-sets/${t.projectId}`, quota));
    await ok(await api(cloud, operator.token, 'PUT', `/vpc/v2.0/quotas/${t.projectId}`, { quota: { port: perTenant + 50 } }));
    const net = (await (await api(cloud, t.token, 'POST', '/vpc/v2.0/networks', { network: { name: 'bench' } })).json()) as {
      network: { id: string };
    };
    await ok(await api(cloud, t.token, 'POST', '/vpc/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '10.0.0.0/20' } }), 201);
    nets.push(net.network.id);
  }
  return { image: images.images[0]!.id, nets };
}

async function createAll(
  cloud: BenchCloud,
  tenants: BenchAccount[],
  nets: string[],
  image: string,
  perTenant: number,
  extra: Record<string, unknown> = {},
) {
  const jobs = tenants.flatMap((t, i) => Array.from({ length: perTenant }, (_, n) => ({ t, net: nets[i]!, n })));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < jobs.length) {
        const { t, net, n } = jobs[next++]!;
        const body = {
          server: {
            name: `b-${n}`,
            imageRef: image,
            flavorRef: 's3.small.1',
            networks: [{ uuid: net }],
            ...((extra.server as object) ?? {}),
          },
          ...(extra.hints ? { 'os:scheduler_hints': extra.hints } : {}),
        };
        await ok(await api(cloud, t.token, 'POST', `/ecs/v2.1/${t.projectId}/servers`, body), 202);
      }
    }),
  );
}

/** Polls until `total` servers are ACTIVE (and, per tenant, not on the host whose hashed id is given). */
async function waitActive(cloud: BenchCloud, tenants: BenchAccount[], total: number, timeoutMs: number, notOnHost?: Map<string, string>) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let active = 0;
    for (const t of tenants) {
      const list = (await (await api(cloud, t.token, 'GET', `/ecs/v2.1/${t.projectId}/servers/detail?status=ACTIVE`)).json()) as {
        servers: { hostId: string }[];
      };
      const avoid = notOnHost?.get(t.projectId);
      active += list.servers.filter((s) => s.hostId !== avoid).length;
    }
    if (process.env.BENCH_VERBOSE) console.error(`${new Date().toISOString()} ${active}/${total} ACTIVE`);
    if (active >= total || Date.now() > end) return active;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** 1,000 servers (10 tenants x 100) from the first create to all ACTIVE. */
export async function buildScenario(cloud: BenchCloud): Promise<ScenarioResult> {
  const perTenant = Number(process.env.BENCH_SERVERS_PER_TENANT || 100);
  const tenants = await accounts(
    cloud,
    Array.from({ length: 10 }, (_, i) => `bench-ecs-${i}`),
  );
  const [operator] = await accounts(cloud, ['bench-ecs-operator'], true);
  const { image, nets } = await prepare(cloud, tenants, operator!, perTenant);
  const started = performance.now();
  await createAll(cloud, tenants, nets, image, perTenant);
  if (process.env.BENCH_VERBOSE) console.error(`created in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const active = await waitActive(cloud, tenants, tenants.length * perTenant, 300_000);
  return {
    name: `${active} servers (10 tenants) from create to all ACTIVE`,
    seconds: (performance.now() - started) / 1000,
    count: active,
    target: 'under 30 s for 1,000',
  };
}

/** The operator grants hosts to a project as its Dedicated Cloud (null: takes them back). */
async function grant(cloud: BenchCloud, operator: BenchAccount, hosts: string[], projectId: string | null) {
  for (const h of hosts)
    await ok(await api(cloud, operator.token, 'PUT', `/ecs/admin/hosts/${h}`, { host: { dedicated_project_id: projectId } }));
}

/**
 * A host carrying 200 auto-recovery servers fails: from declared failure to all ACTIVE on other hosts. The servers
 * are pinned to the host by `dedicated_host_id`, which names a Dedicated Cloud host of their own project: the
 * operator grants the tenant that host and a second one of the zone, where the dedicated servers come back.
 */
export async function recoveryScenario(cloud: BenchCloud): Promise<ScenarioResult> {
  const count = Number(process.env.BENCH_RECOVERY_SERVERS || 200);
  const [host, spare] = ['eu-west-0b-cmp-01', 'eu-west-0b-cmp-02'];
  const tenants = await accounts(cloud, ['bench-rec-0']);
  const [operator] = await accounts(cloud, ['bench-rec-operator'], true);
  const { image, nets } = await prepare(cloud, tenants, operator!, count);
  await grant(cloud, operator!, [host, spare], tenants[0]!.projectId);
  try {
    await createAll(cloud, tenants, nets, image, count, {
      server: { availability_zone: 'eu-west-0b' },
      hints: { dedicated_host_id: host },
    });
    await waitActive(cloud, tenants, count, 300_000);
    // Nova shows a host id hashed per project: note the tenant's view of the host before it fails.
    const list = (await (
      await api(cloud, tenants[0]!.token, 'GET', `/ecs/v2.1/${tenants[0]!.projectId}/servers/detail?limit=1`)
    ).json()) as {
      servers: { hostId: string }[];
    };
    const failedHostIds = new Map([[tenants[0]!.projectId, list.servers[0]!.hostId]]);
    const started = performance.now();
    await ok(await api(cloud, operator!.token, 'POST', `/ecs/admin/hosts/${host}/fail`, { immediate: true }), 202);
    const active = await waitActive(cloud, tenants, count, 120_000, failedHostIds);
    return {
      name: `${active} auto-recovery servers of a failed host back ACTIVE elsewhere`,
      seconds: (performance.now() - started) / 1000,
      count: active,
      target: 'under 10 s for 200',
    };
  } finally {
    // The rest of the bench places on these hosts again.
    await grant(cloud, operator!, [host, spare], null);
  }
}

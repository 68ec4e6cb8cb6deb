/**
 * Auto Scaling's reaction time, on its own cloud whose clocks are Cloud Eye's and Auto Scaling's scaled down by six
 * (guests sampled and alarms evaluated every 10 s instead of 60, a group's rounds every 1 s instead of 10): a group of
 * one server in a load balancer pool, an alarm on the group's CPU (>= 80 %) with a policy that adds one server; the
 * server's workload goes to 95 %, and the delay runs from the first sample above the threshold to the new member
 * ACTIVE in the pool, in seconds and in evaluation periods (the target: under 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accounts, api, type BenchCloud, startServer, stopServer } from './cloud.ts';
import { setServerProcess } from './harness.ts';

const EVALUATE_MS = 10_000;
const SAMPLES = Number(process.env.BENCH_AS_SAMPLES || 3);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(cloud: BenchCloud, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await api(cloud, token, method, path, body);
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Polls `probe` every 100 ms until it answers a value (120 s at most). */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One sample in a fresh project: its group set up and settled, then the load raised; answers the delay in ms. */
async function sample(cloud: BenchCloud, name: string): Promise<number> {
  const [t] = await accounts(cloud, [name]);
  const p = t!.projectId;
  const q = (method: string, path: string, body?: unknown) => call(cloud, t!.token, method, path, body);
  const vpc = (await q('POST', `/vpc/v1/${p}/vpcs`, { vpc: { name: 'v', cidr: '10.0.0.0/16' } })).vpc.id;
  const subnet = (
    await q('POST', `/vpc/v1/${p}/subnets`, { subnet: { name: 's', cidr: '10.0.1.0/24', gateway_ip: '10.0.1.1', vpc_id: vpc } })
  ).subnet.id;
  const neutronSubnet = (await q('GET', `/vpc/v2.0/subnets?network_id=${subnet}`)).subnets[0].id;
  const image = (await q('GET', '/ims/v2/images?name=OBS%20Ubuntu%2022.04')).images[0].id;
  const lbaas = '/elb/v2.0/lbaas';
  const lb = (await q('POST', `${lbaas}/loadbalancers`, { loadbalancer: { name: 'lb', vip_subnet_id: neutronSubnet } })).loadbalancer.id;
  const lbActive = () =>
    until('the load balancer', async () =>
      (await q('GET', `${lbaas}/loadbalancers/${lb}`)).loadbalancer.provisioning_status === 'ACTIVE' ? true : undefined,
    );
  await lbActive();
  const listener = (await q('POST', `${lbaas}/listeners`, { listener: { loadbalancer_id: lb, protocol: 'HTTP', protocol_port: 80 } }))
    .listener.id;
  await lbActive();
  const pool = (await q('POST', `${lbaas}/pools`, { pool: { listener_id: listener, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } })).pool
    .id;
  await lbActive();
  const as = `/as/autoscaling-api/v1/${p}`;
  const config = (
    await q('POST', `${as}/scaling_configuration`, {
      scaling_configuration_name: 'c',
      instance_config: {
        flavorRef: 's3.small.1',
        imageRef: image,
        disk: [{ size: 40, volume_type: 'SATA', disk_type: 'SYS' }],
        adminPass: 'Bench-pass-12345',
      },
    })
  ).scaling_configuration_id;
  const group = (
    await q('POST', `${as}/scaling_group`, {
      scaling_group_name: 'g',
      scaling_configuration_id: config,
      vpc_id: vpc,
      networks: [{ id: subnet }],
      min_instance_number: 1,
      desire_instance_number: 1,
      max_instance_number: 2,
      lbaas_listeners: [{ pool_id: pool, protocol_port: 80, weight: 1 }],
    })
  ).scaling_group_id;
  const activeMembers = async () =>
    (await q('GET', `${lbaas}/pools/${pool}/members`)).members.filter((m: any) => m.provisioning_status === 'ACTIVE').length;
  await until('the first member', async () => ((await activeMembers()) === 1 ? true : undefined));
  const server = (await q('GET', `${as}/scaling_group_instance/${group}/list`)).scaling_group_instances[0].instance_id;
  const ces = `/ces/V1.0/${p}`;
  const alarm = (
    await q('POST', `${ces}/alarms`, {
      alarm_name: 'hot',
      metric: { namespace: 'SYS.AS', metric_name: 'cpu_util', dimensions: [{ name: 'AutoScalingGroup', value: group }] },
      condition: { period: 1, filter: 'average', comparison_operator: '>=', value: 80, unit: '%', count: 1 },
      alarm_actions: [{ type: 'autoscaling', notificationList: [] }],
    })
  ).alarm_id;
  await q('POST', `${as}/scaling_policy`, {
    scaling_policy_name: 'out',
    scaling_group_id: group,
    scaling_policy_type: 'ALARM',
    alarm_id: alarm,
    scaling_policy_action: { operation: 'ADD', instance_number: 1 },
    cool_down_time: 0,
  });
  const set = Date.now();
  await q('PUT', `${ces}/load-profiles/${server}`, { load_profile: { shape: 'constant', level: 95 } });
  const active = await until('the new member', async () => ((await activeMembers()) === 2 ? Date.now() : undefined));
  const points = await q(
    'GET',
    `${ces}/metric-data?namespace=SYS.ECS&metric_name=cpu_util&dim.0=instance_id,${server}&from=${set - 60_000}&to=${active}&period=1&filter=average`,
  );
  const crossed = points.datapoints.find((d: any) => d.timestamp >= set && d.average >= 80)?.timestamp;
  if (crossed === undefined) throw new Error('no sample above the threshold before the new member was ACTIVE');
  await q('DELETE', `${as}/scaling_group/${group}?force_delete=yes`);
  return active - crossed;
}

export async function asBench(main: BenchCloud): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fe-bench-as-'));
  const overrides = { FE_VAR_CES_COLLECT_MS: String(EVALUATE_MS), FE_VAR_CES_EVALUATE_MS: String(EVALUATE_MS), FE_VAR_AS_TICK_MS: '1000' };
  Object.assign(process.env, overrides);
  const cloud = await startServer(dir);
  try {
    const delays: number[] = [];
    for (let i = 0; i < SAMPLES; i++) delays.push(await sample(cloud, `bench-as-${i}`));
    const sorted = delays.toSorted((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return [
      '| measurement | samples | delays (s) | median (s) | median in evaluation periods | target |',
      '|---|---:|---|---:|---:|---|',
      `| sample above the threshold to the new member ACTIVE in the pool (evaluation every ${EVALUATE_MS / 1000} s) | ${delays.length} | ${delays.map((d) => (d / 1000).toFixed(1)).join(', ')} | ${(median / 1000).toFixed(1)} | ${(median / EVALUATE_MS).toFixed(2)} | under 2 |`,
    ].join('\n');
  } finally {
    for (const k of Object.keys(overrides)) delete process.env[k];
    await stopServer(cloud);
    rmSync(dir, { recursive: true, force: true });
    // The other suites measure the main cloud's CPU.
    setServerProcess(main.child.pid!);
  }
}

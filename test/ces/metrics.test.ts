/**
 * Cloud Eye in workerd: a server's guest follows the workload its tenant sets, its host's agent samples it, and the
 * points reach the project's Cloud Eye (SYS.ECS, SYS.EVS for its disk, SYS.VPC for its elastic IP), raw and rolled
 * up, while the bytes it sent through the EIP become outbound traffic for billing, once however often the report is
 * delivered. Custom metrics go in by `POST metric-data`, refused in a service's namespace.
 */
import { describe, expect, it } from 'vitest';
import { activeServer, bindings, type ComputeProject, computeProject, imageId, portsOf } from '../ecs/fixtures.ts';
import { neutron, send } from '../request.ts';
import { create, externalNetworkId } from '../vpc/fixtures.ts';

const PERIOD = 60_000;
const ces = (p: ComputeProject, method: string, path: string, body?: unknown) =>
  send(p.token, method, `/ces/V1.0/${p.project}${path}`, body);

/** The host of a server, and a collection at the sample time `at`. */
async function hostOf(p: ComputeProject, serverId: string) {
  const hostId = (await bindings.TENANT.getByName(p.project).server(serverId))!.hostId!;
  return bindings.HOST.getByName(hostId);
}

/** An elastic IP bound to the server's port (through a router with the external gateway). */
async function bindEip(p: ComputeProject, serverId: string): Promise<string> {
  const ext = await externalNetworkId(p.token);
  const router = await create(p.token, 'routers', 'router', { name: 'r', external_gateway_info: { network_id: ext } });
  await neutron(p.token, 'PUT', `/routers/${router.id}/add_router_interface`, { subnet_id: p.subnet.id });
  const [port] = await portsOf(p, serverId);
  const fip = await neutron(p.token, 'POST', '/floatingips', { floatingip: { floating_network_id: ext, port_id: port.id } });
  expect(fip.status, JSON.stringify(fip.body)).toBe(201);
  return fip.body.floatingip.id;
}

const trafficOf = async (p: ComputeProject) =>
  (await bindings.TENANT.getByName(p.project).usageOutbox())
    .map((r) => r.event)
    .filter((e) => e.meter === 'vpc.traffic')
    .map((e) => [e.id, e.resourceId, e.quantity, e.attributes]);

describe('a guest’s metrics', () => {
  it('follow the workload set, reach Cloud Eye raw and rolled up, and bill the traffic through the EIP once', async () => {
    const p = await computeProject('ces');
    // Booted from a volume, so that its disk is an EVS volume with metrics of its own.
    const image = await imageId(p.token);
    const s = await activeServer(p, {
      imageRef: '',
      block_device_mapping_v2: [{ uuid: image, boot_index: '0', source_type: 'image', destination_type: 'volume', volume_size: 40 }],
    });
    const eip = await bindEip(p, s.id);
    const set = await ces(p, 'PUT', `/load-profiles/${s.id}`, {
      load_profile: {
        shape: 'constant',
        level: 50,
        network_out_bytes_rate: 2_000_000,
        network_in_bytes_rate: 1000,
        disk_read_bytes_rate: 4096,
      },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.load_profile).toMatchObject({ shape: 'constant', level: 50 });
    expect((await ces(p, 'GET', `/load-profiles/${s.id}`)).body.load_profile.applied_at).toBe(set.body.load_profile.applied_at);

    // The agent reports every sample due since the server booted, up to two sample times a little ahead (a tick of
    // its own at the real time then finds nothing due twice).
    const t1 = Date.now() - (Date.now() % PERIOD) + 2 * PERIOD;
    const host = await hostOf(p, s.id);
    const sent = await host.collect(t1 + PERIOD);
    expect(sent).toBeGreaterThanOrEqual(2);
    // The same sample again (a redelivered report), and the same collection again: nothing new anywhere.
    await bindings.TENANT.getByName(p.project).guestReport([
      {
        serverId: s.id,
        sample: {
          at: t1,
          cpuUtil: 50,
          memUtil: 40,
          netOutRate: 1e6,
          netInRate: 500,
          diskReadRate: 2048,
          diskWriteRate: 0,
          txBytes: 60_000_000,
          rxBytes: 30_000,
        },
      },
    ]);
    expect(await host.collect(t1 + PERIOD)).toBe(0);

    const since = t1 - 20 * PERIOD;
    const dim = `dim.0=instance_id,${s.id}`;
    const raw = await ces(
      p,
      'GET',
      `/metric-data?namespace=SYS.ECS&metric_name=cpu_util&${dim}&from=${since}&to=${t1 + PERIOD}&period=1&filter=average`,
    );
    expect(raw.status, JSON.stringify(raw.body)).toBe(200);
    const times: number[] = raw.body.datapoints.map((d: { timestamp: number }) => d.timestamp);
    // Every period from the boot on, once (the host's other guests reported in the same collection).
    expect(times).toEqual(times.map((_, i) => t1 + PERIOD - (times.length - 1 - i) * PERIOD));
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(sent).toBeGreaterThanOrEqual(times.length);
    expect(raw.body.datapoints.at(-1)).toEqual({ average: 50, timestamp: t1 + PERIOD, unit: '%' });
    expect(raw.body.metric_name).toBe('cpu_util');
    // Each 5-minute rollup sums the samples that fall in it.
    const net = await ces(
      p,
      'GET',
      `/metric-data?namespace=SYS.ECS&metric_name=network_outgoing_bytes_rate_inband&${dim}&from=${since}&to=${t1 + PERIOD}&period=300&filter=sum`,
    );
    expect(net.body.datapoints).toEqual(
      [...new Set(times.map((t) => t - (t % 300_000)))].map((start) => ({
        sum: times.filter((t) => t - (t % 300_000) === start).length * 1_000_000,
        timestamp: start,
        unit: 'byte/s',
      })),
    );

    // The disk and the EIP are named by the project's records.
    const disk = await ces(p, 'GET', `/metrics?namespace=SYS.EVS&metric_name=disk_device_read_bytes_rate`);
    expect(disk.body.metrics).toEqual([
      {
        namespace: 'SYS.EVS',
        metric_name: 'disk_device_read_bytes_rate',
        unit: 'byte/s',
        dimensions: [{ name: 'disk_name', value: `${s.id}-vda` }],
      },
    ]);
    const up = await ces(
      p,
      'GET',
      `/metric-data?namespace=SYS.VPC&metric_name=upstream_bandwidth&dim.0=publicip_id,${eip}&from=${t1}&to=${t1 + PERIOD}&period=1&filter=max`,
    );
    expect(up.body.datapoints.map((d: { max: number }) => d.max)).toEqual([8_000_000, 8_000_000]);

    // 1,000,000 bytes a second for each 60-second interval, charged to the EIP, each interval once.
    const attrs = { server_id: s.id, charge_mode: 'traffic', region: 'eu-west-0' };
    expect(await trafficOf(p)).toEqual(times.map((t) => [`${eip}:traffic:${s.id}:${t}`, eip, 60_000_000, attrs]));
  });

  it('lists the metrics reported, with markers and dimension filters', async () => {
    const p = await computeProject('ces');
    const s = await activeServer(p);
    await (await hostOf(p, s.id)).collect(Date.now() - (Date.now() % PERIOD) + PERIOD);
    const all = await ces(p, 'GET', `/metrics?namespace=SYS.ECS&dim.0=instance_id,${s.id}&order=asc`);
    expect(all.body.metrics.map((m: { metric_name: string }) => m.metric_name)).toEqual([
      'cpu_util',
      'disk_read_bytes_rate',
      'disk_write_bytes_rate',
      'mem_util',
      'network_incoming_bytes_rate_inband',
      'network_outgoing_bytes_rate_inband',
    ]);
    const first = await ces(p, 'GET', `/metrics?namespace=SYS.ECS&order=asc&limit=2`);
    expect(first.body.meta_data).toEqual({ count: 2, marker: `SYS.ECS.disk_read_bytes_rate.instance_id:${s.id}`, total: 6 });
    const next = await ces(p, 'GET', `/metrics?namespace=SYS.ECS&order=asc&limit=2&start=${first.body.meta_data.marker}`);
    expect(next.body.metrics.map((m: { metric_name: string }) => m.metric_name)).toEqual(['disk_write_bytes_rate', 'mem_util']);
    // An idle guest (no workload set) sends nothing, so it is billed for no traffic.
    expect(await trafficOf(p)).toEqual([]);
  });
});

describe('custom metrics', () => {
  it('are stored and read back, and refused in a service namespace or with a bad body', async () => {
    const p = await computeProject('ces');
    const now = Date.now();
    const point = (value: number, at: number) => ({
      metric: { namespace: 'MINE.app', metric_name: 'queue_depth', dimensions: [{ name: 'queue', value: 'orders' }] },
      ttl: 3600,
      collect_time: at,
      value,
      unit: 'count',
      type: 'int',
    });
    const start = now - (now % 300_000);
    const posted = await ces(p, 'POST', '/metric-data', [point(1, start), point(4, start + 1000)]);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const avg = await ces(
      p,
      'GET',
      `/metric-data?namespace=MINE.app&metric_name=queue_depth&dim.0=queue,orders&from=${start}&to=${start + 2000}&period=300&filter=average`,
    );
    expect(avg.body.datapoints).toEqual([{ average: 2, timestamp: start, unit: 'count' }]);
    const batch = await ces(p, 'POST', '/batch-query-metric-data', {
      metrics: [{ namespace: 'MINE.app', metric_name: 'queue_depth', dimensions: [{ name: 'queue', value: 'orders' }] }],
      from: start,
      to: start + 2000,
      period: '1',
      filter: 'max',
    });
    expect(batch.body.metrics[0].datapoints).toEqual([
      { max: 1, timestamp: start },
      { max: 4, timestamp: start + 1000 },
    ]);

    const sys = await ces(p, 'POST', '/metric-data', [{ ...point(1, now), metric: { ...point(1, now).metric, namespace: 'SYS.ECS' } }]);
    expect(sys.status).toBe(403);
    expect(sys.body.details).toEqual({ details: 'Adding SYS metric is not allowed', code: 'ces.0009' });
    const old = await ces(p, 'POST', '/metric-data', [point(1, now - 3 * 86_400_000)]);
    expect(old.status).toBe(400);
    expect(old.body).toMatchObject({ code: 400, element: 'Bad Request', details: { code: 'ces.0014' } });
    const bad = await ces(
      p,
      'GET',
      `/metric-data?namespace=SYS.ECS&metric_name=cpu_util&dim.0=instance_id&from=2&to=1&period=7&filter=average`,
    );
    expect(bad.status).toBe(400);
  });
});

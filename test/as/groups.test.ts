/**
 * Auto Scaling in workerd: configurations and groups through AS v1, and a group's driver at work: it launches the
 * servers its desired count asks for through the compute API (named after the group, spread over its zones), puts
 * them in service once ACTIVE and in their load balancer pool, runs policies within the bounds and the cool-down,
 * replaces a server deleted behind its back, scales in by its terminate policy, and goes away with its servers.
 */
import { describe, expect, it } from 'vitest';
import { bindings, sleep } from '../ecs/fixtures.ts';
import { activeLb, child, lbaas } from '../elb/fixtures.ts';
import { neutron, nova, send } from '../request.ts';
import { as, createGroup, expectOk, instancesOf, type ScalingTenant, scalingTenant, waitInService } from './fixtures.ts';

/** The Neutron subnet of the tenant's native subnet (a load balancer's VIP is taken from it). */
async function neutronSubnet(t: ScalingTenant) {
  const { body } = await neutron(t.token, 'GET', `/subnets?network_id=${t.subnetId}`);
  return { id: body.subnets[0].id as string };
}

/** A load balancer with an HTTP listener and a round-robin pool, ACTIVE. */
async function pool(t: ScalingTenant) {
  const p = { token: t.token, project: t.project, subnet: await neutronSubnet(t) };
  const lb = await activeLb(p as never);
  const listener = await child(p as never, lb.id, 'listeners', 'listener', { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 });
  const made = await child(p as never, lb.id, 'pools', 'pool', { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' });
  return { lbId: lb.id as string, poolId: made.id as string };
}

const membersOf = async (t: ScalingTenant, poolId: string) =>
  (await expectOk(lbaas(t, 'GET', `/pools/${poolId}/members`))).members as { id: string; address: string; provisioning_status: string }[];

/** Polls until the pool's members are `n`, all ACTIVE. */
async function waitMembers(t: ScalingTenant, poolId: string, n: number): Promise<{ address: string }[]> {
  const until = Date.now() + 15_000;
  let last: Awaited<ReturnType<typeof membersOf>> = [];
  while (Date.now() < until) {
    last = await membersOf(t, poolId);
    if (last.length === n && last.every((m) => m.provisioning_status === 'ACTIVE')) return last;
    await sleep(100);
  }
  throw new Error(`pool ${poolId} did not reach ${n} ACTIVE members: ${JSON.stringify(last)}`);
}

const serverOf = async (t: ScalingTenant, id: string) => (await nova(t.token, t.project, 'GET', `/servers/${id}`)).body.server;

describe('scaling configurations', () => {
  it('are created, listed, shown and deleted, and refused when they could never launch', async () => {
    const t = await scalingTenant();
    const shown = await expectOk(as(t, 'GET', `/scaling_configuration/${t.configId}`));
    expect(shown.scaling_configuration).toMatchObject({
      scaling_configuration_id: t.configId,
      scaling_configuration_name: 'web-config',
      instance_config: { flavorRef: 's3.small.1', imageRef: t.imageId, key_name: 'as-key', adminPass: null },
      create_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const listed = await expectOk(as(t, 'GET', '/scaling_configuration?scaling_configuration_name=web'));
    expect([listed.total_number, listed.scaling_configurations.length]).toEqual([1, 1]);
    // A name filter's `_` and `%` are letters, not wildcards.
    expect((await expectOk(as(t, 'GET', '/scaling_configuration?scaling_configuration_name=web_'))).total_number).toBe(0);
    expect((await expectOk(as(t, 'GET', '/scaling_configuration?scaling_configuration_name=%25'))).total_number).toBe(0);
    const refused = async (instance_config: Record<string, unknown>, code: string) => {
      const r = await as(t, 'POST', '/scaling_configuration', { scaling_configuration_name: 'bad', instance_config });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe(code);
    };
    const good = {
      flavorRef: 's3.small.1',
      imageRef: t.imageId,
      disk: [{ size: 40, volume_type: 'SATA', disk_type: 'SYS' }],
      key_name: 'as-key',
    };
    await refused({ ...good, flavorRef: 'no.such.flavor' }, 'AS.1033');
    await refused({ ...good, imageRef: crypto.randomUUID() }, 'AS.1034');
    await refused({ ...good, key_name: 'nope' }, 'AS.1037');
    await refused({ ...good, disk: [{ size: 40, volume_type: 'SATA', disk_type: 'DATA' }] }, 'AS.0022');
    const groupId = await createGroup(t, { desire_instance_number: 0 });
    const inUse = await as(t, 'DELETE', `/scaling_configuration/${t.configId}`);
    expect([inUse.status, inUse.body.error.code]).toEqual([400, 'AS.1028']);
    await expectOk(as(t, 'DELETE', `/scaling_group/${groupId}`), 204);
    await expectOk(as(t, 'POST', '/scaling_configurations', { scaling_configuration_id: [t.configId] }), 204);
    const gone = await as(t, 'GET', `/scaling_configuration/${t.configId}`);
    expect([gone.status, gone.body.error.code]).toEqual([404, 'AS.0007']);
  });
});

describe('a scaling group', () => {
  it('launches its desired servers into its pool, runs policies within its bounds, and scales in', async () => {
    const t = await scalingTenant();
    const { poolId } = await pool(t);
    const groupId = await createGroup(t, {
      desire_instance_number: 2,
      min_instance_number: 1,
      max_instance_number: 3,
      available_zones: ['eu-west-0a', 'eu-west-0b'],
      lbaas_listeners: [{ pool_id: poolId, protocol_port: 8080, weight: 2 }],
    });
    const first = await waitInService(t, groupId, 2);
    const servers = await Promise.all(first.map((i) => serverOf(t, i.instance_id)));
    expect(servers.map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE']);
    expect(servers.every((s) => /^web-[a-z0-9]{4}$/.test(s.name))).toBe(true);
    expect(servers.map((s) => s['OS-EXT-AZ:availability_zone']).sort()).toEqual(['eu-west-0a', 'eu-west-0b']);
    const members = await waitMembers(t, poolId, 2);
    const addresses = servers.map(
      (s) =>
        Object.values(s.addresses)
          .flat()
          .map((a: any) => a.addr)[0],
    );
    expect(members.map((m) => m.address).sort()).toEqual(addresses.sort());
    const group = (await expectOk(as(t, 'GET', `/scaling_group/${groupId}`))).scaling_group;
    expect(group).toMatchObject({
      scaling_group_status: 'INSERVICE',
      current_instance_number: 2,
      desire_instance_number: 2,
      is_scaling: false,
      scaling_configuration_name: 'web-config',
    });
    const [log] = (await expectOk(as(t, 'GET', `/scaling_activity_log/${groupId}`))).scaling_activity_log;
    expect(log).toMatchObject({ status: 'SUCCESS', desire_value: 2, scaling_value: '+2' });
    expect(log.instance_added_list.split(',').sort()).toEqual(first.map((i) => i.instance_id).sort());

    // A policy past the maximum stops at it; one below the minimum stops there.
    const policy = async (operation: string, instance_number: number) =>
      (
        await expectOk(
          as(t, 'POST', '/scaling_policy', {
            scaling_policy_name: `${operation.toLowerCase()}-${instance_number}`,
            scaling_group_id: groupId,
            scaling_policy_type: 'ALARM',
            alarm_id: await alarm(t),
            scaling_policy_action: { operation, instance_number },
            cool_down_time: 0,
          }),
        )
      ).scaling_policy_id;
    const add = await policy('ADD', 5);
    await expectOk(as(t, 'POST', `/scaling_policy/${add}/action`, { action: 'execute' }), 204);
    await waitInService(t, groupId, 3);
    await waitMembers(t, poolId, 3);
    const remove = await policy('REMOVE', 5);
    await expectOk(as(t, 'POST', `/scaling_policy/${remove}/action`, { action: 'execute' }), 204);
    const [kept] = await waitInService(t, groupId, 1);
    // OLD_CONFIG_OLD_INSTANCE: of one configuration the oldest go first, so the one launched last stays.
    const launchedLast = (await expectOk(as(t, 'GET', `/scaling_activity_log/${groupId}`))).scaling_activity_log[1].instance_added_list;
    expect(kept.instance_id).toBe(launchedLast);
    const [left] = await waitMembers(t, poolId, 1);
    expect(left!.address).toBe(
      Object.values((await serverOf(t, kept.instance_id)).addresses)
        .flat()
        .map((a: any) => a.addr)[0],
    );
    const removed = first.map((i) => i.instance_id);
    for (const id of removed) {
      const until = Date.now() + 10_000;
      while (Date.now() < until && (await nova(t.token, t.project, 'GET', `/servers/${id}`)).status !== 404) await sleep(100);
      expect((await nova(t.token, t.project, 'GET', `/servers/${id}`)).status).toBe(404);
    }
  });

  it('replaces a server deleted behind its back, and is deleted with its servers only when forced', async () => {
    const t = await scalingTenant();
    const groupId = await createGroup(t, { desire_instance_number: 2, min_instance_number: 2 });
    const before = await waitInService(t, groupId, 2);
    const victim = before[0].instance_id;
    expect((await nova(t.token, t.project, 'DELETE', `/servers/${victim}`)).status).toBe(204);
    // The group is settled: its next health audit (5 minutes on) notices the server gone and replaces it.
    const until = Date.now() + 20_000;
    while (Date.now() < until && (await nova(t.token, t.project, 'GET', `/servers/${victim}`)).status !== 404) await sleep(100);
    expect(await bindings.AS.getByName(t.project).wake(Date.now() + 5 * 60_000)).toEqual([groupId]);
    let after = before;
    while (Date.now() < until) {
      after = await instancesOf(t, groupId);
      if (after.length === 2 && !after.some((i) => i.instance_id === victim) && after.every((i) => i.life_cycle_state === 'INSERVICE'))
        break;
      await sleep(100);
    }
    expect(after.map((i) => i.instance_id)).not.toContain(victim);
    expect(after.length).toBe(2);

    const unforced = await as(t, 'DELETE', `/scaling_group/${groupId}`);
    expect([unforced.status, unforced.body.error.code]).toEqual([400, 'AS.2012']);
    await expectOk(as(t, 'DELETE', `/scaling_group/${groupId}?force_delete=yes`), 204);
    const gone = Date.now() + 20_000;
    while (Date.now() < gone && (await as(t, 'GET', `/scaling_group/${groupId}`)).status !== 404) await sleep(100);
    expect((await as(t, 'GET', `/scaling_group/${groupId}`)).status).toBe(404);
    for (const i of after) expect((await nova(t.token, t.project, 'GET', `/servers/${i.instance_id}`)).status).toBe(404);
  });

  it('grows when its CPU crosses an alarm, and not again while it cools down', async () => {
    const t = await scalingTenant();
    const groupId = await createGroup(t, { desire_instance_number: 1, max_instance_number: 3, cool_down_time: 600 });
    const [only] = await waitInService(t, groupId, 1);
    const ces = (method: string, path: string, body?: unknown) =>
      expectOk(send(t.token, method, `/ces/V1.0/${t.project}${path}`, body), method === 'POST' ? 201 : 200);
    await expectOk(
      send(t.token, 'PUT', `/ces/V1.0/${t.project}/load-profiles/${only.instance_id}`, { load_profile: { shape: 'constant', level: 95 } }),
    );
    const { alarm_id } = await ces('POST', '/alarms', {
      alarm_name: 'group-hot',
      metric: { namespace: 'SYS.AS', metric_name: 'cpu_util', dimensions: [{ name: 'AutoScalingGroup', value: groupId }] },
      condition: { period: 1, filter: 'average', comparison_operator: '>=', value: 80, unit: '%', count: 1, suppress_duration: 300 },
      alarm_actions: [{ type: 'autoscaling', notificationList: [] }],
    });
    await expectOk(
      as(t, 'POST', '/scaling_policy', {
        scaling_policy_name: 'out',
        scaling_group_id: groupId,
        scaling_policy_type: 'ALARM',
        alarm_id,
        scaling_policy_action: { operation: 'ADD', instance_number: 1 },
        cool_down_time: 0,
      }),
    );
    // The host samples the guest, the group publishes its average, Cloud Eye evaluates and acts.
    const minute = Date.now() - (Date.now() % 60_000) + 60_000;
    const hostId = (await bindings.TENANT.getByName(t.project).server(only.instance_id))!.hostId!;
    await bindings.HOST.getByName(hostId).collect(minute);
    expect(await bindings.AS.getByName(t.project).publishMetrics(minute)).toBe(3);
    const data = await ces(
      'GET',
      `/metric-data?namespace=SYS.AS&metric_name=cpu_util&dim.0=AutoScalingGroup,${groupId}&from=${minute - 1}&to=${minute + 1}&period=1&filter=average`,
    );
    expect(data.datapoints).toEqual([{ timestamp: minute, average: expect.any(Number), unit: '%' }]);
    expect(data.datapoints[0].average).toBeGreaterThanOrEqual(80);
    const cesDo = bindings.CES.getByName(t.project);
    await cesDo.evaluate(minute + 1000);
    const both = await waitInService(t, groupId, 2);
    const desired = async () => (await expectOk(as(t, 'GET', `/scaling_group/${groupId}`))).scaling_group.desire_instance_number;
    // Both servers run hot: at each time the hosts sample them and the group publishes its average again.
    for (const i of both)
      await send(t.token, 'PUT', `/ces/V1.0/${t.project}/load-profiles/${i.instance_id}`, {
        load_profile: { shape: 'constant', level: 95 },
      });
    const hot = async (at: number) => {
      for (const i of both)
        await bindings.HOST.getByName((await bindings.TENANT.getByName(t.project).server(i.instance_id))!.hostId!).collect(at);
      await bindings.AS.getByName(t.project).publishMetrics(at);
      const fired = await cesDo.evaluate(at + 1000);
      return 'ok' in fired ? fired.ok.map((f) => f.alarmId) : [];
    };
    // The alarm fires again after its suppress_duration (300 s), but the group's cool-down (600 s) holds the policy.
    expect(await hot(minute + 300_000)).toEqual([alarm_id]);
    expect(await desired()).toBe(2);
    // Once the cool-down has passed, the next firing runs it.
    expect(await hot(minute + 600_000)).toEqual([alarm_id]);
    expect(await desired()).toBe(3);
    await expectOk(as(t, 'DELETE', `/scaling_group/${groupId}?force_delete=yes`), 204);
  });

  it('fails the activity of a server that does not build, and waits before launching again', async () => {
    const t = await scalingTenant();
    // No Dedicated Cloud host serves this project: the server's placement fails and it goes to ERROR.
    const config = await expectOk(
      as(t, 'POST', '/scaling_configuration', {
        scaling_configuration_name: 'dedicated',
        instance_config: {
          flavorRef: 's3.small.1',
          imageRef: t.imageId,
          disk: [{ size: 40, volume_type: 'SATA', disk_type: 'SYS' }],
          adminPass: 'Scaling-pass-1234',
          tenancy: 'dedicated',
        },
      }),
    );
    const groupId = await createGroup(t, { scaling_configuration_id: config.scaling_configuration_id, desire_instance_number: 1 });
    const until = Date.now() + 20_000;
    let log: any[] = [];
    while (Date.now() < until) {
      log = (await expectOk(as(t, 'GET', `/scaling_activity_log/${groupId}`))).scaling_activity_log;
      if (log[0]?.status === 'FAIL') break;
      await sleep(100);
    }
    expect(log[0]).toMatchObject({ status: 'FAIL', description: expect.stringMatching(/failed to build/) });
    const failed = log[0].instance_added_list;
    // The failed server is removed, and no other is launched during the wait (30 s).
    await sleep(1500);
    const held = await instancesOf(t, groupId);
    expect(held.every((i) => i.instance_id === failed)).toBe(true);
    expect((await expectOk(as(t, 'GET', `/scaling_activity_log/${groupId}`))).scaling_activity_log.length).toBe(1);
    await expectOk(as(t, 'DELETE', `/scaling_group/${groupId}?force_delete=yes`), 204);
  });

  it('is another project’s business only: its groups and configurations are as missing', async () => {
    const t = await scalingTenant();
    const other = await scalingTenant();
    const groupId = await createGroup(t, { desire_instance_number: 0 });
    const g = await as(other, 'GET', `/scaling_group/${groupId}`);
    expect([g.status, g.body.error.code]).toEqual([404, 'AS.0007']);
    expect((await as(other, 'GET', `/scaling_configuration/${t.configId}`)).status).toBe(404);
    expect((await as(other, 'DELETE', `/scaling_group/${groupId}`)).status).toBe(404);
    // A project's token cannot reach another project's path.
    expect((await send(other.token, 'GET', `/as/autoscaling-api/v1/${t.project}/scaling_group`)).status).toBe(403);
    // And a group cannot be made on another project's network.
    const cross = await as(other, 'POST', '/scaling_group', { scaling_group_name: 'x', vpc_id: t.vpcId, networks: [{ id: t.subnetId }] });
    expect([cross.status, cross.body.error.code]).toEqual([400, 'AS.2003']);
  });
});

/** A Cloud Eye alarm rule of the tenant's (policies name one). */
async function alarm(t: ScalingTenant): Promise<string> {
  const made = await send(t.token, 'POST', `/ces/V1.0/${t.project}/alarms`, {
    alarm_name: `rule-${crypto.randomUUID().slice(0, 6)}`,
    metric: { namespace: 'SYS.AS', metric_name: 'cpu_util', dimensions: [{ name: 'AutoScalingGroup', value: 'x' }] },
    condition: { period: 300, filter: 'average', comparison_operator: '>', value: 80, unit: '%', count: 1 },
    alarm_actions: [{ type: 'autoscaling', notificationList: [] }],
  });
  return made.body.alarm_id;
}

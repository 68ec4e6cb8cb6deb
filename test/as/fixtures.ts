/**
 * Fixtures of the Auto Scaling tests: AS v1 calls in a native project (a VPC and subnet, as AS groups need), a
 * configuration and a group, and polls for the group's instances to reach a state.
 */
import { expect } from 'vitest';
import { type NativeTenant, nativeTenant, sleep } from '../ecs/fixtures.ts';
import { type Reply, send } from '../request.ts';

/** An AS v1 call in the tenant's project. */
export function as(t: Pick<NativeTenant, 'token' | 'project'>, method: string, path: string, body?: unknown): Promise<Reply> {
  return send(t.token, method, `/as/autoscaling-api/v1/${t.project}${path}`, body);
}

/** Answers the body of a reply with the expected status, or fails with what came back. */
export async function expectOk(reply: Promise<Reply>, status = 200): Promise<any> {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

/** A native tenant with a scaling configuration (s3.small.1, the Ubuntu image, a 40 GB SATA system disk). */
export async function scalingTenant(cidr = '10.0.1.0/24') {
  const t = await nativeTenant(cidr);
  await expectOk(send(t.token, 'POST', `/ecs/v2.1/${t.project}/os-keypairs`, { keypair: { name: 'as-key' } }));
  const config = await expectOk(
    as(t, 'POST', '/scaling_configuration', {
      scaling_configuration_name: 'web-config',
      instance_config: {
        flavorRef: 's3.small.1',
        imageRef: t.imageId,
        disk: [{ size: 40, volume_type: 'SATA', disk_type: 'SYS' }],
        key_name: 'as-key',
      },
    }),
  );
  return { ...t, configId: config.scaling_configuration_id as string };
}
export type ScalingTenant = Awaited<ReturnType<typeof scalingTenant>>;

/** Creates a group of the tenant's configuration on its subnet, with the fields given. */
export async function createGroup(t: ScalingTenant, fields: Record<string, unknown> = {}): Promise<string> {
  const body = await expectOk(
    as(t, 'POST', '/scaling_group', {
      scaling_group_name: 'web',
      scaling_configuration_id: t.configId,
      vpc_id: t.vpcId,
      networks: [{ id: t.subnetId }],
      min_instance_number: 0,
      max_instance_number: 5,
      desire_instance_number: 1,
      ...fields,
    }),
  );
  return body.scaling_group_id;
}

/** A group's instances. */
export async function instancesOf(t: ScalingTenant, groupId: string): Promise<any[]> {
  return (await expectOk(as(t, 'GET', `/scaling_group_instance/${groupId}/list?limit=100`))).scaling_group_instances;
}

/** Polls until the group holds exactly `n` instances, all in service and its activity done (20 s at most). */
export async function waitInService(t: ScalingTenant, groupId: string, n: number, timeoutMs = 20_000): Promise<any[]> {
  const until = Date.now() + timeoutMs;
  let last: any[] = [];
  let group: any;
  while (Date.now() < until) {
    last = await instancesOf(t, groupId);
    group = (await as(t, 'GET', `/scaling_group/${groupId}`)).body.scaling_group;
    if (last.length === n && last.every((i) => i.life_cycle_state === 'INSERVICE') && !group.is_scaling) return last;
    await sleep(100);
  }
  throw new Error(
    `group ${groupId} did not settle at ${n} in ${timeoutMs} ms: ${JSON.stringify(last.map((i) => i.life_cycle_state))} ${JSON.stringify(group)}`,
  );
}

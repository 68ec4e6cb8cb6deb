/**
 * One round of a scaling group's driver, the consumer side of the scaling queue: it reads the project's servers
 * and pool members, asks the group's AsDO for the round's plan (which records every state change and the ids of
 * the servers to launch before anything is asked), then takes each step through the compute and load balancing
 * use cases as the group's user. Every step can be taken twice without effect: a launch names its server's id, a
 * member its id, a delete of a server already gone is nothing.
 */

import type { Env } from '../../../core/env.ts';
import type { Snapshot, Step } from '../../../durable/as/plan.ts';
import type { Group, InstanceConfig } from '../../../schema/as.ts';
import { type BlockDevice, createServers } from '../../ecs/usecases/create.ts';
import { deleteServers, eipsOf, findServers, listServers } from '../../ecs/usecases/servers.ts';
import { balancing } from '../../elb/usecases/loadbalancers.ts';
import { joinPool, leavePool } from '../../elb/usecases/members.ts';
import type { Caller } from '../../lib/caller.ts';
import { ApiError } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { AS_WORDS } from './refusals.ts';

/** The caller a group's driver acts as: the project, in the group's region, for the user who made the group. */
function callerOfGroup(env: Env, projectId: string, g: Group): Caller {
  return { env, projectId, region: g.region, userId: g.userId, requestId: `req-as-${crypto.randomUUID()}`, admin: false };
}

/** The project's servers and pool members, as the plan looks at them. */
async function snapshot(caller: Caller): Promise<Snapshot> {
  const [rows, graph] = await Promise.all([listServers(caller), balancing(caller)]);
  return {
    servers: rows.servers.map((s) => {
      const port = rows.ports.find((p) => p.deviceId === s.id && p.fixedIps.length > 0);
      const ip = port?.fixedIps[0];
      return { id: s.id, status: s.status, zone: s.zone, address: ip?.ip_address ?? null, subnetId: ip?.subnet_id ?? null };
    }),
    members: graph.members.map((m) => ({
      id: m.id,
      poolId: m.poolId,
      provisioningStatus: m.provisioningStatus,
      operatingStatus: m.operatingStatus,
    })),
    pools: graph.pools.map((p) => p.id),
  };
}

/** The server a configuration launches, as the native create would ask for it. */
function launchRequest(g: Group, config: InstanceConfig, step: Extract<Step, { kind: 'launch' }>) {
  const blockDevices: BlockDevice[] = config.disk.map((d) =>
    d.disk_type === 'SYS'
      ? { source: 'image', uuid: config.imageRef, bootIndex: 0, size: d.size, volumeType: d.volume_type, deleteOnTermination: true }
      : { source: 'blank', bootIndex: null, size: d.size, volumeType: d.volume_type, deleteOnTermination: true },
  );
  const bandwidth = config.public_ip?.eip.bandwidth;
  return {
    flavorRef: config.flavorRef,
    imageRef: config.imageRef,
    rootDiskGb: config.disk.find((d) => d.disk_type === 'SYS')?.size,
    blockDevices,
    availabilityZone: step.zone || undefined,
    count: { min: 1, max: 1 },
    ids: [step.serverId],
    hints: config.tenancy ? { tenancy: config.tenancy, dedicated_host_id: config.dedicated_host_id } : {},
    each: () => ({ name: step.name }),
    server: {
      nics: g.networks.map((id) => ({ networkId: id })),
      securityGroups: config.security_groups?.length ? config.security_groups.map((s) => s.id) : g.securityGroups,
      keyName: config.key_name,
      userData: config.user_data ?? null,
      adminPass: config.adminPass ?? null,
      metadata: config.metadata ?? {},
      autoRecovery: true,
      tags: [],
    },
    network: {
      vpcId: g.vpcId,
      nics: g.networks.map((subnetId) => ({ subnetId })),
      publicIp: bandwidth && {
        eip: {
          type: config.public_ip!.eip.ip_type,
          bandwidth: { id: bandwidth.id, size: bandwidth.size, shareType: bandwidth.share_type, chargeMode: bandwidth.charging_mode },
        },
      },
    },
  };
}

/** Takes one step; a refusal the next round resolves (a load balancer busy, a server mid-task) is left to it. */
async function take(caller: Caller, g: Group, step: Step, asDo: DurableObjectStub<import('../../../durable/as.ts').AsDO>) {
  try {
    if (step.kind === 'launch') {
      const config = unwrap(await asDo.configuration(step.configurationId));
      await createServers(caller, launchRequest(g, config.instanceConfig, step), AS_WORDS);
    } else if (step.kind === 'join') {
      await joinPool(caller, {
        id: step.memberId,
        poolId: step.poolId,
        address: step.address,
        subnetId: step.subnetId,
        port: step.port,
        weight: step.weight,
        name: `as-${step.serverId}`,
      });
    } else if (step.kind === 'leave') {
      await leavePool(caller, step.poolId, step.memberId);
    } else {
      const found = await findServers(caller, [step.serverId]);
      const servers = found.servers.filter((s) => s !== undefined);
      if (servers.length)
        await deleteServers(caller, [step.serverId], {
          releaseEips: step.releaseEips ? eipsOf(found, servers) : [],
          deleteVolumes: step.deleteVolumes,
        });
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (step.kind === 'launch') unwrap(await asDo.launchFailed(step.serverId, err.message));
  }
}

/** Runs one round of a group: plan, then every step (launches in parallel, each other step after them). */
export async function runRound(env: Env, projectId: string, groupId: string): Promise<number> {
  const asDo = env.AS.getByName(projectId);
  const found = await asDo.group(groupId);
  if (!('ok' in found)) return 0;
  const caller = callerOfGroup(env, projectId, found.ok);
  const steps = unwrap(await asDo.planRound(groupId, await snapshot(caller)));
  await Promise.all(steps.map((s) => take(caller, found.ok, s, asDo)));
  return steps.length;
}

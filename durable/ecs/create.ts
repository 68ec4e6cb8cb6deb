/**
 * Creating servers, the tenant's side: recording them (all or none, with their events and the native job), and the
 * native create that first makes each server's primary NIC with its Elastic IP. All those rows live in this
 * TenantDO, so the native create is one operation of it: checks, NICs and EIP reservations in one transaction, the
 * addresses from the region's pool, then EIPs bound and servers recorded in a second one; a refusal at any step
 * undoes what the earlier ones made and is the answer.
 */
import { eq, inArray } from 'drizzle-orm';
import { contains, parseCidr, parseIp } from '../../core/ipv4.ts';
import { DomainError, type Result } from '../../core/result.ts';
import { elasticIps, keypairs, networks, ports, securityGroups, serverGroups, subnets, vpcs } from '../../schema/tenant.ts';
import { reserveForBuild } from '../evs/attachments.ts';
import { createVolumes } from '../evs/volumes.ts';
import type { Ctx, Saga } from '../vpc/context.ts';
import * as eips from '../vpc/eips.ts';
import { createPort, deletePort } from '../vpc/ports.ts';
import * as quotas from '../vpc/quotas.ts';
import { type JobSpec, recordJob } from './jobs.ts';
import { type CreateServerInput, createServers, recordEvent } from './servers.ts';

/** What a server create answers: the ids, and the security groups by id and name (for Nova's create body). */
export interface Created {
  id: string;
  securityGroups: string[];
  groupNames: string[];
}

/**
 * Records servers in BUILD with their create events, their volumes (made `creating`, or existing ones reserved)
 * and, when given, the job over them (native API).
 */
export function recordServers(ctx: Ctx, inputs: CreateServerInput[], requestId: string, job?: JobSpec): Created[] {
  const made = createServers(ctx, inputs);
  // Their volumes, within the storage quotas in this same transaction, each reserved for its server.
  const fresh = inputs.flatMap((i) => (i.volumes ?? []).flatMap((v) => (v.create ? [v.create] : [])));
  if (fresh.length) createVolumes(ctx, fresh);
  for (const i of inputs) for (const v of i.volumes ?? []) reserveForBuild(ctx, i.id, i.zone, v);
  for (const s of made) recordEvent(ctx, s.id, 'create', requestId, s.userId);
  if (job)
    recordJob(
      ctx,
      job,
      inputs.map((i) => i.id),
    );
  const groups = ctx.db.select({ id: securityGroups.id, name: securityGroups.name }).from(securityGroups).all();
  // What the API answers; the whole rows (with their user data) stay here.
  return made.map((s) => ({
    id: s.id,
    securityGroups: s.securityGroups,
    groupNames: s.securityGroups.map((g) => groups.find((x) => x.id === g)?.name ?? g),
  }));
}

/** The network side of a native create: the VPC, its NICs (native subnet = network id), and the server's EIP. */
export interface NativeNetwork {
  vpcId: string;
  nics: { subnetId: string; ipAddress?: string }[];
  /** Existing (`id`) or new (`eip`): it goes on each server's primary NIC, made before the server. */
  publicIp?: {
    id?: string;
    eip?: { type: string; bandwidth: { id?: string; size?: number; shareType: 'PER' | 'WHOLE'; chargeMode?: 'traffic' | 'bandwidth' } };
  };
  region: string;
}

/** What the native create needs of its TenantDO: transactions, the region's pool, and the alarm. */
/** What the create needs of its TenantDO: its steps, the alarm that finishes them, and the bindings. */
export type TenantOps = Pick<Saga, 'run' | 'reconcileLater' | 'env'>;

const pool = (ops: TenantOps, region: string) => ops.env.EIP_POOL.getByName(region);

const refuse = (message: string, kind = 'BadRequest') => new DomainError(400, kind, message);

/** Each NIC's network (a native subnet id) must be in the VPC; a fixed address must be in it and free. */
function checkNics(ctx: Ctx, net: NativeNetwork, count: number): void {
  if (!ctx.db.select({ id: vpcs.id }).from(vpcs).where(eq(vpcs.id, net.vpcId)).get())
    throw refuse(`VPC [${net.vpcId}] does not exist.`, 'Ecs.0014');
  const wanted = new Set<string>();
  for (const nic of net.nics) {
    const row = ctx.db.select().from(networks).where(eq(networks.id, nic.subnetId)).get();
    if (!row) throw refuse(`Subnet [${nic.subnetId}] does not exist.`, 'Ecs.0038');
    if (row.vpcId !== net.vpcId) throw refuse(`Subnet [${nic.subnetId}] is not in VPC [${net.vpcId}].`, 'Ecs.0064');
    if (nic.ipAddress === undefined) continue;
    if (count > 1) throw refuse('A private IP address cannot be given when several ECSs are created at once.');
    const ip = parseIp(nic.ipAddress)!;
    const subnet = ctx.db
      .select()
      .from(subnets)
      .where(eq(subnets.networkId, row.id))
      .all()
      .find((x) => contains(parseCidr(x.cidr)!, ip));
    if (!subnet || subnet.gatewayIp === nic.ipAddress)
      throw refuse(`Private IP address [${nic.ipAddress}] is not in subnet [${nic.subnetId}].`, 'Ecs.0039');
    const taken = ctx.db
      .select()
      .from(ports)
      .all()
      .some((p) => p.fixedIps.some((f) => f.subnet_id === subnet.id && f.ip_address === nic.ipAddress));
    if (taken || wanted.has(nic.ipAddress)) throw refuse(`Private IP address ${nic.ipAddress} is already in use.`, 'Ecs.0010');
    wanted.add(nic.ipAddress);
  }
}

/** Security groups, key pair, server group and an existing EIP named by the request exist (and the EIP is free). */
function checkReferences(ctx: Ctx, net: NativeNetwork, first: CreateServerInput, count: number): void {
  const groups = first.securityGroups.length
    ? ctx.db.select({ id: securityGroups.id }).from(securityGroups).where(inArray(securityGroups.id, first.securityGroups)).all()
    : [];
  for (const g of first.securityGroups) if (!groups.some((x) => x.id === g)) throw refuse(`Security group [${g}] does not exist.`);
  if (first.keyName && !ctx.db.select().from(keypairs).where(eq(keypairs.name, first.keyName)).get())
    throw refuse(`Key pair [${first.keyName}] does not exist.`);
  const group = first.serverGroupId;
  if (group && !ctx.db.select().from(serverGroups).where(eq(serverGroups.id, group)).get())
    throw refuse(`Server group [${group}] does not exist.`);
  const existing = net.publicIp?.id;
  if (existing === undefined) return;
  if (count > 1) throw refuse('An existing EIP cannot be assigned to the ECSs created in batches.');
  const eip = ctx.db.select().from(elasticIps).where(eq(elasticIps.id, existing)).get();
  if (!eip) throw refuse(`Elastic IP [${existing}] does not exist.`);
  if (eip.status !== 'DOWN' || eip.portId) throw refuse(`Elastic IP [${existing}] is ${eip.status}: only an unbound one can be assigned.`);
}

/** The description of a primary NIC made for a server (it is the server's own: deleted with it). */
const primaryNicDescription = (serverId: string) => `Primary NIC of ECS ${serverId}`;

/** What the first transaction made, undone when a later step is refused. */
interface Made {
  portIds: string[];
  /** New EIPs, reserved here, with the address the pool gave once it did. */
  eips: { id: string; address?: string }[];
}

/**
 * Step 1, one transaction: the checks, then each server's primary NIC with its EIP bound (an existing one) or
 * reserved (a new one, against the EIP quota); the servers then name their NICs by port.
 */
function prepare(ctx: Ctx, net: NativeNetwork, inputs: CreateServerInput[]): { made: Made; inputs: CreateServerInput[] } {
  checkNics(ctx, net, inputs.length);
  checkReferences(ctx, net, inputs[0]!, inputs.length);
  const made: Made = { portIds: [], eips: [] };
  const pub = net.publicIp;
  if (!pub) return { made, inputs };
  if (pub.eip) {
    const limit = quotas.limits(ctx).floatingip;
    if (limit >= 0 && quotas.usage(ctx).floatingip + inputs.length > limit)
      throw refuse(`Insufficient EIP quota: ${limit} at most.`, 'Ecs.0013');
  }
  const nic = net.nics[0]!;
  const withPorts = inputs.map((input) => {
    const portId = crypto.randomUUID();
    createPort(ctx, {
      id: portId,
      networkId: nic.subnetId,
      fixedIps: nic.ipAddress ? [{ ip_address: nic.ipAddress }] : undefined,
      securityGroups: input.securityGroups.length ? input.securityGroups : undefined,
      description: primaryNicDescription(input.id),
      allowGatewayIp: false,
    });
    made.portIds.push(portId);
    if (pub.id) eips.bindEip(ctx, pub.id, portId);
    else {
      const id = crypto.randomUUID();
      eips.reserveEip(ctx, { id, region: net.region, type: pub.eip!.type, bandwidth: pub.eip!.bandwidth });
      made.eips.push({ id });
    }
    return { ...input, nics: [{ portId, ownedByServer: true }, ...input.nics.slice(1)] };
  });
  return { made, inputs: withPorts };
}

/** Best effort: the refusal that started the undo is the answer, and the alarm finishes EIP steps left over. */
async function undo(ops: TenantOps, region: string, made: Made): Promise<void> {
  for (const e of made.eips) if (e.address) await pool(ops, region).release(e.id);
  ops.run((ctx) => {
    for (const e of made.eips) eips.dropEip(ctx, e.id);
    // Deleting the port also unbinds an existing EIP that was bound to it.
    for (const id of made.portIds) if (ctx.db.select({ id: ports.id }).from(ports).where(eq(ports.id, id)).get()) deletePort(ctx, id);
  });
}

/**
 * The native create, one TenantDO operation: NICs and EIP reservations, then addresses from the pool, then the
 * EIPs bound and the servers recorded with their job; all of them or none.
 */
export async function createWithNics(
  ops: TenantOps,
  projectId: string,
  net: NativeNetwork,
  inputs: CreateServerInput[],
  requestId: string,
  job?: JobSpec,
): Promise<Result<Created[]>> {
  const prepared = ops.run((ctx) => prepare(ctx, net, inputs));
  if ('error' in prepared) return prepared;
  const { made } = prepared.ok;
  if (made.eips.length) await ops.reconcileLater();
  for (const e of made.eips) {
    const got = await pool(ops, net.region).allocate(net.region, e.id, projectId);
    if ('error' in got) {
      await undo(ops, net.region, made);
      return got;
    }
    e.address = got.ok.address;
  }
  const recorded = ops.run((ctx) => {
    for (const [i, e] of made.eips.entries()) {
      eips.completeEip(ctx, e.id, e.address!);
      eips.bindEip(ctx, e.id, made.portIds[i]!);
    }
    return recordServers(ctx, prepared.ok.inputs, requestId, job);
  });
  if ('error' in recorded) await undo(ops, net.region, made);
  return recorded;
}

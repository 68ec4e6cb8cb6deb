/**
 * Ports and address management: each fixed IP is a row keyed by (subnet, address), so no address is handed out
 * twice; the first free address of the allocation pools is taken unless one is asked for.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { contains, formatIp, parseCidr, parseIp } from '../../core/ipv4.ts';
import { conflict, invalid, notFound } from '../../core/result.ts';
import { elasticIps, type FixedIp, ipAllocations, networks, ports, securityGroups, subnets, vpcs } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';
import { requireQuota } from './quotas.ts';
import { defaultSecurityGroupId } from './security-groups.ts';

export interface PortInput {
  id: string;
  networkId: string;
  name?: string;
  description?: string;
  macAddress?: string;
  adminStateUp?: boolean;
  /** Undefined: one address from the network's first subnet; []: none. */
  fixedIps?: { subnet_id?: string; ip_address?: string }[];
  deviceOwner?: string;
  deviceId?: string;
  /** Undefined: the project's default group (none for network-owned ports). */
  securityGroups?: string[];
  allowedAddressPairs?: { ip_address: string; mac_address?: string }[];
  portSecurityEnabled?: boolean;
  /** Router interfaces sit on the gateway address, which ordinary ports may not take. */
  allowGatewayIp?: boolean;
}

/** A port by id, or 404. */
export function port(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(ports).where(eq(ports.id, id)).get();
  if (!row) throw notFound('Port', id);
  return row;
}

function firstFree(ctx: Ctx, s: typeof subnets.$inferSelect): number {
  const taken = ctx.db
    .select({ ip: ipAllocations.ip })
    .from(ipAllocations)
    .where(eq(ipAllocations.subnetId, s.id))
    .orderBy(asc(ipAllocations.ip))
    .all();
  let i = 0;
  for (const pool of s.allocationPools) {
    const end = parseIp(pool.end)!;
    let candidate = parseIp(pool.start)!;
    while (i < taken.length && taken[i]!.ip < candidate) i++;
    while (candidate <= end && i < taken.length && taken[i]!.ip === candidate) {
      candidate++;
      i++;
    }
    if (candidate <= end) return candidate;
  }
  throw conflict('IpAddressGenerationFailure', `No more IP addresses available on subnet ${s.id}.`);
}

function claim(
  ctx: Ctx,
  portId: string,
  networkId: string,
  wanted: { subnet_id?: string; ip_address?: string },
  allowGateway: boolean,
): FixedIp {
  const inNetwork = ctx.db.select().from(subnets).where(eq(subnets.networkId, networkId)).all();
  let s: (typeof inNetwork)[number] | undefined;
  let ip: number | null = null;
  if (wanted.ip_address !== undefined) {
    ip = parseIp(wanted.ip_address);
    if (ip === null) throw invalid(`Invalid IP address ${wanted.ip_address}.`, 'InvalidInput');
    s = wanted.subnet_id ? inNetwork.find((x) => x.id === wanted.subnet_id) : inNetwork.find((x) => contains(parseCidr(x.cidr)!, ip!));
    if (wanted.subnet_id && !s) throw invalid(`Subnet ${wanted.subnet_id} is not on network ${networkId}.`, 'InvalidInput');
    if (!s || !contains(parseCidr(s.cidr)!, ip))
      throw invalid(`IP address ${wanted.ip_address} is not a valid IP for the specified subnet.`, 'InvalidIpForSubnet');
    const c = parseCidr(s.cidr)!;
    if (c.prefix < 31 && (ip === c.network || ip === c.network + 2 ** (32 - c.prefix) - 1)) {
      throw invalid(`IP address ${wanted.ip_address} is the network or broadcast address of ${s.cidr}.`, 'InvalidIpForSubnet');
    }
    if (!allowGateway && s.gatewayIp === wanted.ip_address)
      throw conflict('IpAddressAlreadyAllocated', `IP address ${wanted.ip_address} is the gateway of subnet ${s.id}.`);
    if (
      ctx.db
        .select()
        .from(ipAllocations)
        .where(and(eq(ipAllocations.subnetId, s.id), eq(ipAllocations.ip, ip)))
        .get()
    ) {
      throw conflict('IpAddressAlreadyAllocated', `IP address ${wanted.ip_address} already allocated in subnet ${s.id}.`);
    }
  } else {
    s = wanted.subnet_id ? inNetwork.find((x) => x.id === wanted.subnet_id) : inNetwork[0];
    if (!s)
      throw invalid(
        wanted.subnet_id
          ? `Subnet ${wanted.subnet_id} is not on network ${networkId}.`
          : `Network ${networkId} has no subnet to allocate from.`,
        'InvalidInput',
      );
    ip = firstFree(ctx, s);
  }
  ctx.db.insert(ipAllocations).values({ subnetId: s.id, ip, portId }).run();
  return { subnet_id: s.id, ip_address: formatIp(ip) };
}

function randomMac(ctx: Ctx): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(3));
    const mac = `fa:16:3e:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    if (!ctx.db.select({ id: ports.id }).from(ports).where(eq(ports.macAddress, mac)).get()) return mac;
  }
}

function validateMac(ctx: Ctx, mac: string): string {
  const normal = mac.toLowerCase();
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(normal) || Number.parseInt(normal.slice(0, 2), 16) & 1) {
    throw invalid(`Invalid MAC address ${mac}.`, 'InvalidInput');
  }
  if (ctx.db.select({ id: ports.id }).from(ports).where(eq(ports.macAddress, normal)).get())
    throw conflict('MacAddressInUse', `MAC address ${mac} is in use.`);
  return normal;
}

function validateGroups(ctx: Ctx, ids: string[]): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = ctx.db.select({ id: securityGroups.id }).from(securityGroups).where(inArray(securityGroups.id, unique)).all();
  const missing = unique.find((id) => !found.some((f) => f.id === id));
  if (missing) throw notFound('SecurityGroup', missing);
  return unique;
}

function validatePairs(pairs: { ip_address: string; mac_address?: string }[], mac: string) {
  return pairs.map((p) => {
    if (parseIp(p.ip_address) === null && !parseCidr(p.ip_address))
      throw invalid(`Invalid allowed address pair ${p.ip_address}.`, 'InvalidInput');
    return { ip_address: p.ip_address, mac_address: (p.mac_address ?? mac).toLowerCase() };
  });
}

/** Creates a port with its fixed IPs, MAC and security groups. */
export function createPort(ctx: Ctx, input: PortInput) {
  requireQuota(ctx, 'port');
  const net = ctx.db.select().from(networks).where(eq(networks.id, input.networkId)).get();
  if (!net) throw notFound('Network', input.networkId);
  const networkOwned = (input.deviceOwner ?? '').startsWith('network:');
  const security = input.portSecurityEnabled ?? net.portSecurityEnabled;
  const groups = input.securityGroups ?? (networkOwned || !security ? [] : [defaultSecurityGroupId(ctx)]);
  if (!security && groups.length)
    throw conflict('PortSecurityAndIPRequiredForSecurityGroups', 'Port security must be enabled to have security groups.');
  const mac = input.macAddress ? validateMac(ctx, input.macAddress) : randomMac(ctx);
  const wanted = input.fixedIps ?? (ctx.db.select({ id: subnets.id }).from(subnets).where(eq(subnets.networkId, net.id)).get() ? [{}] : []);
  const fixedIps = wanted.map((w) => claim(ctx, input.id, net.id, w, input.allowGatewayIp ?? false));
  const row = {
    id: input.id,
    networkId: net.id,
    name: input.name ?? '',
    description: input.description ?? '',
    macAddress: mac,
    adminStateUp: input.adminStateUp ?? true,
    status: networkOwned ? 'ACTIVE' : 'DOWN',
    deviceOwner: input.deviceOwner ?? '',
    deviceId: input.deviceId ?? '',
    fixedIps,
    securityGroups: validateGroups(ctx, groups),
    allowedAddressPairs: validatePairs(input.allowedAddressPairs ?? [], mac),
    portSecurityEnabled: security,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(ports).values(row).run();
  return row;
}

export type PortPatch = Partial<
  Pick<
    PortInput,
    | 'name'
    | 'description'
    | 'adminStateUp'
    | 'fixedIps'
    | 'deviceOwner'
    | 'deviceId'
    | 'securityGroups'
    | 'allowedAddressPairs'
    | 'portSecurityEnabled'
  >
>;

/** Updates a port; new fixed IPs replace the old ones (addresses kept where asked for again). */
export function updatePort(ctx: Ctx, id: string, patch: PortPatch) {
  const current = port(ctx, id);
  const changes: Partial<typeof ports.$inferInsert> = { updatedAt: ctx.now };
  for (const key of ['name', 'description', 'adminStateUp', 'deviceOwner', 'deviceId', 'portSecurityEnabled'] as const) {
    if (patch[key] !== undefined) (changes as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.deviceId !== undefined) changes.status = patch.deviceId ? 'ACTIVE' : 'DOWN';
  const security = patch.portSecurityEnabled ?? current.portSecurityEnabled;
  const groups = patch.securityGroups !== undefined ? validateGroups(ctx, patch.securityGroups) : current.securityGroups;
  if (!security && groups.length)
    throw conflict('PortSecurityAndIPRequiredForSecurityGroups', 'Port security must be enabled to have security groups.');
  changes.securityGroups = groups;
  if (patch.allowedAddressPairs !== undefined) changes.allowedAddressPairs = validatePairs(patch.allowedAddressPairs, current.macAddress);
  if (patch.fixedIps !== undefined) {
    ctx.db.delete(ipAllocations).where(eq(ipAllocations.portId, id)).run();
    changes.fixedIps = patch.fixedIps.map((w) => claim(ctx, id, current.networkId, w, current.deviceOwner === 'network:router_interface'));
    // As Neutron: the address an Elastic IP is bound to stays, or the EIP would point at nothing (or at another port).
    const bound = ctx.db.select().from(elasticIps).where(eq(elasticIps.portId, id)).get();
    if (bound?.fixedIpAddress && !changes.fixedIps.some((f) => f.ip_address === bound.fixedIpAddress))
      throw invalid(
        `Cannot update the fixed_ips of the port ${id}, because its fixed IP ${bound.fixedIpAddress} has the Elastic IP ${bound.address}.`,
        'BadRequest',
      );
  }
  ctx.db.update(ports).set(changes).where(eq(ports.id, id)).run();
  return port(ctx, id);
}

/** Removes a port and frees its addresses; an Elastic IP bound to it is unbound. */
export function deletePortRow(ctx: Ctx, id: string): void {
  ctx.db.delete(ipAllocations).where(eq(ipAllocations.portId, id)).run();
  ctx.db
    .update(elasticIps)
    .set({ portId: null, fixedIpAddress: null, status: 'DOWN', updatedAt: ctx.now })
    .where(eq(elasticIps.portId, id))
    .run();
  ctx.db.delete(ports).where(eq(ports.id, id)).run();
}

/** Deletes a port through the API: a router's interfaces are removed through the router instead. */
export function deletePort(ctx: Ctx, id: string): void {
  const p = port(ctx, id);
  // As Neutron: an interface port whose router is gone (or that has no address) is stale, and may go.
  const router = ctx.db.select({ id: vpcs.id }).from(vpcs).where(eq(vpcs.id, p.deviceId)).get();
  if (p.deviceOwner === 'network:router_interface' && router && p.fixedIps.length) {
    throw conflict('L3PortInUse', `Port ${id} cannot be deleted directly via the port API: it has device owner network:router_interface.`);
  }
  deletePortRow(ctx, id);
}

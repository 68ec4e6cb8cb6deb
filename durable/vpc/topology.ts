/**
 * VPCs (Neutron routers), networks and subnets, and the router interfaces that join them. A native subnet is a
 * network with one subnet, attached to its VPC's router at the gateway address.
 */
import { and, eq, ne } from 'drizzle-orm';
import { type Cidr, contains, formatIp, isPrivate, lastIp, overlaps, parseCidr, parseIp, within } from '../../core/ipv4.ts';
import { conflict, inUse, invalid, notFound } from '../../core/result.ts';
import { type AllocationPool, ipAllocations, networks, ports, type Route, subnets, vpcs } from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';
import { network, subnet, vpc } from './lookups.ts';
import { createPort, deletePortRow } from './ports.ts';
import { requireQuota } from './quotas.ts';

export const ROUTER_INTERFACE = 'network:router_interface';

function cidrOf(text: string, field = 'cidr'): Cidr {
  const c = parseCidr(text);
  if (!c) throw invalid(`Invalid input for ${field}. Reason: '${text}' is not a valid IPv4 CIDR with its host bits zero.`, 'InvalidInput');
  return c;
}

function validateVpcCidr(text: string): string {
  const c = cidrOf(text);
  if (!isPrivate(c) || c.prefix < 8 || c.prefix > 28) {
    throw invalid(
      `Invalid cidr ${text}: a VPC uses 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, with a prefix from /8 to /28.`,
      'InvalidInput',
    );
  }
  return c.text;
}

function validateRoutes(routes: Route[], vpcCidr: string | null): Route[] {
  const seen = new Set<string>();
  return routes.map((r) => {
    const dest = cidrOf(r.destination, 'routes.destination');
    const hop = parseIp(r.nexthop);
    if (hop === null) throw invalid(`Invalid nexthop ${r.nexthop}: an IPv4 address is required.`, 'InvalidInput');
    if (vpcCidr && !contains(parseCidr(vpcCidr)!, hop))
      throw invalid(`The nexthop ${r.nexthop} is not inside the VPC ${vpcCidr}.`, 'InvalidRoutes');
    if (seen.has(dest.text)) throw invalid(`Duplicate route destination ${dest.text}.`, 'InvalidRoutes');
    seen.add(dest.text);
    return { destination: dest.text, nexthop: r.nexthop };
  });
}

export interface VpcInput {
  id: string;
  name: string;
  description?: string;
  cidr?: string | null;
  adminStateUp?: boolean;
  routes?: Route[];
  gateway?: { networkId: string; enableSnat: boolean } | null;
}

/** Creates a VPC (status CREATING until the next alarm makes it OK; a Neutron router is ACTIVE at once). */
export function createVpc(ctx: Ctx, input: VpcInput, native: boolean) {
  requireQuota(ctx, 'vpc');
  const cidr = input.cidr ? validateVpcCidr(input.cidr) : null;
  const row = {
    id: input.id,
    name: input.name,
    description: input.description ?? '',
    cidr,
    status: native ? 'CREATING' : 'ACTIVE',
    adminStateUp: input.adminStateUp ?? true,
    routes: validateRoutes(input.routes ?? [], cidr),
    gateway: input.gateway ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(vpcs).values(row).run();
  return row;
}

/** The subnets attached to a VPC (natively, or through a router interface). */
export function vpcSubnets(ctx: Ctx, vpcId: string) {
  return ctx.db
    .select({ s: subnets })
    .from(subnets)
    .innerJoin(networks, eq(networks.id, subnets.networkId))
    .where(eq(networks.vpcId, vpcId))
    .all()
    .map((r) => r.s);
}

/** Updates a VPC; a new CIDR must still hold every subnet. */
export function updateVpc(ctx: Ctx, id: string, patch: Partial<Omit<VpcInput, 'id'>>) {
  const current = vpc(ctx, id);
  const cidr = patch.cidr !== undefined && patch.cidr !== null ? validateVpcCidr(patch.cidr) : current.cidr;
  if (cidr && cidr !== current.cidr) {
    const outside = vpcSubnets(ctx, id).find((s) => !within(parseCidr(s.cidr)!, parseCidr(cidr)!));
    if (outside) throw conflict('InvalidCidr', `The subnet ${outside.cidr} would fall outside the new VPC cidr ${cidr}.`);
  }
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.adminStateUp !== undefined ? { adminStateUp: patch.adminStateUp } : {}),
    ...(patch.routes !== undefined ? { routes: validateRoutes(patch.routes, cidr) } : {}),
    ...(patch.gateway !== undefined ? { gateway: patch.gateway } : {}),
    cidr,
    updatedAt: ctx.now,
  };
  ctx.db.update(vpcs).set(changes).where(eq(vpcs.id, id)).run();
  return vpc(ctx, id);
}

/** Deletes a VPC: refused (409) while subnets or router interfaces remain. */
export function deleteVpc(ctx: Ctx, id: string): void {
  vpc(ctx, id);
  const attached = ctx.db.select({ id: networks.id }).from(networks).where(eq(networks.vpcId, id)).all();
  if (attached.length) throw inUse('Router', `Router ${id} still has ${attached.length} subnet(s) or interface(s); remove them first.`);
  ctx.db.delete(vpcs).where(eq(vpcs.id, id)).run();
}

export interface NetworkInput {
  id: string;
  name: string;
  description?: string;
  adminStateUp?: boolean;
  mtu?: number;
  portSecurityEnabled?: boolean;
  vpcId?: string | null;
}

/** Creates a network. */
export function createNetwork(ctx: Ctx, input: NetworkInput) {
  requireQuota(ctx, 'network');
  if (input.vpcId) vpc(ctx, input.vpcId);
  const row = {
    id: input.id,
    name: input.name,
    description: input.description ?? '',
    vpcId: input.vpcId ?? null,
    adminStateUp: input.adminStateUp ?? true,
    mtu: input.mtu ?? 1500,
    portSecurityEnabled: input.portSecurityEnabled ?? true,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(networks).values(row).run();
  return row;
}

/** Updates a network's own fields. */
export function updateNetwork(
  ctx: Ctx,
  id: string,
  patch: Partial<Pick<NetworkInput, 'name' | 'description' | 'adminStateUp' | 'mtu' | 'portSecurityEnabled'>>,
) {
  network(ctx, id);
  ctx.db
    .update(networks)
    .set({ ...patch, updatedAt: ctx.now })
    .where(eq(networks.id, id))
    .run();
  return network(ctx, id);
}

/** Deletes a network and its subnets: refused while ports other than its own plumbing remain. */
export function deleteNetwork(ctx: Ctx, id: string): void {
  network(ctx, id);
  const used = ctx.db.select().from(ports).where(eq(ports.networkId, id)).all();
  if (used.length)
    throw inUse('Network', `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`);
  ctx.db.delete(subnets).where(eq(subnets.networkId, id)).run();
  ctx.db.delete(networks).where(eq(networks.id, id)).run();
}

export interface SubnetInput {
  id: string;
  networkId: string;
  name: string;
  description?: string;
  cidr: string;
  ipVersion?: number;
  /** Undefined: the first host; null: no gateway. */
  gatewayIp?: string | null;
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  allocationPools?: AllocationPool[];
  hostRoutes?: Route[];
  availabilityZone?: string | null;
  /** Native subnets start UNKNOWN and become ACTIVE; Neutron subnets have no status of their own. */
  native?: boolean;
}

function defaultPools(c: Cidr, gateway: number | null): AllocationPool[] {
  const first = c.prefix >= 31 ? c.network : c.network + 1;
  const last = c.prefix >= 31 ? lastIp(c) : lastIp(c) - 1;
  const ranges: [number, number][] =
    gateway !== null && gateway >= first && gateway <= last
      ? [
          [first, gateway - 1],
          [gateway + 1, last],
        ]
      : [[first, last]];
  return ranges.filter(([a, b]) => a <= b).map(([a, b]) => ({ start: formatIp(a), end: formatIp(b) }));
}

function validatePools(pools: AllocationPool[], c: Cidr, gateway: number | null): AllocationPool[] {
  const ranges = pools.map((p) => {
    const a = parseIp(p.start);
    const b = parseIp(p.end);
    if (a === null || b === null || a > b) throw invalid(`Invalid allocation pool ${p.start}-${p.end}.`, 'InvalidAllocationPool');
    if (!contains(c, a) || !contains(c, b))
      throw invalid(`The allocation pool ${p.start}-${p.end} spans beyond the subnet cidr ${c.text}.`, 'OutOfBoundsAllocationPool');
    if (gateway !== null && gateway >= a && gateway <= b)
      throw conflict(
        'GatewayConflictWithAllocationPools',
        `Gateway ip ${formatIp(gateway)} conflicts with allocation pool ${p.start}-${p.end}.`,
      );
    return [a, b] as const;
  });
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] <= sorted[i - 1]![1]) throw invalid('Allocation pools overlap.', 'OverlappingAllocationPools');
  }
  return sorted.map(([a, b]) => ({ start: formatIp(a), end: formatIp(b) }));
}

function validateGateway(c: Cidr, gatewayIp: string | null | undefined): number | null {
  if (gatewayIp === null) return null;
  if (gatewayIp === undefined) return c.prefix >= 31 ? null : c.network + 1;
  const g = parseIp(gatewayIp);
  if (g === null) throw invalid(`Invalid gateway_ip ${gatewayIp}.`, 'InvalidInput');
  if (!contains(c, g) || (c.prefix < 31 && (g === c.network || g === lastIp(c)))) {
    throw invalid(`Gateway IP ${gatewayIp} is not a usable host address of the subnet ${c.text}.`, 'GatewayIpNotInSubnet');
  }
  return g;
}

function validateDns(servers: string[]): string[] {
  for (const d of servers) if (parseIp(d) === null) throw invalid(`Invalid DNS server ${d}.`, 'InvalidInput');
  if (new Set(servers).size !== servers.length) throw invalid('Duplicate DNS servers.', 'InvalidInput');
  return servers;
}

/** The sibling a CIDR overlaps, if any: within the same VPC, or within the same network when it has none. */
function overlapping(ctx: Ctx, c: Cidr, networkId: string, vpcId: string | null) {
  const siblings = vpcId ? vpcSubnets(ctx, vpcId) : ctx.db.select().from(subnets).where(eq(subnets.networkId, networkId)).all();
  return siblings.find((s) => overlaps(parseCidr(s.cidr)!, c));
}

/** Creates a subnet with full validation: CIDR inside the VPC, no overlap, gateway and pools inside it. */
export function createSubnet(ctx: Ctx, input: SubnetInput) {
  if ((input.ipVersion ?? 4) !== 4) throw invalid('Only IPv4 subnets are supported.', 'InvalidInput');
  requireQuota(ctx, 'subnet');
  const net = network(ctx, input.networkId);
  const c = cidrOf(input.cidr);
  const parent = net.vpcId ? vpc(ctx, net.vpcId) : undefined;
  if (parent?.cidr && !within(c, parseCidr(parent.cidr)!)) {
    throw invalid(`The subnet cidr ${c.text} is not inside the VPC cidr ${parent.cidr}.`, 'InvalidInput');
  }
  // Neutron's words (ipam_backend_mixin), which clients match; like Neutron's they do not name the other subnet.
  if (overlapping(ctx, c, net.id, net.vpcId)) {
    throw invalid(
      `Invalid input for operation: Requested subnet with cidr: ${c.text} for network: ${net.id} overlaps with another subnet.`,
      'InvalidInput',
    );
  }
  const gateway = validateGateway(c, input.gatewayIp);
  const pools = input.allocationPools?.length ? validatePools(input.allocationPools, c, gateway) : defaultPools(c, gateway);
  const row = {
    id: input.id,
    networkId: net.id,
    name: input.name,
    description: input.description ?? '',
    cidr: c.text,
    ipVersion: 4,
    gatewayIp: gateway === null ? null : formatIp(gateway),
    enableDhcp: input.enableDhcp ?? true,
    dnsNameservers: validateDns(input.dnsNameservers ?? []),
    allocationPools: pools,
    hostRoutes: validateRoutes(input.hostRoutes ?? [], null),
    availabilityZone: input.availabilityZone ?? null,
    status: input.native ? 'UNKNOWN' : 'ACTIVE',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.db.insert(subnets).values(row).run();
  return row;
}

/** Updates a subnet's name, DHCP, DNS, routes or gateway (the CIDR never changes). */
export function updateSubnet(
  ctx: Ctx,
  id: string,
  patch: Partial<
    Pick<SubnetInput, 'name' | 'description' | 'enableDhcp' | 'dnsNameservers' | 'hostRoutes' | 'gatewayIp' | 'allocationPools'>
  >,
) {
  const current = subnet(ctx, id);
  const c = parseCidr(current.cidr)!;
  const changes: Partial<typeof subnets.$inferInsert> = { updatedAt: ctx.now };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.enableDhcp !== undefined) changes.enableDhcp = patch.enableDhcp;
  if (patch.dnsNameservers !== undefined) changes.dnsNameservers = validateDns(patch.dnsNameservers);
  if (patch.hostRoutes !== undefined) changes.hostRoutes = validateRoutes(patch.hostRoutes, null);
  const gateway =
    patch.gatewayIp !== undefined ? validateGateway(c, patch.gatewayIp) : current.gatewayIp ? parseIp(current.gatewayIp) : null;
  if (patch.gatewayIp !== undefined) changes.gatewayIp = gateway === null ? null : formatIp(gateway);
  if (gateway !== null && formatIp(gateway) !== current.gatewayIp) {
    // An address asked for explicitly may lie outside the pools: the pools alone do not keep it from the gateway.
    const holder = ctx.db
      .select({ portId: ipAllocations.portId })
      .from(ipAllocations)
      .where(and(eq(ipAllocations.subnetId, id), eq(ipAllocations.ip, gateway)))
      .get();
    if (holder)
      throw conflict('GatewayIpInUse', `Gateway ip ${formatIp(gateway)} already in use by port ${holder.portId}. Unable to update.`);
  }
  if (patch.allocationPools !== undefined || patch.gatewayIp !== undefined) {
    changes.allocationPools = validatePools(patch.allocationPools ?? current.allocationPools, c, gateway);
  }
  ctx.db.update(subnets).set(changes).where(eq(subnets.id, id)).run();
  return subnet(ctx, id);
}

/** Deletes a subnet: refused while a port other than a router interface holds one of its addresses. */
export function deleteSubnet(ctx: Ctx, id: string): void {
  subnet(ctx, id);
  const holders = ctx.db
    .select({ port: ports })
    .from(ipAllocations)
    .innerJoin(ports, eq(ports.id, ipAllocations.portId))
    .where(eq(ipAllocations.subnetId, id))
    .all();
  if (holders.length)
    throw inUse('Subnet', `Unable to complete operation on subnet ${id}: one or more ports have an IP allocation from this subnet.`);
  ctx.db.delete(subnets).where(eq(subnets.id, id)).run();
}

/** Attaches a subnet to a VPC's router: an interface port at the subnet's gateway address. */
export function addRouterInterface(ctx: Ctx, vpcId: string, subnetId: string, portId: string) {
  const router = vpc(ctx, vpcId);
  const s = subnet(ctx, subnetId);
  const net = network(ctx, s.networkId);
  if (net.vpcId && net.vpcId !== vpcId) throw conflict('BadRequest', `Subnet ${subnetId} is already attached to router ${net.vpcId}.`);
  const existing = ctx.db
    .select()
    .from(ports)
    .where(and(eq(ports.deviceId, vpcId), eq(ports.deviceOwner, ROUTER_INTERFACE), eq(ports.networkId, net.id)))
    .all()
    .find((p) => p.fixedIps.some((f) => f.subnet_id === subnetId));
  if (existing) throw conflict('BadRequest', `Router ${vpcId} already has an interface on subnet ${subnetId}.`);
  if (!s.gatewayIp) throw invalid(`Subnet ${subnetId} has no gateway IP to attach the router at.`, 'BadRequest');
  if (!net.vpcId) {
    // The whole network joins the VPC, so every one of its subnets must fit in it, not only the one named.
    for (const joining of ctx.db.select().from(subnets).where(eq(subnets.networkId, net.id)).all()) {
      const c = parseCidr(joining.cidr)!;
      if (router.cidr && !within(c, parseCidr(router.cidr)!))
        throw invalid(`Subnet ${joining.cidr} is not inside the VPC cidr ${router.cidr}.`, 'BadRequest');
      // Neutron's words for a router joining overlapping subnets (l3_db._raise_on_subnets_overlap).
      const clash = overlapping(ctx, c, net.id, vpcId);
      if (clash) {
        throw invalid(
          `Bad router request: Cidr ${joining.cidr} of subnet ${joining.id} overlaps with cidr ${clash.cidr} of subnet ${clash.id}.`,
          'BadRequest',
        );
      }
    }
    ctx.db.update(networks).set({ vpcId, updatedAt: ctx.now }).where(eq(networks.id, net.id)).run();
  }
  return createPort(ctx, {
    id: portId,
    networkId: net.id,
    fixedIps: [{ subnet_id: subnetId, ip_address: s.gatewayIp }],
    deviceOwner: ROUTER_INTERFACE,
    deviceId: vpcId,
    allowGatewayIp: true,
  });
}

/** Detaches a subnet (or an interface port) from a router; the network leaves the VPC when no interface remains. */
export function removeRouterInterface(ctx: Ctx, vpcId: string, by: { subnetId?: string; portId?: string }) {
  vpc(ctx, vpcId);
  const candidates = ctx.db
    .select()
    .from(ports)
    .where(and(eq(ports.deviceId, vpcId), eq(ports.deviceOwner, ROUTER_INTERFACE)))
    .all();
  const port = candidates.find((p) => (by.portId ? p.id === by.portId : p.fixedIps.some((f) => f.subnet_id === by.subnetId)));
  if (!port) throw notFound('RouterInterface', by.portId ?? by.subnetId ?? '');
  deletePortRow(ctx, port.id);
  const left = ctx.db
    .select({ id: ports.id })
    .from(ports)
    .where(and(eq(ports.networkId, port.networkId), eq(ports.deviceId, vpcId), ne(ports.id, port.id)))
    .all();
  if (left.length === 0) ctx.db.update(networks).set({ vpcId: null, updatedAt: ctx.now }).where(eq(networks.id, port.networkId)).run();
  return port;
}

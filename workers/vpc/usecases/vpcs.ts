/**
 * VPCs and their subnets, the use cases behind the native API, Neutron's routers where they are the same
 * operation, and the Console: each one a function taking the caller and domain input, answering domain rows.
 * The rules (CIDRs inside the VPC, quotas, what is in use) live in the TenantDO; here only what the region decides.
 */
import { zonesOf } from '../../../core/regions.ts';
import type { VpcInput } from '../../../durable/vpc/topology.ts';
import type { Network, Subnet, Vpc } from '../../../schema/tenant.ts';
import { type Caller, tenantOf } from '../../lib/caller.ts';
import { badRequest } from '../../lib/errors.ts';
import { unwrap } from '../../lib/tenant.ts';
import { externalNetwork } from '../external.ts';

/** What a door asks of a new VPC (a Neutron router may come with its gateway, state and routes). */
export type VpcRequest = Omit<VpcInput, 'id'>;

/** A native subnet: a network in a VPC seen through its subnet (the native API's id is the network's). */
export interface VpcSubnet {
  vpcId: string;
  network: Network;
  subnet: Subnet;
}

/** What a door asks of a new native subnet. */
export interface SubnetRequest {
  vpcId: string;
  name: string;
  description?: string;
  cidr: string;
  gatewayIp: string;
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  availabilityZone?: string;
}

/** The project's VPCs. */
export async function listVpcs(caller: Caller): Promise<Vpc[]> {
  return (await tenantOf(caller).list(['vpcs'])).vpcs;
}

/** Creates a VPC; a native one is CREATING until the TenantDO's alarm makes it OK, a Neutron router is ACTIVE. */
export async function createVpc(caller: Caller, req: VpcRequest, native = true): Promise<Vpc> {
  return unwrap(await tenantOf(caller).createVpc({ id: crypto.randomUUID(), ...req }, native));
}

/** Deletes a VPC that no subnet, peering or VPN service uses. */
export async function deleteVpc(caller: Caller, id: string): Promise<void> {
  unwrap(await tenantOf(caller).deleteVpc(id));
}

/** Connects a VPC to the Internet (the region's external network as its gateway, with SNAT), or disconnects it. */
export async function setGateway(caller: Caller, id: string, connected: boolean): Promise<Vpc> {
  const gateway = connected ? { networkId: externalNetwork(caller.region).id, enableSnat: true } : null;
  return unwrap(await tenantOf(caller).updateVpc(id, { gateway }));
}

/** The project's native subnets: each network in a VPC with its (first) subnet. */
export async function listSubnets(caller: Caller): Promise<VpcSubnet[]> {
  const { networks, subnets } = await tenantOf(caller).list(['networks', 'subnets']);
  return networks.flatMap((network) => {
    const subnet = subnets.find((x) => x.networkId === network.id);
    return subnet && network.vpcId ? [{ vpcId: network.vpcId, network, subnet }] : [];
  });
}

/** Refuses an availability zone the caller's region does not have. */
export function requireZone(caller: Caller, zone: string | undefined): void {
  if (zone === undefined) return;
  const zones = zonesOf(caller.region);
  if (!zones.includes(zone)) throw badRequest(`Invalid availability_zone ${zone}: the zones of ${caller.region} are ${zones.join(', ')}.`);
}

/** Creates a native subnet in a VPC: its network, its subnet and the VPC router's interface at the gateway. */
export async function createSubnet(caller: Caller, req: SubnetRequest): Promise<Subnet> {
  requireZone(caller, req.availabilityZone);
  return unwrap(
    await tenantOf(caller).createNativeSubnet({
      id: crypto.randomUUID(),
      networkId: crypto.randomUUID(),
      interfacePortId: crypto.randomUUID(),
      ...req,
    }),
  );
}

/** Deletes a native subnet (named by its network's id) of a VPC, refused while ports remain on it. */
export async function deleteSubnet(caller: Caller, vpcId: string, networkId: string): Promise<void> {
  unwrap(await tenantOf(caller).deleteNativeSubnet(vpcId, networkId));
}

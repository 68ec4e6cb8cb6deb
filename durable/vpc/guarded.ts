/**
 * Topology changes that another part of the network may refuse: a VPN service or a peering holds on to its
 * VPC or subnet. And the native API's subnet, which is a network, a subnet and a router interface at once.
 */
import { eq } from 'drizzle-orm';
import { DomainError } from '../../core/result.ts';
import * as t from '../../schema/tenant.ts';
import type { Ctx } from './context.ts';
import * as lookups from './lookups.ts';
import * as peer from './peerings.ts';
import * as topo from './topology.ts';
import * as vpn from './vpn.ts';

/** Updates a VPC; removing its gateway is refused while a VPN service uses it. */
export function updateVpc(ctx: Ctx, id: string, patch: Partial<Omit<topo.VpcInput, 'id'>>) {
  if (patch.gateway === null) vpn.requireNoVpnOn(ctx, id);
  return topo.updateVpc(ctx, id, patch);
}

/** Deletes a VPC that no peering and no VPN service uses. */
export function deleteVpc(ctx: Ctx, id: string): void {
  peer.requireNoPeerings(ctx, id);
  vpn.requireNoVpnOn(ctx, id);
  topo.deleteVpc(ctx, id);
}

/** Removes a router interface; one on a subnet a VPN service uses is refused. */
export function removeRouterInterface(ctx: Ctx, vpcId: string, by: { subnetId?: string; portId?: string }) {
  if (by.subnetId) vpn.requireNoVpnOn(ctx, by.subnetId);
  return topo.removeRouterInterface(ctx, vpcId, by);
}

/** Deletes a subnet that no VPN service uses. */
export function deleteSubnet(ctx: Ctx, id: string): void {
  vpn.requireNoVpnOn(ctx, id);
  topo.deleteSubnet(ctx, id);
}

export type NativeSubnetInput = Omit<topo.SubnetInput, 'networkId' | 'native'> & {
  vpcId: string;
  networkId: string;
  interfacePortId: string;
};

/** A native subnet: its network and subnet in the VPC, and the VPC router's interface at the gateway. */
export function createNativeSubnet(ctx: Ctx, input: NativeSubnetInput) {
  lookups.vpc(ctx, input.vpcId);
  topo.createNetwork(ctx, { id: input.networkId, name: input.name, vpcId: input.vpcId });
  const subnet = topo.createSubnet(ctx, { ...input, native: true });
  topo.addRouterInterface(ctx, input.vpcId, subnet.id, input.interfacePortId);
  return subnet;
}

/** Deletes a native subnet: the router interface, the subnet and its network, refused while ports remain. */
export function deleteNativeSubnet(ctx: Ctx, vpcId: string, networkId: string): void {
  const net = lookups.network(ctx, networkId);
  if (net.vpcId !== vpcId) throw new DomainError(404, 'SubnetNotFound', `Subnet ${networkId} could not be found in VPC ${vpcId}.`);
  for (const s of ctx.db.select().from(t.subnets).where(eq(t.subnets.networkId, networkId)).all()) {
    try {
      topo.removeRouterInterface(ctx, vpcId, { subnetId: s.id });
    } catch (err) {
      if (!(err instanceof DomainError && err.status === 404)) throw err;
    }
  }
  topo.deleteNetwork(ctx, networkId);
}

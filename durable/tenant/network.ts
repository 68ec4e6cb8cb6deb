/** The TenantDO's network: VPCs, networks, subnets, ports, security groups, Elastic IPs, peerings, VPN. */
import type * as t from '../../schema/tenant.ts';
import * as eipSagas from '../vpc/eip-allocation.ts';
import * as eips from '../vpc/eips.ts';
import * as guarded from '../vpc/guarded.ts';
import * as peeringSagas from '../vpc/peering-sagas.ts';
import * as peer from '../vpc/peerings.ts';
import * as portOps from '../vpc/ports.ts';
import * as quotaOps from '../vpc/quotas.ts';
import * as sg from '../vpc/security-groups.ts';
import * as topo from '../vpc/topology.ts';
import * as vpn from '../vpc/vpn.ts';

import { TenantBase } from './base.ts';

export abstract class TenantNetwork extends TenantBase {
  async createVpc(input: topo.VpcInput, native: boolean) {
    const r = this.run((ctx) => topo.createVpc(ctx, input, native));
    if (native && 'ok' in r) await this.settleSoon();
    return r;
  }
  updateVpc(id: string, patch: Partial<Omit<topo.VpcInput, 'id'>>) {
    return this.run((ctx) => guarded.updateVpc(ctx, id, patch));
  }
  deleteVpc(id: string) {
    return this.run((ctx) => guarded.deleteVpc(ctx, id));
  }
  addRouterInterface(vpcId: string, subnetId: string, portId: string) {
    return this.run((ctx) => topo.addRouterInterface(ctx, vpcId, subnetId, portId));
  }
  removeRouterInterface(vpcId: string, by: { subnetId?: string; portId?: string }) {
    return this.run((ctx) => guarded.removeRouterInterface(ctx, vpcId, by));
  }

  createNetwork(input: topo.NetworkInput) {
    return this.run((ctx) => topo.createNetwork(ctx, input));
  }
  /** Neutron's bulk create: every network of the list in one transaction, all or none (so with subnets, ports). */
  createNetworks(inputs: topo.NetworkInput[]) {
    return this.run((ctx) => inputs.map((i) => topo.createNetwork(ctx, i)));
  }
  updateNetwork(id: string, patch: Parameters<typeof topo.updateNetwork>[2]) {
    return this.run((ctx) => topo.updateNetwork(ctx, id, patch));
  }
  deleteNetwork(id: string) {
    return this.run((ctx) => topo.deleteNetwork(ctx, id));
  }

  createSubnet(input: topo.SubnetInput) {
    return this.run((ctx) => topo.createSubnet(ctx, input));
  }
  createSubnets(inputs: topo.SubnetInput[]) {
    return this.run((ctx) => inputs.map((i) => topo.createSubnet(ctx, i)));
  }
  /** A native subnet: its network and subnet in the VPC, and the VPC router's interface at the gateway. */
  async createNativeSubnet(input: guarded.NativeSubnetInput) {
    const r = this.run((ctx) => guarded.createNativeSubnet(ctx, input));
    if ('ok' in r) await this.settleSoon();
    return r;
  }
  /** Deletes a native subnet: the router interface, the subnet and its network, refused while ports remain. */
  deleteNativeSubnet(vpcId: string, networkId: string) {
    return this.run((ctx) => guarded.deleteNativeSubnet(ctx, vpcId, networkId));
  }
  updateSubnet(id: string, patch: Parameters<typeof topo.updateSubnet>[2]) {
    return this.run((ctx) => topo.updateSubnet(ctx, id, patch));
  }
  deleteSubnet(id: string) {
    return this.run((ctx) => guarded.deleteSubnet(ctx, id));
  }

  createPort(input: portOps.PortInput) {
    return this.run((ctx) => portOps.createPort(ctx, { ...input, allowGatewayIp: false }));
  }
  createPorts(inputs: portOps.PortInput[]) {
    return this.run((ctx) => inputs.map((i) => portOps.createPort(ctx, { ...i, allowGatewayIp: false })));
  }
  updatePort(id: string, patch: portOps.PortPatch) {
    return this.run((ctx) => portOps.updatePort(ctx, id, patch));
  }
  deletePort(id: string) {
    return this.run((ctx) => portOps.deletePort(ctx, id));
  }

  createSecurityGroup(input: Parameters<typeof sg.createSecurityGroup>[1]) {
    return this.run((ctx) => sg.createSecurityGroup(ctx, input));
  }
  updateSecurityGroup(id: string, patch: { name?: string; description?: string }) {
    return this.run((ctx) => sg.updateSecurityGroup(ctx, id, patch));
  }
  deleteSecurityGroup(id: string) {
    return this.run((ctx) => sg.deleteSecurityGroup(ctx, id));
  }
  createRule(input: sg.RuleInput) {
    return this.run((ctx) => sg.createRule(ctx, input));
  }
  deleteRule(id: string) {
    return this.run((ctx) => sg.deleteRule(ctx, id));
  }

  createBandwidth(input: Parameters<typeof eips.createBandwidth>[1]) {
    return this.run((ctx) => eips.createBandwidth(ctx, input));
  }
  updateBandwidth(id: string, patch: { name?: string; size?: number }) {
    return this.run((ctx) => eips.updateBandwidth(ctx, id, patch));
  }
  deleteBandwidth(id: string) {
    return this.run((ctx) => eips.deleteBandwidth(ctx, id));
  }

  quotas() {
    return this.run((ctx) => ({ limits: quotaOps.limits(ctx), usage: quotaOps.usage(ctx) }));
  }
  setQuotas(wanted: Partial<Record<quotaOps.QuotaResource, number>>) {
    return this.run((ctx) => quotaOps.setLimits(ctx, wanted));
  }

  /** Allocates an Elastic IP from the region's pool, bound to a port if one is given. */
  allocateEip(input: eips.EipInput, projectId: string, options: eipSagas.AllocateOptions = {}) {
    return eipSagas.allocateEip(this.saga, input, projectId, options);
  }
  bindEip(id: string, portId: string | null, fixedIp?: string) {
    return this.run((ctx) => eips.bindEip(ctx, id, portId, fixedIp));
  }
  /** Releases an Elastic IP and returns its address to the pool. */
  releaseEip(id: string) {
    return eipSagas.releaseEip(this.saga, id);
  }

  /** The CIDR of one of this project's VPCs, for a peering request from another project. */
  peerableCidr(vpcId: string) {
    return this.run((ctx) => peer.peerableCidr(ctx, vpcId));
  }
  /** Requests a peering from one of this project's VPCs (to another project: it waits for that one to accept). */
  createPeering(input: peeringSagas.PeeringRequest) {
    return peeringSagas.createPeering(this.saga, input);
  }
  /** Keeps the accepting side's copy of a peering another project requested (idempotent). */
  linkPeering(row: peer.PeeringRecord) {
    return this.run((ctx) => peer.savePeering(ctx, row));
  }
  /** The requesting side learns the answer of the accepting side. */
  peeringAnswered(id: string, status: 'ACTIVE' | 'REJECTED') {
    return peeringSagas.answered(this.saga, id, status);
  }
  /** Accepts (or rejects) a peering another project asked this one for. */
  answerPeering(id: string, accept: boolean) {
    return peeringSagas.answerPeering(this.saga, id, accept);
  }
  /** Deletes a peering from either side; the other side forgets it too, with the routes through it. */
  deletePeering(id: string) {
    return peeringSagas.deletePeering(this.saga, id);
  }
  /** The other side deleted a peering. */
  peeringGone(id: string) {
    return this.run((ctx) => peer.dropPeering(ctx, id));
  }
  /** Renames a peering, on both sides. */
  updatePeering(id: string, patch: { name?: string; description?: string }) {
    return peeringSagas.updatePeering(this.saga, id, patch);
  }

  createRoute(input: { id: string; vpcId: string; destination: string; nexthop: string }) {
    return this.run((ctx) => peer.createRoute(ctx, input));
  }
  deleteRoute(id: string) {
    return this.run((ctx) => peer.deleteRoute(ctx, id));
  }

  /** Creates a VPNaaS object; services and connections settle from PENDING_CREATE to ACTIVE. */
  async createVpnObject(kind: t.VpnKind, id: string, attributes: Record<string, t.Json>) {
    const r = this.run((ctx) => vpn.createVpnObject(ctx, kind, id, attributes));
    if ('ok' in r && r.ok.status) await this.settleSoon();
    return r;
  }
  updateVpnObject(kind: t.VpnKind, id: string, patch: Record<string, t.Json>) {
    return this.run((ctx) => vpn.updateVpnObject(ctx, kind, id, patch));
  }
  deleteVpnObject(kind: t.VpnKind, id: string) {
    return this.run((ctx) => vpn.deleteVpnObject(ctx, kind, id));
  }
}

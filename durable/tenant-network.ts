/** TenantDO's network methods: VPCs, networks, subnets, ports, security groups, Elastic IPs, peerings, VPN. */
import { eq, lt } from 'drizzle-orm';
import { DomainError } from '../core/result.ts';
import * as t from '../schema/tenant.ts';
import * as eips from './network/eips.ts';
import * as peer from './network/peerings.ts';
import * as portOps from './network/ports.ts';
import * as quotaOps from './network/quotas.ts';
import * as sg from './network/security-groups.ts';
import * as topo from './network/topology.ts';
import * as vpn from './network/vpn.ts';
import { RECONCILE_MS, TenantBase } from './tenant-base.ts';

export class TenantNetwork extends TenantBase {
  async createVpc(input: topo.VpcInput, native: boolean) {
    const r = this.run((ctx) => topo.createVpc(ctx, input, native));
    if (native && 'ok' in r) await this.settleSoon();
    return r;
  }
  updateVpc(id: string, patch: Partial<Omit<topo.VpcInput, 'id'>>) {
    return this.run((ctx) => {
      if (patch.gateway === null) vpn.requireNoVpnOn(ctx, id);
      return topo.updateVpc(ctx, id, patch);
    });
  }
  deleteVpc(id: string) {
    return this.run((ctx) => {
      peer.requireNoPeerings(ctx, id);
      vpn.requireNoVpnOn(ctx, id);
      topo.deleteVpc(ctx, id);
    });
  }
  addRouterInterface(vpcId: string, subnetId: string, portId: string) {
    return this.run((ctx) => topo.addRouterInterface(ctx, vpcId, subnetId, portId));
  }
  removeRouterInterface(vpcId: string, by: { subnetId?: string; portId?: string }) {
    return this.run((ctx) => {
      if (by.subnetId) vpn.requireNoVpnOn(ctx, by.subnetId);
      return topo.removeRouterInterface(ctx, vpcId, by);
    });
  }

  createNetwork(input: topo.NetworkInput) {
    return this.run((ctx) => topo.createNetwork(ctx, input));
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

  /** A native subnet: its network and subnet in the VPC, and the VPC router's interface at the gateway. */
  async createNativeSubnet(
    input: Omit<topo.SubnetInput, 'networkId' | 'native'> & { vpcId: string; networkId: string; interfacePortId: string },
  ) {
    const r = this.run((ctx) => {
      topo.vpc(ctx, input.vpcId);
      topo.createNetwork(ctx, { id: input.networkId, name: input.name, vpcId: input.vpcId });
      const subnet = topo.createSubnet(ctx, { ...input, native: true });
      topo.addRouterInterface(ctx, input.vpcId, subnet.id, input.interfacePortId);
      return subnet;
    });
    if ('ok' in r) await this.settleSoon();
    return r;
  }

  /** Deletes a native subnet: the router interface, the subnet and its network, refused while ports remain. */
  deleteNativeSubnet(vpcId: string, networkId: string) {
    return this.run((ctx) => {
      const net = topo.network(ctx, networkId);
      if (net.vpcId !== vpcId) throw new DomainError(404, 'SubnetNotFound', `Subnet ${networkId} could not be found in VPC ${vpcId}.`);
      for (const s of this.db.select().from(t.subnets).where(eq(t.subnets.networkId, networkId)).all()) {
        try {
          topo.removeRouterInterface(ctx, vpcId, { subnetId: s.id });
        } catch (err) {
          if (!(err instanceof DomainError && err.status === 404)) throw err;
        }
      }
      topo.deleteNetwork(ctx, networkId);
    });
  }
  updateSubnet(id: string, patch: Parameters<typeof topo.updateSubnet>[2]) {
    return this.run((ctx) => topo.updateSubnet(ctx, id, patch));
  }
  deleteSubnet(id: string) {
    return this.run((ctx) => {
      vpn.requireNoVpnOn(ctx, id);
      topo.deleteSubnet(ctx, id);
    });
  }

  createPort(input: portOps.PortInput) {
    return this.run((ctx) => portOps.createPort(ctx, { ...input, allowGatewayIp: false }));
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

  protected pool(region: string) {
    return this.env.EIP_POOL.getByName(region);
  }

  /**
   * Allocates an Elastic IP: reserve it here (quota), take an address from the region's pool, then record it,
   * bound to a port if one is given. A crash between the steps is finished by the alarm; a failed pool step
   * leaves nothing behind.
   */
  async allocateEip(input: eips.EipInput, projectId: string, options: { address?: string; portId?: string; fixedIp?: string } = {}) {
    if (options.portId) {
      const check = this.run((ctx) => portOps.port(ctx, options.portId!));
      if ('error' in check) return check;
    }
    const reserved = this.run((ctx) => eips.reserveEip(ctx, input));
    if ('error' in reserved) return reserved;
    await this.reconcileLater();
    const got = await this.pool(input.region).allocate(input.region, input.id, projectId, options.address);
    if ('error' in got) {
      this.run((ctx) => eips.dropEip(ctx, input.id));
      const message = {
        exhausted: 'No more public IP addresses are available in the pool.',
        taken: `IP address ${options.address} is already in use.`,
        outside: `IP address ${options.address} is not in the public pool.`,
      }[got.error];
      return {
        error: {
          status: got.error === 'outside' ? 400 : 409,
          kind: { exhausted: 'IpAddressGenerationFailure', taken: 'IpAddressInUse', outside: 'InvalidIpAddress' }[got.error],
          message,
        },
      };
    }
    const done = this.run((ctx) => {
      const row = eips.completeEip(ctx, input.id, got.address);
      return options.portId ? eips.bindEip(ctx, input.id, options.portId, options.fixedIp) : row;
    });
    if ('ok' in done && done.ok.status === 'PENDING_DELETE') await this.finishRelease(done.ok.id, done.ok.region);
    return done;
  }

  bindEip(id: string, portId: string | null, fixedIp?: string) {
    return this.run((ctx) => eips.bindEip(ctx, id, portId, fixedIp));
  }

  /** Releases an Elastic IP: unbind and mark it, return the address to the pool, then forget it. */
  async releaseEip(id: string) {
    const marked = this.run((ctx) => eips.beginRelease(ctx, id));
    if ('error' in marked) return marked;
    await this.reconcileLater();
    await this.finishRelease(id, marked.ok.region);
    return { ok: null };
  }

  protected async finishRelease(id: string, region: string) {
    await this.pool(region).release(id);
    this.run((ctx) => eips.dropEip(ctx, id));
  }

  protected other(projectId: string) {
    return this.env.TENANT.getByName(projectId);
  }

  /** The CIDR of one of this project's VPCs, for a peering request from another project. */
  peerableCidr(vpcId: string) {
    return this.run((ctx) => peer.peerableCidr(ctx, vpcId));
  }

  /**
   * Requests a peering from one of this project's VPCs. Within one project it is ACTIVE at once; to another
   * project it waits (PENDING_ACCEPTANCE) for that project to accept, and that project gets a link to it.
   */
  async createPeering(input: { id: string; name: string; description?: string; request: t.PeeringSide; accept: t.PeeringSide }) {
    const local = input.request.tenant_id === input.accept.tenant_id;
    const remoteCidr = local ? undefined : await this.other(input.accept.tenant_id).peerableCidr(input.accept.vpc_id);
    if (remoteCidr && 'error' in remoteCidr) return remoteCidr;
    const row = this.run((ctx) => {
      const mine = peer.peerableCidr(ctx, input.request.vpc_id);
      peer.requireDisjoint(mine, remoteCidr ? remoteCidr.ok : peer.peerableCidr(ctx, input.accept.vpc_id));
      if (input.request.vpc_id === input.accept.vpc_id) throw new DomainError(400, 'InvalidInput', 'A VPC cannot be peered with itself.');
      peer.requireNoDuplicate(ctx, input.request, input.accept);
      return peer.savePeering(ctx, {
        id: input.id,
        role: 'requester',
        name: input.name,
        description: input.description ?? '',
        status: local ? 'ACTIVE' : 'PENDING_ACCEPTANCE',
        requestVpc: input.request,
        acceptVpc: input.accept,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      });
    });
    if ('error' in row || local) return row;
    const linked = await this.other(input.accept.tenant_id).linkPeering({ ...row.ok, role: 'accepter' });
    if ('error' in linked) this.run((ctx) => peer.dropPeering(ctx, input.id));
    return 'error' in linked ? linked : row;
  }

  /** Keeps the accepting side's copy of a peering another project requested (idempotent). */
  linkPeering(row: peer.PeeringRecord) {
    return this.run((ctx) => peer.savePeering(ctx, row));
  }

  /** The requesting side learns the answer of the accepting side. */
  peeringAnswered(id: string, status: 'ACTIVE' | 'REJECTED') {
    return this.run((ctx) => {
      const p = peer.peering(ctx, id);
      if (p.role !== 'requester' || p.status !== 'PENDING_ACCEPTANCE')
        throw new DomainError(409, 'PeeringNotPending', `Peering ${id} is ${p.status}.`);
      return peer.setStatus(ctx, id, status);
    });
  }

  /** Accepts (or rejects) a peering another project asked this one for. */
  async answerPeering(id: string, accept: boolean) {
    const mine = this.run((ctx) => peer.peering(ctx, id));
    if ('error' in mine) return mine;
    if (mine.ok.role !== 'accepter')
      return { error: { status: 409, kind: 'PeeringNotPending', message: 'Only the accepting project answers a peering request.' } };
    const answered = await this.other(mine.ok.requestVpc.tenant_id).peeringAnswered(id, accept ? 'ACTIVE' : 'REJECTED');
    if ('error' in answered) {
      if (answered.error.status === 404) this.run((ctx) => peer.dropPeering(ctx, id));
      return answered;
    }
    return this.run((ctx) => peer.setStatus(ctx, id, answered.ok.status));
  }

  /** Deletes a peering from either side; the other side forgets it too, with the routes through it. */
  async deletePeering(id: string) {
    const mine = this.run((ctx) => peer.peering(ctx, id));
    if ('error' in mine) return mine;
    const otherProject = mine.ok.role === 'requester' ? mine.ok.acceptVpc.tenant_id : mine.ok.requestVpc.tenant_id;
    if (otherProject !== (mine.ok.role === 'requester' ? mine.ok.requestVpc.tenant_id : mine.ok.acceptVpc.tenant_id)) {
      await this.other(otherProject).peeringGone(id);
    }
    return this.run((ctx) => peer.dropPeering(ctx, id));
  }

  /** The other side deleted a peering. */
  peeringGone(id: string) {
    return this.run((ctx) => peer.dropPeering(ctx, id));
  }

  /** Renames a peering, on both sides. */
  async updatePeering(id: string, patch: { name?: string; description?: string }) {
    const r = this.run((ctx) => {
      peer.peering(ctx, id);
      ctx.db
        .update(t.peerings)
        .set({ ...patch, updatedAt: ctx.now })
        .where(eq(t.peerings.id, id))
        .run();
      return peer.peering(ctx, id) as peer.PeeringRecord;
    });
    if ('error' in r || r.ok.requestVpc.tenant_id === r.ok.acceptVpc.tenant_id) return r;
    const other = r.ok.role === 'requester' ? r.ok.acceptVpc.tenant_id : r.ok.requestVpc.tenant_id;
    await this.other(other).linkPeering({ ...r.ok, role: r.ok.role === 'requester' ? 'accepter' : 'requester' });
    return r;
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

  /** Moves settled network states on and finishes Elastic IP steps a crash interrupted; true when some remain. */
  protected async networkAlarm(): Promise<boolean> {
    const now = new Date().toISOString();
    this.db.update(t.vpcs).set({ status: 'OK', updatedAt: now }).where(eq(t.vpcs.status, 'CREATING')).run();
    this.db.update(t.subnets).set({ status: 'ACTIVE', updatedAt: now }).where(eq(t.subnets.status, 'UNKNOWN')).run();
    // The simulated VPN peer answers at once: services and connections come up.
    this.db.update(t.vpnObjects).set({ status: 'ACTIVE', updatedAt: now }).where(eq(t.vpnObjects.status, 'PENDING_CREATE')).run();
    const stale = new Date(Date.now() - RECONCILE_MS).toISOString();
    const unfinished = this.db
      .select()
      .from(t.elasticIps)
      .where(lt(t.elasticIps.updatedAt, stale))
      .all()
      .filter((e) => e.status.startsWith('PENDING_'));
    for (const e of unfinished) {
      if (e.status === 'PENDING_DELETE') {
        await this.finishRelease(e.id, e.region);
        continue;
      }
      // Ask the pool again: allocation is idempotent per EIP id, so this finds the address it may already hold.
      const got = await this.pool(e.region).allocate(e.region, e.id, this.ctx.id.name ?? '');
      if ('address' in got) this.run((ctx) => eips.completeEip(ctx, e.id, got.address));
      else this.run((ctx) => eips.dropEip(ctx, e.id));
    }
    return this.db
      .select()
      .from(t.elasticIps)
      .all()
      .some((e) => e.status.startsWith('PENDING_'));
  }
}

/**
 * TenantDO: one per project, the only writer of that project's resources: its network (durable/vpc/) and
 * its servers, key pairs and server groups (durable/ecs/). Each RPC method is one whole operation, run in a
 * storage transaction or as a saga of such steps (durable/vpc/*-sagas.ts, eip-allocation.ts), and comes back
 * as `{ok}` or `{error}`. Servers are built by the compute manager through the queue; every step it asks of this
 * object is idempotent, keyed by the server id, and the alarm re-drives builds and deletions that stopped making
 * progress, so nothing stays in a transitional state without an owner.
 *
 * The file is long because it is the object's whole RPC surface; each method delegates to a domain module.
 */
import { eq } from 'drizzle-orm';
import { type ComputeMessage, computeQueue } from '../core/ecs/messages.ts';
import type { Env } from '../core/env.ts';
import migrations from '../schema/migrations/tenant/migrations.js';
import * as t from '../schema/tenant.ts';
import { computeAlarm } from './ecs/alarm.ts';
import * as building from './ecs/build.ts';
import * as creating from './ecs/create.ts';
import * as jobOps from './ecs/jobs.ts';
import * as kp from './ecs/keypairs.ts';
import * as locks from './ecs/locks.ts';
import * as cq from './ecs/quotas.ts';
import * as reads from './ecs/server-reads.ts';
import * as recovery from './ecs/server-recovery.ts';
import * as resizing from './ecs/server-resize.ts';
import * as srv from './ecs/servers.ts';
import * as serverTags from './ecs/tags.ts';
import * as imgs from './ims/images.ts';
import * as imagePatch from './ims/patch.ts';
import * as snapshots from './ims/snapshot.ts';
import { SqliteObject } from './lib/sqlite-object.ts';
import { networkAlarm, SETTLE_MS } from './vpc/alarm.ts';
import type { Saga } from './vpc/context.ts';
import * as eipSagas from './vpc/eip-allocation.ts';
import { RECONCILE_MS } from './vpc/eip-allocation.ts';
import * as eips from './vpc/eips.ts';
import * as guarded from './vpc/guarded.ts';
import * as peeringSagas from './vpc/peering-sagas.ts';
import * as peer from './vpc/peerings.ts';
import * as portOps from './vpc/ports.ts';
import * as quotaOps from './vpc/quotas.ts';
import * as sg from './vpc/security-groups.ts';
import * as topo from './vpc/topology.ts';
import * as vpn from './vpc/vpn.ts';

/** The collections a caller can read in one call. */
export const COLLECTIONS = {
  vpcs: t.vpcs,
  networks: t.networks,
  subnets: t.subnets,
  ports: t.ports,
  security_groups: t.securityGroups,
  security_group_rules: t.securityGroupRules,
  elastic_ips: t.elasticIps,
  bandwidths: t.bandwidths,
  peerings: t.peerings,
  vpc_routes: t.vpcRoutes,
  vpn_objects: t.vpnObjects,
  servers: t.servers,
  keypairs: t.keypairs,
  server_groups: t.serverGroups,
  jobs: t.jobs,
  server_events: t.serverEvents,
} as const;
export type Collection = keyof typeof COLLECTIONS;
export type Rows = { [K in Collection]: (typeof COLLECTIONS)[K]['$inferSelect'][] };

/** A caller the API did not name: a fresh request id, no user, not an administrator. */
const unnamed = (): srv.Actor => ({ requestId: `req-${crypto.randomUUID()}`, userId: null, admin: false });

export class TenantDO extends SqliteObject {
  /** What the network sagas work with: this object's transactions, alarm and bindings. */
  private readonly saga: Saga;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
    this.saga = {
      env,
      get projectId() {
        return ctx.id.name ?? '';
      },
      run: (op) => this.run(op),
      db: this.db,
      settleSoon: () => this.settleSoon(),
      reconcileLater: () => this.reconcileLater(),
    };
  }

  /** Wakes the alarm soon, to move transitional states on. */
  private settleSoon(): Promise<void> {
    return this.alarmBy(Date.now() + SETTLE_MS);
  }

  /** Wakes the alarm later, to finish steps that a crash may have interrupted. */
  private reconcileLater(): Promise<void> {
    return this.alarmBy(Date.now() + RECONCILE_MS);
  }

  /**
   * Every project has its `default` security group from the start (made once, so its id never changes): a
   * read then finds it, and never has to write it.
   */
  protected override started(): void {
    this.run((ctx) => sg.defaultSecurityGroupId(ctx));
  }

  /** Reads whole collections (the API layer filters, sorts and pages them); reads write nothing. */
  list<K extends Collection>(kinds: K[]): Pick<Rows, K> {
    const out = {} as Pick<Rows, K>;
    for (const k of kinds) (out as Record<string, unknown>)[k] = this.db.select().from(COLLECTIONS[k]).all();
    return out;
  }

  // The network: VPCs, networks, subnets, ports, security groups, Elastic IPs, peerings, VPN.

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

  // Compute: servers, their builds and actions, key pairs, server groups, jobs.
  private enqueue(message: ComputeMessage): Promise<void> {
    return this.enqueueAll([message]);
  }

  /**
   * Queues compute steps, 100 to a batch, once their records are committed. The alarm is set first: what the
   * queue does not take is driven again from the records, so a failed send is logged and not undone.
   */
  private async enqueueAll(messages: ComputeMessage[]): Promise<void> {
    await this.reconcileLater();
    try {
      for (let at = 0; at < messages.length; at += 100)
        await computeQueue(this.env).sendBatch(messages.slice(at, at + 100).map((body) => ({ body })));
    } catch (err) {
      console.error(JSON.stringify({ queue: 'compute', messages: messages.length, error: String(err), next: 'the alarm drives them' }));
    }
  }

  /**
   * Records servers in BUILD, all or none: the quotas are checked for the whole request and every server's
   * references, in one transaction with the job over them (native API); then their builds are queued.
   */
  async createServers(projectId: string, inputs: srv.CreateServerInput[], requestId = `req-${crypto.randomUUID()}`, job?: jobOps.JobSpec) {
    const r = this.run((ctx) => creating.recordServers(ctx, inputs, requestId, job));
    if ('ok' in r) await this.enqueueAll(inputs.map((i) => ({ kind: 'build', projectId, serverId: i.id })));
    return r;
  }

  /**
   * The native create: each server's primary NIC with its Elastic IP, then the servers and their job, all or none
   * (durable/ecs/create.ts); then their builds are queued.
   */
  async createNativeServers(
    projectId: string,
    network: creating.NativeNetwork,
    inputs: srv.CreateServerInput[],
    requestId: string,
    job?: jobOps.JobSpec,
  ) {
    const r = await creating.createWithNics(this.saga, projectId, network, inputs, requestId, job);
    if ('ok' in r) await this.enqueueAll(inputs.map((i) => ({ kind: 'build', projectId, serverId: i.id })));
    return r;
  }

  /** The server if its build should go on, with its server group: a build's first step. */
  startBuild(id: string) {
    return this.run((ctx) => building.startBuild(ctx, id));
  }
  /** A build's step once a host is claimed: scheduled there, ports plugged (or failed); the addresses to boot. */
  placed(id: string, hostId: string) {
    return building.placeAndPlug(this.run.bind(this), id, hostId);
  }

  /** The fixed addresses of a server's ports. */
  serverAddresses(id: string) {
    return this.run((ctx) => reads.serverAddresses(ctx, id));
  }

  /** One server with the rows its views need (a read by id), or null. */
  serverRecord(id: string) {
    return this.run((ctx) => reads.serverRecord(ctx, id));
  }
  /** Every server with the rows their views need (the list routes). */
  projectServers() {
    return this.run((ctx) => reads.projectServers(ctx));
  }

  activate(id: string, powerState: number) {
    return this.run((ctx) => srv.activate(ctx, id, powerState));
  }
  failServer(id: string, fault: { code: number; message: string }) {
    return this.run((ctx) => srv.fail(ctx, id, fault));
  }

  /** Any server by id (including one being deleted), or null. */
  server(id: string) {
    return this.db.select().from(t.servers).where(eq(t.servers.id, id)).get() ?? null;
  }

  /**
   * Marks servers for deletion, all or none: an unknown or locked one refuses the whole request. Records the
   * job over them when given (native API), then queues the deletions.
   */
  async deleteServers(projectId: string, ids: string[], actor: srv.Actor = unnamed(), job?: jobOps.JobSpec) {
    const r = this.run((ctx) => {
      for (const id of ids) {
        srv.beginDelete(ctx, id, actor.admin);
        srv.recordEvent(ctx, id, 'delete', actor.requestId, actor.userId);
      }
      if (job) jobOps.recordJob(ctx, job, ids);
      return ids;
    });
    if ('ok' in r) await this.enqueueAll(ids.map((id) => ({ kind: 'delete', projectId, serverId: id })));
    return r;
  }
  removeServer(id: string) {
    return this.run((ctx) => srv.remove(ctx, id));
  }

  /**
   * Starts a power action on servers, all or none: an unknown one, a locked one or one whose state does not
   * allow it refuses the whole request. Records the job over them when given (native API), then queues them.
   */
  async serverActions(
    projectId: string,
    ids: string[],
    action: srv.PowerAction,
    hard = false,
    actor: srv.Actor = unnamed(),
    job?: jobOps.JobSpec,
  ) {
    const r = this.run((ctx) => {
      for (const id of ids) {
        srv.beginAction(ctx, id, action, hard, actor.admin);
        srv.recordEvent(ctx, id, { 'os-stop': 'stop', 'os-start': 'start', reboot: 'reboot' }[action], actor.requestId, actor.userId);
      }
      if (job) jobOps.recordJob(ctx, job, ids);
      return ids;
    });
    if ('ok' in r) await this.enqueueAll(ids.map((id) => ({ kind: 'power', projectId, serverId: id, action, hard })));
    return r;
  }
  finishAction(id: string, powerState: number) {
    return this.run((ctx) => srv.finishAction(ctx, id, powerState));
  }
  updateServer(id: string, patch: srv.ServerPatch, admin = false) {
    return this.run((ctx) => srv.updateServer(ctx, id, patch, admin));
  }

  /** Locks a server (recorded when it was not locked yet). */
  lockServer(id: string, actor: srv.Actor) {
    return this.run((ctx) => {
      if (locks.lock(ctx, id)) srv.recordEvent(ctx, id, 'lock', actor.requestId, actor.userId);
      return srv.server(ctx, id);
    });
  }
  unlockServer(id: string, actor: srv.Actor) {
    return this.run((ctx) => {
      const s = locks.unlock(ctx, id, actor.admin);
      srv.recordEvent(ctx, id, 'unlock', actor.requestId, actor.userId);
      return s;
    });
  }

  /** Checks and records a crash dump request; the caller then has the host inject the NMI. */
  crashDump(id: string, actor: srv.Actor) {
    return this.run((ctx) => {
      const s = srv.crashDumpable(ctx, id, actor.admin);
      srv.recordEvent(ctx, id, 'trigger_crash_dump', actor.requestId, actor.userId);
      return s;
    });
  }

  replaceTags(id: string, tags: string[]) {
    return this.run((ctx) => serverTags.replaceTags(ctx, id, tags));
  }
  /** Adds a tag; true when it is new. */
  addTag(id: string, tag: string) {
    return this.run((ctx) => serverTags.addTag(ctx, id, tag));
  }
  removeTag(id: string, tag: string) {
    return this.run((ctx) => serverTags.removeTag(ctx, id, tag));
  }
  clearTags(id: string) {
    return this.run((ctx) => serverTags.clearTags(ctx, id));
  }

  /** Starts a resize and queues it. */
  async resizeServer(projectId: string, id: string, to: resizing.FlavorSize, actor: srv.Actor = unnamed()) {
    const r = this.run((ctx) => {
      const s = resizing.beginResize(ctx, id, to, actor.admin);
      srv.recordEvent(ctx, id, 'resize', actor.requestId, actor.userId);
      return s;
    });
    if ('ok' in r) await this.enqueue({ kind: 'resize', projectId, serverId: id });
    return r;
  }
  resized(id: string, hostId: string) {
    return this.run((ctx) => resizing.resized(ctx, id, hostId));
  }
  resizeFailed(id: string, message: string) {
    return this.run((ctx) => resizing.resizeFailed(ctx, id, message));
  }

  /** Confirms (or reverts) a resize and queues freeing the side that is no longer used. */
  async finishResize(projectId: string, id: string, confirm: boolean, actor: srv.Actor = unnamed()) {
    const r = this.run((ctx) => {
      const done = resizing.finishResize(ctx, id, confirm, actor.admin);
      srv.recordEvent(ctx, id, confirm ? 'confirmResize' : 'revertResize', actor.requestId, actor.userId);
      return done;
    });
    if ('ok' in r)
      await this.enqueue({
        kind: 'resize-finish',
        projectId,
        serverId: id,
        zone: r.ok.server.zone,
        confirm,
        fromHost: r.ok.resize.from.hostId,
        toHost: r.ok.resize.to.hostId,
      });
    return r;
  }

  /** Starts a rebuild from an image and queues it. */
  async rebuildServer(projectId: string, id: string, input: Parameters<typeof resizing.beginRebuild>[2], actor: srv.Actor = unnamed()) {
    const r = this.run((ctx) => {
      const s = resizing.beginRebuild(ctx, id, input, actor.admin);
      srv.recordEvent(ctx, id, 'rebuild', actor.requestId, actor.userId);
      return s;
    });
    if ('ok' in r) await this.enqueue({ kind: 'rebuild', projectId, serverId: id });
    return r;
  }
  rebuilt(id: string) {
    return this.run((ctx) => resizing.rebuilt(ctx, id));
  }

  recovering(id: string, failedHost: string) {
    return this.run((ctx) => recovery.recovering(ctx, id, failedHost));
  }
  recovered(id: string, failedHost: string, hostId: string, powerState: number) {
    return this.run((ctx) => recovery.recovered(ctx, id, failedHost, hostId, powerState));
  }
  hostDown(id: string, failedHost: string, message: string) {
    return this.run((ctx) => recovery.hostDown(ctx, id, failedHost, message));
  }

  setAutoRecovery(id: string, enabled: boolean) {
    return this.run((ctx) => srv.setAutoRecovery(ctx, id, enabled));
  }

  createKeypair(input: Parameters<typeof kp.createKeypair>[1]) {
    return this.run((ctx) => kp.createKeypair(ctx, input));
  }
  deleteKeypair(name: string) {
    return this.run((ctx) => kp.deleteKeypair(ctx, name));
  }
  createServerGroup(input: Parameters<typeof kp.createServerGroup>[1]) {
    return this.run((ctx) => kp.createServerGroup(ctx, input));
  }
  deleteServerGroup(id: string) {
    return this.run((ctx) => kp.deleteServerGroup(ctx, id));
  }
  /** A native job with its status derived from its servers. */
  job(id: string) {
    return this.run((ctx) => jobOps.readJob(ctx, id));
  }

  setComputeQuotas(wanted: Partial<Record<cq.ComputeQuota, number>>) {
    return this.run((ctx) => cq.setComputeLimits(ctx, wanted));
  }

  computeQuotas() {
    return this.run((ctx) => ({ limits: cq.computeLimits(ctx), usage: cq.computeUsage(ctx) }));
  }

  override async alarm(): Promise<void> {
    this.alarmSpent();
    const network = await networkAlarm(this.saga);
    const compute = await computeAlarm(this.saga);
    if (network || compute) await this.setAlarm(Date.now() + RECONCILE_MS);
  }

  // Images: private images (durable/ims/), their bytes in R2 under `ims/<project>/<image id>`.

  /** Where an image's bytes live in R2. */
  private imageBlobKey(id: string): string {
    return `ims/${this.saga.projectId}/${id}`;
  }
  /** Creates an image from a Glance create body (its keys applied as a patch would apply them), with its native job. */
  createImage(input: imgs.ImageInput, body: Record<string, unknown> = {}, operator = false, job?: { id: string; type: string }) {
    return this.run((ctx) => {
      const row = imagePatch.createFromBody(ctx, input, body, operator);
      if (job) snapshots.recordImageJob(ctx, job, '', row.id);
      return row;
    });
  }
  image(id: string) {
    return this.run((ctx) => imgs.image(ctx, id));
  }
  /** The project's images (or those of the given ids). */
  images(ids?: string[]) {
    return this.run((ctx) => imgs.listImages(ctx, ids));
  }
  patchImage(id: string, ops: imagePatch.PatchOp[], operator: boolean) {
    return this.run((ctx) => imagePatch.patchImage(ctx, id, ops, operator));
  }
  /** Starts an upload of a queued image (within the bytes quota when its length is known): the R2 key to write. */
  beginImageUpload(id: string, length: number | null, status?: Parameters<typeof imgs.beginUpload>[4]) {
    return this.run((ctx) => imgs.beginUpload(ctx, id, this.imageBlobKey(id), length, status));
  }
  /** The upload is in R2: the image is active, with its size and hashes, and metered. */
  finishImageUpload(id: string, done: imgs.Uploaded) {
    return this.run((ctx) => imgs.finishUpload(ctx, id, done));
  }
  /** The upload failed: the image is queued again (or killed) and the partial bytes are dropped. */
  async abortImageUpload(id: string, fault: string, kill = false) {
    const r = this.run((ctx) => imgs.abortUpload(ctx, id, fault, kill));
    await this.env.OBS_DATA.delete(this.imageBlobKey(id));
    return r;
  }
  /** Deletes an image and then its bytes. */
  async deleteImage(id: string) {
    const r = this.run((ctx) => imgs.deleteImage(ctx, id));
    if ('ok' in r && r.ok.blobKey) await this.env.OBS_DATA.delete(r.ok.blobKey);
    return r;
  }
  setImageActive(id: string, active: boolean) {
    return this.run((ctx) => imgs.setActive(ctx, id, active));
  }
  tagImage(id: string, tag: string, add: boolean) {
    return this.run((ctx) => imgs.tag(ctx, id, tag, add));
  }
  /** Records a native job over an image (an export): it is done when the image is active. */
  imageJob(job: { id: string; type: string }, imageId: string) {
    return this.run((ctx) => snapshots.recordImageJob(ctx, job, '', imageId));
  }
  imageQuotas() {
    return this.run((ctx) => ({ limits: imgs.imageLimits(ctx), usage: imgs.imageUsage(ctx) }));
  }
  setImageQuotas(wanted: Partial<Record<imgs.ImageQuota, number>>) {
    return this.run((ctx) => imgs.setImageLimits(ctx, wanted));
  }

  /**
   * Makes an image of a server: recorded `saving` (with the native job over it, when given), then the host's agent
   * writes the server's disk to R2 and the image becomes active; a failed snapshot kills it.
   */
  async imageFromServer(input: imgs.ImageInput, serverId: string, baseImageId: string, job?: { id: string; type: string }) {
    const key = this.imageBlobKey(input.id);
    const r = this.run((ctx) => {
      const begun = snapshots.beginSnapshot(ctx, input, serverId, key);
      if (job) snapshots.recordImageJob(ctx, job, serverId, begun.image.id);
      return begun;
    });
    if ('error' in r) return r;
    try {
      const done = await this.env.HOST.getByName(r.ok.hostId).snapshot(serverId, baseImageId, key);
      if (!done) throw new Error(`host ${r.ok.hostId} does not run it`);
      return this.run((ctx) => imgs.finishUpload(ctx, input.id, done));
    } catch (err) {
      return this.abortImageUpload(input.id, `The server's disk could not be read: ${String(err)}`, true);
    }
  }
}

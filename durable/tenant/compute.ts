/** The TenantDO's compute: servers, their builds and actions, key pairs, server groups, jobs. */
import { eq } from 'drizzle-orm';
import { type ComputeMessage, computeQueue } from '../../core/ecs/messages.ts';
import * as t from '../../schema/tenant.ts';
import * as building from '../ecs/build.ts';
import * as creating from '../ecs/create.ts';
import * as guest from '../ecs/guest.ts';
import * as jobOps from '../ecs/jobs.ts';
import * as kp from '../ecs/keypairs.ts';
import * as locks from '../ecs/locks.ts';
import * as cq from '../ecs/quotas.ts';
import * as reads from '../ecs/server-reads.ts';
import * as recovery from '../ecs/server-recovery.ts';
import * as resizing from '../ecs/server-resize.ts';
import * as srv from '../ecs/servers.ts';
import * as serverTags from '../ecs/tags.ts';
import * as att from '../evs/attachments.ts';

import { TenantNetwork } from './network.ts';

/** A caller the API did not name: a fresh request id, no user, not an administrator. */
const unnamed = (): srv.Actor => ({ requestId: `req-${crypto.randomUUID()}`, userId: null, admin: false });

export abstract class TenantCompute extends TenantNetwork {
  private enqueue(message: ComputeMessage): Promise<void> {
    return this.enqueueAll([message]);
  }

  /** Queues compute steps once their records are committed (the alarm drives what the queue does not take). */
  private enqueueAll(messages: ComputeMessage[]): Promise<void> {
    return this.enqueueOn(computeQueue(this.env), 'compute', messages);
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

  /** The build's last step: the server ACTIVE, and the volumes it was created with attached (`in-use`). */
  activate(id: string, powerState: number) {
    return this.run((ctx) => {
      const s = srv.activate(ctx, id, powerState);
      if (s) att.serverActive(ctx, id);
      return s;
    });
  }
  /** A build failed for good: the server in ERROR, the volumes made for it in error, existing ones available again. */
  failServer(id: string, fault: { code: number; message: string }) {
    return this.run((ctx) => {
      const s = srv.fail(ctx, id, fault);
      if (s) att.buildFailed(ctx, id, `The server ${id} it was made for failed to build: ${fault.message}`);
      return s;
    });
  }

  /** Any server by id (including one being deleted), or null. */
  server(id: string) {
    return this.db.select().from(t.servers).where(eq(t.servers.id, id)).get() ?? null;
  }

  /**
   * Marks servers for deletion, all or none: an unknown or locked one refuses the whole request. Records the
   * job over them when given (native API), marks all their volumes to go with them when asked (native
   * `delete_volume`), then queues the deletions.
   */
  async deleteServers(projectId: string, ids: string[], actor: srv.Actor = unnamed(), job?: jobOps.JobSpec, deleteVolumes = false) {
    const r = this.run((ctx) => {
      for (const id of ids) {
        srv.beginDelete(ctx, id, actor.admin);
        if (deleteVolumes) att.deleteOnTermination(ctx, id);
        srv.recordEvent(ctx, id, 'delete', actor.requestId, actor.userId);
      }
      if (job) jobOps.recordJob(ctx, job, ids);
      return ids;
    });
    if ('ok' in r) await this.enqueueAll(ids.map((id) => ({ kind: 'delete', projectId, serverId: id })));
    return r;
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

  /** Pauses, unpauses, suspends or resumes a server, at once (no host step: guest.ts). */
  guestAction(id: string, action: guest.GuestAction, actor: srv.Actor) {
    return this.run((ctx) => guest.guestAction(ctx, id, action, actor));
  }

  /** Adds a security group to a server and its ports, or removes it. */
  changeServerGroup(id: string, ref: string, add: boolean) {
    return this.run((ctx) => guest.changeGroup(ctx, id, ref, add));
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
}

/**
 * AsDO: one per project, the only writer of its Auto Scaling state: configurations, groups, policies, the groups'
 * instances and activity log (durable/as/). It never makes a server itself: each round of a group's driver is a
 * message on the scaling queue, whose consumer (workers/as/driver.ts) asks this object for the round's plan and takes
 * its steps through the compute and load balancing use cases. Its alarm runs the scheduled policies, sends the
 * rounds of unsettled groups, and publishes each group's metrics (SYS.AS) to Cloud Eye.
 */
import { seriesKey, systemPoint } from '../core/ces/metrics.ts';
import type { Env } from '../core/env.ts';
import type { Group, InstanceConfig } from '../schema/as.ts';
import migrations from '../schema/migrations/as/migrations.js';
import * as act from './as/activities.ts';
import * as cfg from './as/configurations.ts';
import * as grp from './as/groups.ts';
import * as ins from './as/instances.ts';
import * as plan from './as/plan.ts';
import * as pol from './as/policies.ts';
import { SqliteObject } from './lib/sqlite-object.ts';

/** A round of one group's driver, as the scaling queue carries it. */
export interface ScalingMessage {
  kind: 'round';
  projectId: string;
  groupId: string;
}

/** A group with what its view adds: how many instances it holds and whether it is scaling. */
export type GroupView = Group & { current: number; scaling: boolean };

export class AsDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  private get projectId(): string {
    return this.ctx.id.name ?? '';
  }

  /** How often an unsettled group gets a round. */
  private get tick(): number {
    return Number(this.env.AS_TICK_MS || 10_000);
  }

  /** How often groups' metrics are published (Cloud Eye's collection period). */
  private get collectEvery(): number {
    return Number(this.env.CES_COLLECT_MS || 60_000);
  }

  /** Puts a round of each group on the scaling queue. */
  private async sendRounds(groupIds: string[]): Promise<void> {
    const unique = [...new Set(groupIds)];
    if (!unique.length) return;
    const body = (groupId: string): ScalingMessage => ({ kind: 'round', projectId: this.projectId, groupId });
    await this.env.SCALING_QUEUE.sendBatch(unique.map((groupId) => ({ body: body(groupId) })));
  }

  /** Sends a round of each group now and keeps the alarm coming while any is unsettled. */
  private async drive(groupIds: string[]): Promise<void> {
    await this.sendRounds(groupIds);
    await this.alarmBy(Date.now() + this.tick);
  }

  private viewOf(g: Group): GroupView {
    const ctx = { db: this.db, now: '' };
    return { ...g, current: grp.instanceCount(ctx, g.id), scaling: act.scalingNow(ctx, g.id) };
  }

  createConfiguration(id: string, name: string, config: InstanceConfig) {
    return this.run((ctx) => cfg.createConfiguration(ctx, id, name, config, Date.now()));
  }
  configuration(id: string) {
    return this.run((ctx) => cfg.configuration(ctx, id));
  }
  configurations(filter: { name?: string; imageId?: string }) {
    return this.run((ctx) => cfg.listConfigurations(ctx, filter));
  }
  deleteConfigurations(ids: string[]) {
    return this.run((ctx) => cfg.deleteConfigurations(ctx, ids));
  }

  async createGroup(input: grp.GroupInput) {
    const r = this.run((ctx) => this.viewOf(grp.createGroup(ctx, input, Date.now())));
    if ('ok' in r) await this.drive([r.ok.id]);
    return r;
  }
  group(id: string) {
    return this.run((ctx) => this.viewOf(grp.group(ctx, id)));
  }
  groups(filter: { name?: string; configurationId?: string; status?: string }) {
    return this.run((ctx) => grp.listGroups(ctx, filter).map((g) => this.viewOf(g)));
  }
  async updateGroup(id: string, patch: grp.GroupPatch) {
    const r = this.run((ctx) => grp.updateGroup(ctx, id, patch));
    if ('ok' in r) await this.drive([id]);
    return r;
  }
  async pauseGroup(id: string, paused: boolean) {
    const r = this.run((ctx) => grp.setGroupPaused(ctx, id, paused));
    if ('ok' in r && !paused) await this.drive([id]);
    return r;
  }
  async deleteGroup(id: string, force: boolean) {
    const r = this.run((ctx) => grp.deleteGroup(ctx, id, force, act.scalingNow(ctx, id)));
    if ('ok' in r && r.ok === 'deleting') await this.drive([id]);
    return r;
  }
  tagGroup(id: string, action: 'create' | 'delete', tags: { key: string; value?: string }[]) {
    return this.run((ctx) => grp.tagGroup(ctx, id, action, tags));
  }

  createPolicy(input: pol.PolicyInput) {
    return this.run((ctx) => pol.createPolicy(ctx, input, Date.now()));
  }
  policy(id: string) {
    return this.run((ctx) => pol.policy(ctx, id));
  }
  policies(groupId: string) {
    return this.run((ctx) => pol.listPolicies(ctx, groupId));
  }
  updatePolicy(id: string, patch: pol.PolicyPatch) {
    return this.run((ctx) => pol.updatePolicy(ctx, id, patch, Date.now()));
  }
  deletePolicy(id: string) {
    return this.run((ctx) => pol.deletePolicy(ctx, id));
  }
  async policyAction(id: string, action: 'execute' | 'pause' | 'resume') {
    const now = Date.now();
    const r = this.run((ctx) => {
      if (action !== 'execute') return pol.setPolicyPaused(ctx, id, action === 'pause', now).groupId;
      pol.executePolicy(ctx, id, 'manual', now);
      return pol.policy(ctx, id).groupId;
    });
    if ('ok' in r && action === 'execute') await this.drive([r.ok]);
    if ('ok' in r && action === 'resume') await this.alarmBy(Date.now() + this.tick);
    return r;
  }

  instances(groupId: string, filter: { state?: string; health?: string; protect?: boolean }) {
    return this.run((ctx) => ins.listInstances(ctx, groupId, filter));
  }
  /** Every instance of the project's groups (to tell a server's group, as the Console does). */
  allInstances() {
    return this.run((ctx) => ins.allInstances(ctx));
  }
  async removeInstances(groupId: string, serverIds: string[], deleteServer: boolean) {
    const r = this.run((ctx) => ins.removeInstances(ctx, groupId, serverIds, deleteServer, Date.now()));
    if ('ok' in r) await this.drive([groupId]);
    return r;
  }
  async adoptInstances(groupId: string, servers: { id: string; name: string }[]) {
    const r = this.run((ctx) => ins.adoptInstances(ctx, groupId, servers, Date.now()));
    if ('ok' in r) await this.drive([groupId]);
    return r;
  }
  protectInstances(groupId: string, serverIds: string[], protect: boolean) {
    return this.run((ctx) => ins.protectInstances(ctx, groupId, serverIds, protect));
  }
  activities(groupId: string, range: { from?: number; to?: number }) {
    return this.run((ctx) => {
      grp.group(ctx, groupId);
      return act.listActivities(ctx, groupId, range);
    });
  }

  /** What the project uses of each AS quota. */
  quotas() {
    return this.run((ctx) => {
      const all = grp.listGroups(ctx, {});
      return {
        groups: { used: all.length, quota: grp.GROUP_QUOTA },
        configurations: { used: cfg.countConfigurations(ctx), quota: cfg.CONFIGURATION_QUOTA },
        policies: { used: all.reduce((n, g) => n + pol.listPolicies(ctx, g.id).length, 0), quota: pol.POLICY_QUOTA * grp.GROUP_QUOTA },
        instances: { used: all.reduce((n, g) => n + grp.instanceCount(ctx, g.id), 0), quota: 200 },
      };
    });
  }

  /**
   * Cloud Eye says an alarm rule with an autoscaling action fired: the ALARM policies bound to it run (each held
   * by the group's and its own cool-down), and the groups they moved get a round at once.
   */
  async alarmFired(alarmId: string, at: number) {
    const r = this.run((ctx) =>
      pol.alarmPolicies(ctx, alarmId).flatMap((p) => (pol.executePolicy(ctx, p.id, 'alarm', at) ? [p.groupId] : [])),
    );
    if ('ok' in r) await this.drive(r.ok);
    return r;
  }

  /** One round of a group's driver: the steps to take, with the state they follow from written. */
  async planRound(groupId: string, snapshot: plan.Snapshot) {
    const r = this.run((ctx) => plan.planRound(ctx, groupId, snapshot, Date.now()));
    // Another round follows while the group is unsettled (the alarm sends it).
    await this.alarmBy(Date.now() + this.tick);
    return r;
  }

  /** The compute API refused a launch of the round. */
  launchFailed(serverId: string, why: string) {
    return this.run((ctx) => plan.launchFailed(ctx, serverId, why, Date.now()));
  }

  /** The groups that still have work, each with the region and user its driver acts as. */
  private unsettled() {
    return this.run((ctx) =>
      grp
        .listGroups(ctx, {})
        .filter((g) => !plan.settled(ctx, g))
        .map((g) => g.id),
    );
  }

  /** Publishes each group's SYS.AS metrics at `at`: its instances in service, and their average CPU and memory. */
  async publishMetrics(at: number): Promise<number> {
    const r = this.run((ctx) =>
      grp
        .listGroups(ctx, {})
        .map((g) => ({ id: g.id, members: ins.listInstances(ctx, g.id, { state: 'INSERVICE' }).map((i) => i.serverId) })),
    );
    if (!('ok' in r) || r.ok.length === 0) return 0;
    const ces = this.env.CES.getByName(this.projectId);
    const window = { from: at - 2 * this.collectEvery, to: at, period: 1, filter: 'average' as const };
    const points = [];
    for (const g of r.ok) {
      const dims = [{ name: 'AutoScalingGroup', value: g.id }];
      points.push(systemPoint('SYS.AS', 'instance_num', dims, g.members.length, at));
      for (const metric of ['cpu_util', 'mem_util'] as const) {
        const keys = g.members.map((id) =>
          seriesKey({ namespace: 'SYS.ECS', metric_name: metric, dimensions: [{ name: 'instance_id', value: id }] }),
        );
        const data = keys.length ? await ces.metricData(keys.map((key) => ({ key, ...window }))) : { ok: [] };
        const latest = 'ok' in data ? data.ok.flatMap((d) => d.datapoints.slice(-1).map((p) => p.value)) : [];
        if (latest.length) points.push(systemPoint('SYS.AS', metric, dims, latest.reduce((a, b) => a + b, 0) / latest.length, at));
      }
    }
    await ces.ingest(points);
    return points.length;
  }

  override async alarm(): Promise<void> {
    this.alarmSpent();
    await this.wake(Date.now());
  }

  /**
   * What the alarm does at `now` (tests call it at a time): runs the scheduled policies due, sends a round of
   * every group that is unsettled or whose health audit is due (a server deleted behind a settled group's back
   * is noticed there), publishes the groups' metrics once per collection period, and sets the next wake.
   */
  async wake(now: number): Promise<string[]> {
    const r = this.run((ctx) => {
      const moved = pol.duePolicies(ctx, now).flatMap((p) => (pol.executePolicy(ctx, p.id, 'schedule', now) ? [p.groupId] : []));
      const all = grp.listGroups(ctx, {});
      const auditDue = (g: Group) => (g.lastAuditAt ?? g.createdAt) + g.auditMinutes * 60_000;
      const rounds = all.filter((g) => moved.includes(g.id) || !plan.settled(ctx, g) || auditDue(g) <= now).map((g) => g.id);
      const unsettled = all.some((g) => !plan.settled(ctx, g));
      const wakes = [unsettled ? now + this.tick : Number.POSITIVE_INFINITY, pol.nextScheduled(ctx) ?? Number.POSITIVE_INFINITY];
      for (const g of all) wakes.push(Math.max(auditDue(g), now + this.tick));
      // Metrics are published every collection period, halfway through it, while the project has a group.
      const past = now - Math.floor(this.collectEvery / 2);
      if (all.length) wakes.push(past - (past % this.collectEvery) + this.collectEvery + Math.floor(this.collectEvery / 2));
      return { rounds, next: Math.min(...wakes), groups: all.length };
    });
    if (!('ok' in r)) throw new Error(r.error.message);
    // The next wake is set first, so that a failure below (Cloud Eye or the queue unreachable) cannot stop it.
    if (Number.isFinite(r.ok.next)) await this.setAlarm(r.ok.next);
    await this.sendRounds(r.ok.rounds);
    // The latest period whose middle has passed: the hosts' samples at its start are in by then.
    const half = Math.floor(this.collectEvery / 2);
    const period = now - half - ((now - half) % this.collectEvery);
    if (r.ok.groups && period > (this.lastPublished ?? 0)) {
      this.lastPublished = period;
      await this.publishMetrics(period);
    }
    return r.ok.rounds;
  }

  /** The collection period whose metrics were last published (in memory: a lost value republishes one period). */
  private lastPublished: number | undefined;
}

/**
 * One round of a group's driver, decided inside the AsDO in one transaction: given what the project's servers and
 * pool members look like now, it moves each instance's life-cycle state, records the servers it is about to
 * launch (their ids chosen here, so that a redelivered round launches nothing twice) and answers the steps the
 * driver must take outside (workers/as/driver.ts): launch, join a pool, leave one, delete a server.
 */
import { and, eq } from 'drizzle-orm';
import { nextZone, victims } from '../../core/as/scaling.ts';
import { type Group, groups, type Instance, instances } from '../../schema/as.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { closeActivity, noteServer, openActivity, openOf } from './activities.ts';
import { group, removeGroup } from './groups.ts';

/** A server as the driver saw it. */
export interface ServerView {
  id: string;
  status: string;
  zone: string;
  /** The primary NIC's address and subnet, once it has one. */
  address: string | null;
  subnetId: string | null;
}

/** A pool member as the driver saw it. */
export interface MemberView {
  id: string;
  poolId: string;
  provisioningStatus: string;
  operatingStatus: string;
}

export interface Snapshot {
  servers: ServerView[];
  members: MemberView[];
  /** The project's pool ids: a binding to a pool deleted since is no longer waited for. */
  pools: string[];
}

export type Step =
  | { kind: 'launch'; serverId: string; name: string; zone: string; configurationId: string }
  | {
      kind: 'join';
      serverId: string;
      poolId: string;
      memberId: string;
      address: string;
      subnetId: string | null;
      port: number;
      weight: number;
    }
  | { kind: 'leave'; poolId: string; memberId: string }
  | { kind: 'delete'; serverId: string; releaseEips: boolean; deleteVolumes: boolean };

/** At most this many servers are launched by one round (the next round launches the rest). */
export const LAUNCH_BATCH = 10;
/** A launch whose server never appeared is given up after this long. */
export const LAUNCH_TIMEOUT_MS = 5 * 60_000;
/** A server whose delete was asked and that is still there is asked again after this long. */
const DELETE_RETRY_MS = 60_000;
/** After a failed launch the group waits this long before it launches again. */
export const LAUNCH_RETRY_MS = 30_000;

const UNHEALTHY_SERVER = new Set(['ERROR', 'SHUTOFF']);
const UNHEALTHY_MEMBER = new Set(['ERROR', 'OFFLINE']);

function set(ctx: OpContext, serverId: string, patch: Partial<Instance>) {
  ctx.db.update(instances).set(patch).where(eq(instances.serverId, serverId)).run();
}

function drop(ctx: OpContext, row: Instance) {
  ctx.db.delete(instances).where(eq(instances.serverId, row.serverId)).run();
}

/** Whether the group's health audit looks at this instance now. */
function audited(g: Group, row: Instance, now: number): boolean {
  const due = g.lastAuditAt === null || now >= g.lastAuditAt + g.auditMinutes * 60_000;
  return due && now >= row.createdAt + g.auditGrace * 1000;
}

/** The steps of one instance, and its new state written. */
function instanceRound(ctx: OpContext, g: Group, row: Instance, snap: Snapshot, now: number): Step[] {
  const s = snap.servers.find((x) => x.id === row.serverId);
  const live = (m: { memberId: string }) => snap.members.find((x) => x.id === m.memberId && x.provisioningStatus !== 'PENDING_DELETE');
  const activity = openOf(ctx, g.id);
  if (row.state === 'PENDING') {
    if (!s) {
      if (now < row.createdAt + LAUNCH_TIMEOUT_MS) return [];
      drop(ctx, row);
      if (activity) closeActivity(ctx, activity.id, 'FAIL', now, `The server ${row.serverId} was never created.`);
      return [];
    }
    if (s.status === 'ERROR') {
      // A build that failed: the activity fails, and the group waits before it launches again (a configuration that
      // can never boot must not launch a server every round).
      set(ctx, row.serverId, { state: 'REMOVING', health: 'ERROR', deleteServer: row.configurationId !== null });
      if (activity) closeActivity(ctx, activity.id, 'FAIL', now, `The server ${row.serverId} failed to build.`);
      ctx.db
        .update(groups)
        .set({ retryAt: now + LAUNCH_RETRY_MS })
        .where(eq(groups.id, g.id))
        .run();
      return [];
    }
    if (s.status !== 'ACTIVE' || !s.address) return [];
    const joins: Step[] = [];
    for (const m of row.members) {
      const binding = g.pools.find((p) => p.pool_id === m.poolId);
      if (binding && snap.pools.includes(m.poolId) && !live(m))
        joins.push({
          kind: 'join',
          serverId: s.id,
          poolId: m.poolId,
          memberId: m.memberId,
          address: s.address,
          subnetId: s.subnetId,
          port: binding.protocol_port,
          weight: binding.weight,
        });
    }
    if (joins.length) return joins;
    set(ctx, row.serverId, { state: 'INSERVICE', health: 'NORMAL' });
    return [];
  }
  if (row.state === 'INSERVICE' || row.state === 'STANDBY') {
    if (!s) {
      // Deleted behind the group's back: its members go, and the desired count brings a replacement.
      drop(ctx, row);
      return row.members.filter(live).map((m) => ({ kind: 'leave', poolId: m.poolId, memberId: m.memberId }));
    }
    if (row.state === 'INSERVICE' && audited(g, row, now)) {
      const sick =
        g.auditMethod === 'ELB_AUDIT'
          ? row.members.some((m) => UNHEALTHY_MEMBER.has(live(m)?.operatingStatus ?? ''))
          : UNHEALTHY_SERVER.has(s.status);
      if (sick) set(ctx, row.serverId, { state: 'REMOVING', health: 'ERROR', deleteServer: row.configurationId !== null });
    }
    return [];
  }
  // REMOVING: out of the pools first, then the server deleted (or only let go of, for one added by hand).
  const leaving = row.members.filter(live);
  if (leaving.length) return leaving.map((m) => ({ kind: 'leave', poolId: m.poolId, memberId: m.memberId }));
  if (!s || !row.deleteServer) {
    drop(ctx, row);
    if (activity) noteServer(ctx, activity, 'removed', row.serverId);
    return [];
  }
  if (row.deleteAskedAt !== null && now < row.deleteAskedAt + DELETE_RETRY_MS) return [];
  set(ctx, row.serverId, { deleteAskedAt: now });
  return [{ kind: 'delete', serverId: row.serverId, releaseEips: g.deletePublicIp, deleteVolumes: g.deleteVolume }];
}

const rowsOf = (ctx: OpContext, groupId: string) => ctx.db.select().from(instances).where(eq(instances.groupId, groupId)).all();
const counted = (rows: Instance[]) => rows.filter((r) => r.state !== 'REMOVING' && r.state !== 'STANDBY');

/** A short random suffix for the name of a launched server (AS names them after their group). */
function suffix(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...crypto.getRandomValues(new Uint8Array(4))].map((b) => letters[b % letters.length]).join('');
}

/** Records `n` launches toward the desired count, each in the zone that holds the fewest of the group's servers. */
function launches(ctx: OpContext, g: Group, n: number, snap: Snapshot, now: number): Step[] {
  const held = rowsOf(ctx, g.id).map((r) => snap.servers.find((s) => s.id === r.serverId)?.zone ?? '');
  const activity =
    openOf(ctx, g.id) ??
    openActivity(ctx, g.id, {
      description: `The group launched instances to reach its expected number (${g.desired}).`,
      scalingValue: `+${n}`,
      instanceValue: counted(rowsOf(ctx, g.id)).length,
      desireValue: g.desired,
      now,
    });
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) {
    const serverId = crypto.randomUUID();
    const zone = g.zones.length ? nextZone(g.zones, held, g.multiAzPolicy) : '';
    held.push(zone);
    const name = `${g.name}-${suffix()}`;
    ctx.db
      .insert(instances)
      .values({
        serverId,
        groupId: g.id,
        name,
        configurationId: g.configurationId,
        state: 'PENDING',
        health: 'INITIALIZING',
        protect: false,
        deleteServer: true,
        members: g.pools.map((p) => ({ poolId: p.pool_id, memberId: crypto.randomUUID() })),
        activityId: activity.id,
        deleteAskedAt: null,
        createdAt: now,
      })
      .run();
    noteServer(ctx, activity, 'added', serverId);
    steps.push({ kind: 'launch', serverId, name, zone, configurationId: g.configurationId! });
  }
  return steps;
}

/** Marks the instances a scale-in removes, by the group's terminate policy. */
function scaleIn(ctx: OpContext, g: Group, n: number): void {
  const rows = counted(rowsOf(ctx, g.id));
  const chosen = victims(
    rows.map((r) => ({
      serverId: r.serverId,
      configurationId: r.configurationId,
      createdAt: r.createdAt,
      protect: r.protect,
      pending: r.state === 'PENDING',
    })),
    n,
    g.terminatePolicy,
    g.configurationId,
  );
  for (const id of chosen) {
    const r = rows.find((x) => x.serverId === id)!;
    set(ctx, id, { state: 'REMOVING', deleteServer: r.configurationId !== null });
  }
}

/** One round of a group's driver: the steps to take outside, with every state change they follow from written. */
export function planRound(ctx: OpContext, groupId: string, snap: Snapshot, now: number): Step[] {
  const g = ctx.db.select().from(groups).where(eq(groups.id, groupId)).get();
  if (!g) return [];
  const steps = rowsOf(ctx, g.id).flatMap((row) => instanceRound(ctx, g, row, snap, now));
  if (g.lastAuditAt === null || now >= g.lastAuditAt + g.auditMinutes * 60_000)
    ctx.db.update(groups).set({ lastAuditAt: now }).where(eq(groups.id, g.id)).run();
  const active = counted(rowsOf(ctx, g.id)).length;
  if (g.status === 'DELETING') {
    for (const r of counted(rowsOf(ctx, g.id))) set(ctx, r.serverId, { state: 'REMOVING' });
    if (rowsOf(ctx, g.id).length === 0) removeGroup(ctx, g.id);
    return steps;
  }
  if (g.status === 'INSERVICE') {
    // Read afresh: an instance's round may have just made the group wait (a failed build).
    const retryAt = group(ctx, g.id).retryAt ?? 0;
    if (active < g.desired && g.configurationId && now >= retryAt)
      steps.push(...launches(ctx, g, Math.min(LAUNCH_BATCH, g.desired - active), snap, now));
    if (active > g.desired) scaleIn(ctx, g, active - g.desired);
  }
  settle(ctx, group(ctx, g.id), now);
  return steps;
}

/** Ends the group's activity once it holds its desired count in service and nothing is on its way in or out. */
function settle(ctx: OpContext, g: Group, now: number): void {
  const a = openOf(ctx, g.id);
  if (!a) return;
  const rows = rowsOf(ctx, g.id);
  const moving = rows.some((r) => r.state === 'PENDING' || r.state === 'REMOVING');
  if (!moving && counted(rows).length === g.desired) closeActivity(ctx, a.id, 'SUCCESS', now);
}

/** Whether the group has nothing left to do: no instance moving, its desired count held, not being deleted. */
export function settled(ctx: OpContext, g: Group): boolean {
  if (g.status === 'DELETING') return false;
  const rows = rowsOf(ctx, g.id);
  if (rows.some((r) => r.state === 'PENDING' || r.state === 'REMOVING')) return false;
  return g.status !== 'INSERVICE' || counted(rows).length === g.desired || !g.configurationId;
}

/** A launch the compute API refused: the instance is dropped, its activity fails, the group waits before retrying. */
export function launchFailed(ctx: OpContext, serverId: string, why: string, now: number): void {
  const row = ctx.db
    .select()
    .from(instances)
    .where(and(eq(instances.serverId, serverId), eq(instances.state, 'PENDING')))
    .get();
  if (!row) return;
  drop(ctx, row);
  if (row.activityId) closeActivity(ctx, row.activityId, 'FAIL', now, `Launching failed: ${why}`);
  ctx.db
    .update(groups)
    .set({ retryAt: now + LAUNCH_RETRY_MS })
    .where(eq(groups.id, row.groupId))
    .run();
}

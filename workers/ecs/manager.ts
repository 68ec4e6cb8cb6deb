/**
 * The compute manager: the queue consumer that drives servers through their steps. A build claims capacity in
 * the zone, plugs the server's ports in its project, spawns it on the chosen host, and makes it ACTIVE; any
 * refusal ends in ERROR with a fault and every claim released. Each step is idempotent, keyed by the server id,
 * so a redelivered message never makes a second claim, port or instance.
 */
import type { ComputeMessage, RecoveryMessage } from '../../core/ecs/messages.ts';
import { STATUS, TASK, VM_STATE } from '../../core/ecs/states.ts';
import type { Env } from '../../core/env.ts';
import type { Server, Volume } from '../../schema/tenant.ts';
import { recover, recoverDead } from './recovery.ts';
import { claimOf, claimRequest, spawnOn } from './spawn.ts';

/**
 * Holds the zone's storage for the volumes made for a server (its boot and data disks), each idempotently keyed
 * by the volume; a refusal lets go of every hold of the server's volumes and is the answer.
 */
async function holdVolumes(env: Env, projectId: string, s: Server, wanted: Volume[]): Promise<{ code: number; message: string } | null> {
  const tenant = env.TENANT.getByName(projectId);
  const zone = env.ZONE.getByName(s.zone);
  for (const v of wanted) {
    const held = await zone.holdStorage(s.zone, { volumeId: v.id, projectId, volumeType: v.volumeType, sizeGb: v.size });
    if ('error' in held) {
      await releaseVolumes(env, projectId, s);
      return { code: held.error.status, message: held.error.message };
    }
  }
  if (!wanted.length) return null;
  const gone = await tenant.volumesHeld(
    s.id,
    wanted.map((v) => v.id),
  );
  // Deleted with the server while they were held: their deletion may have let go before the hold existed.
  if ('ok' in gone) for (const id of gone.ok) await zone.releaseStorage(id);
  return null;
}

/** Lets go of the storage held for the volumes made for a server (a failed build's). */
async function releaseVolumes(env: Env, projectId: string, s: Pick<Server, 'id' | 'zone'>): Promise<void> {
  const made = await env.TENANT.getByName(projectId).volumesMadeFor(s.id);
  if ('ok' in made) for (const v of made.ok) await env.ZONE.getByName(s.zone).releaseStorage(v.id);
}

/**
 * A build in five Durable Object calls (two more per volume made for it): the tenant's start (the server, its
 * group and the volumes to hold), the storage of its volumes, the zone's claim, the tenant's placement and ports, the host's spawn, the tenant's activation.
 */
async function build(env: Env, m: Extract<ComputeMessage, { kind: 'build' }>): Promise<void> {
  const tenant = env.TENANT.getByName(m.projectId);
  const start = await tenant.startBuild(m.serverId);
  if ('error' in start || !start.ok) return;
  const s = start.ok.server;
  const refused = await holdVolumes(env, m.projectId, s, start.ok.volumes);
  if (refused) {
    await tenant.failServer(s.id, refused);
    return;
  }
  const zone = env.ZONE.getByName(s.zone);
  const claim = await zone.claim(s.zone, { ...claimOf(m.projectId, s, start.ok.group), hostId: s.hints.dedicatedHostId });
  if ('error' in claim) {
    await tenant.failServer(s.id, { code: claim.error.status, message: claim.error.message });
    await releaseVolumes(env, m.projectId, s);
    return;
  }
  // A refusal of the ports has failed the server already; either way the claim goes.
  const placed = await tenant.placed(s.id, claim.ok.hostId);
  if ('error' in placed) {
    await tenant.failServer(s.id, { code: placed.error.status, message: placed.error.message });
    await releaseVolumes(env, m.projectId, s);
  }
  if ('error' in placed || !placed.ok) return zone.release(s.id);
  const spawned = await spawnOn(env, m.projectId, s, claim.ok.hostId, { addresses: placed.ok.addresses });
  const active = await tenant.activate(s.id, spawned.powerState);
  // Deleted while spawning: the deletion may have run before the instance existed, so clean up here too.
  if ('error' in active || !active.ok) {
    await env.HOST.getByName(claim.ok.hostId).destroy(s.id);
    await zone.release(s.id);
  }
}

async function remove(env: Env, m: Extract<ComputeMessage, { kind: 'delete' }>): Promise<void> {
  const tenant = env.TENANT.getByName(m.projectId);
  const s = await tenant.server(m.serverId);
  if (!s) return;
  // A server deleted in the middle of a resize may run on both of its hosts and hold both claims.
  for (const host of new Set([s.hostId, s.resize?.from.hostId, s.resize?.to.hostId]))
    if (host) await env.HOST.getByName(host).destroy(s.id);
  await env.ZONE.getByName(s.zone).release(s.id);
  await env.ZONE.getByName(s.zone).release(resizeKey(s.id));
  await tenant.removeServer(m.projectId, s.id);
}

async function power(env: Env, m: Extract<ComputeMessage, { kind: 'power' }>): Promise<void> {
  const tenant = env.TENANT.getByName(m.projectId);
  const s = await tenant.server(m.serverId);
  if (!s?.hostId || s.taskState === TASK.DELETING) return;
  const state = m.action === 'os-stop' ? 4 : 1;
  const note =
    m.action === 'reboot' ? `[    0.000000] ${m.hard ? 'Hard' : 'Soft'} reboot requested at ${new Date().toISOString()}` : undefined;
  await env.HOST.getByName(s.hostId).power(s.id, state, note);
  await tenant.finishAction(s.id, state);
}

async function release(env: Env, m: Extract<ComputeMessage, { kind: 'release' }>): Promise<void> {
  if (m.hostId) await env.HOST.getByName(m.hostId).destroy(m.serverId);
  await env.ZONE.getByName(m.zone).release(m.serverId);
}

/** The claim key of a resize's new size while the old one is still held. */
const resizeKey = (serverId: string) => `${serverId}#resize`;

/** Resize: claim the new size (on any host of the zone), spawn there, then wait in VERIFY_RESIZE. */
async function resize(env: Env, m: Extract<ComputeMessage, { kind: 'resize' }>): Promise<void> {
  const tenant = env.TENANT.getByName(m.projectId);
  const s = await tenant.server(m.serverId);
  if (!s?.resize || s.status !== STATUS.RESIZE) return;
  const zone = env.ZONE.getByName(s.zone);
  const to = s.resize.to;
  const claim = await zone.claim(s.zone, { ...(await claimRequest(env, m.projectId, s, to)), serverId: resizeKey(s.id) });
  if ('error' in claim) {
    await tenant.resizeFailed(s.id, claim.error.message);
    return;
  }
  const workload = s.hostId ? await env.HOST.getByName(s.hostId).workloadOf(s.id) : null;
  await spawnOn(env, m.projectId, s, claim.ok.hostId, { flavorId: to.flavorId, workload });
  if (s.powerState !== 1) await env.HOST.getByName(claim.ok.hostId).power(s.id, s.powerState);
  const done = await tenant.resized(s.id, claim.ok.hostId);
  if ('error' in done || !done.ok) await zone.release(resizeKey(s.id));
}

/** After confirm, the old host and claim go; after revert, the new ones. */
async function resizeFinish(env: Env, m: Extract<ComputeMessage, { kind: 'resize-finish' }>): Promise<void> {
  const zone = env.ZONE.getByName(m.zone);
  const [keep, drop] = m.confirm ? [m.toHost, m.fromHost] : [m.fromHost, m.toHost];
  if (m.confirm) await zone.rekey(resizeKey(m.serverId), m.serverId);
  else await zone.release(resizeKey(m.serverId));
  if (drop && drop !== keep) await env.HOST.getByName(drop).destroy(m.serverId);
}

/** Rebuild: the host boots the new image in place of the old one, keeping the server's ports and addresses. */
async function rebuild(env: Env, m: Extract<ComputeMessage, { kind: 'rebuild' }>): Promise<void> {
  const tenant = env.TENANT.getByName(m.projectId);
  const s = await tenant.server(m.serverId);
  if (!s?.hostId || s.status !== STATUS.REBUILD || s.taskState !== TASK.REBUILD_SPAWNING) return;
  const workload = await env.HOST.getByName(s.hostId).workloadOf(s.id);
  await env.HOST.getByName(s.hostId).destroy(s.id);
  await spawnOn(env, m.projectId, s, s.hostId, { workload });
  // A stopped server stays stopped through its rebuild, as in Nova.
  if (s.vmState === VM_STATE.STOPPED) await env.HOST.getByName(s.hostId).power(s.id, 4);
  await tenant.rebuilt(s.id);
}

/** Runs one step. */
export async function handle(env: Env, m: ComputeMessage): Promise<void> {
  if (m.kind === 'build') return build(env, m);
  if (m.kind === 'delete') return remove(env, m);
  if (m.kind === 'power') return power(env, m);
  if (m.kind === 'resize') return resize(env, m);
  if (m.kind === 'rebuild') return rebuild(env, m);
  if (m.kind === 'resize-finish') return resizeFinish(env, m);
  return release(env, m);
}

/** A message that failed for good: its server ends in ERROR with the reason, its claims released. */
export async function handleDead(env: Env, m: ComputeMessage): Promise<void> {
  if (m.kind === 'resize') {
    await env.TENANT.getByName(m.projectId).resizeFailed(
      m.serverId,
      `The resize of instance ${m.serverId} failed repeatedly and was given up.`,
    );
    return;
  }
  if (m.kind !== 'build' && m.kind !== 'power') return handle(env, m);
  const tenant = env.TENANT.getByName(m.projectId);
  const s = await tenant.server(m.serverId);
  if (!s) return;
  await tenant.failServer(s.id, { code: 500, message: `The ${m.kind} of instance ${s.id} failed repeatedly and was given up.` });
  await release(env, { kind: 'release', projectId: m.projectId, serverId: s.id, zone: s.zone, hostId: s.hostId });
  if (m.kind === 'build') await releaseVolumes(env, m.projectId, s);
}

/** The queue consumer (compute and recovery): each message is one step, acked when done, retried when it throws. */
export async function consume(batch: MessageBatch<ComputeMessage | RecoveryMessage>, env: Env): Promise<void> {
  const dead = batch.queue.endsWith('-dlq');
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        const m = msg.body;
        if (m.kind === 'recover') await (dead ? recoverDead(env, m) : recover(env, m));
        else await (dead ? handleDead(env, m) : handle(env, m));
        msg.ack();
      } catch (err) {
        console.error(JSON.stringify({ queue: batch.queue, message: msg.body, attempts: msg.attempts, error: String(err) }));
        msg.retry({ delaySeconds: Math.min(30, 2 ** msg.attempts) });
      }
    }),
  );
}

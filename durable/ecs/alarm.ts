/**
 * The compute half of the TenantDO's alarm: a server whose build, deletion, resize, rebuild or power action has
 * made no progress for STALE_MS is driven again through the queue, and a build past BUILD_DEADLINE_MS ends in
 * ERROR with its claims released, so no server stays in a transitional state without an owner.
 */
import { eq } from 'drizzle-orm';
import { computeQueue } from '../../core/ecs/messages.ts';
import { STATUS, TASK, type TaskState } from '../../core/ecs/states.ts';
import * as t from '../../schema/tenant.ts';
import type { Saga } from '../vpc/context.ts';
import * as srv from './servers.ts';

/** The power action behind each power task state, to drive again one that stopped. */
const POWER_TASKS: Partial<Record<TaskState, 'os-stop' | 'os-start' | 'reboot'>> = {
  [TASK.POWERING_OFF]: 'os-stop',
  [TASK.POWERING_ON]: 'os-start',
  [TASK.REBOOTING]: 'reboot',
  [TASK.REBOOTING_HARD]: 'reboot',
};

/** A build or deletion with no progress for this long is driven again. */
export const STALE_MS = 60_000;
/** A build not finished this long after the request ends in ERROR (a queue backlog alone never fails it sooner). */
export const BUILD_DEADLINE_MS = 10 * 60_000;

/** Re-drives the project's builds and deletions that stopped making progress; true while some remain. */
export async function computeAlarm(s: Saga): Promise<boolean> {
  const projectId = s.projectId;
  const before = new Date(Date.now() - STALE_MS).toISOString();
  const stuck = s.db
    .select()
    .from(t.servers)
    .all()
    .filter((r) => r.updatedAt < before && (r.status === STATUS.BUILD || r.taskState !== null));
  const deadline = new Date(Date.now() - BUILD_DEADLINE_MS).toISOString();
  for (const server of stuck) {
    // Touch it, so that the next alarm waits a full STALE_MS before driving it again.
    s.db.update(t.servers).set({ updatedAt: new Date().toISOString() }).where(eq(t.servers.id, server.id)).run();
    if (server.taskState === TASK.DELETING) {
      await computeQueue(s.env).send({ kind: 'delete', projectId, serverId: server.id });
    } else if (server.status === STATUS.BUILD && server.createdAt < deadline) {
      s.run((ctx) =>
        srv.fail(ctx, server.id, {
          code: 500,
          message: `Build of instance ${server.id} did not finish within ${BUILD_DEADLINE_MS / 60_000} minutes (${server.buildAttempts} attempts).`,
        }),
      );
      await computeQueue(s.env).send({ kind: 'release', projectId, serverId: server.id, zone: server.zone, hostId: server.hostId });
    } else if (server.status === STATUS.BUILD) {
      await computeQueue(s.env).send({ kind: 'build', projectId, serverId: server.id });
    } else if (server.taskState === TASK.REBUILD_SPAWNING) {
      await computeQueue(s.env).send({ kind: 'rebuild', projectId, serverId: server.id });
    } else if (server.taskState === TASK.RESIZE_PREP) {
      await computeQueue(s.env).send({ kind: 'resize', projectId, serverId: server.id });
    } else if (server.taskState && POWER_TASKS[server.taskState]) {
      await computeQueue(s.env).send({
        kind: 'power',
        projectId,
        serverId: server.id,
        action: POWER_TASKS[server.taskState]!,
        hard: server.taskState === TASK.REBOOTING_HARD,
      });
    }
  }
  return s.db
    .select()
    .from(t.servers)
    .all()
    .some((r) => r.status === STATUS.BUILD || r.taskState !== null);
}

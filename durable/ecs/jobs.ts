/**
 * Native jobs: the asynchronous operations started by the native ECS API, and their sub-jobs (one per server).
 * A job's status is derived from its servers each time it is read: SUCCESS when every one reached its target,
 * FAIL when one ended in ERROR (or vanished before it got there), RUNNING otherwise.
 */
import { eq } from 'drizzle-orm';
import { STATUS } from '../../core/ecs/states.ts';
import { IMAGE } from '../../core/ims/states.ts';
import { notFound } from '../../core/result.ts';
import { images, type Job, type JobTarget, jobs, servers } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';

type Status = 'INIT' | 'RUNNING' | 'SUCCESS' | 'FAIL';

/** A job recorded with the operation that starts it: its id, its type, and the state each of its servers reaches. */
export interface JobSpec {
  id: string;
  type: string;
  until: typeof STATUS.ACTIVE | typeof STATUS.SHUTOFF | typeof STATUS.DELETED;
}

/** Records a job over servers that all reach the same state, a sub-job each. */
export function recordJob(ctx: Ctx, job: JobSpec, serverIds: string[]): Job {
  const row = {
    id: job.id,
    type: job.type,
    targets: serverIds.map((serverId) => ({ serverId, until: job.until })),
    subJobIds: serverIds.map(() => crypto.randomUUID()),
    endedAt: null,
    createdAt: ctx.now,
  };
  ctx.db.insert(jobs).values(row).run();
  return row;
}

function targetStatus(ctx: Ctx, t: JobTarget): { status: Status; reason?: string; code?: string } {
  if (t.imageId) return imageStatus(ctx, t.imageId);
  const s = ctx.db.select().from(servers).where(eq(servers.id, t.serverId)).get();
  if (t.until === STATUS.DELETED) return s ? { status: 'RUNNING' } : { status: 'SUCCESS' };
  if (!s) return { status: 'FAIL', reason: `Server ${t.serverId} no longer exists.`, code: 'Ecs.0000' };
  if (s.status === STATUS.ERROR) return { status: 'FAIL', reason: s.fault?.message ?? 'The server is in ERROR.', code: 'Ecs.0000' };
  if (s.status === t.until && !s.taskState) return { status: 'SUCCESS' };
  return { status: 'RUNNING' };
}

/** An image job's sub-job: done when the image is active, failed when it was killed or is gone. */
function imageStatus(ctx: Ctx, imageId: string): { status: Status; reason?: string; code?: string } {
  const i = ctx.db.select().from(images).where(eq(images.id, imageId)).get();
  if (!i) return { status: 'FAIL', reason: `Image ${imageId} no longer exists.`, code: 'IMG.0000' };
  if (i.status === IMAGE.KILLED) return { status: 'FAIL', reason: i.fault ?? 'The image could not be made.', code: 'IMG.0000' };
  return { status: i.status === IMAGE.ACTIVE ? 'SUCCESS' : 'RUNNING' };
}

export interface JobView {
  job: Job;
  status: Status;
  failReason: string | null;
  errorCode: string | null;
  subJobs: { id: string; serverId: string; imageId?: string; status: Status; failReason: string | null; errorCode: string | null }[];
}

/** A job with its status and its sub-jobs' statuses, as of now. */
export function readJob(ctx: Ctx, id: string): JobView {
  const job = ctx.db.select().from(jobs).where(eq(jobs.id, id)).get();
  if (!job) throw notFound('Job', id);
  const subJobs = job.targets.map((t, i) => {
    const st = targetStatus(ctx, t);
    return {
      id: job.subJobIds[i]!,
      serverId: t.serverId,
      imageId: t.imageId,
      status: st.status,
      failReason: st.reason ?? null,
      errorCode: st.code ?? null,
    };
  });
  const status: Status = subJobs.some((s) => s.status === 'RUNNING')
    ? 'RUNNING'
    : subJobs.some((s) => s.status === 'FAIL')
      ? 'FAIL'
      : 'SUCCESS';
  if (status !== 'RUNNING' && !job.endedAt) {
    ctx.db.update(jobs).set({ endedAt: ctx.now }).where(eq(jobs.id, id)).run();
    job.endedAt = ctx.now;
  }
  const failed = subJobs.find((s) => s.status === 'FAIL');
  return { job, status, failReason: failed?.failReason ?? null, errorCode: failed?.errorCode ?? null, subJobs };
}

/**
 * Native jobs: the asynchronous operations started by the native APIs (ECS, EVS, VBS, IMS share the contract),
 * and their sub-jobs, one per resource acted on. While a job runs, its status is derived from its resources each
 * time it is read: SUCCESS when every one reached its target, FAIL when one ended in an error state (or vanished
 * before it got there), RUNNING otherwise; so it can never disagree with them. Once it has ended, the outcomes are
 * kept: a server deleted after its create job succeeded leaves that job a success.
 */
import { and, eq } from 'drizzle-orm';
import { STATUS } from '../../core/ecs/states.ts';
import { ATTACHMENT } from '../../core/evs/states.ts';
import { notFound } from '../../core/result.ts';
import {
  backups,
  images,
  type Job,
  type JobKind,
  type JobTarget,
  jobs,
  type SubJobOutcome,
  servers,
  snapshots,
  volumeAttachments,
  volumes,
} from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';

type Status = 'INIT' | 'RUNNING' | 'SUCCESS' | 'FAIL';

/** The state every resource of a job reaches: a status, or `DELETED` (gone). */
export const GONE = STATUS.DELETED;

/** A job recorded with the operation that starts it: its id, its type, what it acts on and the state each reaches. */
export interface JobSpec {
  id: string;
  type: string;
  /** Servers when not said. */
  kind?: JobKind;
  until: string;
  /** For an attachment job: the server its volumes attach to (or detach from). */
  onServer?: string;
}

/** Records a job over resources of one kind that all reach the same state, a sub-job each. */
export function recordJob(ctx: Ctx, job: JobSpec, ids: string[]): Job {
  const kind = job.kind ?? 'server';
  const row = {
    id: job.id,
    type: job.type,
    targets: ids.map(
      (id): JobTarget =>
        kind === 'server'
          ? { serverId: id, until: job.until }
          : kind === 'attachment'
            ? { kind, id, serverId: job.onServer ?? '', until: job.until }
            : { kind, id, until: job.until },
    ),
    subJobIds: ids.map(() => crypto.randomUUID()),
    endedAt: null,
    outcomes: null,
    createdAt: ctx.now,
  };
  ctx.db.insert(jobs).values(row).run();
  return row;
}

interface TargetStatus {
  status: Status;
  reason?: string;
  code?: string;
}

/** A resource's kind and id, whichever way its target was recorded (server targets predate the others). */
export const targetOf = (t: JobTarget): { kind: JobKind; id: string; serverId?: string } =>
  !('kind' in t)
    ? { kind: 'server', id: t.serverId }
    : t.kind === 'attachment'
      ? { kind: t.kind, id: t.id, serverId: t.serverId }
      : { kind: t.kind, id: t.id };

function serverStatus(ctx: Ctx, id: string, until: string): TargetStatus {
  const s = ctx.db.select().from(servers).where(eq(servers.id, id)).get();
  if (until === GONE) return s ? { status: 'RUNNING' } : { status: 'SUCCESS' };
  if (!s) return { status: 'FAIL', reason: `Server ${id} no longer exists.`, code: 'Ecs.0000' };
  if (s.status === STATUS.ERROR) return { status: 'FAIL', reason: s.fault?.message ?? 'The server is in ERROR.', code: 'Ecs.0000' };
  if (s.status === until && !s.taskState) return { status: 'SUCCESS' };
  return { status: 'RUNNING' };
}

/** The tables of the other kinds: each row has a status (an `error...` one when it failed) and a fault. */
const TABLES = { volume: volumes, snapshot: snapshots, backup: backups, image: images } as const;
const CODES: Record<keyof typeof TABLES, string> = {
  volume: 'EVS.5400',
  snapshot: 'EVS.5400',
  backup: 'VBS.0000',
  image: 'IMG.0000',
};
const FAILED = new Set(['error', 'error_deleting', 'error_extending', 'error_restoring', 'killed']);

function rowStatus(ctx: Ctx, kind: keyof typeof TABLES, id: string, until: string): TargetStatus {
  const table = TABLES[kind];
  const row = ctx.db.select({ status: table.status, fault: table.fault }).from(table).where(eq(table.id, id)).get() as
    | { status: string; fault: string | null }
    | undefined;
  const name = kind[0]!.toUpperCase() + kind.slice(1);
  if (until === GONE)
    return row && !FAILED.has(row.status)
      ? { status: 'RUNNING' }
      : row
        ? { status: 'FAIL', reason: row.fault ?? `${name} ${id} is in ${row.status}.`, code: CODES[kind] }
        : { status: 'SUCCESS' };
  if (!row) return { status: 'FAIL', reason: `${name} ${id} no longer exists.`, code: CODES[kind] };
  if (FAILED.has(row.status)) return { status: 'FAIL', reason: row.fault ?? `${name} ${id} is in ${row.status}.`, code: CODES[kind] };
  return row.status === until || until.split('|').includes(row.status) ? { status: 'SUCCESS' } : { status: 'RUNNING' };
}

/**
 * An attach (until `attached`) succeeds once the host plugged the disk in, and fails when the attachment is gone
 * (the attach was given up); a detach (until gone) succeeds once it is gone, and fails when it is attached again
 * (the detach was given up). A volume's status cannot say this: a multi-attach one stays `in-use` throughout.
 */
function attachmentStatus(ctx: Ctx, volumeId: string, serverId: string, until: string): TargetStatus {
  const a = ctx.db
    .select({ status: volumeAttachments.status })
    .from(volumeAttachments)
    .where(and(eq(volumeAttachments.volumeId, volumeId), eq(volumeAttachments.serverId, serverId)))
    .get();
  if (until === GONE) {
    if (!a) return { status: 'SUCCESS' };
    if (a.status === ATTACHMENT.DETACHING) return { status: 'RUNNING' };
    return {
      status: 'FAIL',
      reason: `The detach of volume ${volumeId} from server ${serverId} was given up: it is still attached.`,
      code: 'Ecs.0000',
    };
  }
  if (!a)
    return {
      status: 'FAIL',
      reason: `Volume ${volumeId} is not attached to server ${serverId}: the attach was given up.`,
      code: 'Ecs.0000',
    };
  return a.status === ATTACHMENT.ATTACHING ? { status: 'RUNNING' } : { status: 'SUCCESS' };
}

function targetStatus(ctx: Ctx, t: JobTarget): TargetStatus {
  const { kind, id, serverId } = targetOf(t);
  if (kind === 'server') return serverStatus(ctx, id, t.until);
  if (kind === 'attachment') return attachmentStatus(ctx, id, serverId ?? '', t.until);
  return rowStatus(ctx, kind, id, t.until);
}

export interface SubJobView {
  id: string;
  kind: JobKind;
  /** The resource it acts on (an attachment's: its volume). */
  resourceId: string;
  /** An attachment sub-job's server. */
  serverId?: string;
  status: Status;
  failReason: string | null;
  errorCode: string | null;
}

export interface JobView {
  job: Job;
  status: Status;
  failReason: string | null;
  errorCode: string | null;
  subJobs: SubJobView[];
}

/** A job with its status and its sub-jobs' statuses, as of now. */
export function readJob(ctx: Ctx, id: string): JobView {
  const job = ctx.db.select().from(jobs).where(eq(jobs.id, id)).get();
  if (!job) throw notFound('Job', id);
  const subJobs = job.targets.map((t, i): SubJobView => {
    // An ended job's outcomes are kept: what happens to its resources afterwards does not change them.
    const st = job.outcomes?.[i] ?? targetStatus(ctx, t);
    const { kind, id: resourceId, serverId } = targetOf(t);
    const failReason = 'failReason' in st ? st.failReason : (st.reason ?? null);
    const errorCode = 'errorCode' in st ? st.errorCode : (st.code ?? null);
    return { id: job.subJobIds[i]!, kind, resourceId, ...(serverId ? { serverId } : {}), status: st.status, failReason, errorCode };
  });
  const status: Status = subJobs.some((s) => s.status === 'RUNNING')
    ? 'RUNNING'
    : subJobs.some((s) => s.status === 'FAIL')
      ? 'FAIL'
      : 'SUCCESS';
  if (status !== 'RUNNING' && !job.outcomes) {
    const outcomes = subJobs.map(
      (s): SubJobOutcome => ({ status: s.status as SubJobOutcome['status'], failReason: s.failReason, errorCode: s.errorCode }),
    );
    job.endedAt ??= ctx.now;
    ctx.db.update(jobs).set({ endedAt: job.endedAt, outcomes }).where(eq(jobs.id, id)).run();
    job.outcomes = outcomes;
  }
  const failed = subJobs.find((s) => s.status === 'FAIL');
  return { job, status, failReason: failed?.failReason ?? null, errorCode: failed?.errorCode ?? null, subJobs };
}

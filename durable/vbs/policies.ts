/**
 * Backup policies (VBS), the tenant's side: a schedule and a retention, the volumes bound to each (a volume to one
 * at most), and a run: a backup of every bound volume that can be backed up, then the retention applied to the
 * policy's automatic backups of each volume (beyond `rentention_num` of them, or older than `rentention_day`,
 * oldest first, keeping the month's first if asked). The TenantDO's alarm runs a policy when `nextRunAt` comes.
 *
 * Retention deletes the oldest backups of a chain, which the newer ones build on: as VBS merges a deleted backup
 * into the next, the next one then builds on what the deleted one built on (and, if that was the full backup,
 * becomes the full one, storing the whole volume: a usage `change`).
 */
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { BACKUP, VOLUME } from '../../core/evs/states.ts';
import { DomainError, type Refusal } from '../../core/result.ts';
import {
  type Backup,
  type BackupPolicy,
  backupPolicies,
  backupPolicyVolumes,
  backups,
  type ScheduledPolicy,
  volumes,
} from '../../schema/tenant.ts';
import { recordUsage } from '../lib/usage.ts';
import type { Ctx } from '../vpc/context.ts';
import { createBackup } from './backups.ts';
import { nextRun } from './schedule.ts';

export interface PolicyInput {
  id: string;
  name: string;
  schedule: ScheduledPolicy;
  tags: { key: string; value: string }[];
}

/** A policy by id, or 404 (VBS's code). */
export function policy(ctx: Ctx, id: string): BackupPolicy {
  const row = ctx.db.select().from(backupPolicies).where(eq(backupPolicies.id, id)).get();
  if (!row) throw new DomainError(404, 'VBS.0013', `The backup policy ${id} does not exist.`);
  return row;
}

const nextRunAt = (s: ScheduledPolicy, now: string) => (s.enabled ? nextRun(s, new Date(now)).toISOString() : null);

function uniqueName(ctx: Ctx, name: string, except?: string): void {
  const same = ctx.db.select({ id: backupPolicies.id }).from(backupPolicies).where(eq(backupPolicies.name, name)).get();
  if (same && same.id !== except) throw new DomainError(400, 'VBS.0021', `A backup policy named ${name} already exists.`);
}

/** Records a policy; it runs at its next start time when on. */
export function createPolicy(ctx: Ctx, input: PolicyInput): BackupPolicy {
  uniqueName(ctx, input.name);
  const row: BackupPolicy = { ...input, nextRunAt: nextRunAt(input.schedule, ctx.now), createdAt: ctx.now, updatedAt: ctx.now };
  ctx.db.insert(backupPolicies).values(row).run();
  return row;
}

/** Changes a policy's name or schedule (the fields given); its next run is computed again. */
export function updatePolicy(ctx: Ctx, id: string, patch: { name?: string; schedule?: Partial<ScheduledPolicy> }): BackupPolicy {
  const p = policy(ctx, id);
  if (patch.name) uniqueName(ctx, patch.name, id);
  const schedule = { ...p.schedule, ...patch.schedule };
  // One retention rule at a time: the one given replaces the other.
  if (patch.schedule?.retentionNum !== undefined) delete schedule.retentionDay;
  if (patch.schedule?.retentionDay !== undefined) delete schedule.retentionNum;
  if (patch.schedule?.frequency !== undefined) delete schedule.weekFrequency;
  if (patch.schedule?.weekFrequency !== undefined) delete schedule.frequency;
  const next = { name: patch.name ?? p.name, schedule, nextRunAt: nextRunAt(schedule, ctx.now) };
  ctx.db
    .update(backupPolicies)
    .set({ ...next, updatedAt: ctx.now })
    .where(eq(backupPolicies.id, id))
    .run();
  return { ...p, ...next, updatedAt: ctx.now };
}

/** Deletes a policy; its volumes are unbound, their backups kept. */
export function deletePolicy(ctx: Ctx, id: string): void {
  policy(ctx, id);
  ctx.db.delete(backupPolicyVolumes).where(eq(backupPolicyVolumes.policyId, id)).run();
  ctx.db.delete(backupPolicies).where(eq(backupPolicies.id, id)).run();
}

/** The project's policies, oldest first. */
export function policies(ctx: Ctx): BackupPolicy[] {
  return ctx.db.select().from(backupPolicies).orderBy(asc(backupPolicies.createdAt), asc(backupPolicies.id)).all();
}

/** How many volumes each policy has (a binding outlives its volume until the policy next runs; not counted). */
export function policyCounts(ctx: Ctx): Record<string, number> {
  const out: Record<string, number> = {};
  const rows = ctx.db
    .select({ policyId: backupPolicyVolumes.policyId })
    .from(backupPolicyVolumes)
    .innerJoin(volumes, eq(volumes.id, backupPolicyVolumes.volumeId))
    .all();
  for (const b of rows) out[b.policyId] = (out[b.policyId] ?? 0) + 1;
  return out;
}

export interface BoundResource {
  resource_id: string;
  resource_type: 'volume';
  availability_zone?: string;
  os_vol_host_attr?: string;
  error_code?: string;
  error_msg?: string;
}

/** Binds volumes to a policy, each on its own: a missing one, or one bound to another policy, fails alone. */
export function bindVolumes(ctx: Ctx, policyId: string, ids: string[]): { success: BoundResource[]; fail: BoundResource[] } {
  policy(ctx, policyId);
  const success: BoundResource[] = [];
  const fail: BoundResource[] = [];
  for (const id of ids) {
    const v = ctx.db.select().from(volumes).where(eq(volumes.id, id)).get();
    const bound = ctx.db.select().from(backupPolicyVolumes).where(eq(backupPolicyVolumes.volumeId, id)).get();
    if (!v) fail.push({ resource_id: id, resource_type: 'volume', error_code: 'VBS.0005', error_msg: `The volume ${id} does not exist.` });
    else if (bound && bound.policyId !== policyId)
      fail.push({
        resource_id: id,
        resource_type: 'volume',
        error_code: 'VBS.0029',
        error_msg: `The volume ${id} is bound to backup policy ${bound.policyId} already.`,
      });
    else {
      if (!bound) ctx.db.insert(backupPolicyVolumes).values({ volumeId: id, policyId, createdAt: ctx.now }).run();
      success.push({
        resource_id: id,
        resource_type: 'volume',
        availability_zone: v.zone,
        os_vol_host_attr: `evs@${v.zone}#${v.volumeType}`,
      });
    }
  }
  return { success, fail };
}

/** Unbinds volumes from a policy; one not bound to it fails alone. */
export function unbindVolumes(ctx: Ctx, policyId: string, ids: string[]): { success: BoundResource[]; fail: BoundResource[] } {
  policy(ctx, policyId);
  const success: BoundResource[] = [];
  const fail: BoundResource[] = [];
  for (const id of ids) {
    const bound = ctx.db.select().from(backupPolicyVolumes).where(eq(backupPolicyVolumes.volumeId, id)).get();
    if (bound?.policyId !== policyId)
      fail.push({
        resource_id: id,
        resource_type: 'volume',
        error_code: 'VBS.0030',
        error_msg: `The volume ${id} is not bound to this policy.`,
      });
    else {
      ctx.db.delete(backupPolicyVolumes).where(eq(backupPolicyVolumes.volumeId, id)).run();
      success.push({ resource_id: id, resource_type: 'volume' });
    }
  }
  return { success, fail };
}

/** What a run did: the backups it started and those its retention is deleting (the storage manager's steps). */
export interface PolicyRun {
  created: string[];
  deleting: string[];
  skipped: { volumeId: string; reason: Refusal | string }[];
}

/** The automatic backups of a volume beyond the policy's retention, oldest first (none a restore is reading). */
export function beyondRetention(s: ScheduledPolicy, auto: Backup[], now: string): Backup[] {
  const live = auto.filter((b) => b.status !== BACKUP.DELETING && b.status !== BACKUP.ERROR_DELETING);
  const newestFirst = [...live].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  let out: Backup[] = [];
  if (s.retentionNum) out = newestFirst.slice(s.retentionNum);
  else if (s.retentionDay) {
    const before = new Date(new Date(now).getTime() - s.retentionDay * 86_400_000).toISOString();
    out = newestFirst.filter((b) => b.createdAt < before);
  }
  if (s.remainFirstBackupOfCurMonth) {
    const month = now.slice(0, 7);
    const first = [...newestFirst].reverse().find((b) => b.createdAt.startsWith(month));
    out = out.filter((b) => b !== first);
  }
  return out.filter((b) => b.status === BACKUP.AVAILABLE || b.status === BACKUP.ERROR).reverse();
}

/** Deletes a backup others build on, merging it into them (the module's doc). */
function mergeAway(ctx: Ctx, b: Backup): void {
  for (const child of ctx.db.select().from(backups).where(eq(backups.parentId, b.id)).all()) {
    const full = !b.parentId;
    const patch = full ? { parentId: null, incremental: false, storedGb: child.size } : { parentId: b.parentId };
    ctx.db
      .update(backups)
      .set({ ...patch, updatedAt: ctx.now })
      .where(eq(backups.id, child.id))
      .run();
    if (full && child.status === BACKUP.AVAILABLE)
      recordUsage(ctx, {
        id: `${child.id}:stored:${child.size}`,
        meter: 'vbs.backup',
        resourceId: child.id,
        action: 'change',
        quantity: child.size,
        attributes: { volume_type: child.volumeType, zone: child.zone, incremental: 'false' },
      });
  }
  ctx.db.update(backups).set({ status: BACKUP.DELETING, parentId: null, updatedAt: ctx.now }).where(eq(backups.id, b.id)).run();
}

/** Runs a policy now: a backup of each bound volume that is available or in use, then its retention. */
export function runPolicy(ctx: Ctx, policyId: string, userId: string): PolicyRun {
  const p = policy(ctx, policyId);
  const run: PolicyRun = { created: [], deleting: [], skipped: [] };
  const stamp = ctx.now.replace(/\D/g, '').slice(0, 14);
  for (const bound of ctx.db.select().from(backupPolicyVolumes).where(eq(backupPolicyVolumes.policyId, policyId)).all()) {
    const v = ctx.db.select().from(volumes).where(eq(volumes.id, bound.volumeId)).get();
    if (!v) {
      // The volume was deleted: its binding goes with it now.
      ctx.db.delete(backupPolicyVolumes).where(eq(backupPolicyVolumes.volumeId, bound.volumeId)).run();
      continue;
    }
    if (v.status !== VOLUME.AVAILABLE && v.status !== VOLUME.IN_USE) {
      run.skipped.push({ volumeId: v.id, reason: `The volume is ${v.status}.` });
      continue;
    }
    try {
      const b = createBackup(ctx, {
        id: crypto.randomUUID(),
        volumeId: v.id,
        name: `autobk_${stamp}_${v.id.slice(0, 8)}`,
        description: `Backup policy ${p.name}`,
        force: true,
        userId,
        policyId,
      });
      run.created.push(b.id);
    } catch (err) {
      // A refusal (the quota) skips this volume; the others are still backed up.
      if (!(err instanceof DomainError)) throw err;
      run.skipped.push({ volumeId: v.id, reason: err.message });
    }
    const auto = ctx.db
      .select()
      .from(backups)
      .where(and(eq(backups.volumeId, v.id), eq(backups.policyId, policyId)))
      .orderBy(asc(backups.createdAt))
      .all();
    for (const old of beyondRetention(p.schedule, auto, ctx.now)) {
      mergeAway(ctx, old);
      run.deleting.push(old.id);
    }
  }
  return run;
}

/** The policies whose time has come (on, `nextRunAt` passed): each runs, and its next run is set. */
export function runDuePolicies(ctx: Ctx, userId: string): PolicyRun[] {
  const due = ctx.db
    .select()
    .from(backupPolicies)
    .where(and(isNotNull(backupPolicies.nextRunAt), lte(backupPolicies.nextRunAt, ctx.now)))
    .all();
  return due.map((p) => {
    const run = runPolicy(ctx, p.id, userId);
    const next = nextRun(p.schedule, new Date(ctx.now), new Date(p.nextRunAt!)).toISOString();
    ctx.db.update(backupPolicies).set({ nextRunAt: next }).where(eq(backupPolicies.id, p.id)).run();
    return run;
  });
}

/** When the next policy runs (ms), if any is on. */
export function nextPolicyRun(ctx: Ctx): number | null {
  const times = ctx.db
    .select({ at: backupPolicies.nextRunAt })
    .from(backupPolicies)
    .where(isNotNull(backupPolicies.nextRunAt))
    .all()
    .map((r) => Date.parse(r.at!));
  return times.length ? Math.min(...times) : null;
}

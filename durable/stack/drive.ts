/**
 * How a stack moves: which resources start next (every one whose dependencies are complete, all at once), what
 * a finished step changes, when the stack is complete or failed, rollback, and deletion in reverse dependency
 * order with `deletion_policy: Retain` honoured. Runs inside the StackDO's transactions; answers the steps to
 * queue, which the consumer claims back from the object before it acts (so each is done once).
 */
import { eq } from 'drizzle-orm';
import { HeatError } from '../../core/rts/errors.ts';
import { resolve } from '../../core/rts/functions.ts';
import type { StepJob, StepMessage, StepResult } from '../../core/rts/messages.ts';
import { type Plan, plan, resolveProperties, stackScope } from '../../core/rts/stack.ts';
import { type ResourceRow, resources, type StackRow, stack } from '../../schema/stack.ts';
import { type Db, resourceRow, resourceRows, setResource, setStack } from './rows.ts';

/** How long a claimed create is left to its consumer before a retry may look for what it made. */
export const LEASE_MS = 60_000;

/** The plan of a stored stack (its template was checked on create, so this does not refuse). */
export function planOf(s: StackRow): Plan {
  return plan({
    template: s.template,
    environment: s.environment,
    parameters: s.parameters,
    files: s.files,
    stack: { id: s.id, name: s.name, projectId: s.owner.projectId },
  });
}

const step = (s: StackRow, r: ResourceRow, kind: StepMessage['step']): StepMessage => ({
  kind: 'rts.step',
  stackId: s.id,
  resource: r.name,
  step: kind,
});
const done = (r: ResourceRow | undefined) => !r || (r.action === 'CREATE' && r.status === 'COMPLETE');
const removed = (r: ResourceRow) => r.action === 'INIT' || (r.action === 'DELETE' && r.status === 'COMPLETE');

/** The scope functions resolve in: each resource's id and attributes as far as they are known. */
function scopeOver(p: Plan, rows: ResourceRow[]) {
  const by = new Map(rows.map((r) => [r.name, r]));
  return stackScope(p, {
    id: (n) => by.get(n)?.physicalId || '',
    attr: (n, a) => {
      const r = by.get(n);
      return a === 'show' ? (r?.attributes ?? {}) : r?.attributes[a];
    },
  });
}

/** The outputs of a complete stack; an output that cannot be resolved carries its error. */
function outputsOf(p: Plan, rows: ResourceRow[]) {
  const scope = scopeOver(p, rows);
  return Object.values(p.template.outputs).flatMap((o) => {
    if (o.condition !== undefined && typeof o.condition === 'string' && p.conditions[o.condition] === false) return [];
    const base = { output_key: o.name, description: o.description ?? 'No description given' };
    try {
      return [{ ...base, output_value: resolve(o.value, scope, ['outputs', o.name, 'value']) ?? null }];
    } catch (e) {
      return [{ ...base, output_value: null, output_error: (e as Error).message }];
    }
  });
}

/** Moves a creating stack on: starts what is ready, completes or fails it. */
function advanceCreate(db: Db, s: StackRow, p: Plan, now: string, nowMs: number): StepMessage[] {
  const rows = resourceRows(db);
  const failed = rows.find((r) => r.status === 'FAILED');
  const timedOut = s.deadline !== null && nowMs > s.deadline;
  if (failed || timedOut) {
    const reason = failed ? `Resource CREATE failed: ${failed.reason}` : 'CREATE timed out';
    const f = setStack(db, s, now, 'CREATE', 'FAILED', reason);
    if (s.disableRollback) return [];
    return advanceDelete(db, setStack(db, f, now, 'ROLLBACK', 'IN_PROGRESS', 'Stack ROLLBACK started'), now);
  }
  const by = new Map(rows.map((r) => [r.name, r]));
  const out: StepMessage[] = [];
  for (const r of rows) {
    if (r.action !== 'INIT') continue;
    if (!p.resources[r.name]!.deps.every((d) => done(by.get(d)))) continue;
    out.push(step(s, setResource(db, s, now, r, 'CREATE', 'IN_PROGRESS', 'state changed', { attemptedAt: null }), 'create'));
  }
  if (!out.length && rows.every(done)) {
    setStack(db, s, now, 'CREATE', 'COMPLETE', 'Stack CREATE completed successfully', { outputs: outputsOf(p, rows), deadline: null });
  }
  return out;
}

/** Moves a deleting (or rolling back) stack on: removes each resource once nothing that needs it remains. */
function advanceDelete(db: Db, s: StackRow, now: string): StepMessage[] {
  const rows = resourceRows(db);
  const by = new Map(rows.map((r) => [r.name, r]));
  const failed = rows.find((r) => r.action === 'DELETE' && r.status === 'FAILED');
  if (failed) {
    setStack(db, s, now, s.action, 'FAILED', `Resource DELETE failed: ${failed.reason}`, { deadline: null });
    return [];
  }
  const out: StepMessage[] = [];
  for (const r of rows) {
    if (removed(r) || r.status === 'IN_PROGRESS') continue;
    if (
      !r.requiredBy.every((n) => {
        const x = by.get(n);
        return !x || removed(x);
      })
    )
      continue;
    if (!r.physicalId) {
      // Its create failed before it made anything: nothing to remove.
      by.set(r.name, setResource(db, s, now, r, 'DELETE', 'COMPLETE', 'nothing was created'));
      continue;
    }
    if (r.deletionPolicy === 'Retain') {
      by.set(r.name, setResource(db, s, now, r, 'DELETE', 'COMPLETE', 'Retained by its deletion_policy'));
      continue;
    }
    out.push(step(s, setResource(db, s, now, r, 'DELETE', 'IN_PROGRESS', 'state changed', { attemptedAt: null }), 'delete'));
  }
  const left = [...by.values()].filter((r) => !removed(r));
  if (!out.length && !left.length) {
    if (s.action === 'ROLLBACK') setStack(db, s, now, 'ROLLBACK', 'COMPLETE', 'Stack ROLLBACK completed successfully', { deadline: null });
    else setStack(db, s, now, 'DELETE', 'COMPLETE', 'Stack DELETE completed successfully', { deletedAt: now, deadline: null });
  }
  // Resources still being removed (or still being made, whose result a delete waits for) come back by report.
  return out;
}

/** Moves the stack on from where it stands; answers the steps to queue. */
export function advance(db: Db, p: Plan, now: string, nowMs: number): StepMessage[] {
  const s = db.select().from(stack).get();
  if (s?.status !== 'IN_PROGRESS') return [];
  if (s.action === 'CREATE') return advanceCreate(db, s, p, now, nowMs);
  if (s.action === 'DELETE' || s.action === 'ROLLBACK') return advanceDelete(db, s, now);
  return [];
}

/** The steps the clock re-sends: checks of resources still becoming ready or gone, and creates whose lease ran out. */
export function dueSteps(db: Db, nowMs: number): StepMessage[] {
  const s = db.select().from(stack).get();
  if (!s) return [];
  return resourceRows(db).flatMap((r): StepMessage[] => {
    if (r.status !== 'IN_PROGRESS') return [];
    if (r.action === 'CREATE') {
      if (r.physicalId) return [step(s, r, 'check')];
      return r.attemptedAt === null || nowMs - r.attemptedAt > LEASE_MS ? [step(s, r, 'create')] : [];
    }
    // A delete asked but still not done after its lease (its consumer died between the claim and the call) is asked again.
    if (r.action === 'DELETE') return [step(s, r, r.attemptedAt === null || nowMs - r.attemptedAt > LEASE_MS ? 'delete' : 'gone')];
    return [];
  });
}

/**
 * Claims a step for the consumer: the job to do, or null when the step is no longer due (done already, claimed by
 * another delivery within its lease, or the resource moved on). A create whose properties cannot be resolved fails.
 */
export function claim(db: Db, p: Plan, name: string, kind: StepMessage['step'], now: string, nowMs: number): StepJob | null {
  const s = db.select().from(stack).get();
  const r = resourceRow(db, name);
  if (!s || !r || r.status !== 'IN_PROGRESS') return null;
  const wants = kind === 'create' || kind === 'check' ? 'CREATE' : 'DELETE';
  if (r.action !== wants) return null;
  if (kind === 'create' && r.physicalId) kind = 'check';
  const job = {
    stackId: s.id,
    stackName: s.name,
    resource: r.name,
    type: r.type,
    physicalId: r.physicalId,
    physicalName: r.physicalName,
    owner: s.owner,
  };
  if (kind === 'create') {
    if (r.attemptedAt !== null && nowMs - r.attemptedAt <= LEASE_MS) return null;
    let properties: Record<string, unknown>;
    try {
      properties = resolveProperties(p, name, scopeOver(p, resourceRows(db)));
    } catch (e) {
      if (!(e instanceof HeatError)) throw e;
      setResource(db, s, now, r, 'CREATE', 'FAILED', e.message);
      return null;
    }
    db.update(resources).set({ attemptedAt: nowMs, properties }).where(eq(resources.name, name)).run();
    return { ...job, step: 'create', adoptSince: r.attemptedAt, properties };
  }
  if (kind === 'delete') db.update(resources).set({ attemptedAt: nowMs }).where(eq(resources.name, name)).run();
  return { ...job, step: kind, adoptSince: null, properties: r.properties };
}

/** Records what a step came to; answers whether the resource is still on its way (to be checked again). */
export function report(db: Db, name: string, kind: StepMessage['step'], result: StepResult, now: string): boolean {
  const s = db.select().from(stack).get();
  const r = resourceRow(db, name);
  if (!s || !r || r.status !== 'IN_PROGRESS') return false;
  const action = kind === 'create' || kind === 'check' ? 'CREATE' : 'DELETE';
  if (r.action !== action) return false;
  const physicalId = r.physicalId || result.physicalId || '';
  if (physicalId !== r.physicalId) db.update(resources).set({ physicalId }).where(eq(resources.name, name)).run();
  const at = { ...r, physicalId };
  if (result.state === 'pending') return true;
  if (result.state === 'failed') setResource(db, s, now, at, action, 'FAILED', result.reason);
  else setResource(db, s, now, at, action, 'COMPLETE', 'state changed', result.attributes ? { attributes: result.attributes } : {});
  return false;
}

/**
 * StackDO: one per stack (RTS), the only writer of that stack's rows: its template and parameters, its resources
 * with the cloud resources they made, and their events. It drives the dependency graph (durable/stack/drive.ts):
 * each step goes out on the orchestration queue, whose consumer claims it back here, makes or removes the
 * resource through the owning service's use case with the owner's rights, and reports. Its alarm re-sends what
 * is still on its way (a server becoming ACTIVE, a step whose consumer died), so a crash anywhere only delays.
 */
import type { Env } from '../core/env.ts';
import type { StepMessage, StepResult } from '../core/rts/messages.ts';
import type { Plan } from '../core/rts/stack.ts';
import migrations from '../schema/migrations/stack/migrations.js';
import { resources, type StackRow, stack } from '../schema/stack.ts';
import type { StackSummary } from '../schema/stack-index.ts';
import { SqliteObject } from './lib/sqlite-object.ts';
import { advance, claim, dueSteps, planOf, report } from './stack/drive.ts';
import { eventRows, resourceRows, setStack, stackRow } from './stack/rows.ts';

/** What a create gives the object: the stack as the API checked it. */
export type StackCreate = Pick<
  StackRow,
  'id' | 'name' | 'owner' | 'template' | 'environment' | 'files' | 'parameters' | 'disableRollback' | 'timeoutMins' | 'tags'
>;

const DEFAULT_TIMEOUT_MINS = 60;

export class StackDO extends SqliteObject {
  private planned: Plan | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /** How often steps still on their way are checked. */
  private get tick(): number {
    return Number(this.env.RTS_TICK_MS || 2_000);
  }

  private plan(s: StackRow): Plan {
    this.planned ??= planOf(s);
    return this.planned;
  }

  /** Records a new stack and starts creating it; a second create of the same id changes nothing. */
  async create(input: StackCreate) {
    const r = this.run(({ db, now }) => {
      if (stackRow(db)) return [];
      const nowMs = Date.now();
      const timeout = input.timeoutMins ?? DEFAULT_TIMEOUT_MINS;
      db.insert(stack)
        .values({
          ...input,
          action: 'INIT',
          status: 'COMPLETE',
          reason: '',
          outputs: [],
          createdAt: now,
          deadline: nowMs + timeout * 60_000,
        })
        .run();
      const s = stackRow(db)!;
      const p = this.plan(s);
      for (const name of p.order) {
        const def = p.resources[name]!;
        const requiredBy = p.order.filter((n) => p.resources[n]!.deps.includes(name));
        const suffix = crypto.randomUUID().replaceAll('-', '').slice(0, 12);
        db.insert(resources)
          .values({
            name,
            type: def.def.type,
            action: 'INIT',
            status: 'COMPLETE',
            reason: '',
            physicalName: `${s.name}-${name}-${suffix}`,
            attributes: {},
            properties: {},
            deletionPolicy: def.def.deletionPolicy,
            requiredBy,
            createdAt: now,
          })
          .run();
      }
      setStack(db, s, now, 'CREATE', 'IN_PROGRESS', 'Stack CREATE started');
      return advance(db, p, now, nowMs);
    });
    if ('ok' in r) await this.after(r.ok);
    return r;
  }

  /** Sends the steps, mirrors the stack in the project's index, and keeps the clock going while anything runs. */
  private async after(steps: StepMessage[]): Promise<void> {
    const s = stackRow(this.db);
    // The alarm first: if the queue or the index cannot be reached below, it re-sends the steps still due.
    if (s?.status === 'IN_PROGRESS') await this.alarmBy(Date.now() + this.tick);
    if (steps.length) await this.env.RTS_QUEUE.sendBatch(steps.map((body) => ({ body })));
    if (s) await this.env.STACK_INDEX.getByName(s.owner.projectId).put(summaryOf(s));
  }

  /** The stack, its resources and its events. */
  show() {
    return { stack: stackRow(this.db) ?? null, resources: resourceRows(this.db), events: eventRows(this.db) };
  }

  /** Starts deleting the stack (rolling a create in progress back first is the same walk); a repeat changes nothing. */
  async delete() {
    const r = this.run(({ db, now }) => {
      const s = stackRow(db);
      if (!s || (s.action === 'DELETE' && s.status !== 'FAILED')) return [];
      const d = setStack(db, s, now, 'DELETE', 'IN_PROGRESS', 'Stack DELETE started', {
        deadline: Date.now() + DEFAULT_TIMEOUT_MINS * 60_000,
      });
      return advance(db, this.plan(d), now, Date.now());
    });
    if ('ok' in r) await this.after(r.ok);
    return r;
  }

  /** Hands a step to the consumer, or null when it is not (or no longer) due. */
  async claim(resource: string, step: StepMessage['step']) {
    const r = this.run(({ db, now }) => {
      const s = stackRow(db);
      return s ? claim(db, this.plan(s), resource, step, now, Date.now()) : null;
    });
    // A create refused while claiming (its properties) failed the resource: the stack moves on from it.
    if ('ok' in r && r.ok === null) await this.moveOn();
    return r;
  }

  /** Takes what a step came to and moves the stack on. */
  async report(resource: string, step: StepMessage['step'], result: StepResult) {
    const r = this.run(({ db, now }) => {
      const pending = report(db, resource, step, result, now);
      const s = stackRow(db)!;
      return { pending, steps: advance(db, this.plan(s), now, Date.now()) };
    });
    if ('ok' in r) await this.after(r.ok.steps);
    return r;
  }

  private async moveOn(): Promise<void> {
    const r = this.run(({ db, now }) => {
      const s = stackRow(db);
      return s ? advance(db, this.plan(s), now, Date.now()) : [];
    });
    if ('ok' in r) await this.after(r.ok);
  }

  /** The clock: times out, re-sends the steps still on their way, and moves the stack on. */
  override async alarm(): Promise<void> {
    this.alarmSpent();
    const r = this.run(({ db, now }) => {
      const s = stackRow(db);
      if (s?.status !== 'IN_PROGRESS') return [];
      const moved = advance(db, this.plan(s), now, Date.now());
      return moved.length ? moved : dueSteps(db, Date.now());
    });
    if ('ok' in r) await this.after(r.ok);
  }
}

/** The stack as the project's index lists it. */
export function summaryOf(s: StackRow): StackSummary {
  return {
    id: s.id,
    name: s.name,
    description: typeof s.template.description === 'string' ? s.template.description : 'No description',
    status: `${s.action}_${s.status}`,
    reason: s.reason,
    ownerId: s.owner.userId,
    tags: s.tags,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    deletedAt: s.deletedAt,
  };
}

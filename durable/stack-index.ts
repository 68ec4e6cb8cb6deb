/**
 * StackIndexDO: one per project, the index of its stacks (RTS): what `stack list` shows and what a name resolves
 * to. A stack's name is unique among the project's live stacks; each StackDO mirrors its summary here after every
 * change, so a list never asks every stack.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Env } from '../core/env.ts';
import { DomainError } from '../core/result.ts';
import migrations from '../schema/migrations/stack-index/migrations.js';
import { type StackSummary, stacks } from '../schema/stack-index.ts';
import { SqliteObject } from './lib/sqlite-object.ts';

export class StackIndexDO extends SqliteObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, migrations);
  }

  /** Takes a new stack's name; refused while a live stack of the project has it (the same id again is no change). */
  reserve(summary: StackSummary) {
    return this.run(({ db }) => {
      const taken = db
        .select()
        .from(stacks)
        .where(and(eq(stacks.name, summary.name), isNull(stacks.deletedAt)))
        .get();
      if (taken && taken.id !== summary.id) throw new DomainError(409, 'StackExists', `The Stack (${summary.name}) already exists.`);
      if (!taken) db.insert(stacks).values(summary).run();
      return summary;
    });
  }

  /** Mirrors a stack's summary. */
  put(summary: StackSummary) {
    return this.run(({ db }) => {
      db.insert(stacks).values(summary).onConflictDoUpdate({ target: stacks.id, set: summary }).run();
    });
  }

  /** Forgets a stack whose create never started (its StackDO refused it). */
  drop(id: string) {
    return this.run(({ db }) => {
      db.delete(stacks).where(eq(stacks.id, id)).run();
    });
  }

  /** The project's stacks, oldest first; deleted ones only when asked. */
  list(showDeleted: boolean): StackSummary[] {
    const all = this.db.select().from(stacks).all();
    return all
      .filter((s) => showDeleted || !s.deletedAt)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** The live stack a name or id names (an id also finds a deleted stack). */
  find(nameOrId: string): StackSummary | null {
    const byId = this.db.select().from(stacks).where(eq(stacks.id, nameOrId)).get();
    if (byId) return byId;
    return (
      this.db
        .select()
        .from(stacks)
        .where(and(eq(stacks.name, nameOrId), isNull(stacks.deletedAt)))
        .get() ?? null
    );
  }
}

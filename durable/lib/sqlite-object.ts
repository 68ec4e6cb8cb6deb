/**
 * The base of every Durable Object here: its storage through drizzle, its migrations run before it serves a
 * call, operations run as one transaction each with refusals carried back as Result values, and an alarm that
 * only ever moves earlier.
 */
import { DurableObject } from 'cloudflare:workers';
import { type DrizzleSqliteDODatabase, drizzle } from 'drizzle-orm/durable-sqlite';
import { migrate } from 'drizzle-orm/durable-sqlite/migrator';
import type { Env } from '../../core/env.ts';
import { DomainError, failure, type Result } from '../../core/result.ts';

/** The migrations drizzle-kit generated for one kind of object (`schema/migrations/<kind>/migrations.js`). */
export type Migrations = Parameters<typeof migrate>[1];

/** What an operation works with: the object's database and the clock. */
export interface OpContext {
  db: DrizzleSqliteDODatabase;
  /** ISO time of the operation, one value for every row it writes. */
  now: string;
}

export abstract class SqliteObject extends DurableObject<Env> {
  protected readonly db: DrizzleSqliteDODatabase;
  /** When the alarm is set for, as far as this instance knows: undefined until read, null when none is set. */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env, migrations: Migrations) {
    super(ctx, env);
    this.db = drizzle(ctx.storage);
    ctx.blockConcurrencyWhile(async () => {
      await migrate(this.db, migrations);
      // After the await: the subclass's constructor and fields are in place by now.
      await this.started();
    });
  }

  /** What the object does once its tables are current, before it serves any call (load a cache, seed rows). */
  protected started(): void | Promise<void> {}

  /** Runs one operation in a transaction; a DomainError becomes an `{error}` value and nothing is written. */
  protected run<T>(op: (ctx: OpContext) => T): Result<T> {
    return this.transact(() => op({ db: this.db, now: new Date().toISOString() }));
  }

  /**
   * Runs `body` in one storage transaction: all of it is written or none. A DomainError comes back as an
   * `{error}` value; `rolledBack` runs first on any failure (to forget what the transaction undid).
   */
  protected transact<T>(body: () => T, rolledBack?: () => void): Result<T> {
    try {
      return { ok: this.ctx.storage.transactionSync(body) };
    } catch (err) {
      rolledBack?.();
      if (err instanceof DomainError) return failure(err);
      throw err;
    }
  }

  /**
   * Makes sure the alarm comes by `at`: sets it only when none is set or the one set is later. The time set is
   * remembered, so that most calls read nothing and return.
   */
  protected async alarmBy(at: number): Promise<void> {
    if (this.alarmAt === undefined) {
      const current = await this.ctx.storage.getAlarm();
      // Another call may have set the alarm while this one waited: what it set is newer than what was read.
      if (this.alarmAt === undefined) this.alarmAt = current;
    }
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    await this.setAlarm(Math.max(at, Date.now()));
  }

  /** Sets the alarm for `at`, earlier or later than the one set. */
  protected async setAlarm(at: number): Promise<void> {
    this.alarmAt = at;
    try {
      await this.ctx.storage.setAlarm(at);
    } catch (err) {
      // Not set after all: forget what was assumed, so that the next call reads the alarm again and sets it.
      this.alarmAt = undefined;
      throw err;
    }
  }

  /** The alarm that woke the object is spent: call first in `alarm()`. */
  protected alarmSpent(): void {
    this.alarmAt = null;
  }
}

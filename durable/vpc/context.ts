/** What the network and compute modules of the TenantDO work with. */
import type { Env } from '../../core/env.ts';
import type { Result } from '../../core/result.ts';
import type { OpContext } from '../lib/sqlite-object.ts';

/** One operation's view of the tenant: its database and the clock. */
export type Ctx = OpContext;

/**
 * What a saga of the TenantDO (a step here, a call to another object, a step here again) works with: the
 * project, one transaction per step, the alarm that finishes what a crash interrupts, and the bindings.
 */
export interface Saga {
  env: Env;
  /** The project the TenantDO belongs to (its name). */
  projectId: string;
  /** Runs one step in a transaction; a DomainError becomes an `{error}` value and nothing is written. */
  run<T>(op: (ctx: Ctx) => T): Result<T>;
  /** Reads outside a transaction (the alarm's scans). */
  db: Ctx['db'];
  /** Wakes the alarm soon, to move transitional states on. */
  settleSoon(): Promise<void>;
  /** Wakes the alarm later, to finish steps that a crash may have interrupted. */
  reconcileLater(): Promise<void>;
  /** Makes sure the alarm comes by `at` (ms): a backup policy's next run. */
  alarmBy(at: number): Promise<void>;
}

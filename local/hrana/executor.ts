import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from 'node:sqlite';
import { HranaError, toProtoError } from './errors.ts';
import type { BatchCond, BatchResult, BatchStep, Col, DescribeResult, SqlRef, Stmt, StmtResult } from './protocol.ts';
import { analyzeSql, type SqlShape } from './sql-scan.ts';
import { decodeValue, encodeValue } from './values.ts';

/** SQL texts stored by `store_sql`, scoped to one stream. */
export type SqlStore = Map<number, string>;

interface Prepared {
  stmt: StatementSync;
  shape: SqlShape;
}

type Params = { named: Record<string, SQLInputValue> } | { positional: SQLInputValue[] };

// Clients (drizzle, the libsql SQL cache) repeat the same texts constantly; preparing
// once keeps a local benchmark about SQLite rather than about the SQL compiler.
const STATEMENT_CACHE_SIZE = 256;
const READONLY_BEGIN = /^\s*BEGIN\s+TRANSACTION\s+READONLY\s*;?\s*$/i;

/** Runs Hrana statements, batches and sequences on one node:sqlite connection. */
export class Executor {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, Prepared>();
  readonly #changes: StatementSync;
  #readonlyTx = false;

  /** Expects a connection opened with readBigInts and returnArrays. */
  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#changes = db.prepare('SELECT total_changes(), changes(), last_insert_rowid()');
  }

  /** True unless the connection is inside an explicit transaction. */
  get isAutocommit(): boolean {
    return !this.#db.isTransaction;
  }

  /** Executes one statement (`execute` request or batch step). */
  execute(stmt: Stmt, sqls: SqlStore): StmtResult {
    if (typeof stmt !== 'object' || stmt === null) throw protoError('stmt must be an object');
    const sql = resolveSql(stmt, sqls);
    const { stmt: prepared } = this.#prepare(sql);
    const params = bindParams(stmt);
    const before = this.#readChanges()[0];
    let rows: SQLOutputValue[][];
    try {
      rows = runAll(prepared, params, stmt.want_rows !== false);
    } finally {
      this.#syncReadonly(sql);
    }
    const [total, changes, rowid] = this.#readChanges();
    // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE even across DDL and
    // SELECTs, so only trust it when this statement actually moved total_changes().
    const changed = total !== before;
    const affected = changed ? Number(changes) : 0;
    return {
      cols: columnsOf(prepared),
      rows: rows.map((row) => row.map(encodeValue)),
      affected_row_count: affected,
      last_insert_rowid: changed ? String(rowid) : null,
      rows_read: 0,
      rows_written: affected,
    };
  }

  /** Executes a batch; a failing step is recorded and later steps decide by their conditions. */
  batch(steps: BatchStep[], sqls: SqlStore): BatchResult {
    if (!Array.isArray(steps)) throw protoError('batch.steps must be an array');
    // Reject malformed conditions before running anything, so a batch never half-runs.
    steps.forEach((step, i) => {
      if (typeof step !== 'object' || step === null) throw protoError('batch steps must be objects');
      if (step.condition != null) checkCond(step.condition, i);
    });
    const result: BatchResult = { step_results: [], step_errors: [] };
    for (const step of steps) {
      const run = step.condition == null || this.#evalCond(step.condition, result);
      let stepResult: StmtResult | null = null;
      let stepError = null;
      if (run) {
        try {
          stepResult = this.execute(step.stmt, sqls);
        } catch (error) {
          stepError = toProtoError(error);
        }
      }
      result.step_results.push(stepResult);
      result.step_errors.push(stepError);
    }
    return result;
  }

  /** Executes several semicolon-separated statements without arguments or results. */
  sequence(ref: SqlRef, sqls: SqlStore): void {
    try {
      this.#db.exec(resolveSql(ref, sqls));
    } finally {
      this.#syncReadonly();
    }
  }

  /** Reports parameters and result columns of a statement without running it. */
  describe(ref: SqlRef, sqls: SqlStore): DescribeResult {
    const { stmt, shape } = this.#prepare(resolveSql(ref, sqls));
    return {
      params: shape.params.map((name) => ({ name })),
      cols: columnsOf(stmt),
      is_explain: shape.isExplain,
      is_readonly: shape.isReadonly,
    };
  }

  /** Rolls back the open transaction, if any; used when a stream is closed or expires mid-transaction. */
  rollback(): void {
    if (!this.#db.isTransaction) return;
    try {
      this.#db.exec('ROLLBACK');
    } catch {
      // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
    }
    this.#syncReadonly();
  }

  // libsql's `BEGIN TRANSACTION READONLY` (client.transaction('read') and batch mode 'read')
  // parses in plain SQLite as a deferred transaction named READONLY; query_only makes writes
  // inside it fail as they do on sqld, and is lifted as soon as the transaction ends.
  #syncReadonly(sql?: string): void {
    if (sql !== undefined && !this.isAutocommit && READONLY_BEGIN.test(sql)) {
      this.#db.exec('PRAGMA query_only = 1');
      this.#readonlyTx = true;
    } else if (this.#readonlyTx && this.isAutocommit) {
      this.#db.exec('PRAGMA query_only = 0');
      this.#readonlyTx = false;
    }
  }

  #readChanges(): SQLOutputValue[] {
    return this.#changes.get() as unknown as SQLOutputValue[];
  }

  #prepare(sql: string): Prepared {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) {
      // Re-insert to keep the Map's iteration order least-recently-used first.
      this.#cache.delete(sql);
      this.#cache.set(sql, cached);
      return cached;
    }
    const shape = analyzeSql(sql);
    if (shape.statementCount === 0) throw new HranaError('SQL string does not contain any statement', 'SQL_NO_STATEMENT');
    if (shape.statementCount > 1) throw new HranaError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS');
    const prepared = { stmt: this.#db.prepare(sql), shape };
    this.#cache.set(sql, prepared);
    if (this.#cache.size > STATEMENT_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
    return prepared;
  }

  #evalCond(cond: BatchCond, result: BatchResult): boolean {
    switch (cond.type) {
      case 'ok':
        return result.step_results[cond.step] != null;
      case 'error':
        return result.step_errors[cond.step] != null;
      case 'not':
        return !this.#evalCond(cond.cond, result);
      case 'and':
        return cond.conds.every((c) => this.#evalCond(c, result));
      case 'or':
        return cond.conds.some((c) => this.#evalCond(c, result));
      case 'is_autocommit':
        return this.isAutocommit;
    }
  }
}

function resolveSql(ref: SqlRef, sqls: SqlStore): string {
  const hasSql = typeof ref.sql === 'string';
  const hasId = ref.sql_id != null;
  if (hasSql && hasId) throw protoError('Both sql and sql_id were given');
  if (hasSql) return ref.sql as string;
  if (!hasId) throw protoError('Neither sql nor sql_id was given');
  const sql = sqls.get(Number(ref.sql_id));
  if (sql === undefined) throw new HranaError(`SQL text with id ${ref.sql_id} was not stored`, 'SQL_NOT_FOUND');
  return sql;
}

function bindParams(stmt: Stmt): Params {
  const args = Array.isArray(stmt.args) ? stmt.args : [];
  const namedArgs = Array.isArray(stmt.named_args) ? stmt.named_args : [];
  if (namedArgs.length === 0) return { positional: args.map(decodeValue) };
  if (args.length > 0) {
    throw new HranaError('Specifying both positional and named arguments is not supported', 'ARGS_BOTH_POSITIONAL_AND_NAMED');
  }
  // Names may come with or without their prefix (":id" or "id"); node:sqlite's bare-name
  // lookup resolves both, and unknown names are ignored as sqld does.
  return { named: Object.fromEntries(namedArgs.map((arg) => [String(arg.name), decodeValue(arg.value)])) };
}

function runAll(stmt: StatementSync, params: Params, wantRows: boolean): SQLOutputValue[][] {
  const named = 'named' in params ? params.named : undefined;
  const positional = 'positional' in params ? params.positional : [];
  if (!wantRows) {
    if (named === undefined) stmt.run(...positional);
    else stmt.run(named);
    return [];
  }
  const rows = named === undefined ? stmt.all(...positional) : stmt.all(named);
  return rows as unknown as SQLOutputValue[][];
}

function columnsOf(stmt: StatementSync): Col[] {
  return stmt.columns().map((c) => ({ name: c.name, decltype: c.type }));
}

function checkCond(cond: BatchCond, stepIndex: number): void {
  if (typeof cond !== 'object' || cond === null) throw protoError('batch condition must be an object');
  switch (cond.type) {
    case 'ok':
    case 'error':
      if (!Number.isInteger(cond.step) || cond.step < 0 || cond.step >= stepIndex) {
        throw new HranaError(`Batch condition refers to step ${cond.step}, which is not before step ${stepIndex}`, 'BATCH_COND_BAD_STEP');
      }
      return;
    case 'not':
      checkCond(cond.cond, stepIndex);
      return;
    case 'and':
    case 'or':
      if (!Array.isArray(cond.conds)) throw protoError(`'${cond.type}' condition needs conds`);
      for (const c of cond.conds) checkCond(c, stepIndex);
      return;
    case 'is_autocommit':
      return;
    default:
      throw protoError(`Unknown batch condition ${JSON.stringify((cond as { type?: unknown }).type)}`);
  }
}

function protoError(message: string): HranaError {
  return new HranaError(message, 'PROTO_ERROR');
}

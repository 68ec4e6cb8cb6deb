import type { DatabaseSync } from 'node:sqlite';
import { HranaError, HttpError, toProtoError } from './errors.ts';
import { Executor } from './executor.ts';
import type { PipelineRequest, PipelineResponse, StreamRequest, StreamResponse, StreamResult } from './protocol.ts';
import { type HranaStream, Mutex, StreamRegistry } from './streams.ts';

// sqld also caps stored SQL texts per stream; a cap keeps a leaky client from growing memory.
const MAX_STORED_SQL = 256;

/**
 * Executes Hrana pipelines over a single connection. One pipeline runs at a time (the
 * mutex); a stream left inside a transaction keeps the mutex across HTTP requests, which
 * is what isolates interactive transactions from every other stream.
 */
export class PipelineServer {
  readonly #db: DatabaseSync;
  readonly #executor: Executor;
  readonly #mutex = new Mutex();
  readonly #streams: StreamRegistry;
  #closed = false;

  /** `idleMs` bounds how long an abandoned stream (and its transaction) may live. */
  constructor(db: DatabaseSync, idleMs: number) {
    this.#db = db;
    this.#executor = new Executor(db);
    this.#streams = new StreamRegistry(idleMs, (stream) => this.#expire(stream));
  }

  /** Runs one `/v2/pipeline` request body; throws HttpError for stream-level failures. */
  async run(body: PipelineRequest): Promise<PipelineResponse> {
    if (this.#closed) throw serverClosed();
    const stream = this.#openStream(body.baton);
    if (!stream.holdsLock) {
      await this.#mutex.acquire();
      stream.holdsLock = true;
    }
    try {
      // close() may have run while this request waited for the lock.
      if (this.#closed) throw serverClosed();
      const results = body.requests.map((request) => this.#handle(stream, request));
      return { baton: this.#finish(stream), base_url: null, results };
    } catch (error) {
      stream.closed = true;
      this.#finish(stream);
      throw error;
    }
  }

  /** Rolls back open transactions, drops all streams and closes the database. */
  close(): void {
    if (this.#closed) return;
    for (const stream of this.#streams.drain()) this.#expire(stream);
    this.#closed = true;
    this.#db.close();
  }

  #openStream(baton: string | null): HranaStream {
    if (baton === null) return { sqls: new Map(), holdsLock: false, closed: false };
    const stream = this.#streams.take(baton);
    if (stream === undefined) {
      throw new HttpError(400, 'The stream has expired or the baton is invalid', 'STREAM_EXPIRED');
    }
    return stream;
  }

  // Decides what happens to the stream after a pipeline and returns the baton to send back.
  #finish(stream: HranaStream): string | null {
    const inTransaction = !this.#closed && !this.#executor.isAutocommit;
    if (stream.closed || !inTransaction) this.#unlock(stream);
    return stream.closed || this.#closed ? null : this.#streams.park(stream);
  }

  #expire(stream: HranaStream): void {
    stream.closed = true;
    this.#unlock(stream);
  }

  #unlock(stream: HranaStream): void {
    if (!stream.holdsLock) return;
    // A stream that is closed or expired inside a transaction must not leak it to the next owner.
    if (!this.#closed) this.#executor.rollback();
    stream.holdsLock = false;
    this.#mutex.release();
  }

  #handle(stream: HranaStream, request: StreamRequest): StreamResult {
    try {
      return { type: 'ok', response: this.#dispatch(stream, request) };
    } catch (error) {
      return { type: 'error', error: toProtoError(error) };
    }
  }

  #dispatch(stream: HranaStream, request: StreamRequest): StreamResponse {
    if (stream.closed) throw new HranaError('The stream has already been closed', 'STREAM_CLOSED');
    const executor = this.#executor;
    switch (request.type) {
      case 'close':
        stream.closed = true;
        return { type: 'close' };
      case 'execute':
        return { type: 'execute', result: executor.execute(request.stmt, stream.sqls) };
      case 'batch':
        return { type: 'batch', result: executor.batch(request.batch?.steps, stream.sqls) };
      case 'sequence':
        executor.sequence(request, stream.sqls);
        return { type: 'sequence' };
      case 'describe':
        return { type: 'describe', result: executor.describe(request, stream.sqls) };
      case 'store_sql':
        storeSql(stream, request.sql_id, request.sql);
        return { type: 'store_sql' };
      case 'close_sql':
        stream.sqls.delete(request.sql_id);
        return { type: 'close_sql' };
      case 'get_autocommit':
        return { type: 'get_autocommit', is_autocommit: executor.isAutocommit };
      default:
        throw new HranaError(`Unknown request type ${JSON.stringify((request as { type: unknown }).type)}`, 'PROTO_ERROR');
    }
  }
}

function storeSql(stream: HranaStream, sqlId: unknown, sql: unknown): void {
  if (!Number.isInteger(sqlId) || typeof sql !== 'string') {
    throw new HranaError('store_sql needs an integer sql_id and a string sql', 'PROTO_ERROR');
  }
  const id = sqlId as number;
  if (stream.sqls.has(id)) throw new HranaError(`SQL text with id ${id} is already stored`, 'SQL_EXISTS');
  if (stream.sqls.size >= MAX_STORED_SQL) {
    throw new HranaError(`The stream already stores ${MAX_STORED_SQL} SQL texts`, 'SQL_STORE_TOO_MANY');
  }
  stream.sqls.set(id, sql);
}

function serverClosed(): HttpError {
  return new HttpError(503, 'The database server is shutting down', 'SERVER_CLOSED');
}

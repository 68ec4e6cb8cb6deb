import type { ProtoError } from './protocol.ts';

/** An error that is reported to the client as a Hrana `Error` with a stable code. */
export class HranaError extends Error {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.name = 'HranaError';
    this.code = code;
  }
}

/** A failure of the whole pipeline (not of a single request), answered with an HTTP error status. */
export class HttpError extends HranaError {
  readonly status: number;

  constructor(status: number, message: string, code: string) {
    super(message, code);
    this.name = 'HttpError';
    this.status = status;
  }
}

// Primary SQLite result codes, indexed by number. sqld reports only the primary code
// (e.g. SQLITE_CONSTRAINT, not SQLITE_CONSTRAINT_UNIQUE), and the client surfaces it as
// LibsqlError.code, so code written against this server behaves the same against Turso.
const SQLITE_CODES = [
  'SQLITE_OK',
  'SQLITE_ERROR',
  'SQLITE_INTERNAL',
  'SQLITE_PERM',
  'SQLITE_ABORT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_NOMEM',
  'SQLITE_READONLY',
  'SQLITE_INTERRUPT',
  'SQLITE_IOERR',
  'SQLITE_CORRUPT',
  'SQLITE_NOTFOUND',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
  'SQLITE_EMPTY',
  'SQLITE_SCHEMA',
  'SQLITE_TOOBIG',
  'SQLITE_CONSTRAINT',
  'SQLITE_MISMATCH',
  'SQLITE_MISUSE',
  'SQLITE_NOLFS',
  'SQLITE_AUTH',
  'SQLITE_FORMAT',
  'SQLITE_RANGE',
  'SQLITE_NOTADB',
];

interface NodeSqliteError {
  code?: unknown;
  errcode?: unknown;
  message?: unknown;
}

/** Converts anything thrown while serving a request into a Hrana `Error` object. */
export function toProtoError(error: unknown): ProtoError {
  if (error instanceof HranaError) return { message: error.message, code: error.code };
  const e = (typeof error === 'object' && error !== null ? error : {}) as NodeSqliteError;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    // node:sqlite reports the extended code; the low byte is the primary one.
    const code = SQLITE_CODES[e.errcode & 0xff] ?? 'SQLITE_UNKNOWN';
    return { message: `SQLite error: ${message}`, code };
  }
  // node:sqlite raises plain ERR_INVALID_* errors for binding problems (bad value types).
  if (typeof e.code === 'string' && e.code.startsWith('ERR_INVALID')) {
    return { message: `Arguments do not match SQL parameters: ${message}`, code: 'ARGS_INVALID' };
  }
  return { message, code: 'UNKNOWN' };
}

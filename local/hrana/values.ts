import { Buffer } from 'node:buffer';
import type { SQLInputValue, SQLOutputValue } from 'node:sqlite';
import { HranaError } from './errors.ts';
import type { HranaValue } from './protocol.ts';

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;

/** Decodes a Hrana JSON value into something node:sqlite can bind. */
export function decodeValue(raw: unknown): SQLInputValue {
  const v = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  switch (v.type) {
    case 'null':
      return null;
    case 'integer':
      return decodeInteger(v.value);
    case 'float':
      if (typeof v.value !== 'number') throw invalid('float value must be a number');
      return v.value;
    case 'text':
      if (typeof v.value !== 'string') throw invalid('text value must be a string');
      return v.value;
    case 'blob':
      if (typeof v.base64 !== 'string') throw invalid('blob value must have base64');
      return new Uint8Array(Buffer.from(v.base64, 'base64'));
    default:
      throw invalid(`unknown value type ${JSON.stringify(v.type)}`);
  }
}

// Integers travel as decimal strings so that 64-bit values survive JSON; binding a
// bigint makes node:sqlite use sqlite3_bind_int64, keeping them exact.
function decodeInteger(value: unknown): bigint {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw invalid('integer value must be a decimal string');
  }
  let n: bigint;
  try {
    n = BigInt(value);
  } catch {
    throw invalid(`integer value ${JSON.stringify(value)} is not an integer`);
  }
  if (n < MIN_I64 || n > MAX_I64) throw invalid('integer value does not fit in 64 bits');
  return n;
}

/** Encodes a value read by node:sqlite (with readBigInts on) as a Hrana JSON value. */
export function encodeValue(value: SQLOutputValue): HranaValue {
  if (value === null) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') {
    // JSON cannot carry ±Infinity/NaN and the client rejects a null float, so degrade to NULL.
    return Number.isFinite(value) ? { type: 'float', value } : { type: 'null' };
  }
  if (typeof value === 'string') return { type: 'text', value };
  return { type: 'blob', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
}

function invalid(message: string): HranaError {
  return new HranaError(`Invalid value: ${message}`, 'PROTO_ERROR');
}

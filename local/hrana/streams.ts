import { randomBytes } from 'node:crypto';
import type { SqlStore } from './executor.ts';

/** Server-side state of one Hrana stream. */
export interface HranaStream {
  readonly sqls: SqlStore;
  /** Whether this stream owns the connection mutex (it is inside a transaction). */
  holdsLock: boolean;
  closed: boolean;
}

/** A FIFO async mutex; release hands the lock straight to the next waiter so nobody can barge in. */
export class Mutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** Resolves once the caller owns the lock. */
  acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Passes the lock to the next waiter, or frees it. */
  release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#locked = false;
    else next();
  }
}

interface Parked {
  stream: HranaStream;
  timer: ReturnType<typeof setTimeout>;
}

/** Streams between requests, keyed by their current baton, each with an idle timer. */
export class StreamRegistry {
  readonly #parked = new Map<string, Parked>();
  readonly #idleMs: number;
  readonly #onExpire: (stream: HranaStream) => void;

  /** `onExpire` runs when a parked stream sees no request for `idleMs`. */
  constructor(idleMs: number, onExpire: (stream: HranaStream) => void) {
    this.#idleMs = idleMs;
    this.#onExpire = onExpire;
  }

  /** Claims the stream behind `baton`; the baton is single-use, so a replayed one finds nothing. */
  take(baton: string): HranaStream | undefined {
    const parked = this.#parked.get(baton);
    if (parked === undefined) return undefined;
    this.#parked.delete(baton);
    clearTimeout(parked.timer);
    return parked.stream;
  }

  /** Parks a stream until its next request and returns the fresh baton that names it. */
  park(stream: HranaStream): string {
    // Random and unguessable, so a baton is as good as a signed one for a local server.
    const baton = randomBytes(18).toString('base64url');
    const timer = setTimeout(() => {
      this.#parked.delete(baton);
      this.#onExpire(stream);
    }, this.#idleMs);
    // An idle stream must not keep a CLI or test process alive.
    timer.unref?.();
    this.#parked.set(baton, { stream, timer });
    return baton;
  }

  /** Removes and returns every parked stream (used on shutdown). */
  drain(): HranaStream[] {
    const streams = [...this.#parked.values()];
    this.#parked.clear();
    for (const p of streams) clearTimeout(p.timer);
    return streams.map((p) => p.stream);
  }
}

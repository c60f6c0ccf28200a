// Heavy reads (history, backtest) run a few at a time, each under a statement timeout, so they can never
// hold every database connection: /health, decisions and writes keep theirs.

import type { Db, Queryable } from '@smart-mining/db';
import { ApiError } from './errors.ts';

export interface HeavyReadLimits {
  /** Heavy reads running at once; the rest of the pool stays free for everything else. */
  maxConcurrent: number;
  /** Heavy reads waiting; more are refused at once with 503 (SM_API_BUSY). */
  maxQueued: number;
  /** A heavy statement running longer is cancelled (503 SM_API_BUSY). */
  statementTimeoutMs: number;
}

export const DEFAULT_HEAVY_READS: HeavyReadLimits = {
  maxConcurrent: 3,
  maxQueued: 100,
  statementTimeoutMs: 15_000,
};

/** PostgreSQL's query_canceled, raised by statement_timeout. */
const QUERY_CANCELED = '57014';

export class HeavyReads {
  readonly #db: Db;
  readonly #limits: HeavyReadLimits;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(db: Db, limits: HeavyReadLimits) {
    this.#db = db;
    this.#limits = limits;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(read: (q: Queryable) => Promise<T>): Promise<T> {
    if (this.#running >= this.#limits.maxConcurrent) {
      if (this.#waiting.length >= this.#limits.maxQueued) {
        throw new ApiError(
          'SM_API_BUSY',
          'too many history and backtest reads are waiting; retry in a moment',
        );
      }
      // The slot is handed over by the read that finishes (so no newcomer can take it in between).
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await this.#withTimeout(read);
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === QUERY_CANCELED) {
        throw new ApiError(
          'SM_API_BUSY',
          `the read ran longer than ${this.#limits.statementTimeoutMs / 1000} s and was cancelled; ` +
            'ask for a shorter range or a larger bucketS or stepS',
          { cause: error },
        );
      }
      throw error;
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }

  /** On a server: one transaction with a local statement timeout (and no JIT). PGlite runs one statement at a time anyway. */
  #withTimeout<T>(read: (q: Queryable) => Promise<T>): Promise<T> {
    if (this.#db.kind !== 'postgres') return read(this.#db);
    return this.#db.transaction(async (tx) => {
      // JIT off: these reads are bounded index reads whose planner cost grows with the stored history (a year's
      // partition), which crossed the JIT thresholds and spent seconds compiling for a read of milliseconds.
      await tx.query("SELECT set_config('statement_timeout', $1, true), set_config('jit', 'off', true)", [
        String(this.#limits.statementTimeoutMs),
      ]);
      return read(tx);
    });
  }
}

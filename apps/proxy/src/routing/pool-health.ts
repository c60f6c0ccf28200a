// Which pools are down: marked by upstreams that stayed down past failoverAfterS (or cannot serve at all),
// cleared when any upstream to the pool is ready again. A mark expires after downRetryS so a pool the decision
// still prefers is tried again (miners stay where they are until the new upstream has a job for them).

export interface PoolDown {
  poolKey: string;
  sinceMs: number;
  untilMs: number;
  reason: string;
}

export class PoolHealth {
  readonly #down = new Map<string, PoolDown>();
  readonly #now: () => number;
  readonly #retryMs: number;
  readonly #changed: (poolKey: string, down: boolean, reason: string) => void;

  constructor(
    now: () => number,
    downRetryS: number,
    changed: (poolKey: string, down: boolean, reason: string) => void,
  ) {
    this.#now = now;
    this.#retryMs = downRetryS * 1000;
    this.#changed = changed;
  }

  isDown(poolKey: string): boolean {
    const down = this.#down.get(poolKey);
    return down !== undefined && this.#now() < down.untilMs;
  }

  markDown(poolKey: string, reason: string): void {
    const now = this.#now();
    const was = this.isDown(poolKey);
    const sinceMs = this.#down.get(poolKey)?.sinceMs ?? now;
    this.#down.set(poolKey, { poolKey, sinceMs, untilMs: now + this.#retryMs, reason });
    if (!was) this.#changed(poolKey, true, reason);
  }

  markUp(poolKey: string): void {
    if (this.#down.delete(poolKey)) this.#changed(poolKey, false, 'connected');
  }

  list(): PoolDown[] {
    return [...this.#down.values()];
  }
}

// Which pools are down: marked by upstreams that stayed down past failoverAfterS (or cannot serve at all),
// cleared when any upstream to the pool is ready again. A mark expires after downRetryS so a pool the decision
// still prefers is tried again (miners stay where they are until the new upstream has a job for them).
// A pool that refuses one account's login (a wrong wallet), or accepts it and sends it no job, is down for that
// account alone: its other accounts mine there as before.

export interface PoolDown {
  poolKey: string;
  /** The account the mark is for; null: every account. */
  account: string | null;
  sinceMs: number;
  untilMs: number;
  reason: string;
}

export class PoolHealth {
  readonly #down = new Map<string, PoolDown>();
  readonly #now: () => number;
  readonly #retryMs: number;
  readonly #changed: (poolKey: string, down: boolean, reason: string, account: string | null) => void;

  constructor(
    now: () => number,
    downRetryS: number,
    changed: (poolKey: string, down: boolean, reason: string, account: string | null) => void,
  ) {
    this.#now = now;
    this.#retryMs = downRetryS * 1000;
    this.#changed = changed;
  }

  /** Down for every account, or (given one) for that account. */
  isDown(poolKey: string, account?: string): boolean {
    return this.#marked(poolKey) || (account !== undefined && this.#marked(markKey(poolKey, account)));
  }

  markDown(poolKey: string, reason: string, account?: string): void {
    const key = account === undefined ? poolKey : markKey(poolKey, account);
    const now = this.#now();
    const was = this.#marked(key);
    const sinceMs = this.#down.get(key)?.sinceMs ?? now;
    this.#down.set(key, { poolKey, account: account ?? null, sinceMs, untilMs: now + this.#retryMs, reason });
    if (!was) this.#changed(poolKey, true, reason, account ?? null);
  }

  /** An upstream of `account` is ready there: the pool is up, for everyone and for that account. */
  markUp(poolKey: string, account?: string): void {
    if (this.#down.delete(poolKey)) this.#changed(poolKey, false, 'connected', null);
    if (account !== undefined && this.#down.delete(markKey(poolKey, account))) {
      this.#changed(poolKey, false, 'connected', account);
    }
  }

  /**
   * Forgets marks that lapsed (from the proxy's tick). A mark per account would otherwise stay for good once that
   * account's miners left (accounts come and go: a bare wallet is one), and nothing reads a lapsed mark.
   */
  sweep(): void {
    const now = this.#now();
    for (const [key, down] of this.#down) if (now >= down.untilMs) this.#down.delete(key);
  }

  list(): PoolDown[] {
    return [...this.#down.values()];
  }

  #marked(key: string): boolean {
    const down = this.#down.get(key);
    return down !== undefined && this.#now() < down.untilMs;
  }
}

/** Pool keys hold no "|" (`<pool>:<COIN>`), so an account's mark never meets a pool-wide one. */
const markKey = (poolKey: string, account: string) => `${poolKey}|${account}`;

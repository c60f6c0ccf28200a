// Share outcomes per pool and per miner: the miner's counters live on its session, the pools' here.

import type { MinerSession } from '../downstream/miner-session.ts';

export interface PoolShareCounts {
  accepted: number;
  rejected: number;
  stale: number;
  /** Expected hashes behind the accepted shares (for the pool's hashrate). */
  acceptedHashes: number;
}

const NO_POOL = '(none)';

export class ShareCounters {
  readonly byPool = new Map<string, PoolShareCounts>();

  accepted(s: MinerSession, poolKey: string | null, hashes: number): void {
    s.accepted++;
    s.windowHashes += hashes;
    const c = this.#pool(poolKey);
    c.accepted++;
    c.acceptedHashes += hashes;
  }

  rejected(s: MinerSession, poolKey: string | null): void {
    s.rejected++;
    this.#pool(poolKey).rejected++;
  }

  /** 21: the job is gone (cleaned, expired, or its pool connection closed). Counted, never silent. */
  stale(s: MinerSession, poolKey: string | null): void {
    s.stale++;
    this.#pool(poolKey).stale++;
  }

  #pool(poolKey: string | null): PoolShareCounts {
    const key = poolKey ?? NO_POOL;
    let c = this.byPool.get(key);
    if (c === undefined) {
      c = { accepted: 0, rejected: 0, stale: 0, acceptedHashes: 0 };
      this.byPool.set(key, c);
    }
    return c;
  }
}

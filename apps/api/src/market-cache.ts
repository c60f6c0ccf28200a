// The market tables held in memory between ingests: reads are served from one snapshot until the aggregator's
// NOTIFY (or a local profile write) invalidates it, or its time to live runs out (writes by other instances).

import {
  type CoinAverages,
  type CoinFilter,
  type CoinRow,
  type HardwareMiningRow,
  type HardwareRow,
  listCoins,
  listHardware,
  listHardwareMining,
  listPools,
  listProfiles,
  type PoolFilter,
  type PoolRow,
  type ProfileRecord,
  type Queryable,
  readCoinAverages,
} from '@smart-mining/db';
import type { Profile } from '@smart-mining/domain';
import { toProfile } from './profile-definitions.ts';

export class MarketSnapshot {
  readonly #coins: CoinRow[];
  readonly #coinsByKey: Map<string, CoinRow>;
  readonly #pools: PoolRow[];
  readonly #poolsByKey: Map<string, PoolRow>;
  readonly #devices: Map<string, HardwareRow>;
  readonly #mining: Map<string, HardwareMiningRow[]>;
  readonly #averages: Map<string, CoinAverages>;
  readonly #profiles: Map<string, ProfileRecord>;
  readonly #memo = new Map<string, unknown>();
  /** Parsed once per snapshot: validating a definition costs more than deciding with it. */
  readonly #parsedProfiles = new Map<string, Profile>();

  constructor(
    readonly loadedAt: Date,
    rows: {
      coins: CoinRow[];
      pools: PoolRow[];
      devices: HardwareRow[];
      mining: HardwareMiningRow[];
      averages: CoinAverages[];
      profiles: ProfileRecord[];
    },
  ) {
    this.#coins = rows.coins;
    this.#coinsByKey = new Map(rows.coins.map((c) => [c.coin, c]));
    this.#pools = rows.pools;
    this.#poolsByKey = new Map(rows.pools.map((p) => [p.poolKey, p]));
    this.#devices = new Map(rows.devices.map((d) => [d.hardware, d]));
    this.#mining = new Map();
    for (const m of rows.mining) this.#mining.set(m.hardware, [...(this.#mining.get(m.hardware) ?? []), m]);
    this.#averages = new Map(rows.averages.map((a) => [a.coin, a]));
    this.#profiles = new Map(rows.profiles.map((p) => [p.name, p]));
  }

  /** Same filter semantics as the repository's listCoins. */
  coins(filter: CoinFilter = {}): CoinRow[] {
    const coins = filter.coins && new Set(filter.coins);
    const algorithms = filter.algorithms && new Set(filter.algorithms);
    return this.#coins.filter(
      (c) =>
        (!coins || coins.has(c.coin)) &&
        (!algorithms || algorithms.has(c.algorithm)) &&
        (filter.includeStale || !c.stale),
    );
  }

  /**
   * A value derived from this snapshot alone, computed once and shared by every request until the next
   * snapshot. Callers must not mutate it. The number of keys is bounded by the distinct queries seen.
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const value = compute();
    if (this.#memo.size < 1000) this.#memo.set(key, value);
    return value;
  }

  coin(key: string): CoinRow | undefined {
    return this.#coinsByKey.get(key);
  }

  /** Same filter semantics as the repository's listPools. */
  pools(filter: PoolFilter = {}): PoolRow[] {
    const keys = filter.poolKeys && new Set(filter.poolKeys);
    const coins = filter.coins && new Set(filter.coins);
    const algorithms = filter.algorithms && new Set(filter.algorithms);
    return this.#pools.filter(
      (p) =>
        (!keys || keys.has(p.poolKey)) &&
        (!coins || coins.has(p.coin)) &&
        (!algorithms || (p.algorithm !== null && algorithms.has(p.algorithm))) &&
        (filter.includeStale || !p.stale),
    );
  }

  pool(poolKey: string): PoolRow | undefined {
    return this.#poolsByKey.get(poolKey);
  }

  get deviceCount(): number {
    return this.#devices.size;
  }

  device(hardware: string): HardwareRow | undefined {
    return this.#devices.get(hardware);
  }

  /** The device's mining rows, best revenue first. */
  mining(hardware: string): HardwareMiningRow[] {
    return this.#mining.get(hardware) ?? [];
  }

  averages(coin: string): CoinAverages | undefined {
    return this.#averages.get(coin);
  }

  profile(name: string): Profile | undefined {
    const cached = this.#parsedProfiles.get(name);
    if (cached) return cached;
    const record = this.#profiles.get(name);
    if (!record) return undefined;
    const profile = toProfile(record);
    this.#parsedProfiles.set(name, profile);
    return profile;
  }
}

export class MarketCache {
  readonly #db: Queryable;
  readonly #ttlMs: number;
  readonly #now: () => Date;
  #current?: { snapshot: MarketSnapshot; expiresAtMs: number };
  #loading?: { generation: number; promise: Promise<MarketSnapshot> };
  /** Bumped by invalidate(): a load that started before it must not become current. */
  #generation = 0;

  constructor(db: Queryable, options: { ttlMs: number; now: () => Date }) {
    this.#db = db;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
  }

  get(): Promise<MarketSnapshot> {
    if (this.#current && Date.now() < this.#current.expiresAtMs)
      return Promise.resolve(this.#current.snapshot);
    // One load at a time, unless the one in flight started before an invalidation.
    if (!this.#loading || this.#loading.generation !== this.#generation) {
      const generation = this.#generation;
      const promise = this.#load(generation);
      this.#loading = { generation, promise };
      const clear = () => {
        if (this.#loading?.promise === promise) this.#loading = undefined;
      };
      promise.then(clear, clear);
    }
    return this.#loading.promise;
  }

  invalidate(): void {
    this.#generation += 1;
    this.#current = undefined;
  }

  async #load(generation: number): Promise<MarketSnapshot> {
    const now = this.#now();
    const db = this.#db;
    const [coins, pools, devices, mining, profiles] = await Promise.all([
      listCoins(db, { includeStale: true }),
      listPools(db, { includeStale: true }),
      listHardware(db),
      listHardwareMining(db),
      listProfiles(db),
    ]);
    const averages = await readCoinAverages(
      db,
      coins.map((c) => c.coin),
      now,
    );
    const snapshot = new MarketSnapshot(now, { coins, pools, devices, mining, averages, profiles });
    if (generation === this.#generation) this.#current = { snapshot, expiresAtMs: Date.now() + this.#ttlMs };
    return snapshot;
  }
}

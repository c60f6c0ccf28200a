// The market tables held in memory between ingests: reads are served from one snapshot until an event (an
// ingest, a profile write here or on another instance) invalidates it or its time to live runs out. Whether a
// coin or pool is stale is judged at each read, by its data time (no ingest may have run for hours).

import {
  type CoinAverages,
  type CoinFilter,
  type CoinRow,
  type HardwareFilter,
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
import type { Profile, StalenessLimits } from '@smart-mining/domain';
import { coinFreshUntilMs, poolFreshUntilMs, StalingRows, staleRowOfPool } from './market-staleness.ts';
import { toProfile } from './profile-definitions.ts';

const MEMO_KEYS = 1000;

/** How a snapshot tells staleness at a read: the aggregator's limits and the time of the read. */
export interface SnapshotStaleness {
  limits: StalenessLimits;
  now: () => Date;
}

export class MarketSnapshot {
  readonly #coins: StalingRows<CoinRow>;
  readonly #pools: StalingRows<PoolRow>;
  readonly #now: () => Date;
  readonly #devices: Map<string, HardwareRow>;
  readonly #mining: Map<string, HardwareMiningRow[]>;
  readonly #averages: Map<string, CoinAverages>;
  readonly #profiles: Map<string, ProfileRecord>;
  readonly #memo = new Map<string, Map<string, unknown>>();
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
    staleness: SnapshotStaleness,
  ) {
    const { limits } = staleness;
    const coinFreshUntil = new Map(rows.coins.map((c) => [c.coin, coinFreshUntilMs(c, limits)]));
    this.#coins = new StalingRows(
      rows.coins,
      rows.coins.map((c) => coinFreshUntil.get(c.coin) ?? Number.NEGATIVE_INFINITY),
      (c) => c.coin,
    );
    this.#pools = new StalingRows(
      rows.pools,
      rows.pools.map((p) => poolFreshUntilMs(p, coinFreshUntil.get(p.coin), limits)),
      (p) => p.poolKey,
      staleRowOfPool,
    );
    this.#now = staleness.now;
    this.#atNow();
    this.#devices = new Map(rows.devices.map((d) => [d.hardware, d]));
    this.#mining = new Map();
    for (const m of rows.mining) this.#mining.set(m.hardware, [...(this.#mining.get(m.hardware) ?? []), m]);
    this.#averages = new Map(rows.averages.map((a) => [a.coin, a]));
    this.#profiles = new Map(rows.profiles.map((p) => [p.name, p]));
  }

  /**
   * Coins and pools as they read now: a row whose data outlived its limit since the load reads stale. Values
   * memoized before such a change are dropped (they may carry the old flag).
   */
  #atNow(): void {
    const nowMs = this.#now().getTime();
    const coinsChanged = this.#coins.refresh(nowMs);
    const poolsChanged = this.#pools.refresh(nowMs);
    if (coinsChanged || poolsChanged) this.#memo.clear();
  }

  /** Same filter semantics as the repository's listCoins; `stale` as of now. */
  coins(filter: CoinFilter = {}): CoinRow[] {
    this.#atNow();
    const coins = filter.coins && new Set(filter.coins);
    const algorithms = filter.algorithms && new Set(filter.algorithms);
    return this.#coins.rows.filter(
      (c) =>
        (!coins || coins.has(c.coin)) &&
        (!algorithms || algorithms.has(c.algorithm)) &&
        (filter.includeStale || !c.stale),
    );
  }

  /**
   * A value derived from this snapshot alone, computed once and shared by every request until the next
   * snapshot. Callers must not mutate it. Each space keeps at most MEMO_KEYS keys (then computes without
   * keeping), so many distinct queries in one space cannot crowd out another.
   */
  memo<T>(space: string, key: string, compute: () => T): T {
    this.#atNow();
    let values = this.#memo.get(space);
    if (!values) {
      values = new Map();
      this.#memo.set(space, values);
    }
    if (values.has(key)) return values.get(key) as T;
    const value = compute();
    if (values.size < MEMO_KEYS) values.set(key, value);
    return value;
  }

  coin(key: string): CoinRow | undefined {
    this.#atNow();
    return this.#coins.get(key);
  }

  /** Same filter semantics as the repository's listPools; `stale` as of now. */
  pools(filter: PoolFilter = {}): PoolRow[] {
    this.#atNow();
    const keys = filter.poolKeys && new Set(filter.poolKeys);
    const coins = filter.coins && new Set(filter.coins);
    const algorithms = filter.algorithms && new Set(filter.algorithms);
    return this.#pools.rows.filter(
      (p) =>
        (!keys || keys.has(p.poolKey)) &&
        (!coins || coins.has(p.coin)) &&
        (!algorithms || (p.algorithm !== null && algorithms.has(p.algorithm))) &&
        (filter.includeStale || !p.stale),
    );
  }

  pool(poolKey: string): PoolRow | undefined {
    this.#atNow();
    return this.#pools.get(poolKey);
  }

  get deviceCount(): number {
    return this.#devices.size;
  }

  device(hardware: string): HardwareRow | undefined {
    return this.#devices.get(hardware);
  }

  /** Same filter semantics as the repository's listHardware (vendors case-insensitive). */
  devices(filter: HardwareFilter = {}): HardwareRow[] {
    const keys = filter.hardware && new Set(filter.hardware);
    const kinds = filter.kinds && new Set(filter.kinds);
    const vendors = filter.vendors && new Set(filter.vendors.map((v) => v.toLowerCase()));
    const algorithms = filter.algorithms && new Set(filter.algorithms);
    return [...this.#devices.values()].filter(
      (d) =>
        (!keys || keys.has(d.hardware)) &&
        (!kinds || kinds.has(d.kind)) &&
        (!vendors || vendors.has(d.vendor.toLowerCase())) &&
        (!algorithms || this.mining(d.hardware).some((m) => algorithms.has(m.algorithm))),
    );
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

export interface MarketCacheOptions {
  /** Without a NOTIFY, a snapshot is reloaded (in the background) after this long. */
  ttlMs: number;
  now: () => Date;
  /** The aggregator's staleness limits: rows older than these read stale, ingest or not. */
  staleness: StalenessLimits;
  /** After a failed load, the database is not asked again for this long (the last snapshot answers). */
  retryMs?: number;
  /** Monotonic milliseconds, for the time to live and the retry pause. */
  clockMs?: () => number;
}

/**
 * Serves the last snapshot and reloads it: at once after `invalidate()` (a NOTIFY or a local write; readers
 * wait for the new one), in the background when its time to live ran out. When a load fails because the
 * database is away, the last snapshot keeps answering (`stale` tells), so decisions survive an outage.
 */
export class MarketCache {
  readonly #db: Queryable;
  readonly #ttlMs: number;
  readonly #retryMs: number;
  readonly #now: () => Date;
  readonly #staleness: StalenessLimits;
  readonly #clockMs: () => number;
  #current?: { snapshot: MarketSnapshot; loadedAtMs: number };
  #invalidated = false;
  /** When the last load failed (the database away); cleared by a good load. */
  #failedAtMs: number | undefined;
  /** Until then a failed load is not retried; an event (the database answers again) lifts it. */
  #restUntilMs = 0;
  #loading?: { generation: number; promise: Promise<MarketSnapshot> };
  /** Bumped by invalidate(): a load that started before it must not become current. */
  #generation = 0;

  constructor(db: Queryable, options: MarketCacheOptions) {
    this.#db = db;
    this.#ttlMs = options.ttlMs;
    this.#retryMs = options.retryMs ?? 1000;
    this.#now = options.now;
    this.#staleness = options.staleness;
    this.#clockMs = options.clockMs ?? (() => performance.now());
  }

  /** When the snapshot in use was read, and whether the last attempt to read a newer one failed. */
  get status(): { loadedAt: Date; stale: boolean } | undefined {
    const current = this.#current;
    if (!current) return undefined;
    return { loadedAt: current.snapshot.loadedAt, stale: this.#failedAtMs !== undefined };
  }

  get(): Promise<MarketSnapshot> {
    const current = this.#current;
    const nowMs = this.#clockMs();
    const resting = nowMs < this.#restUntilMs;
    if (current && (resting || (!this.#invalidated && nowMs - current.loadedAtMs < this.#ttlMs))) {
      return Promise.resolve(current.snapshot);
    }
    if (current && !this.#invalidated) {
      // Expired only: answer now, refresh behind.
      this.#load().catch(() => {});
      return Promise.resolve(current.snapshot);
    }
    return this.#load().catch((error) => {
      if (this.#current) return this.#current.snapshot;
      throw error;
    });
  }

  invalidate(): void {
    this.#generation += 1;
    this.#invalidated = true;
    this.#restUntilMs = 0;
  }

  /** One load at a time, unless the one in flight started before an invalidation. */
  #load(): Promise<MarketSnapshot> {
    if (this.#loading && this.#loading.generation === this.#generation) return this.#loading.promise;
    const generation = this.#generation;
    const promise = this.#read().then(
      (snapshot) => {
        if (generation === this.#generation) {
          this.#current = { snapshot, loadedAtMs: this.#clockMs() };
          this.#invalidated = false;
          this.#failedAtMs = undefined;
        }
        return snapshot;
      },
      (error) => {
        this.#failedAtMs = this.#clockMs();
        this.#restUntilMs = this.#failedAtMs + this.#retryMs;
        throw error;
      },
    );
    this.#loading = { generation, promise };
    const clear = () => {
      if (this.#loading?.promise === promise) this.#loading = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  async #read(): Promise<MarketSnapshot> {
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
    return new MarketSnapshot(
      now,
      { coins, pools, devices, mining, averages, profiles },
      { limits: this.#staleness, now: this.#now },
    );
  }
}

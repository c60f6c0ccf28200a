// The pure part of a cycle: observations + stored state → rows to write and history to append (no I/O; benchmarked).

import {
  COIN_HISTORY_FIELDS,
  type CoinState,
  type HardwareMiningState,
  POOL_HISTORY_FIELDS,
  type PoolState,
} from '@smart-mining/db';
import type { DeclaredPool, SourceSnapshot } from '@smart-mining/domain';
import { isCoinStale, type MergeCoinsOptions, type MergedCoin, mergeCoins } from './merge/merge-coins.ts';
import {
  type MergedDevice,
  type MergedHardwareMining,
  mergeHardware,
  miningTargets,
} from './merge/merge-hardware.ts';
import { declaredPoolWarnings, type MergedPool, mergePools } from './merge/merge-pools.ts';

export interface ComputeOptions extends MergeCoinsOptions {
  usdPerKwh: number;
  historyHeartbeatS: number;
  poolStaleS: number;
  hardwareStaleS: number;
  /** Pools the operator declares (config `pools`), written on every ingest like any other. */
  declaredPools?: readonly DeclaredPool[];
}

/** What the database holds before the cycle. */
export interface StoredMarket {
  coins: readonly CoinState[];
  pools: readonly PoolState[];
  mining: readonly HardwareMiningState[];
}

export interface ComputedCycle {
  /** Every known coin: merged from this cycle's observations, or the stored row with its flags re-judged. */
  coins: MergedCoin[];
  coinHistory: MergedCoin[];
  pools: MergedPool[];
  poolHistory: MergedPool[];
  devices: MergedDevice[];
  mining: MergedHardwareMining[];
  /** Declared pools no decision can choose this cycle, and why. */
  warnings: string[];
}

export function computeCycle(
  snapshot: SourceSnapshot,
  stored: StoredMarket,
  options: ComputeOptions,
): ComputedCycle {
  const previous = new Map(stored.coins.map((c) => [c.coin, c as MergedCoin]));
  const merged = mergeCoins(snapshot.coins, options, previous);
  const seen = new Set(merged.map((c) => c.coin));
  const unobserved = [...previous.values()]
    .filter((c) => !seen.has(c.coin))
    .map((c) => ({ ...c, stale: isCoinStale(c, options) }));
  const coins = [...merged, ...unobserved].sort((a, b) => a.coin.localeCompare(b.coin));
  const coinsByKey = new Map(coins.map((c) => [c.coin, c]));
  const pools = mergePools(snapshot.pools, coinsByKey, stored.pools, options);
  const { devices, mining } = mergeHardware(
    snapshot.hardware,
    stored.mining,
    miningTargets(coins, pools),
    options,
  );

  const previousPools = new Map(stored.pools.map((p) => [p.poolKey, p]));
  const history = historyPlan(options.now, options.historyHeartbeatS);
  const coinHistory = coins.filter((c) => history.due(previous.get(c.coin), c, COIN_HISTORY_FIELDS));
  const poolHistory = pools.filter((p) => history.due(previousPools.get(p.poolKey), p, POOL_HISTORY_FIELDS));
  for (const row of [...coinHistory, ...poolHistory]) row.historyAt = options.now;
  const warnings = declaredPoolWarnings(options.declaredPools ?? [], coinsByKey);
  return { coins, coinHistory, pools, poolHistory, devices, mining, warnings };
}

/**
 * History gets a row when any of its values differs from the stored row's (which always equals the newest history
 * row), and a heartbeat when nothing changed for `heartbeatS` — only while the data is fresh, so a backtest never
 * reads an old value as a new one.
 */
function historyPlan(now: Date, heartbeatS: number) {
  return {
    due<T extends { stale: boolean; historyAt?: Date }>(
      previous: T | undefined,
      next: T,
      fields: readonly (keyof T)[],
    ): boolean {
      if (!previous?.historyAt) return true;
      if (fields.some((k) => (previous[k] ?? null) !== (next[k] ?? null))) return true;
      return !next.stale && now.getTime() - previous.historyAt.getTime() >= heartbeatS * 1000;
    },
  };
}

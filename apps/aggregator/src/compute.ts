// The pure part of a cycle: observations + previous state → rows to write (no I/O; benchmarked).

import type { StoredCoinState, StoredPoolHead } from '@smart-mining/db';
import type { SourceSnapshot } from '@smart-mining/domain';
import { type MergeCoinsOptions, type MergedCoin, mergeCoins } from './merge/merge-coins.ts';
import { type MergedDevice, type MergedHardwareMining, mergeHardware } from './merge/merge-hardware.ts';
import { type MergedPool, mergePools } from './merge/merge-pools.ts';

export interface ComputeOptions extends MergeCoinsOptions {
  usdPerKwh: number;
  historyHeartbeatS: number;
}

export interface ComputedCycle {
  coins: MergedCoin[];
  coinHistory: MergedCoin[];
  pools: MergedPool[];
  poolHistory: MergedPool[];
  devices: MergedDevice[];
  mining: MergedHardwareMining[];
}

const COIN_MEASURES = [
  'priceUsd',
  'difficulty',
  'networkHashrateHs',
  'blockReward',
  'usdPerHsDay',
  'trusted',
] as const;
const POOL_MEASURES = ['feeFraction', 'hashrateHs', 'miners', 'workers', 'usdPerHsDay'] as const;

export function computeCycle(
  snapshot: SourceSnapshot,
  previousCoins: readonly StoredCoinState[],
  previousPools: ReadonlyMap<string, StoredPoolHead>,
  options: ComputeOptions,
): ComputedCycle {
  const previous = new Map(previousCoins.map((c) => [c.coin, c as MergedCoin & { historyAt?: Date }]));
  const coins = mergeCoins(snapshot.coins, options, previous);
  const pools = mergePools(snapshot.pools, new Map(coins.map((c) => [c.coin, c])));
  const { devices, mining } = mergeHardware(snapshot.hardware, coins, options.usdPerKwh);
  const heartbeatMs = options.historyHeartbeatS * 1000;
  const due = (historyAt: Date | null | undefined, at: Date) =>
    !historyAt || at.getTime() - historyAt.getTime() >= heartbeatMs;

  const coinHistory = coins.filter((c) => {
    const prev = previous.get(c.coin);
    if (!prev) return true;
    return COIN_MEASURES.some((k) => prev[k] !== c[k]) || due(prev.historyAt, c.observedAt);
  });
  const poolHistory = pools.filter((p) => {
    const prev = previousPools.get(p.poolKey);
    if (!prev) return true;
    return POOL_MEASURES.some((k) => (prev[k] ?? undefined) !== p[k]) || due(prev.historyAt, p.observedAt);
  });
  return { coins, coinHistory, pools, poolHistory, devices, mining };
}

// Profitability math (DESIGN.md §Profitability): pure functions over our units.

import { type AlgorithmKey, algorithmInfo } from './algorithms.ts';
import { SECONDS_PER_DAY, TWO_POW_32 } from './units.ts';

/** Network hashrate (H/s) from native difficulty, by the algorithm family's rule. */
export function hashrateFromDifficulty(
  algorithm: AlgorithmKey,
  difficulty: number,
  blockTimeS: number,
): number {
  const factor = algorithmInfo(algorithm).difficultyRule === 'times2pow32' ? TWO_POW_32 : 1;
  return (difficulty * factor) / blockTimeS;
}

/**
 * USD of 1 H/s for a day straight from difficulty: the block time cancels out, so this is exact even when
 * a source's network hashrate is its own estimate (fixtures README, cross-check A).
 */
export function usdPerHsDayFromDifficulty(
  algorithm: AlgorithmKey,
  difficulty: number,
  blockReward: number,
  priceUsd: number,
): number {
  const factor = algorithmInfo(algorithm).difficultyRule === 'times2pow32' ? TWO_POW_32 : 1;
  return (SECONDS_PER_DAY * blockReward * priceUsd) / (difficulty * factor);
}

/** Coins earned by 1 H/s in one day. */
export function coinsPerHsDay(blockReward: number, blockTimeS: number, networkHashrateHs: number): number {
  return (blockReward * (SECONDS_PER_DAY / blockTimeS)) / networkHashrateHs;
}

/** USD earned by 1 H/s in one day at the given price. */
export function usdPerHsDay(input: {
  blockReward: number;
  blockTimeS: number;
  networkHashrateHs: number;
  priceUsd: number;
}): number {
  return coinsPerHsDay(input.blockReward, input.blockTimeS, input.networkHashrateHs) * input.priceUsd;
}

export function poolUsdPerHsDay(coinUsdPerHsDay: number, feeFraction: number): number {
  return coinUsdPerHsDay * (1 - feeFraction);
}

export interface DeviceEconomics {
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  profitUsdPerDay: number;
}

export function deviceEconomics(input: {
  hashrateHs: number;
  powerW: number;
  usdPerHsDay: number;
  feeFraction?: number;
  usdPerKwh: number;
}): DeviceEconomics {
  const revenueUsdPerDay = input.hashrateHs * input.usdPerHsDay * (1 - (input.feeFraction ?? 0));
  const costUsdPerDay = ((input.powerW * 24) / 1000) * input.usdPerKwh;
  return { revenueUsdPerDay, costUsdPerDay, profitUsdPerDay: revenueUsdPerDay - costUsdPerDay };
}

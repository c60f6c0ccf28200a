// Profitability math (DESIGN.md §Profitability): pure functions over our units.

import { type AlgorithmKey, algorithmInfo } from './algorithms.ts';
import { SECONDS_PER_DAY, TWO_POW_13, TWO_POW_32 } from './units.ts';

const DIFFICULTY_FACTORS = { times2pow32: TWO_POW_32, times2pow13: TWO_POW_13, direct: 1 } as const;

/** Hashes (or solutions) one unit of the algorithm's native difficulty stands for. */
export function difficultyFactor(algorithm: AlgorithmKey): number {
  return DIFFICULTY_FACTORS[algorithmInfo(algorithm).difficultyRule];
}

/** Network hashrate (H/s) from native difficulty, by the algorithm family's rule. */
export function hashrateFromDifficulty(
  algorithm: AlgorithmKey,
  difficulty: number,
  blockTimeS: number,
): number {
  const factor = difficultyFactor(algorithm);
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
  const factor = difficultyFactor(algorithm);
  return (SECONDS_PER_DAY * blockReward * priceUsd) / (difficulty * factor);
}

/** Coins earned by 1 H/s in one day, from native difficulty (the block time cancels out). */
export function coinsPerHsDayFromDifficulty(
  algorithm: AlgorithmKey,
  difficulty: number,
  blockReward: number,
): number {
  const factor = difficultyFactor(algorithm);
  return (SECONDS_PER_DAY * blockReward) / (difficulty * factor);
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

/**
 * The one place a pool fee is applied: what 1 H/s earns a miner on a pool that keeps `feeFraction`
 * (DESIGN.md §Profitability: on a pool × (1 − fee)). Pools, devices, rankings, decisions and backtests all value
 * through this and deviceEconomics below, so no two figures for the same device and pool can differ.
 */
export function poolUsdPerHsDay(coinUsdPerHsDay: number, feeFraction: number): number {
  return coinUsdPerHsDay * (1 - feeFraction);
}

export interface DeviceEconomics {
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  profitUsdPerDay: number;
}

/**
 * A miner's day on one target: revenue = hashrate × usd_per_hs_day × (1 − fee); cost = power × 24 h × USD/kWh;
 * profit = revenue − cost. `usdPerHsDay` is the coin's gross value; the fee is required so no caller forgets it
 * (0 only for a target without a pool).
 */
export function deviceEconomics(input: {
  hashrateHs: number;
  powerW: number;
  usdPerHsDay: number;
  feeFraction: number;
  usdPerKwh: number;
}): DeviceEconomics {
  const revenueUsdPerDay = input.hashrateHs * poolUsdPerHsDay(input.usdPerHsDay, input.feeFraction);
  const costUsdPerDay = ((input.powerW * 24) / 1000) * input.usdPerKwh;
  return { revenueUsdPerDay, costUsdPerDay, profitUsdPerDay: revenueUsdPerDay - costUsdPerDay };
}

// Pure mapping of a parsed 2Miners /api/stats body to our observations (H/s, seconds, fractions, Dates).

import type { CoinObservation, PoolObservation } from '@smart-mining/domain';
import { fromUnixMilliseconds } from '../unix-time.ts';
import { twoMinersEndpoints } from './endpoints.ts';
import type { TwoMinersNode, TwoMinersStats } from './schema.ts';

export interface TwoMinersContext {
  /** Our ticker. */
  coin: string;
  feeFraction: number;
  /** When the body was fetched; used when it carries no `now`. */
  fetchedAt: Date;
}

/** The pool's own clock (`now`, unix ms) dates the data; the fetch time stands in when it is missing. */
export function observedAt(stats: TwoMinersStats, fetchedAt: Date): Date {
  return fromUnixMilliseconds(stats.now) ?? fetchedAt;
}

export function toPoolObservation(
  stats: TwoMinersStats,
  node: TwoMinersNode | undefined,
  ctx: TwoMinersContext,
): PoolObservation {
  const endpoints = twoMinersEndpoints(ctx.coin);
  const lastBlockS = stats.stats?.lastBlockFound;
  return {
    source: '2miners',
    pool: '2miners',
    coin: ctx.coin,
    observedAt: observedAt(stats, ctx.fetchedAt),
    feeFraction: ctx.feeFraction,
    hashrateHs: stats.hashrate,
    ...(stats.minersTotal !== undefined ? { miners: stats.minersTotal } : {}),
    ...(stats.workersTotal !== undefined ? { workers: stats.workersTotal } : {}),
    ...(lastBlockS ? { lastBlockAt: new Date(lastBlockS * 1000) } : {}),
    ...(node?.height !== undefined ? { blockHeight: node.height } : {}),
    ...(endpoints ? { endpoints } : {}),
  };
}

/**
 * Network figures only. Block rewards would need /api/blocks, whose `reward` unit is verified for RVN (1e-8)
 * but not for ETC (wei by the open-ethereum-pool convention), so it is not read.
 */
export function toCoinObservation(
  stats: TwoMinersStats,
  node: TwoMinersNode,
  ctx: TwoMinersContext,
): CoinObservation {
  return {
    source: '2miners',
    coin: ctx.coin,
    observedAt: observedAt(stats, ctx.fetchedAt),
    difficulty: node.difficulty,
    networkHashrateHs: node.networkhashps,
    ...(node.avgBlockTime !== undefined ? { blockTimeS: node.avgBlockTime } : {}),
  };
}

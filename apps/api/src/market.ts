// The market as the decision engine sees it: one Candidate per pool, valued from its coin (DESIGN.md §Profitability).

import { type CoinAverages, type CoinRow, isMinablePool, type PoolRow } from '@smart-mining/db';
import { type AlgorithmKey, type Candidate, isAlgorithmKey, type PriceBasis } from '@smart-mining/domain';
import type { MarketSnapshot } from './market-cache.ts';

export interface Market {
  coins: CoinRow[];
  pools: PoolRow[];
  averages: CoinAverages[];
}

/** Every coin and pool of the given algorithms, stale ones included (the engine says why it skips them). */
export function readMarket(
  snapshot: MarketSnapshot,
  options: { algorithms: readonly AlgorithmKey[]; withAverages: boolean },
): Market {
  const filter = { algorithms: options.algorithms, includeStale: true };
  const coins = snapshot.coins(filter);
  const pools = snapshot.pools(filter);
  const averages = options.withAverages ? coins.flatMap((c) => snapshot.averages(c.coin) ?? []) : [];
  return { coins, pools, averages };
}

function usdPerHsDayByBasis(coin: CoinRow, averages?: CoinAverages): Partial<Record<PriceBasis, number>> {
  const values: Partial<Record<PriceBasis, number>> = {};
  if (coin.usdPerHsDay !== null) values.current = coin.usdPerHsDay;
  if (averages?.avg1hUsdPerHsDay != null) values.avg_1h = averages.avg1hUsdPerHsDay;
  if (averages?.avg24hUsdPerHsDay != null) values.avg_24h = averages.avg24hUsdPerHsDay;
  return values;
}

function earlier(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

/** The oldest input behind a coin's value: its price or its network data (observedAt is the newest). */
export function coinDataAt(coin: CoinRow): Date {
  return earlier(coin.priceUpdatedAt ?? coin.observedAt, coin.networkUpdatedAt ?? coin.observedAt);
}

/** One candidate per minable pool row whose coin is known; the coin gives the gross value, the pool its fee. */
export function buildCandidates(market: Market): Candidate[] {
  const coins = new Map(market.coins.map((c) => [c.coin, c]));
  const averages = new Map(market.averages.map((a) => [a.coin, a]));
  return market.pools.flatMap((pool) => {
    const coin = coins.get(pool.coin);
    // A pool with no known stratum endpoint cannot be mined: no decision may send a miner there.
    if (!coin || !isAlgorithmKey(coin.algorithm) || !isMinablePool(pool)) return [];
    const candidate: Candidate = {
      target: pool.poolKey,
      pool: pool.pool,
      coin: coin.coin,
      algorithm: coin.algorithm,
      feeFraction: pool.feeFraction ?? 0,
      usdPerHsDay: usdPerHsDayByBasis(coin, averages.get(coin.coin)),
      // The pool's own data time: its row is rewritten every ingest, heard from or not.
      dataAt: earlier(coinDataAt(coin), pool.observedAt),
      trusted: coin.trusted,
      stale: coin.stale || pool.stale,
    };
    if (coin.volume24hUsd !== null) candidate.volume24hUsd = coin.volume24hUsd;
    return [candidate];
  });
}

// Merges pool observations per `<pool>:<coin>` and prices them with the coin's fee-adjusted revenue.

import type { PoolState } from '@smart-mining/db';
import { type PoolObservation, poolUsdPerHsDay, type StratumEndpoint } from '@smart-mining/domain';
import type { MergedCoin } from './merge-coins.ts';

/** A pool's merged state: the row the ingest writes. */
export interface MergedPool extends PoolState {
  endpoints: StratumEndpoint[];
}

/** Sources that run the pool's own API come before directories that list it (Minerstat). */
const POOL_API_SOURCES = new Set(['2miners', 'nanopool']);

export function poolKey(pool: string, coin: string): string {
  return `${pool.toLowerCase()}:${coin.toUpperCase()}`;
}

/**
 * Pools exist only where a pool's own API answered (the rows a miner can be sent to);
 * directory entries only contribute a fee that the pool's API does not expose.
 */
export function mergePools(
  observations: readonly PoolObservation[],
  coins: ReadonlyMap<string, MergedCoin>,
): MergedPool[] {
  const byKey = new Map<string, PoolObservation[]>();
  for (const o of observations) {
    const key = poolKey(o.pool, o.coin);
    byKey.set(key, [...(byKey.get(key) ?? []), o]);
  }
  const out: MergedPool[] = [];
  for (const [key, obs] of byKey) {
    const own = obs.filter((o) => POOL_API_SOURCES.has(o.source));
    const primary = own.sort((a, b) => b.observedAt.getTime() - a.observedAt.getTime())[0];
    if (!primary) continue;
    const fee = primary.feeFraction ?? obs.find((o) => o.feeFraction !== undefined)?.feeFraction;
    const coin = coins.get(primary.coin);
    const pool: MergedPool = {
      poolKey: key,
      pool: primary.pool.toLowerCase(),
      coin: primary.coin,
      endpoints: primary.endpoints ?? [],
      sources: Object.fromEntries(
        obs.map((o) => [o.source, { feeFraction: o.feeFraction, observedAt: o.observedAt }]),
      ),
      observedAt: primary.observedAt,
    };
    if (fee !== undefined) pool.feeFraction = fee;
    if (primary.hashrateHs !== undefined) pool.hashrateHs = primary.hashrateHs;
    if (primary.miners !== undefined) pool.miners = primary.miners;
    if (primary.workers !== undefined) pool.workers = primary.workers;
    if (primary.lastBlockAt) pool.lastBlockAt = primary.lastBlockAt;
    if (primary.blockHeight !== undefined) pool.blockHeight = primary.blockHeight;
    if (coin?.usdPerHsDay !== undefined) pool.usdPerHsDay = poolUsdPerHsDay(coin.usdPerHsDay, fee ?? 0);
    out.push(pool);
  }
  return out.sort((a, b) => a.poolKey.localeCompare(b.poolKey));
}

// Profitability ranking: every pool (or coin without a pool) valued for the asking miner, best profit first.

import {
  type AlgorithmKey,
  deviceEconomics,
  isAlgorithmKey,
  type MinerCapability,
} from '@smart-mining/domain';
import { buildCandidates, coinDataAt, type Market, readMarket } from './market.ts';
import type { MarketSnapshot } from './market-cache.ts';
import { ageS } from './query-params.ts';

/** A target valued per H/s: the pool (or the coin alone when no pool is known) and its data. */
interface Valued {
  /** Pool key, or the coin ticker when no pool for the coin is known. */
  target: string;
  pool: string | null;
  coin: string;
  algorithm: AlgorithmKey;
  feeFraction: number;
  /** Gross USD of 1 H/s for a day at the current price, before the pool fee. */
  usdPerHsDay: number;
  dataAt: Date;
  trusted: boolean;
  stale: boolean;
}

export interface RankingEntry extends Omit<Valued, 'dataAt'> {
  rank: number;
  hashrateHs: number;
  powerW: number | null;
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  profitUsdPerDay: number;
  dataAgeS: number;
}

function valuedTargets(market: Market): Valued[] {
  const fromPools: Valued[] = buildCandidates(market).flatMap(({ usdPerHsDay, volume24hUsd: _, ...c }) =>
    usdPerHsDay.current === undefined ? [] : [{ ...c, usdPerHsDay: usdPerHsDay.current }],
  );
  const pooled = new Set(market.pools.map((p) => p.coin));
  const poolless: Valued[] = market.coins.flatMap((coin) =>
    pooled.has(coin.coin) || coin.usdPerHsDay === null || !isAlgorithmKey(coin.algorithm)
      ? []
      : [
          {
            target: coin.coin,
            pool: null,
            coin: coin.coin,
            algorithm: coin.algorithm,
            feeFraction: 0,
            usdPerHsDay: coin.usdPerHsDay,
            dataAt: coinDataAt(coin),
            trusted: coin.trusted,
            stale: coin.stale,
          },
        ],
  );
  return [...fromPools, ...poolless];
}

export interface RankingQuery {
  capability: MinerCapability;
  /** Cost of power; 0 ranks by revenue. */
  electricityUsdPerKwh: number;
  includeStale: boolean;
  limit: number;
  now: Date;
}

export function rankTargets(market: MarketSnapshot, query: RankingQuery): RankingEntry[] {
  const only = query.capability.connectionAlgorithms;
  const rates = query.capability.algorithms.filter((a) => !only || only.includes(a.algorithm));
  if (rates.length === 0) return [];
  const algorithms = rates.map((a) => a.algorithm);
  const targets = valuedTargets(readMarket(market, { algorithms, withAverages: false })).filter(
    (t) => query.includeStale || !t.stale,
  );
  const entries = rates.flatMap((capability) =>
    targets
      .filter((t) => t.algorithm === capability.algorithm)
      .map((t) => {
        const economics = deviceEconomics({
          hashrateHs: capability.hashrateHs,
          powerW: capability.powerW ?? 0,
          usdPerHsDay: t.usdPerHsDay,
          feeFraction: t.feeFraction,
          usdPerKwh: query.electricityUsdPerKwh,
        });
        const { dataAt, ...rest } = t;
        return {
          ...rest,
          rank: 0,
          hashrateHs: capability.hashrateHs,
          powerW: capability.powerW ?? null,
          ...economics,
          dataAgeS: ageS(dataAt, query.now),
        };
      }),
  );
  entries.sort((a, b) => b.profitUsdPerDay - a.profitUsdPerDay || a.target.localeCompare(b.target));
  return entries.slice(0, query.limit).map((e, i) => ({ ...e, rank: i + 1 }));
}

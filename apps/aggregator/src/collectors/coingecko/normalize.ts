// Turns validated CoinGecko market rows into CoinObservations, mapped by CoinGecko id; pure, no I/O.

import type { CoinIdentity, CoinObservation } from '@smart-mining/domain';
import type { CoingeckoMarket } from './schema.ts';

export interface NormalizedCoins {
  coins: CoinObservation[];
  warnings: string[];
}

/** One row → one observation, or undefined when CoinGecko has no price for it. */
export function normalizeCoingeckoMarket(
  row: CoingeckoMarket,
  coin: CoinIdentity,
  now: Date,
): CoinObservation | undefined {
  if (row.current_price === null || row.current_price <= 0) return undefined;
  const observation: CoinObservation = {
    source: 'coingecko',
    coin: coin.key,
    observedAt: row.last_updated ? new Date(row.last_updated) : now,
    priceUsd: row.current_price,
  };
  if (row.total_volume != null) observation.volume24hUsd = row.total_volume;
  return observation;
}

/**
 * Maps rows by id only: symbols clash on CoinGecko (several `flux` ids), so a symbol never identifies a coin.
 * Coins we asked for but did not get back are reported.
 */
export function normalizeCoingeckoMarkets(
  rows: readonly CoingeckoMarket[],
  coins: readonly CoinIdentity[],
  now: Date,
): NormalizedCoins {
  const byId = new Map(coins.filter((c) => c.coingeckoId).map((c) => [c.coingeckoId!, c]));
  const out: NormalizedCoins = { coins: [], warnings: [] };
  const seen = new Set<string>();
  for (const row of rows) {
    const coin = byId.get(row.id);
    if (!coin || seen.has(coin.key)) continue;
    seen.add(coin.key);
    const observation = normalizeCoingeckoMarket(row, coin, now);
    if (observation) out.coins.push(observation);
    else out.warnings.push(`coins/markets: ${row.id} (${coin.key}) has no price, skipped`);
  }
  const missing = [...byId.values()]
    .filter((c) => !seen.has(c.key))
    .map((c) => `${c.coingeckoId} (${c.key})`);
  if (missing.length > 0) out.warnings.push(`coins/markets: no row for ${missing.join(', ')}`);
  return out;
}

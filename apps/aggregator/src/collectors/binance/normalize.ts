// Turns validated Binance 24 h tickers into CoinObservations (USDT taken as USD); pure, no I/O.

import type { CoinIdentity, CoinObservation } from '@smart-mining/domain';
import { fromUnixMilliseconds } from '../unix-time.ts';
import type { BinanceTicker24h } from './schema.ts';

export interface NormalizedCoins {
  coins: CoinObservation[];
  warnings: string[];
}

/** One ticker → one observation; `closeTime` (ms) ends Binance's rolling 24 h window, so it dates the quote. */
export function normalizeBinanceTicker(
  row: BinanceTicker24h,
  coin: CoinIdentity,
  now: Date,
): CoinObservation {
  const observation: CoinObservation = {
    source: 'binance',
    coin: coin.key,
    observedAt: fromUnixMilliseconds(row.closeTime) ?? now,
    priceUsd: row.lastPrice,
  };
  if (row.quoteVolume !== undefined) observation.volume24hUsd = row.quoteVolume;
  return observation;
}

/** Maps tickers to our coins by symbol; a symbol we did not ask for is reported, never guessed. */
export function normalizeBinanceTickers(
  rows: readonly BinanceTicker24h[],
  coins: readonly CoinIdentity[],
  now: Date,
): NormalizedCoins {
  const bySymbol = new Map(coins.filter((c) => c.binanceSymbol).map((c) => [c.binanceSymbol!, c]));
  const out: NormalizedCoins = { coins: [], warnings: [] };
  const seen = new Set<string>();
  for (const row of rows) {
    const coin = bySymbol.get(row.symbol);
    if (!coin) {
      out.warnings.push(`ticker/24hr: unexpected symbol ${row.symbol} skipped`);
      continue;
    }
    if (seen.has(coin.key)) continue;
    seen.add(coin.key);
    if (row.lastPrice <= 0) {
      out.warnings.push(`ticker/24hr: ${row.symbol} has no positive lastPrice, skipped`);
      continue;
    }
    out.coins.push(normalizeBinanceTicker(row, coin, now));
  }
  return out;
}

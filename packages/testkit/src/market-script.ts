// Market scripts: move a coin's price in every source's recorded response at once, as a real market move would.

import { coinByKey } from '@smart-mining/domain';
import type { ReplayServer } from './replay-server.ts';

type Json = Record<string, unknown>;

/** Where each fixture quotes the coin's price (in USD, or in BTC for WhatToMine), by our ticker. */
const PRICE_EDITS: ((server: ReplayServer, coin: string, factor: number) => void)[] = [
  (s, coin, k) =>
    s.updateFixture<Json[]>('binance/ticker_24hr_symbols.json', (rows) =>
      rows.map((r) =>
        r.symbol === `${coin}USDT` ? { ...r, lastPrice: String(Number(r.lastPrice) * k) } : r,
      ),
    ),
  (s, coin, k) =>
    s.updateFixture<Json[]>('coingecko/coins_markets.json', (rows) =>
      rows.map((r) =>
        r.id === coinByKey(coin)?.coingeckoId ? { ...r, current_price: Number(r.current_price) * k } : r,
      ),
    ),
  (s, coin, k) =>
    s.updateFixture<Json[]>('minerstat/coins.json', (rows) =>
      rows.map((r) => (r.coin === coin ? { ...r, price: Number(r.price) * k } : r)),
    ),
  (s, coin, k) =>
    s.updateFixture<Json>('hashrate_no/coins.json', (all) => {
      const row = all[coin] as { price: Json } | undefined;
      if (row) row.price.USD = String(Number(row.price.USD) * k);
      return all;
    }),
  (s, coin, k) => {
    for (const file of ['whattomine/coins.json', 'whattomine/asic.json']) {
      s.updateFixture<{ coins: Record<string, Json> }>(file, (body) => {
        for (const entry of Object.values(body.coins)) {
          if (entry.tag === coin) entry.exchange_rate = Number(entry.exchange_rate) * k;
        }
        return body;
      });
    }
  },
  (s, coin, k) => {
    const file = `nanopool/approximated_earnings_${coin.toLowerCase()}_${coin === 'XMR' ? 10000 : 100}.json`;
    if (!s.fixtures.has(file)) return;
    s.updateFixture<{ data: Record<string, Json> }>(file, (body) => {
      for (const [period, values] of Object.entries(body.data)) {
        if (period === 'prices') values.price_usd = Number(values.price_usd) * k;
        else values.dollars = Number(values.dollars) * k;
      }
      return body;
    });
  },
];

/** Multiplies the coin's price by `factor` in every source's recorded responses. */
export function scaleCoinPrice(server: ReplayServer, coin: string, factor: number): void {
  for (const edit of PRICE_EDITS) edit(server, coin.toUpperCase(), factor);
}

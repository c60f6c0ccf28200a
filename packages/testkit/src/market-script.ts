// Market scripts: move the market in every source's recorded response at once, as a real market move would —
// a price, a difficulty, the clock of the data, one market's volume.

import { coinByKey } from '@smart-mining/domain';
import type { ReplayServer } from './replay-server.ts';

type Json = Record<string, unknown>;
type WhatToMineFile = { coins: Record<string, Json> };

const WHATTOMINE_FILES = ['whattomine/coins.json', 'whattomine/asic.json'];
const WHATTOMINE_BITCOIN_ID = 1;

/** Multiplies a number kept as a number or as a numeric string, keeping its type. */
function times(value: unknown, k: number): unknown {
  if (typeof value === 'number') return value * k;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return String(Number(value) * k);
  return value;
}

/** Adds seconds to a number or numeric string of the given unit (1 = seconds, 1000 = milliseconds). */
function later(value: unknown, seconds: number, unitsPerS: number): unknown {
  if (typeof value === 'number') return value + seconds * unitsPerS;
  if (typeof value === 'string' && /^\d+$/.test(value)) return String(Number(value) + seconds * unitsPerS);
  return value;
}

/** One coin's own page (`/coins/162.json`): an entry of the same shape as the lists'. */
const WHATTOMINE_COIN_FILE = 'whattomine/coin_162_ETC.json';

function editWhatToMine(server: ReplayServer, change: (entry: Json) => void): void {
  for (const file of WHATTOMINE_FILES) {
    server.updateFixture<WhatToMineFile>(file, (body) => {
      for (const entry of Object.values(body.coins)) change(entry);
      return body;
    });
  }
  if (server.fixtures.has(WHATTOMINE_COIN_FILE))
    server.updateFixture<Json>(WHATTOMINE_COIN_FILE, (entry) => {
      change(entry);
      return entry;
    });
}

function nanopoolEarningsFiles(server: ReplayServer, coin: string): string[] {
  const prefix = `nanopool/approximated_earnings_${coin.toLowerCase()}_`;
  return [...server.fixtures.keys()].filter((path) => path.startsWith(prefix));
}

/** Where each fixture quotes the coin's price (in USD, or in BTC for WhatToMine), by our ticker. */
const PRICE_EDITS: ((server: ReplayServer, coin: string, factor: number) => void)[] = [
  (s, coin, k) =>
    s.updateFixture<Json[]>('binance/ticker_24hr_symbols.json', (rows) =>
      rows.map((r) => (r.symbol === `${coin}USDT` ? { ...r, lastPrice: times(r.lastPrice, k) } : r)),
    ),
  (s, coin, k) =>
    s.updateFixture<Json[]>('binance/ticker_price_symbols.json', (rows) =>
      rows.map((r) => (r.symbol === `${coin}USDT` ? { ...r, price: times(r.price, k) } : r)),
    ),
  (s, coin, k) =>
    s.updateFixture<Record<string, Json>>('coingecko/simple_price.json', (all) => {
      const row = all[coinByKey(coin)?.coingeckoId ?? ''];
      if (row) row.usd = times(row.usd, k);
      return all;
    }),
  (s, coin, k) => {
    const file = `nanopool/prices_${coin.toLowerCase()}.json`;
    if (!s.fixtures.has(file)) return;
    // Nanopool quotes the coin in BTC and fiat: the BTC rate moves too unless BTC itself is the coin.
    s.updateFixture<{ data: Json }>(file, (body) => {
      for (const key of Object.keys(body.data))
        if (key !== 'price_btc' || coin !== 'BTC') body.data[key] = times(body.data[key], k);
      return body;
    });
  },
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
      if (row) row.price.USD = times(row.price.USD, k);
      return all;
    }),
  (s, coin, k) => {
    // WhatToMine quotes BTC in USD and every other coin in BTC: moving BTC moves its rate alone.
    editWhatToMine(s, (entry) => {
      if (entry.tag === coin) entry.exchange_rate = Number(entry.exchange_rate) * k;
      else if (coin === 'BTC' && entry.id !== WHATTOMINE_BITCOIN_ID) {
        entry.exchange_rate = Number(entry.exchange_rate) / k;
        if (entry.exchange_rate_vol !== undefined)
          entry.exchange_rate_vol = Number(entry.exchange_rate_vol) / k;
      }
    });
  },
  (s, coin, k) => {
    for (const file of nanopoolEarningsFiles(s, coin)) {
      s.updateFixture<{ data: Record<string, Json> }>(file, (body) => {
        for (const [period, values] of Object.entries(body.data)) {
          if (period === 'prices') values.price_usd = Number(values.price_usd) * k;
          else values.dollars = Number(values.dollars) * k;
        }
        return body;
      });
    }
  },
];

/** Multiplies the coin's price by `factor` in every source's recorded responses. */
export function scaleCoinPrice(server: ReplayServer, coin: string, factor: number): void {
  for (const edit of PRICE_EDITS) edit(server, coin.toUpperCase(), factor);
}

/**
 * Multiplies the coin's difficulty (and so its network hashrate) by `factor` in every source, and divides what a
 * hash earns by it: Minerstat's `reward`, WhatToMine's `estimated_rewards`, Nanopool's earnings.
 */
export function scaleCoinDifficulty(server: ReplayServer, rawCoin: string, factor: number): void {
  const coin = rawCoin.toUpperCase();
  const k = factor;
  server.updateFixture<Json[]>('minerstat/coins.json', (rows) =>
    rows.map((r) =>
      r.coin === coin
        ? {
            ...r,
            difficulty: times(r.difficulty, k),
            network_hashrate: times(r.network_hashrate, k),
            reward: times(r.reward, 1 / k),
          }
        : r,
    ),
  );
  editWhatToMine(server, (entry) => {
    if (entry.tag !== coin) return;
    for (const field of ['difficulty', 'nethash']) entry[field] = times(entry[field], k);
    for (const field of ['estimated_rewards', 'btc_revenue']) entry[field] = times(entry[field], 1 / k);
  });
  server.updateFixture<Json>('hashrate_no/coins.json', (all) => {
    const network = (all[coin] as { network?: Json } | undefined)?.network;
    if (network) for (const field of ['hashrate', 'difficulty']) network[field] = times(network[field], k);
    return all;
  });
  const stats = `2miners/stats_${coin.toLowerCase()}.json`;
  if (server.fixtures.has(stats)) {
    server.updateFixture<{ nodes?: Json[] }>(stats, (body) => {
      for (const node of body.nodes ?? []) {
        node.difficulty = times(node.difficulty, k);
        node.networkhashps = times(node.networkhashps, k);
      }
      return body;
    });
  }
  for (const file of nanopoolEarningsFiles(server, coin)) {
    server.updateFixture<{ data: Record<string, Json> }>(file, (body) => {
      for (const [period, values] of Object.entries(body.data)) {
        if (period === 'prices') continue;
        for (const key of Object.keys(values)) values[key] = times(values[key], 1 / k);
      }
      return body;
    });
  }
}

/** The sources whose responses state the time of their data, and how to move it. */
const CLOCK_EDITS: Record<string, (server: ReplayServer, seconds: number) => void> = {
  binance: (s, t) =>
    s.updateFixture<Json[]>('binance/ticker_24hr_symbols.json', (rows) =>
      rows.map((r) => ({
        ...r,
        openTime: later(r.openTime, t, 1000),
        closeTime: later(r.closeTime, t, 1000),
      })),
    ),
  coingecko: (s, t) =>
    s.updateFixture<Json[]>('coingecko/coins_markets.json', (rows) =>
      rows.map((r) =>
        typeof r.last_updated === 'string'
          ? { ...r, last_updated: new Date(Date.parse(r.last_updated) + t * 1000).toISOString() }
          : r,
      ),
    ),
  minerstat: (s, t) =>
    s.updateFixture<Json[]>('minerstat/coins.json', (rows) =>
      rows.map((r) => ({ ...r, updated: later(r.updated, t, 1) })),
    ),
  whattomine: (s, t) =>
    editWhatToMine(s, (entry) => {
      entry.timestamp = later(entry.timestamp, t, 1);
    }),
  '2miners': (s, t) => {
    for (const file of [...s.fixtures.keys()].filter((p) => p.startsWith('2miners/stats_'))) {
      s.updateFixture<{ now?: unknown; nodes?: Json[]; stats?: Json }>(file, (body) => {
        body.now = later(body.now, t, 1000);
        for (const node of body.nodes ?? []) node.lastBeat = later(node.lastBeat, t, 1);
        if (body.stats) body.stats.lastBlockFound = later(body.stats.lastBlockFound, t, 1);
        return body;
      });
    }
  },
};

/**
 * Moves the time of the data by `seconds` in the responses of `sources` (all that state a time when omitted):
 * the market a little later, or one source's clock left behind. Hashrate.no and Nanopool state no time.
 */
export function shiftMarketTime(
  server: ReplayServer,
  seconds: number,
  sources: readonly string[] = Object.keys(CLOCK_EDITS),
): void {
  for (const source of sources) {
    const edit = CLOCK_EDITS[source];
    if (!edit) throw new Error(`${source} states no time of its data`);
    edit(server, seconds);
  }
}

/** Sets one exchange's own 24 h volume (USD) for a coin: a thin market beside deep ones. */
export function setQuoteVolume(
  server: ReplayServer,
  source: 'binance' | 'coingecko',
  rawCoin: string,
  volumeUsd: number,
): void {
  const coin = rawCoin.toUpperCase();
  if (source === 'binance') {
    server.updateFixture<Json[]>('binance/ticker_24hr_symbols.json', (rows) =>
      rows.map((r) => (r.symbol === `${coin}USDT` ? { ...r, quoteVolume: String(volumeUsd) } : r)),
    );
  } else {
    server.updateFixture<Json[]>('coingecko/coins_markets.json', (rows) =>
      rows.map((r) => (r.id === coinByKey(coin)?.coingeckoId ? { ...r, total_volume: volumeUsd } : r)),
    );
  }
}

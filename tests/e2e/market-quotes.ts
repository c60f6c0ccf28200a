// Every source's quotes of every coin, read straight from the fixtures the replay server serves, in the units of
// the fixtures README (for the market model; never through the product's collectors).

import type { Fixtures } from '@smart-mining/testkit';

/** Our coins by each source's id (fixtures README §1, §2, §7) and their protocol facts. */
export const COINS: Record<
  string,
  { gecko: string; wtm?: number; times2pow32: boolean; blockTimeS: number }
> = {
  BTC: { gecko: 'bitcoin', wtm: 1, times2pow32: true, blockTimeS: 600 },
  LTC: { gecko: 'litecoin', wtm: 4, times2pow32: true, blockTimeS: 150 },
  DOGE: { gecko: 'dogecoin', wtm: 6, times2pow32: true, blockTimeS: 60 },
  ETC: { gecko: 'ethereum-classic', wtm: 162, times2pow32: false, blockTimeS: 13 },
  RVN: { gecko: 'ravencoin', wtm: 234, times2pow32: true, blockTimeS: 60 },
  KAS: { gecko: 'kaspa', wtm: 352, times2pow32: true, blockTimeS: 1 },
  ERG: { gecko: 'ergo', wtm: 340, times2pow32: false, blockTimeS: 120 },
  XMR: { gecko: 'monero', wtm: 101, times2pow32: false, blockTimeS: 120 },
  ZEC: { gecko: 'zcash', times2pow32: false, blockTimeS: 75 },
  FLUX: { gecko: 'zelcash', times2pow32: false, blockTimeS: 120 },
  CFX: { gecko: 'conflux-token', times2pow32: false, blockTimeS: 0.5 },
};
export type Field = 'price' | 'difficulty' | 'nethash' | 'blockReward' | 'blockTime';
export interface Quote {
  value: number;
  atMs: number;
  volume?: number;
}
/** Hashrate.no's bodies as the aggregator last fetched them, and when: a cached answer keeps that time. */
export interface HashratenoAnswer {
  fetchedAtMs: number;
  coins: Record<string, { price: Record<string, string>; network?: Record<string, string> }>;
  benchmarks: Record<string, { name: string; brandID: string; hashrate: string; power: string }>;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};
export const get = <T>(fx: Fixtures, path: string) => structuredClone(fx.get(path)) as T;

/** Every quote of every coin, by field, from the seven sources' fixtures. */
export function gatherQuotes(fx: Fixtures, nowMs: number, hashrateno: HashratenoAnswer) {
  const quotes = new Map<string, Record<Field, Quote[]>>();
  const add = (coin: string, field: Field, value: number | undefined, atMs: number, volume?: number) => {
    if (value === undefined || value <= 0) return;
    const entry = quotes.get(coin) ?? {
      price: [],
      difficulty: [],
      nethash: [],
      blockReward: [],
      blockTime: [],
    };
    entry[field].push(volume === undefined ? { value, atMs } : { value, atMs, volume });
    quotes.set(coin, entry);
  };
  for (const r of get<Record<string, string | number>[]>(fx, 'binance/ticker_24hr_symbols.json')) {
    const coin = String(r.symbol).replace(/USDT$/, '');
    if (COINS[coin]) add(coin, 'price', num(r.lastPrice), Number(r.closeTime), num(r.quoteVolume));
  }
  for (const r of get<Record<string, string | number>[]>(fx, 'coingecko/coins_markets.json')) {
    const coin = Object.keys(COINS).find((c) => COINS[c]!.gecko === r.id);
    if (coin)
      add(coin, 'price', num(r.current_price), Date.parse(String(r.last_updated)), num(r.total_volume));
  }
  for (const r of get<Record<string, string | number>[]>(fx, 'minerstat/coins.json')) {
    const coin = String(r.coin);
    if (!COINS[coin]) continue;
    const atMs = Number(r.updated) * 1000;
    add(coin, 'price', num(r.price), atMs, num(r.volume));
    add(coin, 'difficulty', num(r.difficulty), atMs);
    add(coin, 'nethash', num(r.network_hashrate), atMs);
    add(coin, 'blockReward', num(r.reward_block), atMs);
  }
  for (const [coin, r] of Object.entries(hashrateno.coins)) {
    if (!COINS[coin]) continue;
    const atMs = hashrateno.fetchedAtMs;
    add(coin, 'price', num(r.price.USD), atMs, num(r.price.volume));
    add(coin, 'difficulty', num(r.network?.difficulty), atMs);
    add(coin, 'nethash', num(r.network?.hashrate), atMs);
  }
  gatherWhatToMine(fx, add);
  for (const coin of ['etc', 'rvn']) {
    const s = get<{ now: number; nodes: Record<string, string>[] }>(fx, `2miners/stats_${coin}.json`);
    const node = s.nodes[0]!;
    add(coin.toUpperCase(), 'difficulty', num(node.difficulty), s.now);
    add(coin.toUpperCase(), 'nethash', num(node.networkhashps), s.now);
    add(coin.toUpperCase(), 'blockTime', num(node.avgBlockTime), s.now);
  }
  // Nanopool states no time: its data is as old as the fetch, the cycle's clock.
  const etcEarnings = get<{ data: { prices: { price_usd: number } } }>(
    fx,
    'nanopool/approximated_earnings_etc_100.json',
  );
  add('ETC', 'price', etcEarnings.data.prices.price_usd, nowMs);
  add('ETC', 'blockTime', get<{ data: number }>(fx, 'nanopool/network_avgblocktime_etc.json').data, nowMs);
  const xmrEarnings = get<{ data: { prices: { price_usd: number } } }>(
    fx,
    'nanopool/approximated_earnings_xmr_10000.json',
  );
  add('XMR', 'price', xmrEarnings.data.prices.price_usd, nowMs);
  return quotes;
}

type Add = (coin: string, field: Field, value: number | undefined, atMs: number, volume?: number) => void;

/** WhatToMine: BTC's entry quotes USD; every other coin quotes BTC (fixtures README §7). */
function gatherWhatToMine(fx: Fixtures, add: Add): void {
  type Entry = Record<string, string | number | boolean>;
  const entries = ['whattomine/coins.json', 'whattomine/asic.json'].flatMap((f) =>
    Object.values(get<{ coins: Record<string, Entry> }>(fx, f).coins),
  );
  const btcUsd = num(entries.find((e) => e.id === 1)?.exchange_rate)!;
  for (const e of entries) {
    const coin = Object.keys(COINS).find((c) => COINS[c]!.wtm === e.id);
    if (!coin) continue;
    const atMs = Number(e.timestamp) * 1000;
    const usd = e.id === 1 ? 1 : btcUsd;
    add(coin, 'price', num(e.exchange_rate)! * usd, atMs, num(e.exchange_rate_vol)! * usd);
    add(coin, 'difficulty', num(e.difficulty), atMs);
    add(coin, 'nethash', num(e.nethash), atMs);
    add(coin, 'blockReward', num(e.block_reward), atMs);
    add(coin, 'blockTime', num(e.block_time), atMs);
  }
}

// Builds the seven collectors from the configuration: base URLs, keys, rate limits and caches per source.

import { type Db, getCachedResponse, putCachedResponse } from '@smart-mining/db';
import type { Config } from '@smart-mining/platform';
import { HttpClient } from '../http-client.ts';
import { createBinanceCollector } from './binance/client.ts';
import { createCoinGeckoCollector } from './coingecko/client.ts';
import type { Collector } from './collector.ts';
import { createHashratenoCollector } from './hashrateno/client.ts';
import { createMinerstatCollector } from './minerstat/client.ts';
import { createNanopoolCollector } from './nanopool/client.ts';
import type { ResponseCache } from './response-cache.ts';
import { createTwoMinersCollector } from './twominers/client.ts';
import { createWhatToMineCollector } from './whattomine/client.ts';

export interface CollectorDeps {
  db: Db;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
}

/** Minimum spacing between two requests, from each source's documented limit. */
const MIN_INTERVAL_MS = {
  binance: 0,
  coingecko: 2_000, // demo plan: ~30 calls/minute
  hashrateno: 0, // cached for hours instead
  minerstat: 5_000, // ~12 requests/minute at the edge
  nanopool: 2_000, // ≤ 30 calls/minute
  twominers: 500,
  whattomine: 1_000,
} as const;

/** Hashrate.no counts every call against ~100 a month: a failed call is retried next cycle, not now. */
const DEFAULT_ATTEMPTS = {
  ...Object.fromEntries(Object.keys(MIN_INTERVAL_MS).map((k) => [k, 3])),
  hashrateno: 1,
} as Record<keyof typeof MIN_INTERVAL_MS, number>;

/** Responses cached in the database survive restarts (Hashrate.no allows ~100 calls a month). */
export function createDbResponseCache(db: Db, prefix: string): ResponseCache {
  return {
    get: (key) => getCachedResponse(db, `${prefix}:${key}`),
    set: (key, entry) => putCachedResponse(db, `${prefix}:${key}`, entry),
  };
}

export function createCollectors(config: Config, deps: CollectorDeps): Collector[] {
  const s = config.aggregator.sources;
  const { secrets } = config;
  const http = (name: keyof typeof MIN_INTERVAL_MS) =>
    new HttpClient({
      timeoutMs: s[name].timeoutMs,
      minIntervalMs: s[name].minIntervalMs ?? MIN_INTERVAL_MS[name],
      attempts: s[name].attempts ?? DEFAULT_ATTEMPTS[name],
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  const now = deps.now ? { now: deps.now } : {};
  const all: [boolean, () => Collector][] = [
    [
      s.binance.enabled,
      () =>
        createBinanceCollector({
          http: http('binance'),
          baseUrl: s.binance.baseUrl,
          cache: createDbResponseCache(deps.db, 'binance'),
          ...now,
        }),
    ],
    [
      s.coingecko.enabled,
      () =>
        createCoinGeckoCollector({
          http: http('coingecko'),
          baseUrl: s.coingecko.baseUrl,
          plan: secrets.coingeckoPlan,
          ...(secrets.coingeckoApiKey ? { apiKey: secrets.coingeckoApiKey } : {}),
          ...now,
        }),
    ],
    [
      s.hashrateno.enabled,
      () =>
        createHashratenoCollector({
          http: http('hashrateno'),
          baseUrl: s.hashrateno.baseUrl,
          apiKey: secrets.hashratenoApiKey,
          cache: createDbResponseCache(deps.db, 'hashrateno'),
          coinsTtlS: s.hashrateno.coinsTtlS,
          benchmarksTtlS: s.hashrateno.benchmarksTtlS,
          benchmarkCoins: s.hashrateno.benchmarkCoins,
          ...now,
        }),
    ],
    [
      s.minerstat.enabled,
      () =>
        createMinerstatCollector({
          http: http('minerstat'),
          baseUrl: s.minerstat.baseUrl,
          apiKey: secrets.minerstatApiKey,
          ...now,
        }),
    ],
    [
      s.whattomine.enabled,
      () => createWhatToMineCollector({ http: http('whattomine'), baseUrl: s.whattomine.baseUrl, ...now }),
    ],
    [
      s.nanopool.enabled,
      () =>
        createNanopoolCollector({
          http: http('nanopool'),
          urlTemplate: s.nanopool.urlTemplate,
          coins: s.nanopool.coins,
          feeFraction: s.nanopool.feeFraction,
          ...now,
        }),
    ],
    [
      s.twominers.enabled,
      () =>
        createTwoMinersCollector({
          http: http('twominers'),
          urlTemplate: s.twominers.urlTemplate,
          coins: s.twominers.coins,
          feeFraction: s.twominers.feeFraction,
          ...now,
        }),
    ],
  ];
  return all.filter(([enabled]) => enabled).map(([, make]) => make());
}

// Hashrate.no collector: coin network data and device benchmarks from API v2, cached hard, key as `apiKey=`.
//
// The free plan allows about 100 calls a month. With the default TTLs one instance spends ≈ 60 calls on /coins
// (every 12 h) and ≈ 17 on four benchmark coins (weekly). Bodies are cached only after they validated, so a bad
// answer is asked again next run instead of poisoning the cache; a coin hashrate.no refuses (HTTP 400) is cached
// as refused for the benchmark TTL, so it does not cost a call every run.
//
// /gpuEstimates is not used on purpose: its figures are per-device USD/day at one power cost, which the aggregator
// computes itself from benchmarks, power and merged coin prices.

import { type CoinObservation, coinByKey, type HardwareObservation } from '@smart-mining/domain';
import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import type { Collector, CollectResult } from '../collector.ts';
import { createMemoryCache, type ResponseCache } from '../response-cache.ts';
import { normalizeHashratenoBenchmarks, normalizeHashratenoCoins } from './normalize.ts';
import { hashratenoApiError, parseHashratenoBenchmarks, parseHashratenoCoins } from './schema.ts';

export const HASHRATENO_DEFAULT_BASE_URL = 'https://hashrate.no/api/v2';
export const HASHRATENO_SKIP_REASON = 'no HASHRATENO_API_KEY set; Hashrate.no skipped';
export const HASHRATENO_DEFAULT_COINS_TTL_S = 12 * 3600;
export const HASHRATENO_DEFAULT_BENCHMARKS_TTL_S = 7 * 86_400;
export const HASHRATENO_DEFAULT_BENCHMARK_COINS: readonly string[] = ['RVN', 'ETC', 'ERG', 'KAS'];
/** hashrate.no sends its {title, detail} error bodies with these statuses; the body says more than the status. */
const ERROR_BODY_STATUSES = [400, 401, 403];

export interface HashratenoCollectorDeps {
  http: Pick<HttpClient, 'getJson'>;
  apiKey?: string | undefined;
  baseUrl?: string;
  now?: () => Date;
  /** Defaults to an in-memory cache; the composition root passes a database-backed one that survives restarts. */
  cache?: ResponseCache;
  coinsTtlS?: number;
  benchmarksTtlS?: number;
  /** Coins whose benchmarks are fetched, one call each. */
  benchmarkCoins?: readonly string[];
}

interface Context {
  http: Pick<HttpClient, 'getJson'>;
  apiKey: string;
  baseUrl: string;
  now: () => Date;
  cache: ResponseCache;
  coinsTtlS: number;
  benchmarksTtlS: number;
  benchmarkCoins: readonly string[];
}

/** A body ready to normalize; `remember()` caches it once it proved valid (a no-op when it came from the cache). */
interface Loaded {
  fetchedAt: Date;
  body: unknown;
  remember(): Promise<void>;
}

export function createHashratenoCollector(deps: HashratenoCollectorDeps): Collector {
  const apiKey = deps.apiKey?.trim();
  if (!apiKey) {
    return {
      source: 'hashrateno',
      skipReason: HASHRATENO_SKIP_REASON,
      collect: () => Promise.reject(new SourceError('SM_SOURCE_NO_KEY', HASHRATENO_SKIP_REASON)),
    };
  }
  const context: Context = {
    http: deps.http,
    apiKey,
    baseUrl: (deps.baseUrl ?? HASHRATENO_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    now: deps.now ?? (() => new Date()),
    cache: deps.cache ?? createMemoryCache(),
    coinsTtlS: deps.coinsTtlS ?? HASHRATENO_DEFAULT_COINS_TTL_S,
    benchmarksTtlS: deps.benchmarksTtlS ?? HASHRATENO_DEFAULT_BENCHMARKS_TTL_S,
    benchmarkCoins: deps.benchmarkCoins ?? HASHRATENO_DEFAULT_BENCHMARK_COINS,
  };
  return { source: 'hashrateno', collect: () => collect(context) };
}

async function collect(context: Context): Promise<CollectResult> {
  const warnings: string[] = [];
  const coins = await collectCoins(context, warnings);
  const hardware: HardwareObservation[] = [];
  for (const coin of context.benchmarkCoins)
    hardware.push(...(await collectBenchmarks(context, coin, warnings)));
  return { coins, pools: [], hardware, warnings };
}

/** /coins is required: any failure, or an answer without one of our coins, fails the run and is not cached. */
async function collectCoins(context: Context, warnings: string[]): Promise<CoinObservation[]> {
  const read = (body: unknown, fetchedAt: Date, notes: string[]) =>
    normalizeHashratenoCoins(parseHashratenoCoins(body, notes), fetchedAt, notes);
  // A cached body with none of our coins (stored by an older version) is a miss, not an answer.
  const usable = (body: unknown) => {
    try {
      return read(body, new Date(0), []).length > 0;
    } catch {
      return false;
    }
  };
  const loaded = await load(context, '/coins', context.coinsTtlS, false, usable);
  const coins = read(loaded.body, loaded.fetchedAt, warnings);
  if (coins.length === 0)
    throw new SourceError(
      'SM_SOURCE_EMPTY',
      'hashrate.no /coins: no tracked coin in the answer (not cached)',
    );
  await loaded.remember();
  return coins;
}

/** Benchmarks are best effort: a failing coin is a warning (the replay server, like the API, knows only some). */
async function collectBenchmarks(
  context: Context,
  coin: string,
  warnings: string[],
): Promise<HardwareObservation[]> {
  const identity = coinByKey(coin);
  if (!identity) {
    warnings.push(`hashrate.no benchmarks: ${coin} is not a coin we know (no algorithm); not asked`);
    return [];
  }
  try {
    const path = `/benchmarks?coin=${encodeURIComponent(identity.key)}`;
    const loaded = await load(context, path, context.benchmarksTtlS, true);
    const rows = parseHashratenoBenchmarks(loaded.body, identity.key, warnings);
    const hardware = normalizeHashratenoBenchmarks(rows, identity.algorithm, loaded.fetchedAt, warnings);
    // An answer without one usable device is asked again next run, never kept for the benchmark TTL.
    if (hardware.length > 0) await loaded.remember();
    else warnings.push(`hashrate.no benchmarks for ${identity.key}: no usable device (not cached)`);
    return hardware;
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    warnings.push(`hashrate.no benchmarks for ${identity.key} skipped: ${error.code}: ${error.message}`);
    return [];
  }
}

/**
 * The cached body when younger than `ttlS`, else one call. The cache key is the URL without the API key, so keys
 * never land in the cache table and a new key does not empty the cache.
 */
async function load(
  context: Context,
  path: string,
  ttlS: number,
  cacheRefusals: boolean,
  usable: (body: unknown) => boolean = () => true,
): Promise<Loaded> {
  const key = `${context.baseUrl}${path}`;
  const cached = await context.cache.get(key);
  if (
    cached &&
    isFresh(cached.fetchedAt, ttlS, context.now()) &&
    (hashratenoApiError(cached.body) || usable(cached.body))
  ) {
    throwIfApiError(cached.body, path, undefined, new Date(cached.fetchedAt));
    return { fetchedAt: new Date(cached.fetchedAt), body: cached.body, remember: async () => {} };
  }
  const url = `${key}${path.includes('?') ? '&' : '?'}apiKey=${encodeURIComponent(context.apiKey)}`;
  const { status, body } = await context.http.getJson(url, { acceptStatuses: ERROR_BODY_STATUSES });
  const fetchedAt = context.now();
  // A 400 names the request (an unknown coin), not the key: worth remembering; a 401/403 must be retried.
  if (cacheRefusals && status === 400 && hashratenoApiError(body)) {
    await context.cache.set(key, { fetchedAt, body });
  }
  throwIfApiError(body, path, status);
  if (status >= 300)
    throw new SourceError('SM_SOURCE_HTTP', `hashrate.no GET ${path}: HTTP ${status}`, { status });
  return { fetchedAt, body, remember: () => context.cache.set(key, { fetchedAt, body }) };
}

function isFresh(fetchedAt: Date, ttlS: number, now: Date): boolean {
  const ageMs = now.getTime() - new Date(fetchedAt).getTime();
  return ageMs >= 0 && ageMs < ttlS * 1000;
}

function throwIfApiError(body: unknown, path: string, status?: number, cachedAt?: Date): void {
  const apiError = hashratenoApiError(body);
  if (!apiError) return;
  const detail = apiError.detail ? `: ${apiError.detail}` : '';
  const how = cachedAt ? ` (answer cached ${cachedAt.toISOString()})` : ` (HTTP ${status})`;
  throw new SourceError('SM_SOURCE_API_ERROR', `hashrate.no GET ${path}: ${apiError.title}${detail}${how}`, {
    ...(status !== undefined ? { status } : {}),
  });
}

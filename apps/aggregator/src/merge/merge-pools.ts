// Merges pool observations per `<pool>:<coin>` over the stored pools, values each net of its fee, and flags
// stale pools by the time of their data.

import type { PoolState } from '@smart-mining/db';
import {
  type DeclaredPool,
  isOlderThan,
  type PoolObservation,
  poolUsdPerHsDay,
  type StratumEndpoint,
} from '@smart-mining/domain';
import type { MergedCoin } from './merge-coins.ts';

/** A pool's merged state: the row the ingest writes. */
export interface MergedPool extends PoolState {
  endpoints: StratumEndpoint[];
}

export interface MergePoolsOptions {
  now: Date;
  poolStaleS: number;
  /** Pools the operator declares (config `pools`). */
  declaredPools?: readonly DeclaredPool[];
}

/** The `sources` entry of a declared pool: the operator's word, beside any source's. */
export const DECLARED_SOURCE = 'declared';

/** Sources that run the pool's own API come before directories that list it (Minerstat). */
const POOL_API_SOURCES = new Set(['2miners', 'nanopool']);

export function poolKey(pool: string, coin: string): string {
  return `${pool.toLowerCase()}:${coin.toUpperCase()}`;
}

/**
 * Pools exist only where a pool's own API answered (the rows a miner can be sent to); directory entries only
 * contribute a fee that the pool's API does not expose. Stored pools no source reported this cycle are kept and
 * re-valued from their coin, so a price move reaches them too.
 */
export function mergePools(
  observations: readonly PoolObservation[],
  coins: ReadonlyMap<string, MergedCoin>,
  stored: readonly PoolState[],
  options: MergePoolsOptions,
): MergedPool[] {
  const byKey = new Map<string, PoolObservation[]>();
  for (const o of observations) {
    const key = poolKey(o.pool, o.coin);
    byKey.set(key, [...(byKey.get(key) ?? []), o]);
  }
  const out = new Map<string, MergedPool>();
  for (const s of stored) out.set(s.poolKey, { ...s, endpoints: s.endpoints as StratumEndpoint[] });
  for (const [key, obs] of byKey) {
    const merged = mergeObserved(key, obs, out.get(key));
    if (merged) out.set(key, merged);
  }
  const declared = new Set<string>();
  for (const d of options.declaredPools ?? []) {
    out.set(d.poolKey, applyDeclared(d, out.get(d.poolKey), coins.get(d.coin), options.now));
    if (!listedBySource(out.get(d.poolKey)!)) declared.add(d.poolKey);
  }
  return [...out.values()]
    .map((pool) =>
      declared.has(pool.poolKey)
        ? valueDeclared(pool, coins.get(pool.coin))
        : value(pool, coins.get(pool.coin), options),
    )
    .sort((a, b) => a.poolKey.localeCompare(b.poolKey));
}

function listedBySource(pool: MergedPool): boolean {
  return Object.keys(pool.sources).some((s) => s !== DECLARED_SOURCE);
}

/**
 * The declared endpoints and fee over a pool a source lists; otherwise the pool itself, its data as old as its
 * coin's (a declared pool reports nothing of its own).
 */
function applyDeclared(
  d: DeclaredPool,
  previous: MergedPool | undefined,
  coin: MergedCoin | undefined,
  now: Date,
): MergedPool {
  const declared = { feeFraction: d.feeFraction, endpoints: d.endpoints.length };
  if (previous && listedBySource(previous)) {
    return {
      ...previous,
      feeFraction: d.feeFraction,
      endpoints: d.endpoints.map((e) => ({ ...e })),
      sources: { ...previous.sources, [DECLARED_SOURCE]: declared },
    };
  }
  const pool: MergedPool = {
    poolKey: d.poolKey,
    pool: d.pool,
    coin: d.coin,
    feeFraction: d.feeFraction,
    endpoints: d.endpoints.map((e) => ({ ...e })),
    sources: { [DECLARED_SOURCE]: declared },
    observedAt: coin?.observedAt ?? previous?.observedAt ?? now,
    stale: false,
  };
  if (previous?.historyAt) pool.historyAt = previous.historyAt;
  return pool;
}

/** A declared pool is as fresh as its coin's data, and without a coin value it has none (no decision picks it). */
function valueDeclared(pool: MergedPool, coin: MergedCoin | undefined): MergedPool {
  const { usdPerHsDay: _old, ...rest } = pool;
  const out: MergedPool = { ...rest, stale: !coin || coin.stale };
  if (coin?.usdPerHsDay !== undefined)
    out.usdPerHsDay = poolUsdPerHsDay(coin.usdPerHsDay, pool.feeFraction ?? 0);
  return out;
}

/** Why a declared pool will not be chosen this cycle: its coin has no market value (or only stale data). */
export function declaredPoolWarnings(
  declaredPools: readonly DeclaredPool[],
  coins: ReadonlyMap<string, MergedCoin>,
): string[] {
  const warnings: string[] = [];
  for (const d of declaredPools) {
    const coin = coins.get(d.coin);
    if (!coin)
      warnings.push(
        `declared pool ${d.poolKey}: no source gives ${d.coin} market data; no decision will choose it`,
      );
    else if (coin.usdPerHsDay === undefined)
      warnings.push(
        `declared pool ${d.poolKey}: ${d.coin} has no USD per H/s per day (price or network data missing); no decision will choose it`,
      );
    else if (coin.stale)
      warnings.push(
        `declared pool ${d.poolKey}: ${d.coin}'s market data is stale; no decision will choose it until it is fresh`,
      );
  }
  return warnings;
}

/** The newest answer of the pool's own API over the stored row; never older data over newer. */
function mergeObserved(
  key: string,
  obs: readonly PoolObservation[],
  previous: MergedPool | undefined,
): MergedPool | undefined {
  const own = obs.filter((o) => POOL_API_SOURCES.has(o.source));
  const primary = own.sort((a, b) => b.observedAt.getTime() - a.observedAt.getTime())[0];
  if (!primary) return undefined;
  if (previous && previous.observedAt.getTime() > primary.observedAt.getTime()) return previous;
  const fee =
    primary.feeFraction ?? obs.find((o) => o.feeFraction !== undefined)?.feeFraction ?? previous?.feeFraction;
  const pool: MergedPool = {
    poolKey: key,
    pool: primary.pool.toLowerCase(),
    coin: primary.coin,
    endpoints: primary.endpoints?.length ? primary.endpoints : (previous?.endpoints ?? []),
    sources: Object.fromEntries(
      obs.map((o) => [o.source, { feeFraction: o.feeFraction, observedAt: o.observedAt }]),
    ),
    observedAt: primary.observedAt,
    stale: false,
  };
  // A figure this answer left out keeps its stored value.
  const kept = {
    feeFraction: fee,
    hashrateHs: primary.hashrateHs ?? previous?.hashrateHs,
    miners: primary.miners ?? previous?.miners,
    workers: primary.workers ?? previous?.workers,
    lastBlockAt: primary.lastBlockAt ?? previous?.lastBlockAt,
    blockHeight: primary.blockHeight ?? previous?.blockHeight,
    usdPerHsDay: previous?.usdPerHsDay,
    historyAt: previous?.historyAt,
  };
  for (const [k, v] of Object.entries(kept)) if (v !== undefined) Object.assign(pool, { [k]: v });
  return pool;
}

/** Net of the fee by the one rule (poolUsdPerHsDay); stale when the pool's data is older than its limit. */
function value(pool: MergedPool, coin: MergedCoin | undefined, options: MergePoolsOptions): MergedPool {
  const stale = isOlderThan(pool.observedAt, options.poolStaleS, options.now);
  const out: MergedPool = { ...pool, stale };
  if (coin?.usdPerHsDay !== undefined)
    out.usdPerHsDay = poolUsdPerHsDay(coin.usdPerHsDay, pool.feeFraction ?? 0);
  return out;
}

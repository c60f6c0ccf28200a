// Coin and pool history → the snapshots backtest() replays: one per step, each pool valued as it was then.

import type { BacktestHistory, CoinHistoryPoint, PoolFeePoint, PoolHistorySeries } from '@smart-mining/db';
import {
  type AlgorithmKey,
  type BacktestSnapshot,
  type Candidate,
  isAlgorithmKey,
  type PriceBasis,
  type ProfileDefinition,
} from '@smart-mining/domain';

/** How far back each price basis looks (readCoinAverages at a live `now`: the trailing hour or day). */
export const BASIS_WINDOW_S: Record<PriceBasis, number> = { current: 0, avg_1h: 3600, avg_24h: 86_400 };

export interface StepRange {
  from: Date;
  /** Exclusive. */
  to: Date;
  stepS: number;
}

/** from, from + stepS, … while before `to`. */
export function stepTimes(range: StepRange): Date[] {
  const times: Date[] = [];
  for (let ms = range.from.getTime(); ms < range.to.getTime(); ms += range.stepS * 1000) {
    times.push(new Date(ms));
  }
  return times;
}

/** Walks a time-ordered series forward: the latest point at or before each (non-decreasing) time. */
class LatestCursor<T extends { time: Date }> {
  #index = -1;
  constructor(readonly points: readonly T[]) {}

  /** Index of the latest point at or before `atMs`; -1 when there is none. */
  indexAt(atMs: number): number {
    while (this.#index + 1 < this.points.length && this.points[this.#index + 1]!.time.getTime() <= atMs) {
      this.#index += 1;
    }
    return this.#index;
  }

  at(atMs: number): T | undefined {
    const i = this.indexAt(atMs);
    return i < 0 ? undefined : this.points[i];
  }
}

/** One coin's history replayed: its latest point, and the trailing average its price basis needs. */
class CoinReplay {
  readonly #latest: LatestCursor<CoinHistoryPoint>;
  readonly #windowStart: LatestCursor<CoinHistoryPoint>;
  readonly #windowMs: number;
  /** Prefix sums over trusted, known values: index i covers points [0, i). */
  readonly #sums: number[] = [0];
  readonly #counts: number[] = [0];

  constructor(points: readonly CoinHistoryPoint[], windowS: number) {
    this.#latest = new LatestCursor(points);
    this.#windowStart = new LatestCursor(points);
    this.#windowMs = windowS * 1000;
    for (const p of points) {
      // Same rows as readCoinAverages: trusted ones with a value (a rollup point carries its bucket's).
      const used = p.trusted && p.usdPerHsDay !== null;
      const basis = p.basis ?? { sum: used ? p.usdPerHsDay! : 0, count: used ? 1 : 0 };
      this.#sums.push(this.#sums[this.#sums.length - 1]! + basis.sum);
      this.#counts.push(this.#counts[this.#counts.length - 1]! + basis.count);
    }
  }

  latest(atMs: number): CoinHistoryPoint | undefined {
    return this.#latest.at(atMs);
  }

  /** Mean over (at − window, at]; undefined without a trusted value in it. */
  average(atMs: number): number | undefined {
    const last = this.#latest.indexAt(atMs) + 1;
    const first = this.#windowStart.indexAt(atMs - this.#windowMs) + 1;
    const count = this.#counts[last]! - this.#counts[first]!;
    return count > 0 ? (this.#sums[last]! - this.#sums[first]!) / count : undefined;
  }
}

interface PoolReplay {
  pool: PoolHistorySeries;
  algorithm: AlgorithmKey;
  coin: CoinReplay;
  fees: LatestCursor<PoolFeePoint>;
}

function valuesAt(
  replay: PoolReplay,
  point: CoinHistoryPoint,
  atMs: number,
  basis: PriceBasis,
): Candidate['usdPerHsDay'] {
  const values: Candidate['usdPerHsDay'] = {};
  if (point.usdPerHsDay !== null) values.current = point.usdPerHsDay;
  if (basis !== 'current') {
    const average = replay.coin.average(atMs);
    if (average !== undefined) values[basis] = average;
  }
  return values;
}

/**
 * The pool as the engine would have seen it at `atMs`: its coin's latest row at or before then (no row:
 * no candidate), stale when that row is older than the profile's maxDataAgeS — as the live coin would
 * be — and the pool's latest fee at or before then, else its current fee.
 */
function candidateAt(replay: PoolReplay, atMs: number, definition: ProfileDefinition): Candidate | undefined {
  const point = replay.coin.latest(atMs);
  if (!point) return undefined;
  const { pool } = replay;
  const candidate: Candidate = {
    target: pool.poolKey,
    pool: pool.pool,
    coin: pool.coin,
    algorithm: replay.algorithm,
    feeFraction: replay.fees.at(atMs)?.feeFraction ?? pool.currentFeeFraction ?? 0,
    usdPerHsDay: valuesAt(replay, point, atMs, definition.priceBasis),
    dataAt: point.time,
    trusted: point.trusted,
    stale: (atMs - point.time.getTime()) / 1000 > definition.filters.maxDataAgeS,
  };
  if (point.volume24hUsd !== null) candidate.volume24hUsd = point.volume24hUsd;
  return candidate;
}

/** One snapshot per step of the range, oldest first; every pool with coin data so far is a candidate. */
export function buildSnapshots(
  history: BacktestHistory,
  definition: ProfileDefinition,
  range: StepRange,
): BacktestSnapshot[] {
  const windowS = BASIS_WINDOW_S[definition.priceBasis];
  const coins = new Map(history.coins.map((c) => [c.coin, new CoinReplay(c.points, windowS)]));
  const pools: PoolReplay[] = history.pools.flatMap((pool) => {
    const coin = coins.get(pool.coin);
    if (!coin || !isAlgorithmKey(pool.algorithm)) return [];
    return [{ pool, algorithm: pool.algorithm, coin, fees: new LatestCursor(pool.fees) }];
  });
  // The cursors only move forward, so the steps must be walked in time order (stepTimes gives that).
  return stepTimes(range).map((at) => {
    const candidates: Candidate[] = [];
    for (const p of pools) {
      const candidate = candidateAt(p, at.getTime(), definition);
      if (candidate) candidates.push(candidate);
    }
    return { at, candidates };
  });
}

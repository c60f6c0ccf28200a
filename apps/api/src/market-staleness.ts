// Staleness at the time of a read: the aggregator flags rows stale when it writes them, but a row no ingest
// rewrote (the aggregator stopped, every source failed) turns stale when its data outlives its limit all the same.

import type { CoinRow, PoolRow } from '@smart-mining/db';
import { freshUntilMs, type StalenessLimits } from '@smart-mining/domain';

/** A pool past its limit reads as the aggregator writes one: stale, and not healthy. */
export function staleRowOfPool(pool: PoolRow): PoolRow {
  return { ...pool, stale: true, healthy: false };
}

/** The pool's `sources` entry of a pool the operator declares (the aggregator's DECLARED_SOURCE). */
const DECLARED_SOURCE = 'declared';

/** Until when (epoch ms) the coin stays fresh: its price and its network data, each by its own limit. */
export function coinFreshUntilMs(coin: CoinRow, limits: StalenessLimits): number {
  if (coin.stale) return Number.NEGATIVE_INFINITY;
  return Math.min(
    freshUntilMs(coin.priceUpdatedAt ?? coin.observedAt, limits.priceS),
    freshUntilMs(coin.networkUpdatedAt ?? coin.observedAt, limits.networkS),
  );
}

/**
 * Until when the pool stays fresh: its own data by the pool limit; a pool only the operator declares reports
 * nothing of its own and is as fresh as its coin (as the aggregator judges it).
 */
export function poolFreshUntilMs(
  pool: PoolRow,
  coinFreshUntil: number | undefined,
  limits: StalenessLimits,
): number {
  if (pool.stale) return Number.NEGATIVE_INFINITY;
  const declaredOnly = Object.keys(pool.sources).every((s) => s === DECLARED_SOURCE);
  if (declaredOnly && coinFreshUntil !== undefined) return coinFreshUntil;
  return freshUntilMs(pool.observedAt, limits.poolS);
}

/**
 * Rows as they read at a given time: a row past its fresh-until time reads `stale: true`. The view is rebuilt
 * only when the time crosses some row's limit (at most once per row while time moves on), so a read costs two
 * comparisons otherwise.
 */
export class StalingRows<T extends { stale: boolean }> {
  readonly #rows: readonly T[];
  readonly #freshUntilMs: readonly number[];
  readonly #key: (row: T) => string;
  readonly #asStale: (row: T) => T;
  #view: T[] = [];
  #byKey = new Map<string, T>();
  /** The view holds for times t with after < t <= until. */
  #after = Number.POSITIVE_INFINITY;
  #until = Number.NEGATIVE_INFINITY;

  /** `asStale`: the row as it reads once stale (a copy; the stored row is never changed). */
  constructor(
    rows: readonly T[],
    freshUntil: readonly number[],
    key: (row: T) => string,
    asStale: (row: T) => T = (row) => ({ ...row, stale: true }),
  ) {
    this.#rows = rows;
    this.#freshUntilMs = freshUntil;
    this.#key = key;
    this.#asStale = asStale;
  }

  /** Whether the view at `nowMs` differs from the last one returned (then it was rebuilt). */
  refresh(nowMs: number): boolean {
    if (this.#after < nowMs && nowMs <= this.#until) return false;
    let after = Number.NEGATIVE_INFINITY;
    let until = Number.POSITIVE_INFINITY;
    const view: T[] = [];
    for (const [i, row] of this.#rows.entries()) {
      const freshUntil = this.#freshUntilMs[i] ?? Number.NEGATIVE_INFINITY;
      if (nowMs > freshUntil) {
        after = Math.max(after, freshUntil);
        view.push(row.stale ? row : this.#asStale(row));
      } else {
        until = Math.min(until, freshUntil);
        view.push(row);
      }
    }
    const changed =
      view.some((row, i) => row.stale !== this.#view[i]?.stale) || view.length !== this.#view.length;
    this.#view = view;
    this.#byKey = new Map(view.map((row) => [this.#key(row), row]));
    this.#after = after;
    this.#until = until;
    return changed;
  }

  /** The rows as of the last refresh. */
  get rows(): readonly T[] {
    return this.#view;
  }

  get(key: string): T | undefined {
    return this.#byKey.get(key);
  }
}

// Reads the coin and pool history a backtest replays, for a time range and a set of algorithms, with a row bound.

import type { Queryable } from '../db.ts';
import { DbError } from '../errors.ts';
import { MINABLE_POOL_SQL } from './pools-read.ts';

export interface BacktestHistoryQuery {
  algorithms: readonly string[];
  /** Start of the rows read in full (inclusive); the latest row before it is read too. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** More rows than this are refused (BacktestRowLimitError) rather than loaded. */
  maxRows: number;
}

export interface CoinHistoryPoint {
  time: Date;
  usdPerHsDay: number | null;
  trusted: boolean;
  volume24hUsd: number | null;
}

export interface CoinHistorySeries {
  coin: string;
  algorithm: string;
  /** Oldest first. */
  points: CoinHistoryPoint[];
}

export interface PoolFeePoint {
  time: Date;
  feeFraction: number;
}

export interface PoolHistorySeries {
  poolKey: string;
  pool: string;
  coin: string;
  algorithm: string;
  /** The pool's current fee (table pools), for times before its first fee row. */
  currentFeeFraction: number | null;
  /** Fee changes, oldest first. */
  fees: PoolFeePoint[];
}

export interface BacktestHistory {
  coins: CoinHistorySeries[];
  pools: PoolHistorySeries[];
  /** History rows read (coin points + fee points). */
  rows: number;
}

export class BacktestRowLimitError extends DbError {
  constructor(readonly maxRows: number) {
    super('SM_DB_TOO_MANY_ROWS', `the range holds more than ${maxRows} history rows`);
    this.name = 'BacktestRowLimitError';
  }
}

// The latest row before `from` comes through LATERAL … LIMIT 1 so it is found by the primary key
// (coin, time) however old it is, without scanning everything before the range.
const COIN_ROWS_SQL = `
  WITH wanted AS (
    SELECT c.coin, c.algorithm FROM coins c
    WHERE c.algorithm = ANY($1::text[]) AND EXISTS (SELECT 1 FROM pools p WHERE p.coin = c.coin AND ${MINABLE_POOL_SQL})
  )
  SELECT w.coin, w.algorithm, h.time, h.usd_per_hs_day AS "usdPerHsDay", h.trusted,
    h.volume_24h_usd AS "volume24hUsd"
  FROM wanted w CROSS JOIN LATERAL (
    SELECT time, usd_per_hs_day, trusted, volume_24h_usd FROM coin_history
    WHERE coin = w.coin AND time < $2 ORDER BY time DESC LIMIT 1
  ) h
  UNION ALL
  SELECT h.coin, w.algorithm, h.time, h.usd_per_hs_day, h.trusted, h.volume_24h_usd
  FROM coin_history h JOIN wanted w ON w.coin = h.coin
  WHERE h.time >= $2 AND h.time < $3
  ORDER BY 1, 3
  LIMIT $4`;

const POOLS_SQL = `
  SELECT p.pool_key AS "poolKey", p.pool, p.coin, c.algorithm, p.fee_fraction AS "currentFeeFraction"
  FROM pools p JOIN coins c ON c.coin = p.coin
  WHERE c.algorithm = ANY($1::text[]) AND ${MINABLE_POOL_SQL}
  ORDER BY p.pool_key`;

// Only rows where the fee changes: pool_history gains a row whenever hashrate or miners move, and
// reading those would spend the row budget on repeats of the same fee.
const FEE_ROWS_SQL = `
  SELECT k.pool_key AS "poolKey", h.time, h.fee_fraction AS "feeFraction"
  FROM unnest($1::text[]) AS k(pool_key) CROSS JOIN LATERAL (
    SELECT time, fee_fraction FROM pool_history
    WHERE pool_key = k.pool_key AND time < $2 AND fee_fraction IS NOT NULL ORDER BY time DESC LIMIT 1
  ) h
  UNION ALL
  SELECT pool_key, time, fee_fraction FROM (
    SELECT pool_key, time, fee_fraction,
      lag(fee_fraction) OVER (PARTITION BY pool_key ORDER BY time) AS previous
    FROM pool_history
    WHERE pool_key = ANY($1::text[]) AND time >= $2 AND time < $3 AND fee_fraction IS NOT NULL
  ) f
  WHERE previous IS DISTINCT FROM fee_fraction
  ORDER BY 1, 2
  LIMIT $4`;

type CoinRow = CoinHistoryPoint & { coin: string; algorithm: string };
type FeeRow = PoolFeePoint & { poolKey: string };

/**
 * Coins of the given algorithms that have a pool, with their history in [from, to) and the latest row
 * before `from`; those coins' pools with their fee changes over the same span. Throws
 * BacktestRowLimitError when the rows would exceed `maxRows`.
 */
export async function readBacktestHistory(
  db: Queryable,
  query: BacktestHistoryQuery,
): Promise<BacktestHistory> {
  const { algorithms, from, to, maxRows } = query;
  const coinRows = await db.query<CoinRow>(COIN_ROWS_SQL, [algorithms, from, to, maxRows + 1]);
  if (coinRows.length > maxRows) throw new BacktestRowLimitError(maxRows);
  const pools = await db.query<Omit<PoolHistorySeries, 'fees'>>(POOLS_SQL, [algorithms]);
  const budget = maxRows - coinRows.length;
  const keys = pools.map((p) => p.poolKey);
  const feeRows = await db.query<FeeRow>(FEE_ROWS_SQL, [keys, from, to, budget + 1]);
  if (feeRows.length > budget) throw new BacktestRowLimitError(maxRows);
  const fees = new Map<string, PoolFeePoint[]>();
  for (const { poolKey, ...fee } of feeRows) {
    const list = fees.get(poolKey) ?? [];
    if (list.length === 0) fees.set(poolKey, list);
    list.push(fee);
  }
  return {
    coins: groupCoins(coinRows),
    pools: pools.map((p) => ({ ...p, fees: fees.get(p.poolKey) ?? [] })),
    rows: coinRows.length + feeRows.length,
  };
}

/** Rows arrive ordered by coin then time, so each coin's points are one run. */
function groupCoins(rows: CoinRow[]): CoinHistorySeries[] {
  const series: CoinHistorySeries[] = [];
  for (const { coin, algorithm, ...point } of rows) {
    let last = series[series.length - 1];
    if (last?.coin !== coin) {
      last = { coin, algorithm, points: [] };
      series.push(last);
    }
    last.points.push(point);
  }
  return series;
}

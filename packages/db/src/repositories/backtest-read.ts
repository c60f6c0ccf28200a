// Reads the coin and pool history a backtest replays, for a time range and a set of algorithms, with a row bound.

import type { Queryable } from '../db.ts';
import { DbError } from '../errors.ts';
import { type HistorySegment, planHistorySegments, usableRollups } from '../history-plan.ts';
import {
  COIN_SERIES,
  type HistorySeries,
  POOL_SERIES,
  ROLLUP_WIDTH_S,
  type RollupLevel,
  rollupTable,
} from '../history-series.ts';
import { readSeriesCoverage } from './history-read.ts';
import { MINABLE_POOL_SQL } from './pools-read.ts';

export interface BacktestHistoryQuery {
  algorithms: readonly string[];
  /** Start of the rows read in full (inclusive); the latest row before it is read too. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** More rows than this are refused (BacktestRowLimitError) rather than loaded. */
  maxRows: number;
  /**
   * Every time the replay looks at (its steps and the bounds of its averaging window) is a multiple of this many
   * seconds since the epoch: rollups whose buckets divide it stand in for raw rows. Absent: raw rows only.
   */
  alignS?: number;
}

export interface CoinHistoryPoint {
  time: Date;
  usdPerHsDay: number | null;
  trusted: boolean;
  volume24hUsd: number | null;
  /**
   * The trusted values this point stands for in price-basis averages (a rollup bucket's); absent: the point's
   * own value when trusted.
   */
  basis?: { sum: number; count: number };
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

const WANTED_SQL = `
  WITH wanted AS (
    SELECT c.coin, c.algorithm FROM coins c
    WHERE c.algorithm = ANY($1::text[]) AND EXISTS (SELECT 1 FROM pools p WHERE p.coin = c.coin AND ${MINABLE_POOL_SQL})
  )`;

/**
 * One raw row, or one rollup bucket with its first and last row and trusted mean; ordered by coin, last_at.
 * Times come as epoch milliseconds: tens of thousands of rows, and parsing timestamp text cost more than the query.
 */
interface CoinRollupRow {
  coin: string;
  algorithm: string;
  /** Null for a raw row (then first_* and last_* are that row). */
  bucket: number | null;
  first_at: number;
  first_usd: number | null;
  first_volume: number | null;
  first_trusted: boolean;
  last_at: number;
  last_usd: number | null;
  last_volume: number | null;
  last_trusted: boolean;
  basis_avg: number | null;
  basis_n: number | null;
}

/** A timestamptz as float8 epoch milliseconds, truncated to the millisecond as a parsed Date would be. */
const epochMs = (column: string) =>
  `(extract(epoch FROM date_trunc('milliseconds', rows.${column})) * 1000)::float8 AS ${column}`;

const RAW_AS_ROLLUP = `NULL::timestamptz, h.time, h.usd_per_hs_day, h.volume_24h_usd, h.trusted,
  h.time, h.usd_per_hs_day, h.volume_24h_usd, h.trusted, NULL::float8, NULL::int`;
const ROLLUP_COLUMNS = `r.first_at, r.first_usd_per_hs_day, r.first_volume_24h_usd, r.first_trusted,
  r.last_at, r.last_usd_per_hs_day, r.last_volume_24h_usd, r.last_trusted, r.basis_avg, r.basis_n`;

/** The finest rollup in use and where it is complete. */
interface FinestRollup {
  level: RollupLevel;
  coveredTo: Date;
}

/**
 * With a rollup in use, the latest raw row before `from` (params[1]) matters only from where that rollup's
 * buckets before `from` stop standing in for raw rows (the start of the bucket holding `from`, or the
 * rollup's coverage if earlier); the latest bucket before `from` answers for anything older. Bounding it so
 * lets the raw read skip every older monthly partition instead of probing each one per coin or pool.
 */
function rawSinceSql(params: unknown[], finest: FinestRollup | undefined, column: string): string {
  if (!finest) return '';
  const widthMs = ROLLUP_WIDTH_S[finest.level] * 1000;
  const bucketStart = Math.floor((params[1] as Date).getTime() / widthMs) * widthMs;
  params.push(new Date(Math.min(bucketStart, finest.coveredTo.getTime())));
  return ` AND ${column} >= $${params.length}`;
}

/**
 * The latest row before `from` comes through LATERAL … LIMIT 1 so it is found by the primary key (coin, time)
 * without scanning everything before the range (however old it is when no rollup is in use); with rollups in
 * use the latest bucket before `from` stands in for older raw rows. Then each segment's raw rows or buckets.
 */
function coinRowsSql(
  segments: readonly HistorySegment[],
  finest: FinestRollup | undefined,
  params: unknown[],
): string {
  const parts = [
    `SELECT w.coin, w.algorithm, ${RAW_AS_ROLLUP}
     FROM wanted w CROSS JOIN LATERAL (
       SELECT time, usd_per_hs_day, trusted, volume_24h_usd FROM coin_history
       WHERE coin = w.coin AND time < $2${rawSinceSql(params, finest, 'time')} ORDER BY time DESC LIMIT 1
     ) h`,
  ];
  if (finest) {
    params.push(new Date((params[1] as Date).getTime() - ROLLUP_WIDTH_S[finest.level] * 1000));
    parts.push(
      `SELECT w.coin, w.algorithm, NULL::timestamptz, ${ROLLUP_COLUMNS}
       FROM wanted w CROSS JOIN LATERAL (
         SELECT * FROM ${rollupTable(COIN_SERIES, finest.level)} WHERE coin = w.coin AND bucket <= $${params.length}
         ORDER BY bucket DESC LIMIT 1
       ) r`,
    );
  }
  for (const segment of segments) {
    params.push(segment.from, segment.to);
    const [a, b] = [params.length - 1, params.length];
    parts.push(
      segment.source === 'raw'
        ? `SELECT h.coin, w.algorithm, ${RAW_AS_ROLLUP} FROM coin_history h JOIN wanted w ON w.coin = h.coin
           WHERE h.time >= $${a} AND h.time < $${b}`
        : `SELECT r.coin, w.algorithm, r.bucket, ${ROLLUP_COLUMNS}
           FROM ${rollupTable(COIN_SERIES, segment.source)} r JOIN wanted w ON w.coin = r.coin
           WHERE r.bucket >= $${a} AND r.bucket < $${b}`,
    );
  }
  return `${WANTED_SQL}
    SELECT coin, algorithm, ${epochMs('bucket')}, ${epochMs('first_at')}, first_usd, first_volume, first_trusted,
      ${epochMs('last_at')}, last_usd, last_volume, last_trusted, basis_avg, basis_n
    FROM (${parts.join('\n UNION ALL\n')}) AS rows(coin, algorithm, bucket, first_at, first_usd,
      first_volume, first_trusted, last_at, last_usd, last_volume, last_trusted, basis_avg, basis_n)
    ORDER BY rows.coin, rows.last_at`;
}

const POOLS_SQL = `
  SELECT p.pool_key AS "poolKey", p.pool, p.coin, c.algorithm, p.fee_fraction AS "currentFeeFraction"
  FROM pools p JOIN coins c ON c.coin = p.coin
  WHERE c.algorithm = ANY($1::text[]) AND ${MINABLE_POOL_SQL}
  ORDER BY p.pool_key`;

/**
 * Only rows where the fee changes: pool_history gains a row whenever hashrate or miners move, and reading those
 * would spend the row budget on repeats of the same fee. A rollup bucket gives its first fee when it lies on the
 * bucket's start (the one a replay step on that boundary sees) and its last fee.
 */
function feeRowsSql(
  segments: readonly HistorySegment[],
  finest: FinestRollup | undefined,
  dailyCoveredTo: Date | undefined,
  params: unknown[],
): string {
  const before = [
    `SELECT k.pool_key, h.time, h.fee_fraction
     FROM unnest($1::text[]) AS k(pool_key) CROSS JOIN LATERAL (
       SELECT time, fee_fraction FROM pool_history
       WHERE pool_key = k.pool_key AND time < $2${rawSinceSql(params, finest, 'time')}
         AND fee_fraction IS NOT NULL ORDER BY time DESC LIMIT 1
     ) h`,
  ];
  if (finest) {
    params.push(new Date((params[1] as Date).getTime() - ROLLUP_WIDTH_S[finest.level] * 1000));
    before.push(
      `SELECT k.pool_key, r.fee_last_at, r.fee_last
       FROM unnest($1::text[]) AS k(pool_key) CROSS JOIN LATERAL (
         SELECT fee_last_at, fee_last FROM ${rollupTable(POOL_SERIES, finest.level)}
         WHERE pool_key = k.pool_key AND bucket <= $${params.length} AND fee_last IS NOT NULL
         ORDER BY bucket DESC LIMIT 1
       ) r`,
    );
  }
  const inRange = segments.map((segment) => {
    params.push(segment.from, segment.to);
    const [a, b] = [params.length - 1, params.length];
    if (segment.source === 'raw')
      return `SELECT pool_key, time, fee_fraction FROM pool_history
        WHERE pool_key = ANY($1::text[]) AND time >= $${a} AND time < $${b} AND fee_fraction IS NOT NULL`;
    const table = rollupTable(POOL_SERIES, segment.source);
    // The hourly buckets to read: all of them, except in whole days the daily rollup shows quiet (see below).
    let ranges = `(VALUES ($${a}::timestamptz, $${b}::timestamptz)) AS g(lo, hi)`;
    const dayMs = ROLLUP_WIDTH_S.daily * 1000;
    const firstDay = Math.ceil(segment.from.getTime() / dayMs) * dayMs;
    const endDay = Math.floor(Math.min(segment.to.getTime(), dailyCoveredTo?.getTime() ?? 0) / dayMs) * dayMs;
    if (segment.source === 'hourly' && firstDay < endDay) {
      params.push(new Date(firstDay), new Date(endDay));
      const [d0, d1] = [params.length - 1, params.length];
      // A day is quiet when every fee in it equals the last fee of the day before (or it has none): its points
      // would all be repeats, dropped below, so its 24 hourly buckets need not be read. (24 hours, not 1 day:
      // a day interval follows the session's time zone across daylight saving changes.)
      ranges = `(
          SELECT $${a}::timestamptz, $${d0}::timestamptz
          UNION ALL
          SELECT bucket, bucket + interval '24 hours' FROM (
            SELECT d.bucket, d.fee_fraction_n, d.fee_fraction_min, d.fee_fraction_max,
              lag(d.fee_last) OVER (ORDER BY d.bucket) AS before
            FROM ${rollupTable(POOL_SERIES, 'daily')} d
            WHERE d.pool_key = k.pool_key AND d.bucket >= $${d0} AND d.bucket < $${d1}
          ) days
          WHERE NOT (fee_fraction_n = 0 OR (fee_fraction_min = fee_fraction_max AND fee_fraction_max IS NOT DISTINCT FROM before))
          UNION ALL
          SELECT $${d1}::timestamptz, $${b}::timestamptz
        ) AS g(lo, hi)`;
    }
    // Per pool, in bucket order, only the segment's first point and those whose fee differs from the point
    // before: a point equal to the one before it is never a change below either, so the changes found below
    // are the same, without sorting and scanning every pool's every bucket.
    return `SELECT k.pool_key, s.time, s.fee_fraction
      FROM unnest($1::text[]) AS k(pool_key) CROSS JOIN LATERAL (
        SELECT time, fee_fraction FROM (
          SELECT p.time, p.fee_fraction,
            lag(p.fee_fraction) OVER (ORDER BY r.bucket, p.ord) AS previous
          FROM ${ranges} CROSS JOIN LATERAL (
            SELECT * FROM ${table} WHERE pool_key = k.pool_key AND bucket >= g.lo AND bucket < g.hi
            OFFSET 0 -- kept a subquery: an index range scan per range, never one join over the pool's every bucket
          ) r CROSS JOIN LATERAL (VALUES
            (0, CASE WHEN r.fee_first_at = r.bucket THEN r.fee_first_at END, r.fee_first),
            (1, r.fee_last_at, r.fee_last)
          ) AS p(ord, time, fee_fraction)
          WHERE p.time IS NOT NULL AND (p.ord = 0 OR p.fee_fraction IS NOT NULL)
        ) points
        WHERE previous IS NULL OR previous IS DISTINCT FROM fee_fraction
      ) s`;
  });
  const changes = inRange.length
    ? [
        `SELECT pool_key, time, fee_fraction FROM (
           SELECT pool_key, time, fee_fraction,
             lag(fee_fraction) OVER (PARTITION BY pool_key ORDER BY time) AS previous
           FROM (${inRange.join('\n UNION ALL\n')}) AS r(pool_key, time, fee_fraction)
         ) f
         WHERE previous IS DISTINCT FROM fee_fraction`,
      ]
    : [];
  return `SELECT pool_key AS "poolKey", time, fee_fraction AS "feeFraction"
    FROM (${[...before, ...changes].join('\n UNION ALL\n')}) AS f(pool_key, time, fee_fraction)
    ORDER BY 1, 2`;
}

type FeeRow = PoolFeePoint & { poolKey: string };

/** Which tables answer: rollups only where every step and window bound falls on their bucket boundaries. */
async function planSegments(db: Queryable, query: BacktestHistoryQuery, series: HistorySeries) {
  const alignS = query.alignS ?? 0;
  const coverage = await readSeriesCoverage(db, series);
  const rollups = alignS > 0 ? usableRollups(alignS, coverage) : [];
  return {
    coverage,
    segments: planHistorySegments(query.from, query.to, rollups),
    finest: rollups[rollups.length - 1],
  };
}

/**
 * Coins of the given algorithms that have a pool, with their history in [from, to) and the latest row
 * before `from`; those coins' pools with their fee changes over the same span. Throws
 * BacktestRowLimitError when the rows would exceed `maxRows`.
 */
export async function readBacktestHistory(
  db: Queryable,
  query: BacktestHistoryQuery,
): Promise<BacktestHistory> {
  const { algorithms, from, maxRows } = query;
  const coinPlan = await planSegments(db, query, COIN_SERIES);
  const coinParams: unknown[] = [algorithms, from];
  const coinSql = coinRowsSql(coinPlan.segments, coinPlan.finest, coinParams);
  coinParams.push(maxRows + 1);
  const coinRows = await db.query<CoinRollupRow>(`${coinSql} LIMIT $${coinParams.length}`, coinParams);
  if (coinRows.length > maxRows) throw new BacktestRowLimitError(maxRows);
  const pools = await db.query<Omit<PoolHistorySeries, 'fees'>>(POOLS_SQL, [algorithms]);
  const budget = maxRows - coinRows.length;
  const feePlan = await planSegments(db, query, POOL_SERIES);
  const feeParams: unknown[] = [pools.map((p) => p.poolKey), from];
  const feeSql = feeRowsSql(feePlan.segments, feePlan.finest, feePlan.coverage.daily, feeParams);
  feeParams.push(budget + 1);
  const feeRows = await db.query<FeeRow>(`${feeSql} LIMIT $${feeParams.length}`, feeParams);
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

/**
 * A raw row is one point. A rollup bucket is one point at its last row carrying the bucket's trusted sum and
 * count; when its first row lies exactly on the bucket's start (where a replay step may fall) that row is a
 * point of its own. A step on a bucket boundary then sees what it would see of the raw rows.
 */
function appendPoints(row: CoinRollupRow, points: CoinHistoryPoint[]): void {
  const last: CoinHistoryPoint = {
    time: new Date(row.last_at),
    usdPerHsDay: row.last_usd,
    trusted: row.last_trusted,
    volume24hUsd: row.last_volume,
  };
  if (row.bucket === null || row.basis_n === null) {
    points.push(last);
    return;
  }
  const total = { sum: (row.basis_avg ?? 0) * row.basis_n, count: row.basis_n };
  if (row.first_at !== row.bucket || row.first_at === row.last_at) {
    last.basis = total;
    points.push(last);
    return;
  }
  const firstCounts = row.first_trusted && row.first_usd !== null;
  const firstBasis = { sum: firstCounts ? row.first_usd! : 0, count: firstCounts ? 1 : 0 };
  points.push({
    time: new Date(row.first_at),
    usdPerHsDay: row.first_usd,
    trusted: row.first_trusted,
    volume24hUsd: row.first_volume,
    basis: firstBasis,
  });
  last.basis = { sum: total.sum - firstBasis.sum, count: total.count - firstBasis.count };
  points.push(last);
}

/** Rows arrive ordered by coin then time, so each coin's points are one run. */
function groupCoins(rows: CoinRollupRow[]): CoinHistorySeries[] {
  const series: CoinHistorySeries[] = [];
  for (const row of rows) {
    let last = series[series.length - 1];
    if (last?.coin !== row.coin) {
      last = { coin: row.coin, algorithm: row.algorithm, points: [] };
      series.push(last);
    }
    appendPoints(row, last.points);
  }
  return series;
}

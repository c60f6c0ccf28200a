// Reads coin and pool history aggregated into time buckets in SQL (from the coarsest table that answers the
// buckets: daily or hourly rollups, raw rows), and recent price-basis averages.

import type { Queryable } from '../db.ts';
import { type HistorySegment, planHistorySegments, usableRollups } from '../history-plan.ts';
import { readRollupCoverage } from '../history-rollups.ts';
import {
  COIN_SERIES,
  type HistorySeries,
  POOL_SERIES,
  type RollupLevel,
  rollupName,
  rollupTable,
} from '../history-series.ts';

export interface HistoryRange {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Bucket width in seconds; buckets start at multiples of it since the Unix epoch. */
  bucketS: number;
}

export interface Aggregate {
  avg: number | null;
  min: number | null;
  max: number | null;
}

export interface HistoryPoint<M extends string> {
  /** Bucket start. */
  at: Date;
  samples: number;
  values: Record<M, Aggregate>;
}

const COIN_MEASURES = {
  priceUsd: 'price_usd',
  usdPerHsDay: 'usd_per_hs_day',
  difficulty: 'difficulty',
  networkHashrateHs: 'network_hashrate_hs',
  volume24hUsd: 'volume_24h_usd',
} as const;
export type CoinMeasure = keyof typeof COIN_MEASURES;

const POOL_MEASURES = {
  hashrateHs: 'hashrate_hs',
  miners: 'miners',
  workers: 'workers',
  usdPerHsDay: 'usd_per_hs_day',
  feeFraction: 'fee_fraction',
} as const;
export type PoolMeasure = keyof typeof POOL_MEASURES;

export function readCoinHistory(
  db: Queryable,
  coin: string,
  range: HistoryRange,
): Promise<HistoryPoint<CoinMeasure>[]> {
  return readBuckets(db, { spec: COIN_SERIES, key: coin, measures: COIN_MEASURES }, range);
}

export function readPoolHistory(
  db: Queryable,
  poolKey: string,
  range: HistoryRange,
): Promise<HistoryPoint<PoolMeasure>[]> {
  return readBuckets(db, { spec: POOL_SERIES, key: poolKey, measures: POOL_MEASURES }, range);
}

interface Series<M extends string> {
  spec: HistorySeries;
  key: string;
  measures: Record<M, string>;
}

/** Where the series' hourly and daily rollups are complete. */
export async function readSeriesCoverage(
  db: Queryable,
  series: HistorySeries,
): Promise<Partial<Record<RollupLevel, Date>>> {
  const coverage = await readRollupCoverage(db);
  const result: Partial<Record<RollupLevel, Date>> = {};
  for (const level of ['hourly', 'daily'] as const) {
    const at = coverage.get(rollupName(series, level));
    if (at) result[level] = at;
  }
  return result;
}

/**
 * Per bucket of `bucketS` within one segment: samples, and per measure i the sum (s), count (n), min (lo)
 * and max (hi) of its values, from raw rows or from rollup rows (whose sum is mean × count).
 */
function segmentSql(
  series: Series<string>,
  segment: HistorySegment,
  columns: readonly string[],
  fromParam: number,
): string {
  const raw = segment.source === 'raw';
  const time = raw ? 'time' : 'bucket';
  const parts = columns.map((c, i) =>
    raw
      ? `sum(${c})::float8 AS s${i}, count(${c}) AS n${i}, min(${c})::float8 AS lo${i}, max(${c})::float8 AS hi${i}`
      : `sum(${c}_avg * ${c}_n) AS s${i}, sum(${c}_n) AS n${i}, min(${c}_min) AS lo${i}, max(${c}_max) AS hi${i}`,
  );
  const table = raw ? series.spec.raw : rollupTable(series.spec, segment.source as RollupLevel);
  return `SELECT to_timestamp(floor(extract(epoch from ${time})::float8 / $2::float8) * $2::float8) AS at,
      ${raw ? 'count(*)' : 'sum(samples)'} AS samples, ${parts.join(', ')}
    FROM ${table}
    WHERE ${series.spec.key} = $1 AND ${time} >= $${fromParam} AND ${time} < $${fromParam + 1}
    GROUP BY 1`;
}

async function readBuckets<M extends string>(
  db: Queryable,
  series: Series<M>,
  range: HistoryRange,
): Promise<HistoryPoint<M>[]> {
  const names = Object.keys(series.measures) as M[];
  const columns = names.map((name) => series.measures[name]);
  // Rollup buckets must fit whole into the requested ones; the open hour or day comes from raw rows.
  const rollups = usableRollups(range.bucketS, await readSeriesCoverage(db, series.spec));
  const segments = planHistorySegments(range.from, range.to, rollups);
  const params: unknown[] = [series.key, range.bucketS];
  const selects = segments.map((segment) => {
    params.push(segment.from, segment.to);
    return segmentSql(series, segment, columns, params.length - 1);
  });
  const aggregates = names.flatMap((name, i) => [
    `(sum(s${i}) / nullif(sum(n${i}), 0))::float8 AS "${name}.avg"`,
    `min(lo${i})::float8 AS "${name}.min"`,
    `max(hi${i})::float8 AS "${name}.max"`,
  ]);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT at, sum(samples)::int AS samples, ${aggregates.join(', ')}
     FROM (${selects.join('\n UNION ALL\n')}) parts
     GROUP BY at ORDER BY at`,
    params,
  );
  return rows.map((row) => ({
    at: row.at as Date,
    samples: row.samples as number,
    values: Object.fromEntries(
      names.map((name) => [
        name,
        {
          avg: row[`${name}.avg`] as number | null,
          min: row[`${name}.min`] as number | null,
          max: row[`${name}.max`] as number | null,
        },
      ]),
    ) as Record<M, Aggregate>,
  }));
}

export interface CoinAverages {
  coin: string;
  /** Mean usd_per_hs_day of trusted history rows in the last hour / day; null without such rows. */
  avg1hUsdPerHsDay: number | null;
  avg24hUsdPerHsDay: number | null;
}

/** Price-basis averages (DESIGN.md §Profiles: `avg_1h`, `avg_24h`) for the given coins at `now`. */
export async function readCoinAverages(
  db: Queryable,
  coins: readonly string[],
  now: Date,
): Promise<CoinAverages[]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  return db.query<CoinAverages>(
    `SELECT coin,
       avg(usd_per_hs_day) FILTER (WHERE time > $2) AS "avg1hUsdPerHsDay",
       avg(usd_per_hs_day) AS "avg24hUsdPerHsDay"
     FROM coin_history
     WHERE coin = ANY($1::text[]) AND time > $3 AND time <= $4 AND trusted AND usd_per_hs_day IS NOT NULL
     GROUP BY coin ORDER BY coin`,
    [coins, hourAgo, dayAgo, now],
  );
}

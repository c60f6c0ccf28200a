// Reads coin and pool history aggregated into time buckets in SQL, and recent price-basis averages.

import type { Queryable } from '../db.ts';

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
  return readBuckets(
    db,
    { table: 'coin_history', keyColumn: 'coin', key: coin, measures: COIN_MEASURES },
    range,
  );
}

export function readPoolHistory(
  db: Queryable,
  poolKey: string,
  range: HistoryRange,
): Promise<HistoryPoint<PoolMeasure>[]> {
  return readBuckets(
    db,
    { table: 'pool_history', keyColumn: 'pool_key', key: poolKey, measures: POOL_MEASURES },
    range,
  );
}

interface Series<M extends string> {
  table: 'coin_history' | 'pool_history';
  keyColumn: 'coin' | 'pool_key';
  key: string;
  measures: Record<M, string>;
}

async function readBuckets<M extends string>(
  db: Queryable,
  series: Series<M>,
  range: HistoryRange,
): Promise<HistoryPoint<M>[]> {
  const names = Object.keys(series.measures) as M[];
  const aggregates = names.flatMap((name) =>
    (['avg', 'min', 'max'] as const).map(
      (fn) => `${fn}(${series.measures[name]})::float8 AS "${name}.${fn}"`,
    ),
  );
  const rows = await db.query<Record<string, unknown>>(
    `SELECT to_timestamp(floor(extract(epoch from time)::float8 / $2::float8) * $2::float8) AS at,
       count(*)::int AS samples, ${aggregates.join(', ')}
     FROM ${series.table}
     WHERE ${series.keyColumn} = $1 AND time >= $3 AND time < $4
     GROUP BY 1 ORDER BY 1`,
    [series.key, range.bucketS, range.from, range.to],
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

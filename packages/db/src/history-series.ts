// The two history series (coins, pools): their raw and rollup tables, numeric values, and how each rollup
// column is computed from raw rows and from hourly rollups.

export type RollupLevel = 'hourly' | 'daily';

export const ROLLUP_WIDTH_S: Record<RollupLevel, number> = { hourly: 3600, daily: 86_400 };

/** A column besides the per-value aggregates: its SQL over raw rows and over hourly rollup rows. */
interface ExtraColumn {
  column: string;
  fromRaw: string;
  fromHourly: string;
}

export interface HistorySeries {
  name: 'coin' | 'pool';
  raw: 'coin_history' | 'pool_history';
  key: 'coin' | 'pool_key';
  /** Numeric columns of the raw table; each has _avg, _min, _max and _n in the rollups. */
  values: readonly string[];
  extras: readonly ExtraColumn[];
}

export function rollupTable(series: HistorySeries, level: RollupLevel): string {
  return `${series.raw}_${level}`;
}

/** The row state name of a series' rollup in history_rollup_state: `coin_hourly`. */
export function rollupName(series: HistorySeries, level: RollupLevel): string {
  return `${series.name}_${level}`;
}

const firstOrLast = (
  column: string,
  rollupColumn: string,
  order: 'ASC' | 'DESC',
  filter = '',
): ExtraColumn => ({
  column: rollupColumn,
  fromRaw: `(array_agg(${column} ORDER BY time ${order})${filter ? ` FILTER (WHERE ${filter})` : ''})[1]`,
  fromHourly: `(array_agg(${rollupColumn} ORDER BY bucket ${order})${filter ? ` FILTER (WHERE ${rollupColumn} IS NOT NULL)` : ''})[1]`,
});

export const COIN_SERIES: HistorySeries = {
  name: 'coin',
  raw: 'coin_history',
  key: 'coin',
  values: [
    'price_usd',
    'volume_24h_usd',
    'difficulty',
    'network_hashrate_hs',
    'block_reward',
    'block_time_s',
    'usd_per_hs_day',
  ],
  // What a backtest replays: the first and last row of the bucket, and the trusted mean its price bases use.
  extras: [
    {
      column: 'basis_avg',
      fromRaw: 'avg(usd_per_hs_day) FILTER (WHERE trusted)',
      fromHourly: 'sum(basis_avg * basis_n) / nullif(sum(basis_n), 0)',
    },
    {
      column: 'basis_n',
      fromRaw: 'count(usd_per_hs_day) FILTER (WHERE trusted)',
      fromHourly: 'sum(basis_n)',
    },
    { column: 'first_at', fromRaw: 'min(time)', fromHourly: 'min(first_at)' },
    firstOrLast('usd_per_hs_day', 'first_usd_per_hs_day', 'ASC'),
    firstOrLast('volume_24h_usd', 'first_volume_24h_usd', 'ASC'),
    firstOrLast('trusted', 'first_trusted', 'ASC'),
    { column: 'last_at', fromRaw: 'max(time)', fromHourly: 'max(last_at)' },
    firstOrLast('usd_per_hs_day', 'last_usd_per_hs_day', 'DESC'),
    firstOrLast('volume_24h_usd', 'last_volume_24h_usd', 'DESC'),
    firstOrLast('trusted', 'last_trusted', 'DESC'),
  ],
};

export const POOL_SERIES: HistorySeries = {
  name: 'pool',
  raw: 'pool_history',
  key: 'pool_key',
  values: ['fee_fraction', 'hashrate_hs', 'miners', 'workers', 'usd_per_hs_day'],
  // The first and last known fee of the bucket: a backtest's fee changes.
  extras: [
    {
      column: 'fee_first_at',
      fromRaw: 'min(time) FILTER (WHERE fee_fraction IS NOT NULL)',
      fromHourly: 'min(fee_first_at)',
    },
    firstOrLast('fee_fraction', 'fee_first', 'ASC', 'fee_fraction IS NOT NULL'),
    {
      column: 'fee_last_at',
      fromRaw: 'max(time) FILTER (WHERE fee_fraction IS NOT NULL)',
      fromHourly: 'max(fee_last_at)',
    },
    firstOrLast('fee_fraction', 'fee_last', 'DESC', 'fee_fraction IS NOT NULL'),
  ],
};

export const HISTORY_SERIES: readonly HistorySeries[] = [COIN_SERIES, POOL_SERIES];

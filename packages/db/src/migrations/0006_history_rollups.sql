-- Hourly and daily rollups of coin_history and pool_history, kept for years while raw history is kept for a
-- configured time (see history-rollups.ts and history-retention.ts). Per bucket: the rows it holds (samples) and,
-- for each value, the mean, min and max of its non-null values with their count (_n), so coarser buckets are
-- exact combinations (mean weighted by _n, min of mins, max of maxes). The first and last row of a bucket and
-- the mean of trusted USD/H/s/day (basis_*) let a backtest replay rollups as it replays raw rows.
--
-- The hourly tables are partitioned by year (about 9 million pool rows a year at 1,000 pools): a year's table
-- and index stay a bounded size, a range read touches one or two of them, and old years can go with one DROP
-- should hourly detail ever get a retention of its own. The daily tables (about 440,000 rows a year) are not:
-- one table and its primary key serve decades.

CREATE TABLE coin_history_hourly (
  coin text NOT NULL,
  bucket timestamptz NOT NULL,
  samples integer NOT NULL,
  price_usd_avg double precision, price_usd_min double precision, price_usd_max double precision, price_usd_n integer NOT NULL,
  volume_24h_usd_avg double precision, volume_24h_usd_min double precision, volume_24h_usd_max double precision, volume_24h_usd_n integer NOT NULL,
  difficulty_avg double precision, difficulty_min double precision, difficulty_max double precision, difficulty_n integer NOT NULL,
  network_hashrate_hs_avg double precision, network_hashrate_hs_min double precision, network_hashrate_hs_max double precision, network_hashrate_hs_n integer NOT NULL,
  block_reward_avg double precision, block_reward_min double precision, block_reward_max double precision, block_reward_n integer NOT NULL,
  block_time_s_avg double precision, block_time_s_min double precision, block_time_s_max double precision, block_time_s_n integer NOT NULL,
  usd_per_hs_day_avg double precision, usd_per_hs_day_min double precision, usd_per_hs_day_max double precision, usd_per_hs_day_n integer NOT NULL,
  basis_avg double precision,
  basis_n integer NOT NULL,
  first_at timestamptz NOT NULL,
  first_usd_per_hs_day double precision,
  first_volume_24h_usd double precision,
  first_trusted boolean NOT NULL,
  last_at timestamptz NOT NULL,
  last_usd_per_hs_day double precision,
  last_volume_24h_usd double precision,
  last_trusted boolean NOT NULL,
  PRIMARY KEY (coin, bucket)
) PARTITION BY RANGE (bucket);
CREATE TABLE coin_history_hourly_default PARTITION OF coin_history_hourly DEFAULT;

CREATE TABLE coin_history_daily (
  coin text NOT NULL,
  bucket timestamptz NOT NULL,
  samples integer NOT NULL,
  price_usd_avg double precision, price_usd_min double precision, price_usd_max double precision, price_usd_n integer NOT NULL,
  volume_24h_usd_avg double precision, volume_24h_usd_min double precision, volume_24h_usd_max double precision, volume_24h_usd_n integer NOT NULL,
  difficulty_avg double precision, difficulty_min double precision, difficulty_max double precision, difficulty_n integer NOT NULL,
  network_hashrate_hs_avg double precision, network_hashrate_hs_min double precision, network_hashrate_hs_max double precision, network_hashrate_hs_n integer NOT NULL,
  block_reward_avg double precision, block_reward_min double precision, block_reward_max double precision, block_reward_n integer NOT NULL,
  block_time_s_avg double precision, block_time_s_min double precision, block_time_s_max double precision, block_time_s_n integer NOT NULL,
  usd_per_hs_day_avg double precision, usd_per_hs_day_min double precision, usd_per_hs_day_max double precision, usd_per_hs_day_n integer NOT NULL,
  basis_avg double precision,
  basis_n integer NOT NULL,
  first_at timestamptz NOT NULL,
  first_usd_per_hs_day double precision,
  first_volume_24h_usd double precision,
  first_trusted boolean NOT NULL,
  last_at timestamptz NOT NULL,
  last_usd_per_hs_day double precision,
  last_volume_24h_usd double precision,
  last_trusted boolean NOT NULL,
  PRIMARY KEY (coin, bucket)
);

CREATE TABLE pool_history_hourly (
  pool_key text NOT NULL,
  bucket timestamptz NOT NULL,
  samples integer NOT NULL,
  fee_fraction_avg double precision, fee_fraction_min double precision, fee_fraction_max double precision, fee_fraction_n integer NOT NULL,
  hashrate_hs_avg double precision, hashrate_hs_min double precision, hashrate_hs_max double precision, hashrate_hs_n integer NOT NULL,
  miners_avg double precision, miners_min double precision, miners_max double precision, miners_n integer NOT NULL,
  workers_avg double precision, workers_min double precision, workers_max double precision, workers_n integer NOT NULL,
  usd_per_hs_day_avg double precision, usd_per_hs_day_min double precision, usd_per_hs_day_max double precision, usd_per_hs_day_n integer NOT NULL,
  fee_first_at timestamptz,
  fee_first double precision,
  fee_last_at timestamptz,
  fee_last double precision,
  PRIMARY KEY (pool_key, bucket)
) PARTITION BY RANGE (bucket);
CREATE TABLE pool_history_hourly_default PARTITION OF pool_history_hourly DEFAULT;

CREATE TABLE pool_history_daily (
  pool_key text NOT NULL,
  bucket timestamptz NOT NULL,
  samples integer NOT NULL,
  fee_fraction_avg double precision, fee_fraction_min double precision, fee_fraction_max double precision, fee_fraction_n integer NOT NULL,
  hashrate_hs_avg double precision, hashrate_hs_min double precision, hashrate_hs_max double precision, hashrate_hs_n integer NOT NULL,
  miners_avg double precision, miners_min double precision, miners_max double precision, miners_n integer NOT NULL,
  workers_avg double precision, workers_min double precision, workers_max double precision, workers_n integer NOT NULL,
  usd_per_hs_day_avg double precision, usd_per_hs_day_min double precision, usd_per_hs_day_max double precision, usd_per_hs_day_n integer NOT NULL,
  fee_first_at timestamptz,
  fee_first double precision,
  fee_last_at timestamptz,
  fee_last double precision,
  PRIMARY KEY (pool_key, bucket)
);

-- How far each rollup is complete: every bucket before covered_to is written (rollup: coin_hourly, coin_daily,
-- pool_hourly, pool_daily). A raw partition may be dropped only below the covered_to of both its rollups.
CREATE TABLE history_rollup_state (
  rollup text PRIMARY KEY,
  covered_to timestamptz NOT NULL
);

-- Rollups read raw history by time across all coins or pools; rows arrive in time order, so a BRIN index finds a
-- range in a month's partition for a few pages of index.
CREATE INDEX coin_history_time_brin ON coin_history USING brin (time);
CREATE INDEX pool_history_time_brin ON pool_history USING brin (time);
CREATE INDEX coin_history_hourly_bucket_brin ON coin_history_hourly USING brin (bucket);
CREATE INDEX pool_history_hourly_bucket_brin ON pool_history_hourly USING brin (bucket);

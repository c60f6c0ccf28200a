-- Realtime state and history for coins, pools and hardware (DESIGN.md §Data model).
-- Measurements are double precision in our units; history is partitioned by time (monthly, see partitions.ts).

CREATE TABLE coins (
  coin text PRIMARY KEY,
  name text NOT NULL,
  algorithm text NOT NULL,
  block_time_s double precision,
  block_reward double precision,
  difficulty double precision,
  network_hashrate_hs double precision,
  price_usd double precision,
  volume_24h_usd double precision,
  usd_per_hs_day double precision,
  price_trusted boolean NOT NULL DEFAULT false,
  trusted boolean NOT NULL DEFAULT false,
  sources jsonb NOT NULL DEFAULT '{}'::jsonb,
  observed_at timestamptz NOT NULL,
  price_updated_at timestamptz,
  network_updated_at timestamptz,
  updated_at timestamptz NOT NULL,
  stale boolean NOT NULL DEFAULT false
);
CREATE INDEX coins_algorithm_idx ON coins (algorithm);

CREATE TABLE coin_history (
  coin text NOT NULL,
  time timestamptz NOT NULL,
  price_usd double precision,
  volume_24h_usd double precision,
  difficulty double precision,
  network_hashrate_hs double precision,
  block_reward double precision,
  block_time_s double precision,
  usd_per_hs_day double precision,
  trusted boolean NOT NULL,
  PRIMARY KEY (coin, time)
) PARTITION BY RANGE (time);
CREATE TABLE coin_history_default PARTITION OF coin_history DEFAULT;

CREATE TABLE pools (
  pool_key text PRIMARY KEY,
  pool text NOT NULL,
  coin text NOT NULL,
  fee_fraction double precision,
  hashrate_hs double precision,
  miners integer,
  workers integer,
  last_block_at timestamptz,
  block_height bigint,
  endpoints jsonb NOT NULL DEFAULT '[]'::jsonb,
  usd_per_hs_day double precision,
  healthy boolean NOT NULL DEFAULT true,
  sources jsonb NOT NULL DEFAULT '{}'::jsonb,
  observed_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  stale boolean NOT NULL DEFAULT false
);
CREATE INDEX pools_coin_idx ON pools (coin);

CREATE TABLE pool_history (
  pool_key text NOT NULL,
  time timestamptz NOT NULL,
  fee_fraction double precision,
  hashrate_hs double precision,
  miners integer,
  workers integer,
  usd_per_hs_day double precision,
  PRIMARY KEY (pool_key, time)
) PARTITION BY RANGE (time);
CREATE TABLE pool_history_default PARTITION OF pool_history DEFAULT;

CREATE TABLE hardware (
  hardware text PRIMARY KEY,
  name text NOT NULL,
  vendor text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('gpu', 'cpu', 'asic', 'fpga')),
  memory_gb double precision,
  tdp_w double precision,
  updated_at timestamptz NOT NULL
);

CREATE TABLE hardware_mining (
  hardware text NOT NULL REFERENCES hardware (hardware) ON DELETE CASCADE,
  algorithm text NOT NULL,
  hashrate_hs double precision NOT NULL,
  power_w double precision,
  source text NOT NULL,
  sources jsonb NOT NULL DEFAULT '{}'::jsonb,
  best_coin text,
  revenue_usd_per_day double precision,
  cost_usd_per_day double precision,
  profit_usd_per_day double precision,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (hardware, algorithm)
);
CREATE INDEX hardware_mining_algorithm_idx ON hardware_mining (algorithm);

CREATE TABLE source_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  ok boolean NOT NULL,
  rows integer NOT NULL DEFAULT 0,
  error text,
  duration_ms double precision NOT NULL
);
CREATE INDEX source_runs_source_time_idx ON source_runs (source, started_at DESC);

CREATE TABLE profiles (
  name text PRIMARY KEY,
  definition jsonb NOT NULL,
  built_in boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- What the decision engine chose and what the proxies did about it (DESIGN.md §Data model).

CREATE TABLE decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  profile text NOT NULL,
  route text NOT NULL,
  previous_target text,
  target text,
  expected_usd_per_day double precision,
  reason text NOT NULL,
  inputs jsonb NOT NULL
);
CREATE INDEX decisions_route_time_idx ON decisions (route, at DESC);

CREATE TABLE switch_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  proxy text NOT NULL,
  miner text NOT NULL,
  from_target text,
  to_target text NOT NULL,
  reason text NOT NULL
);
CREATE INDEX switch_events_time_idx ON switch_events (at DESC);

CREATE TABLE miner_stats (
  proxy text NOT NULL,
  miner text NOT NULL,
  pool_key text NOT NULL,
  profile text,
  hardware text,
  algorithm text,
  connected_at timestamptz,
  accepted bigint NOT NULL DEFAULT 0,
  rejected bigint NOT NULL DEFAULT 0,
  stale bigint NOT NULL DEFAULT 0,
  hashrate_hs double precision,
  usd_per_day double precision,
  reported_at timestamptz NOT NULL,
  PRIMARY KEY (proxy, miner, pool_key)
);

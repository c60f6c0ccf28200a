-- Responses of rate-starved sources (Hashrate.no: ~100 calls a month) survive restarts here.

CREATE TABLE source_cache (
  key text PRIMARY KEY,
  fetched_at timestamptz NOT NULL,
  body jsonb NOT NULL
);

-- The API as a contract (issue 6): Stratum dialects as one enum, the switch log (the decision log is a view
-- of it), an event log for /v1/events, proxy tokens, and a version per profile for ETag / If-Match.

-- One dialect enum (packages/domain/src/stratum-dialects.ts); the old names are mapped by coin.
UPDATE pools SET endpoints = COALESCE((
  SELECT jsonb_agg(
    CASE
      WHEN x.e->>'dialect' = 'ethstratum' THEN jsonb_set(x.e, '{dialect}', '"ethereum-stratum"')
      WHEN x.e->>'dialect' = 'stratum1' THEN jsonb_set(x.e, '{dialect}', to_jsonb(
        CASE pools.coin WHEN 'ERG' THEN 'ergo' WHEN 'KAS' THEN 'kaspa' WHEN 'ZEC' THEN 'equihash'
          WHEN 'FLUX' THEN 'equihash' WHEN 'BTG' THEN 'equihash' ELSE 'stratum-v1' END))
      ELSE x.e
    END ORDER BY x.ord)
  FROM jsonb_array_elements(pools.endpoints) WITH ORDINALITY AS x(e, ord)), '[]'::jsonb)
WHERE jsonb_typeof(endpoints) = 'array' AND jsonb_array_length(endpoints) > 0;

ALTER TABLE pools ADD CONSTRAINT pools_endpoints_valid CHECK (
  jsonb_typeof(endpoints) = 'array' AND NOT jsonb_path_exists(endpoints, '$[*] ? (
    @.type() != "object" || !(exists(@.host)) || !(exists(@.port)) || !(exists(@.tls)) || !(exists(@.dialect))
    || @.host.type() != "string" || @.tls.type() != "boolean" || @.port.type() != "number"
    || @.port < 1 || @.port > 65535
    || !(@.dialect == "stratum-v1" || @.dialect == "equihash" || @.dialect == "ethereum-stratum"
      || @.dialect == "ethproxy" || @.dialect == "kawpow" || @.dialect == "cryptonote"
      || @.dialect == "kaspa" || @.dialect == "ergo" || @.dialect == "conflux"))'));

-- The switch log: what the proxies did and why, once per switch. GET /v1/decision used to insert a
-- `decisions` row per answer; it now writes nothing, and a decision that no proxy acted on changed nothing,
-- so the decision log is this log seen per route (the view below). No proxy existed before this migration:
-- the two tables held only decision answers and test reports.
DROP TABLE decisions;
DROP TABLE switch_events;
CREATE TABLE switch_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  proxy text NOT NULL,
  idempotency_key text NOT NULL,
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  account text NOT NULL,
  route text NOT NULL,
  profile text NOT NULL,
  from_pool_key text,
  to_pool_key text NOT NULL,
  reason text NOT NULL,
  method text NOT NULL CHECK (method IN ('notify', 'set_extranonce', 'reconnect', 'new_job', 'close', 'failover')),
  miners integer CHECK (miners >= 0),
  inputs jsonb NOT NULL,
  -- A retried report (same key) and the same switch sent twice or through two API instances: stored once.
  CONSTRAINT switch_events_idempotency_key UNIQUE (proxy, idempotency_key),
  CONSTRAINT switch_events_once UNIQUE (proxy, account, route, to_pool_key, at)
);
CREATE INDEX switch_events_time_idx ON switch_events (at DESC, id DESC);
CREATE INDEX switch_events_route_time_idx ON switch_events (route, at DESC);

CREATE VIEW decisions AS
  SELECT id, at, profile, route, from_pool_key, to_pool_key, reason, inputs FROM switch_events;

-- The event log behind /v1/events: written in the transaction of the change, NOTIFY carries the id.
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL CHECK (type IN ('rankings-changed')),
  payload jsonb NOT NULL
);
CREATE INDEX events_at_idx ON events (at);

-- Proxy tokens (reports only): several, revocable, stored as SHA-256 digests.
CREATE TABLE api_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('proxy')),
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE UNIQUE INDEX api_tokens_active_name_idx ON api_tokens (name) WHERE revoked_at IS NULL;

-- Every change bumps the version; the API serves it as the ETag and checks If-Match against it.
ALTER TABLE profiles ADD COLUMN version integer NOT NULL DEFAULT 1;

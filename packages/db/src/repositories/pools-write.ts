// Writes of the aggregator to pools and pool_history.

import type { Queryable } from '../db.ts';

export interface PoolState {
  poolKey: string;
  pool: string;
  coin: string;
  feeFraction?: number;
  hashrateHs?: number;
  miners?: number;
  workers?: number;
  lastBlockAt?: Date;
  blockHeight?: number;
  endpoints: unknown[];
  usdPerHsDay?: number;
  sources: Record<string, unknown>;
  observedAt: Date;
}

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** Upserts pools; a value missing in this cycle keeps the stored one. */
export async function upsertPools(q: Queryable, rows: readonly PoolState[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, hashrate_hs, miners, workers, last_block_at, block_height,
       endpoints, usd_per_hs_day, sources, observed_at, updated_at, healthy)
     SELECT t.*, $14::timestamptz, true FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[],
       $6::int[], $7::int[], $8::timestamptz[], $9::bigint[], $10::jsonb[], $11::float8[], $12::jsonb[],
       $13::timestamptz[]) AS t
     ON CONFLICT (pool_key) DO UPDATE SET
       fee_fraction = COALESCE(EXCLUDED.fee_fraction, pools.fee_fraction),
       hashrate_hs = COALESCE(EXCLUDED.hashrate_hs, pools.hashrate_hs),
       miners = COALESCE(EXCLUDED.miners, pools.miners), workers = COALESCE(EXCLUDED.workers, pools.workers),
       last_block_at = COALESCE(EXCLUDED.last_block_at, pools.last_block_at),
       block_height = COALESCE(EXCLUDED.block_height, pools.block_height),
       endpoints = CASE WHEN jsonb_array_length(EXCLUDED.endpoints) > 0 THEN EXCLUDED.endpoints ELSE pools.endpoints END,
       usd_per_hs_day = COALESCE(EXCLUDED.usd_per_hs_day, pools.usd_per_hs_day),
       sources = EXCLUDED.sources, observed_at = EXCLUDED.observed_at, updated_at = EXCLUDED.updated_at,
       healthy = true, stale = false`,
    [
      rows.map((r) => r.poolKey),
      rows.map((r) => r.pool),
      rows.map((r) => r.coin),
      rows.map((r) => n(r.feeFraction)),
      rows.map((r) => n(r.hashrateHs)),
      rows.map((r) => (r.miners === undefined ? null : Math.round(r.miners))),
      rows.map((r) => (r.workers === undefined ? null : Math.round(r.workers))),
      rows.map((r) => n(r.lastBlockAt)),
      rows.map((r) => (r.blockHeight === undefined ? null : String(Math.round(r.blockHeight)))),
      rows.map((r) => JSON.stringify(r.endpoints)),
      rows.map((r) => n(r.usdPerHsDay)),
      rows.map((r) => JSON.stringify(r.sources)),
      rows.map((r) => r.observedAt),
      now,
    ],
  );
}

/** Re-prices every pool of the given coins from the coin's revenue (a price move reaches pools not polled). */
export async function repricePools(q: Queryable): Promise<void> {
  await q.query(
    `UPDATE pools p SET usd_per_hs_day = c.usd_per_hs_day * (1 - COALESCE(p.fee_fraction, 0))
     FROM coins c WHERE c.coin = p.coin AND c.usd_per_hs_day IS NOT NULL
       AND p.usd_per_hs_day IS DISTINCT FROM c.usd_per_hs_day * (1 - COALESCE(p.fee_fraction, 0))`,
  );
}

export async function appendPoolHistory(q: Queryable, rows: readonly PoolState[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO pool_history (pool_key, time, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::int[], $6::int[], $7::float8[])
     ON CONFLICT (pool_key, time) DO NOTHING`,
    [
      rows.map((r) => r.poolKey),
      rows.map((r) => r.observedAt),
      rows.map((r) => n(r.feeFraction)),
      rows.map((r) => n(r.hashrateHs)),
      rows.map((r) => (r.miners === undefined ? null : Math.round(r.miners))),
      rows.map((r) => (r.workers === undefined ? null : Math.round(r.workers))),
      rows.map((r) => n(r.usdPerHsDay)),
    ],
  );
}

/** Pools not refreshed within the limit are stale and unhealthy. */
export async function markStalePools(q: Queryable, now: Date, poolStaleS: number): Promise<void> {
  await q.query(
    // Only pools that turn stale are written (an upsert of a fresh pool already clears both flags).
    `UPDATE pools SET stale = true, healthy = false
     WHERE updated_at < $1::timestamptz - make_interval(secs => $2) AND (NOT stale OR healthy)`,
    [now, poolStaleS],
  );
}

export interface StoredPoolHead {
  poolKey: string;
  feeFraction: number | null;
  hashrateHs: number | null;
  miners: number | null;
  workers: number | null;
  usdPerHsDay: number | null;
  historyAt: Date | null;
}

/** The newest history row per pool, to append only what changed (or is due by heartbeat). */
export async function loadPoolHistoryHeads(q: Queryable): Promise<Map<string, StoredPoolHead>> {
  const rows = await q.query<StoredPoolHead>(
    `SELECT DISTINCT ON (pool_key) pool_key AS "poolKey", fee_fraction AS "feeFraction", hashrate_hs AS "hashrateHs",
       miners, workers, usd_per_hs_day AS "usdPerHsDay", time AS "historyAt"
     FROM pool_history ORDER BY pool_key, time DESC`,
  );
  return new Map(rows.map((r) => [r.poolKey, r]));
}

// Writes of the aggregator to pools and pool_history, and the pool state the next ingest starts from.

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
  /** The coin's value net of this pool's fee. */
  usdPerHsDay?: number;
  sources: Record<string, unknown>;
  /** Time of the pool's data (its own clock when it states one). */
  observedAt: Date;
  /** Data older than the pool limit: stale, and not healthy. */
  stale: boolean;
  /** Cycle time of the newest history row. */
  historyAt?: Date;
}

/** The columns of a pool_history row besides key and time: a change in any of them is a new row. */
export const POOL_HISTORY_FIELDS = [
  'feeFraction',
  'hashrateHs',
  'miners',
  'workers',
  'usdPerHsDay',
] as const satisfies readonly (keyof PoolState)[];

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const int = (v: number | undefined) => (v === undefined ? null : Math.round(v));

/** Upserts pools as computed (the ingest has already kept stored values a source left out). */
export async function upsertPools(q: Queryable, rows: readonly PoolState[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, hashrate_hs, miners, workers, last_block_at, block_height,
       endpoints, usd_per_hs_day, sources, observed_at, stale, healthy, history_at, updated_at)
     SELECT t.pool_key, t.pool, t.coin, t.fee_fraction, t.hashrate_hs, t.miners, t.workers, t.last_block_at,
       t.block_height, t.endpoints, t.usd_per_hs_day, t.sources, t.observed_at, t.stale, NOT t.stale, t.history_at,
       $16::timestamptz
     FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::int[], $7::int[],
       $8::timestamptz[], $9::bigint[], $10::jsonb[], $11::float8[], $12::jsonb[], $13::timestamptz[], $14::bool[],
       $15::timestamptz[])
       AS t(pool_key, pool, coin, fee_fraction, hashrate_hs, miners, workers, last_block_at, block_height, endpoints,
         usd_per_hs_day, sources, observed_at, stale, history_at)
     ON CONFLICT (pool_key) DO UPDATE SET pool = EXCLUDED.pool, coin = EXCLUDED.coin,
       fee_fraction = EXCLUDED.fee_fraction, hashrate_hs = EXCLUDED.hashrate_hs, miners = EXCLUDED.miners,
       workers = EXCLUDED.workers, last_block_at = EXCLUDED.last_block_at, block_height = EXCLUDED.block_height,
       endpoints = EXCLUDED.endpoints, usd_per_hs_day = EXCLUDED.usd_per_hs_day, sources = EXCLUDED.sources,
       observed_at = EXCLUDED.observed_at, stale = EXCLUDED.stale, healthy = EXCLUDED.healthy,
       history_at = EXCLUDED.history_at, updated_at = EXCLUDED.updated_at`,
    [
      rows.map((r) => r.poolKey),
      rows.map((r) => r.pool),
      rows.map((r) => r.coin),
      rows.map((r) => n(r.feeFraction)),
      rows.map((r) => n(r.hashrateHs)),
      rows.map((r) => int(r.miners)),
      rows.map((r) => int(r.workers)),
      rows.map((r) => n(r.lastBlockAt)),
      rows.map((r) => (r.blockHeight === undefined ? null : String(Math.round(r.blockHeight)))),
      rows.map((r) => JSON.stringify(r.endpoints)),
      rows.map((r) => n(r.usdPerHsDay)),
      rows.map((r) => JSON.stringify(r.sources)),
      rows.map((r) => r.observedAt),
      rows.map((r) => r.stale),
      rows.map((r) => n(r.historyAt)),
      now,
    ],
  );
}

/** Appends one history row per pool at the cycle time `at`; returns the rows written. */
export async function appendPoolHistory(q: Queryable, rows: readonly PoolState[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const written = await q.query(
    `INSERT INTO pool_history (pool_key, time, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day)
     SELECT t.pool_key, $1::timestamptz, t.fee_fraction, t.hashrate_hs, t.miners, t.workers, t.usd_per_hs_day
     FROM unnest($2::text[], $3::float8[], $4::float8[], $5::int[], $6::int[], $7::float8[])
       AS t(pool_key, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day)
     ON CONFLICT (pool_key, time) DO UPDATE SET fee_fraction = EXCLUDED.fee_fraction,
       hashrate_hs = EXCLUDED.hashrate_hs, miners = EXCLUDED.miners, workers = EXCLUDED.workers,
       usd_per_hs_day = EXCLUDED.usd_per_hs_day
     RETURNING 1`,
    [
      at,
      rows.map((r) => r.poolKey),
      rows.map((r) => n(r.feeFraction)),
      rows.map((r) => n(r.hashrateHs)),
      rows.map((r) => int(r.miners)),
      rows.map((r) => int(r.workers)),
      rows.map((r) => n(r.usdPerHsDay)),
    ],
  );
  return written.length;
}

interface PoolStateRow {
  poolKey: string;
  pool: string;
  coin: string;
  feeFraction: number | null;
  hashrateHs: number | null;
  miners: number | null;
  workers: number | null;
  lastBlockAt: Date | null;
  blockHeight: string | null;
  endpoints: unknown[];
  usdPerHsDay: number | null;
  sources: Record<string, unknown>;
  observedAt: Date;
  stale: boolean;
  historyAt: Date | null;
}

/** Every stored pool: the state the next ingest merges over (pools no source reported this cycle included). */
export async function loadPoolStates(q: Queryable): Promise<PoolState[]> {
  const rows = await q.query<PoolStateRow>(
    `SELECT pool_key AS "poolKey", pool, coin, fee_fraction AS "feeFraction", hashrate_hs AS "hashrateHs", miners,
       workers, last_block_at AS "lastBlockAt", block_height::text AS "blockHeight", endpoints,
       usd_per_hs_day AS "usdPerHsDay", sources, observed_at AS "observedAt", stale, history_at AS "historyAt"
     FROM pools`,
  );
  return rows.map((r) => {
    const s: PoolState = {
      poolKey: r.poolKey,
      pool: r.pool,
      coin: r.coin,
      endpoints: r.endpoints,
      sources: r.sources,
      observedAt: r.observedAt,
      stale: r.stale,
    };
    if (r.feeFraction !== null) s.feeFraction = r.feeFraction;
    if (r.hashrateHs !== null) s.hashrateHs = r.hashrateHs;
    if (r.miners !== null) s.miners = r.miners;
    if (r.workers !== null) s.workers = r.workers;
    if (r.lastBlockAt !== null) s.lastBlockAt = r.lastBlockAt;
    if (r.blockHeight !== null) s.blockHeight = Number(r.blockHeight);
    if (r.usdPerHsDay !== null) s.usdPerHsDay = r.usdPerHsDay;
    if (r.historyAt !== null) s.historyAt = r.historyAt;
    return s;
  });
}

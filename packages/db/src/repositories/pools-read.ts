// Reads the latest state of each pool:coin (table pools, with the coin's algorithm) as typed rows.

import type { StratumEndpoint } from '@smart-mining/domain';
import type { Queryable } from '../db.ts';

/** As stored (the CHECK pools_endpoints_valid holds every row to it): host, port, tls and a dialect of the enum. */
export type PoolEndpoint = StratumEndpoint;

export interface PoolRow {
  /** `<pool>:<coin>`, e.g. `2miners:ETC`. */
  poolKey: string;
  pool: string;
  coin: string;
  /** The coin's algorithm; null when the coin has no row in `coins` yet. */
  algorithm: string | null;
  feeFraction: number | null;
  hashrateHs: number | null;
  miners: number | null;
  workers: number | null;
  lastBlockAt: Date | null;
  blockHeight: number | null;
  endpoints: PoolEndpoint[];
  usdPerHsDay: number | null;
  healthy: boolean;
  sources: Record<string, unknown>;
  observedAt: Date;
  updatedAt: Date;
  stale: boolean;
}

/** A pool a miner can be sent to: one with at least one known stratum endpoint. */
export function isMinablePool(pool: Pick<PoolRow, 'endpoints'>): boolean {
  return pool.endpoints.length > 0;
}

/** The same rule in SQL, for queries over `pools p`. */
export const MINABLE_POOL_SQL = 'jsonb_array_length(p.endpoints) > 0';

export interface PoolFilter {
  poolKeys?: readonly string[];
  coins?: readonly string[];
  algorithms?: readonly string[];
  /** Stale pools are left out unless this is true. */
  includeStale?: boolean;
}

const POOL_COLUMNS = `p.pool_key AS "poolKey", p.pool, p.coin, c.algorithm, p.fee_fraction AS "feeFraction",
  p.hashrate_hs AS "hashrateHs", p.miners, p.workers, p.last_block_at AS "lastBlockAt",
  p.block_height::float8 AS "blockHeight", p.endpoints, p.usd_per_hs_day AS "usdPerHsDay", p.healthy,
  p.sources, p.observed_at AS "observedAt", p.updated_at AS "updatedAt", p.stale`;

export async function listPools(db: Queryable, filter: PoolFilter = {}): Promise<PoolRow[]> {
  return db.query<PoolRow>(
    `SELECT ${POOL_COLUMNS} FROM pools p LEFT JOIN coins c ON c.coin = p.coin
     WHERE ($1::text[] IS NULL OR p.pool_key = ANY($1::text[]))
       AND ($2::text[] IS NULL OR p.coin = ANY($2::text[]))
       AND ($3::text[] IS NULL OR c.algorithm = ANY($3::text[]))
       AND ($4::boolean OR NOT p.stale)
     ORDER BY p.pool_key`,
    [filter.poolKeys ?? null, filter.coins ?? null, filter.algorithms ?? null, filter.includeStale ?? false],
  );
}

export async function getPool(db: Queryable, poolKey: string): Promise<PoolRow | undefined> {
  const rows = await db.query<PoolRow>(
    `SELECT ${POOL_COLUMNS} FROM pools p LEFT JOIN coins c ON c.coin = p.coin WHERE p.pool_key = $1`,
    [poolKey],
  );
  return rows[0];
}

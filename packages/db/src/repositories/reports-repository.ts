// Per-miner stats reported by proxies (table miner_stats): one bulk upsert per report, newer reports win.

import type { Queryable } from '../db.ts';

export interface MinerStatsInput {
  proxy: string;
  miner: string;
  poolKey: string;
  profile?: string | null;
  hardware?: string | null;
  algorithm?: string | null;
  /** The mining software the miner announced. */
  agent?: string | null;
  connectedAt?: Date | string | null;
  /** Share counters since `connectedAt`; a newer report replaces them. */
  accepted: number;
  rejected: number;
  stale: number;
  hashrateHs?: number | null;
  usdPerDay?: number | null;
}

export interface MinerStatsRow extends Required<Omit<MinerStatsInput, 'connectedAt'>> {
  connectedAt: Date | null;
  reportedAt: Date;
}

/**
 * Upserts a whole report in one statement; returns the rows written. Within one report the last entry for a
 * (miner, poolKey) wins; across reports the newer `reportedAt` wins (an old report arriving late is ignored).
 */
export async function upsertMinerStats(
  db: Queryable,
  proxy: string,
  stats: readonly Omit<MinerStatsInput, 'proxy'>[],
  reportedAt: Date,
): Promise<number> {
  if (stats.length === 0) return 0;
  const rows = stats.map((s, n) => ({
    n,
    miner: s.miner,
    pool_key: s.poolKey,
    profile: s.profile ?? null,
    hardware: s.hardware ?? null,
    algorithm: s.algorithm ?? null,
    agent: s.agent ?? null,
    connected_at: s.connectedAt ?? null,
    accepted: s.accepted,
    rejected: s.rejected,
    stale: s.stale,
    hashrate_hs: s.hashrateHs ?? null,
    usd_per_day: s.usdPerDay ?? null,
  }));
  const written = await db.query(
    `INSERT INTO miner_stats (proxy, miner, pool_key, profile, hardware, algorithm, agent, connected_at,
       accepted, rejected, stale, hashrate_hs, usd_per_day, reported_at)
     SELECT DISTINCT ON (x.miner, x.pool_key) $1, x.miner, x.pool_key, x.profile, x.hardware, x.algorithm,
       x.agent, x.connected_at, x.accepted, x.rejected, x.stale, x.hashrate_hs, x.usd_per_day, $3
     FROM jsonb_to_recordset($2::jsonb) AS x(n int, miner text, pool_key text, profile text,
       hardware text, algorithm text, agent text, connected_at timestamptz, accepted bigint, rejected bigint, stale bigint,
       hashrate_hs float8, usd_per_day float8)
     ORDER BY x.miner, x.pool_key, x.n DESC
     ON CONFLICT (proxy, miner, pool_key) DO UPDATE SET
       profile = EXCLUDED.profile, hardware = EXCLUDED.hardware, algorithm = EXCLUDED.algorithm, agent = EXCLUDED.agent,
       connected_at = EXCLUDED.connected_at, accepted = EXCLUDED.accepted, rejected = EXCLUDED.rejected,
       stale = EXCLUDED.stale, hashrate_hs = EXCLUDED.hashrate_hs, usd_per_day = EXCLUDED.usd_per_day,
       reported_at = EXCLUDED.reported_at
     WHERE miner_stats.reported_at <= EXCLUDED.reported_at
     RETURNING 1`,
    [proxy, JSON.stringify(rows), reportedAt],
  );
  return written.length;
}

export function listMinerStats(
  db: Queryable,
  filter: { proxy?: string; miner?: string; since?: Date } = {},
): Promise<MinerStatsRow[]> {
  return db.query<MinerStatsRow>(
    `SELECT proxy, miner, pool_key AS "poolKey", profile, hardware, algorithm, agent, connected_at AS "connectedAt",
       accepted::float8 AS accepted, rejected::float8 AS rejected, stale::float8 AS stale,
       hashrate_hs AS "hashrateHs", usd_per_day AS "usdPerDay", reported_at AS "reportedAt"
     FROM miner_stats
     WHERE ($1::text IS NULL OR proxy = $1) AND ($2::text IS NULL OR miner = $2)
       AND ($3::timestamptz IS NULL OR reported_at >= $3)
     ORDER BY proxy, miner, pool_key`,
    [filter.proxy ?? null, filter.miner ?? null, filter.since ?? null],
  );
}

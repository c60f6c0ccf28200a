// Stores what proxies report: per-miner stats (table miner_stats, upserted) and switches (table switch_events).

import type { Queryable } from '../db.ts';

export interface MinerStatsInput {
  proxy: string;
  miner: string;
  poolKey: string;
  profile?: string | null;
  hardware?: string | null;
  algorithm?: string | null;
  connectedAt?: Date | null;
  /** Share counters since `connectedAt`; a newer report replaces them. */
  accepted: number;
  rejected: number;
  stale: number;
  hashrateHs?: number | null;
  usdPerDay?: number | null;
  reportedAt: Date;
}

export interface MinerStatsRow extends Required<MinerStatsInput> {}

export async function upsertMinerStats(db: Queryable, stats: readonly MinerStatsInput[]): Promise<void> {
  for (const s of stats) {
    await db.query(
      `INSERT INTO miner_stats (proxy, miner, pool_key, profile, hardware, algorithm, connected_at,
         accepted, rejected, stale, hashrate_hs, usd_per_day, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (proxy, miner, pool_key) DO UPDATE SET
         profile = EXCLUDED.profile, hardware = EXCLUDED.hardware, algorithm = EXCLUDED.algorithm,
         connected_at = EXCLUDED.connected_at, accepted = EXCLUDED.accepted, rejected = EXCLUDED.rejected,
         stale = EXCLUDED.stale, hashrate_hs = EXCLUDED.hashrate_hs, usd_per_day = EXCLUDED.usd_per_day,
         reported_at = EXCLUDED.reported_at
       WHERE miner_stats.reported_at <= EXCLUDED.reported_at`,
      [
        s.proxy,
        s.miner,
        s.poolKey,
        s.profile ?? null,
        s.hardware ?? null,
        s.algorithm ?? null,
        s.connectedAt ?? null,
        s.accepted,
        s.rejected,
        s.stale,
        s.hashrateHs ?? null,
        s.usdPerDay ?? null,
        s.reportedAt,
      ],
    );
  }
}

export function listMinerStats(
  db: Queryable,
  filter: { proxy?: string; miner?: string; since?: Date } = {},
): Promise<MinerStatsRow[]> {
  return db.query<MinerStatsRow>(
    `SELECT proxy, miner, pool_key AS "poolKey", profile, hardware, algorithm, connected_at AS "connectedAt",
       accepted::float8 AS accepted, rejected::float8 AS rejected, stale::float8 AS stale,
       hashrate_hs AS "hashrateHs", usd_per_day AS "usdPerDay", reported_at AS "reportedAt"
     FROM miner_stats
     WHERE ($1::text IS NULL OR proxy = $1) AND ($2::text IS NULL OR miner = $2)
       AND ($3::timestamptz IS NULL OR reported_at >= $3)
     ORDER BY proxy, miner, pool_key`,
    [filter.proxy ?? null, filter.miner ?? null, filter.since ?? null],
  );
}

export interface SwitchEventInput {
  at: Date;
  proxy: string;
  miner: string;
  fromTarget: string | null;
  toTarget: string;
  reason: string;
}

export interface SwitchEventRow extends SwitchEventInput {
  id: number;
}

export async function insertSwitchEvents(db: Queryable, events: readonly SwitchEventInput[]): Promise<void> {
  for (const e of events) {
    await db.query(
      `INSERT INTO switch_events (at, proxy, miner, from_target, to_target, reason)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [e.at, e.proxy, e.miner, e.fromTarget, e.toTarget, e.reason],
    );
  }
}

export function listSwitchEvents(
  db: Queryable,
  filter: { proxy?: string; miner?: string; from?: Date; to?: Date; limit: number },
): Promise<SwitchEventRow[]> {
  return db.query<SwitchEventRow>(
    `SELECT id::int AS id, at, proxy, miner, from_target AS "fromTarget", to_target AS "toTarget", reason
     FROM switch_events
     WHERE ($1::text IS NULL OR proxy = $1) AND ($2::text IS NULL OR miner = $2)
       AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
     ORDER BY at DESC, id DESC LIMIT $5`,
    [filter.proxy ?? null, filter.miner ?? null, filter.from ?? null, filter.to ?? null, filter.limit],
  );
}

// Reads the latest state of each coin (table coins) as typed camelCase rows.

import type { Queryable } from '../db.ts';

export interface CoinRow {
  coin: string;
  name: string;
  algorithm: string;
  blockTimeS: number | null;
  blockReward: number | null;
  difficulty: number | null;
  networkHashrateHs: number | null;
  priceUsd: number | null;
  volume24hUsd: number | null;
  usdPerHsDay: number | null;
  priceTrusted: boolean;
  trusted: boolean;
  /** Per-field provenance as written by the aggregator. */
  sources: Record<string, unknown>;
  observedAt: Date;
  priceUpdatedAt: Date | null;
  networkUpdatedAt: Date | null;
  updatedAt: Date;
  stale: boolean;
}

export interface CoinFilter {
  coins?: readonly string[];
  algorithms?: readonly string[];
  /** Stale coins are left out unless this is true. */
  includeStale?: boolean;
}

const COIN_COLUMNS = `coin, name, algorithm, block_time_s AS "blockTimeS", block_reward AS "blockReward",
  difficulty, network_hashrate_hs AS "networkHashrateHs", price_usd AS "priceUsd",
  volume_24h_usd AS "volume24hUsd", usd_per_hs_day AS "usdPerHsDay", price_trusted AS "priceTrusted",
  trusted, sources, observed_at AS "observedAt", price_updated_at AS "priceUpdatedAt",
  network_updated_at AS "networkUpdatedAt", updated_at AS "updatedAt", stale`;

export async function listCoins(db: Queryable, filter: CoinFilter = {}): Promise<CoinRow[]> {
  return db.query<CoinRow>(
    `SELECT ${COIN_COLUMNS} FROM coins
     WHERE ($1::text[] IS NULL OR coin = ANY($1::text[]))
       AND ($2::text[] IS NULL OR algorithm = ANY($2::text[]))
       AND ($3::boolean OR NOT stale)
     ORDER BY coin`,
    [filter.coins ?? null, filter.algorithms ?? null, filter.includeStale ?? false],
  );
}

export async function getCoin(db: Queryable, coin: string): Promise<CoinRow | undefined> {
  const rows = await db.query<CoinRow>(`SELECT ${COIN_COLUMNS} FROM coins WHERE coin = $1`, [coin]);
  return rows[0];
}

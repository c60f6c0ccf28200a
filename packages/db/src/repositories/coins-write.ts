// Writes of the aggregator to coins and coin_history (bulk, via unnest, one statement per table).

import type { Queryable } from '../db.ts';

export interface CoinState {
  coin: string;
  name: string;
  algorithm: string;
  blockTimeS?: number;
  blockReward?: number;
  difficulty?: number;
  networkHashrateHs?: number;
  priceUsd?: number;
  volume24hUsd?: number;
  usdPerHsDay?: number;
  priceTrusted: boolean;
  trusted: boolean;
  /** Price or network data missing or older than its limit, judged by the data's own time. */
  stale: boolean;
  sources: Record<string, unknown>;
  /** Newest data time behind the values. */
  observedAt: Date;
  priceUpdatedAt?: Date;
  networkUpdatedAt?: Date;
  /** Cycle time of the newest history row. */
  historyAt?: Date;
}

/** The columns of a coin_history row besides coin and time: a change in any of them is a new row. */
export const COIN_HISTORY_FIELDS = [
  'priceUsd',
  'volume24hUsd',
  'difficulty',
  'networkHashrateHs',
  'blockReward',
  'blockTimeS',
  'usdPerHsDay',
  'trusted',
] as const satisfies readonly (keyof CoinState)[];

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export async function upsertCoins(q: Queryable, rows: readonly CoinState[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO coins (coin, name, algorithm, block_time_s, block_reward, difficulty, network_hashrate_hs, price_usd,
       volume_24h_usd, usd_per_hs_day, price_trusted, trusted, stale, sources, observed_at, price_updated_at,
       network_updated_at, history_at, updated_at)
     SELECT t.*, $19::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[],
       $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::bool[], $12::bool[], $13::bool[],
       $14::jsonb[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[], $18::timestamptz[]) AS t
     ON CONFLICT (coin) DO UPDATE SET name = EXCLUDED.name, algorithm = EXCLUDED.algorithm,
       block_time_s = EXCLUDED.block_time_s, block_reward = EXCLUDED.block_reward, difficulty = EXCLUDED.difficulty,
       network_hashrate_hs = EXCLUDED.network_hashrate_hs, price_usd = EXCLUDED.price_usd,
       volume_24h_usd = EXCLUDED.volume_24h_usd, usd_per_hs_day = EXCLUDED.usd_per_hs_day,
       price_trusted = EXCLUDED.price_trusted, trusted = EXCLUDED.trusted, stale = EXCLUDED.stale,
       sources = EXCLUDED.sources, observed_at = EXCLUDED.observed_at, price_updated_at = EXCLUDED.price_updated_at,
       network_updated_at = EXCLUDED.network_updated_at, history_at = EXCLUDED.history_at,
       updated_at = EXCLUDED.updated_at`,
    [
      rows.map((r) => r.coin),
      rows.map((r) => r.name),
      rows.map((r) => r.algorithm),
      rows.map((r) => n(r.blockTimeS)),
      rows.map((r) => n(r.blockReward)),
      rows.map((r) => n(r.difficulty)),
      rows.map((r) => n(r.networkHashrateHs)),
      rows.map((r) => n(r.priceUsd)),
      rows.map((r) => n(r.volume24hUsd)),
      rows.map((r) => n(r.usdPerHsDay)),
      rows.map((r) => r.priceTrusted),
      rows.map((r) => r.trusted),
      rows.map((r) => r.stale),
      rows.map((r) => JSON.stringify(r.sources)),
      rows.map((r) => r.observedAt),
      rows.map((r) => n(r.priceUpdatedAt)),
      rows.map((r) => n(r.networkUpdatedAt)),
      rows.map((r) => n(r.historyAt)),
      now,
    ],
  );
}

/**
 * Appends one history row per coin at the cycle time `at` (never a source's timestamp, so a value from a cache
 * cannot collide with an older row). Two ingests at the same instant keep the later values. Returns the rows
 * written.
 */
export async function appendCoinHistory(q: Queryable, rows: readonly CoinState[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const written = await q.query(
    `INSERT INTO coin_history (coin, time, price_usd, volume_24h_usd, difficulty, network_hashrate_hs, block_reward,
       block_time_s, usd_per_hs_day, trusted)
     SELECT t.coin, $1::timestamptz, t.price_usd, t.volume_24h_usd, t.difficulty, t.network_hashrate_hs,
       t.block_reward, t.block_time_s, t.usd_per_hs_day, t.trusted
     FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
       $9::float8[], $10::bool[])
       AS t(coin, price_usd, volume_24h_usd, difficulty, network_hashrate_hs, block_reward, block_time_s,
         usd_per_hs_day, trusted)
     ON CONFLICT (coin, time) DO UPDATE SET price_usd = EXCLUDED.price_usd, volume_24h_usd = EXCLUDED.volume_24h_usd,
       difficulty = EXCLUDED.difficulty, network_hashrate_hs = EXCLUDED.network_hashrate_hs,
       block_reward = EXCLUDED.block_reward, block_time_s = EXCLUDED.block_time_s,
       usd_per_hs_day = EXCLUDED.usd_per_hs_day, trusted = EXCLUDED.trusted
     RETURNING 1`,
    [
      at,
      rows.map((r) => r.coin),
      rows.map((r) => n(r.priceUsd)),
      rows.map((r) => n(r.volume24hUsd)),
      rows.map((r) => n(r.difficulty)),
      rows.map((r) => n(r.networkHashrateHs)),
      rows.map((r) => n(r.blockReward)),
      rows.map((r) => n(r.blockTimeS)),
      rows.map((r) => n(r.usdPerHsDay)),
      rows.map((r) => r.trusted),
    ],
  );
  return written.length;
}

interface CoinStateRow {
  coin: string;
  name: string;
  algorithm: string;
  block_time_s: number | null;
  block_reward: number | null;
  difficulty: number | null;
  network_hashrate_hs: number | null;
  price_usd: number | null;
  volume_24h_usd: number | null;
  usd_per_hs_day: number | null;
  price_trusted: boolean;
  trusted: boolean;
  stale: boolean;
  sources: Record<string, unknown>;
  observed_at: Date;
  price_updated_at: Date | null;
  network_updated_at: Date | null;
  history_at: Date | null;
}

/** The realtime state the next merge starts from (no history is read: `history_at` is on the row). */
export async function loadCoinStates(q: Queryable): Promise<CoinState[]> {
  const rows = await q.query<CoinStateRow>(
    `SELECT coin, name, algorithm, block_time_s, block_reward, difficulty, network_hashrate_hs, price_usd,
       volume_24h_usd, usd_per_hs_day, price_trusted, trusted, stale, sources, observed_at, price_updated_at,
       network_updated_at, history_at
     FROM coins`,
  );
  return rows.map((r) => {
    const s: CoinState = {
      coin: r.coin,
      name: r.name,
      algorithm: r.algorithm,
      priceTrusted: r.price_trusted,
      trusted: r.trusted,
      stale: r.stale,
      sources: r.sources,
      observedAt: r.observed_at,
    };
    const opt: [keyof CoinState, unknown][] = [
      ['blockTimeS', r.block_time_s],
      ['blockReward', r.block_reward],
      ['difficulty', r.difficulty],
      ['networkHashrateHs', r.network_hashrate_hs],
      ['priceUsd', r.price_usd],
      ['volume24hUsd', r.volume_24h_usd],
      ['usdPerHsDay', r.usd_per_hs_day],
      ['priceUpdatedAt', r.price_updated_at],
      ['networkUpdatedAt', r.network_updated_at],
      ['historyAt', r.history_at],
    ];
    for (const [k, v] of opt) if (v !== null) (s as unknown as Record<string, unknown>)[k] = v;
    return s;
  });
}

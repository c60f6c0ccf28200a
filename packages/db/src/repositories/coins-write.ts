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
  sources: Record<string, unknown>;
  observedAt: Date;
  priceUpdatedAt?: Date;
  networkUpdatedAt?: Date;
}

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export async function upsertCoins(q: Queryable, rows: readonly CoinState[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO coins (coin, name, algorithm, block_time_s, block_reward, difficulty, network_hashrate_hs, price_usd,
       volume_24h_usd, usd_per_hs_day, price_trusted, trusted, sources, observed_at, price_updated_at,
       network_updated_at, updated_at)
     SELECT t.*, $17::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[],
       $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::bool[], $12::bool[],
       $13::jsonb[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[]) AS t
     ON CONFLICT (coin) DO UPDATE SET name = EXCLUDED.name, algorithm = EXCLUDED.algorithm,
       block_time_s = EXCLUDED.block_time_s, block_reward = EXCLUDED.block_reward, difficulty = EXCLUDED.difficulty,
       network_hashrate_hs = EXCLUDED.network_hashrate_hs, price_usd = EXCLUDED.price_usd,
       volume_24h_usd = EXCLUDED.volume_24h_usd, usd_per_hs_day = EXCLUDED.usd_per_hs_day,
       price_trusted = EXCLUDED.price_trusted, trusted = EXCLUDED.trusted, sources = EXCLUDED.sources,
       observed_at = EXCLUDED.observed_at, price_updated_at = EXCLUDED.price_updated_at,
       network_updated_at = EXCLUDED.network_updated_at, updated_at = EXCLUDED.updated_at`,
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
      rows.map((r) => JSON.stringify(r.sources)),
      rows.map((r) => r.observedAt),
      rows.map((r) => n(r.priceUpdatedAt)),
      rows.map((r) => n(r.networkUpdatedAt)),
      now,
    ],
  );
}

/** Appends one history row per coin at its observation time; a repeated snapshot adds nothing. */
export async function appendCoinHistory(q: Queryable, rows: readonly CoinState[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO coin_history (coin, time, price_usd, volume_24h_usd, difficulty, network_hashrate_hs, block_reward,
       block_time_s, usd_per_hs_day, trusted)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[],
       $7::float8[], $8::float8[], $9::float8[], $10::bool[])
     ON CONFLICT (coin, time) DO NOTHING`,
    [
      rows.map((r) => r.coin),
      rows.map((r) => r.observedAt),
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
  sources: Record<string, unknown>;
  observed_at: Date;
  price_updated_at: Date | null;
  network_updated_at: Date | null;
  history_at: Date | null;
}

export interface StoredCoinState extends CoinState {
  /** Time of the newest history row, to space out unchanged rows. */
  historyAt?: Date;
}

/** The realtime state the next merge starts from. */
export async function loadCoinStates(q: Queryable): Promise<StoredCoinState[]> {
  const rows = await q.query<CoinStateRow>(
    `SELECT c.*, (SELECT max(h.time) FROM coin_history h WHERE h.coin = c.coin) AS history_at FROM coins c`,
  );
  return rows.map((r) => {
    const s: StoredCoinState = {
      coin: r.coin,
      name: r.name,
      algorithm: r.algorithm,
      priceTrusted: r.price_trusted,
      trusted: r.trusted,
      sources: r.sources,
      observedAt: r.observed_at,
    };
    const opt: [keyof StoredCoinState, unknown][] = [
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

/** Flags coins whose price or network data is older than its limit (or missing). */
export async function markStaleCoins(
  q: Queryable,
  now: Date,
  priceStaleS: number,
  networkStaleS: number,
): Promise<void> {
  await q.query(
    // Only rows whose flag changes are written: every cycle runs this, and most flags stay as they are.
    `UPDATE coins c SET stale = s.stale
     FROM (SELECT coin, (price_updated_at IS NULL OR price_updated_at < $1::timestamptz - make_interval(secs => $2)
             OR network_updated_at IS NULL OR network_updated_at < $1::timestamptz - make_interval(secs => $3)) AS stale
           FROM coins) s
     WHERE s.coin = c.coin AND c.stale IS DISTINCT FROM s.stale`,
    [now, priceStaleS, networkStaleS],
  );
}

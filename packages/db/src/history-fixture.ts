// Synthetic coin and pool history for tests: rows every ~600 s with jitter, some exactly on hour boundaries,
// some values missing, trust and fees that change, across a month boundary.

import type { Queryable } from './db.ts';

/** A small deterministic generator (mulberry32): the same rows on every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface HistoryFixture {
  coins: string[];
  poolKeys: string[];
  /** First and last row times. */
  first: Date;
  last: Date;
}

/**
 * Writes `hours` hours of history from `start` for each coin and pool: a row about every 600 s (every fourth
 * exactly on a 600 s step, so some fall on whole hours), nulls and untrusted rows here and there, a fee change.
 */
export async function writeHistoryFixture(
  db: Queryable,
  options: { start: Date; hours: number; coins: string[]; poolKeys: string[]; seed?: number },
): Promise<HistoryFixture> {
  const random = generator(options.seed ?? 7);
  const steps = (options.hours * 3600) / 600;
  const times: Date[] = [];
  for (let i = 0; i < steps; i++) {
    const jitterMs = i % 4 === 0 ? 0 : Math.floor(random() * 590_000);
    times.push(new Date(options.start.getTime() + i * 600_000 + jitterMs));
  }
  for (const coin of options.coins) {
    const rows = times.map((time, i) => ({
      time,
      price: i % 9 === 0 ? null : 10 + random() * 5,
      volume: i % 11 === 0 ? null : 1e6 * (1 + random()),
      difficulty: 1e12 * (1 + random()),
      hashrate: 1e11 * (1 + random()),
      usd: i % 13 === 0 ? null : 1e-8 * (1 + random()),
      trusted: i % 3 !== 0,
    }));
    await db.query(
      `INSERT INTO coin_history (coin, time, price_usd, volume_24h_usd, difficulty, network_hashrate_hs, block_reward,
         block_time_s, usd_per_hs_day, trusted)
       SELECT $1, t.time, t.price, t.volume, t.difficulty, t.hashrate, 2.5, 60, t.usd, t.trusted
       FROM unnest($2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
         $8::boolean[]) AS t(time, price, volume, difficulty, hashrate, usd, trusted)`,
      [
        coin,
        rows.map((r) => r.time),
        rows.map((r) => r.price),
        rows.map((r) => r.volume),
        rows.map((r) => r.difficulty),
        rows.map((r) => r.hashrate),
        rows.map((r) => r.usd),
        rows.map((r) => r.trusted),
      ],
    );
  }
  for (const poolKey of options.poolKeys) {
    const rows = times.map((time, i) => ({
      time,
      fee: i % 17 === 5 ? null : i < steps / 2 ? 0.01 : 0.009,
      hashrate: 1e9 * (1 + random()),
      miners: Math.floor(100 + random() * 50),
      workers: i % 10 === 0 ? null : Math.floor(200 + random() * 80),
      usd: 1e-8 * (1 + random()),
    }));
    await db.query(
      `INSERT INTO pool_history (pool_key, time, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day)
       SELECT $1, * FROM unnest($2::timestamptz[], $3::float8[], $4::float8[], $5::int[], $6::int[], $7::float8[])`,
      [
        poolKey,
        rows.map((r) => r.time),
        rows.map((r) => r.fee),
        rows.map((r) => r.hashrate),
        rows.map((r) => r.miners),
        rows.map((r) => r.workers),
        rows.map((r) => r.usd),
      ],
    );
  }
  return {
    coins: options.coins,
    poolKeys: options.poolKeys,
    first: times[0]!,
    last: times[times.length - 1]!,
  };
}

// Test helpers: a built app on a test database, a settable clock, and plain-INSERT seeds of a small market.

import { appendEvent, createToken, type Db } from '@smart-mining/db';
import type { TestDatabase } from '@smart-mining/db/testing';
import { waitFor } from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { type BuildAppDeps, buildApp } from './app.ts';

export const T0 = new Date('2026-11-25T12:00:00.000Z');
/** The admin token (profiles). */
export const TOKEN = 'test-token-0123456789';

export function secondsBefore(at: Date, seconds: number): Date {
  return new Date(at.getTime() - seconds * 1000);
}

export class TestClock {
  #now: Date;
  constructor(start: Date = T0) {
    this.#now = start;
  }
  now = (): Date => this.#now;
  set(at: Date): void {
    this.#now = at;
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Db & { url?: string };
  clock: TestClock;
  registry: Registry;
  /** `Authorization` header of a proxy token created for this app's database. */
  proxyAuth: { authorization: string };
  close(): Promise<void>;
}

/**
 * A fresh migrated database, `seed` written into it, and an app on it (the app reads its first market
 * snapshot at start: data written later is seen after `marketChanged`). `close()` closes both.
 */
export async function openTestApp(
  database: TestDatabase,
  deps: Partial<BuildAppDeps> = {},
  seed?: (db: Db) => Promise<void>,
): Promise<TestApp> {
  const db = await database.open();
  await seed?.(db);
  const clock = new TestClock();
  const registry = new Registry();
  const app = await buildApp({ db, apiToken: TOKEN, now: clock.now, registry, ...deps });
  const { token } = await createToken(db, { name: 'test-proxy' });
  return {
    app,
    db,
    clock,
    registry,
    proxyAuth: { authorization: `Bearer ${token}` },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** The admin token's header. */
export const auth = { authorization: `Bearer ${TOKEN}` };

/** As an ingest does: a rankings-changed event in a transaction; the API reloads its market when it arrives. */
export function marketChanged(db: Db, at: Date = T0): Promise<number> {
  return db.transaction((tx) => appendEvent(tx, 'rankings-changed', { cause: 'ingest', ingestedAt: at }, at));
}

export { waitFor };

export interface CoinSeed {
  coin: string;
  algorithm: string;
  usdPerHsDay: number | null;
  priceUsd?: number;
  volume24hUsd?: number;
  trusted?: boolean;
  stale?: boolean;
  observedAt: Date;
}

export async function insertCoin(db: Db, c: CoinSeed): Promise<void> {
  await db.query(
    `INSERT INTO coins (coin, name, algorithm, block_time_s, block_reward, difficulty, network_hashrate_hs,
       price_usd, volume_24h_usd, usd_per_hs_day, price_trusted, trusted, sources, observed_at, updated_at, stale)
     VALUES ($1, $1 || ' coin', $2, 13, 2.56, 1e15, 1.5e14, $3, $4, $5, $6, $6, '{"price_usd":["binance"]}', $7, $7, $8)`,
    [
      c.coin,
      c.algorithm,
      c.priceUsd ?? 20,
      c.volume24hUsd ?? 5e7,
      c.usdPerHsDay,
      c.trusted ?? true,
      c.observedAt,
      c.stale ?? false,
    ],
  );
}

export interface PoolSeed {
  poolKey: string;
  feeFraction: number;
  updatedAt: Date;
  stale?: boolean;
}

export async function insertPool(db: Db, p: PoolSeed): Promise<void> {
  const [pool, coin] = p.poolKey.split(':');
  await db.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, hashrate_hs, miners, workers, block_height,
       endpoints, usd_per_hs_day, observed_at, updated_at, stale)
     VALUES ($1, $2, $3, $4, 1e12, 120, 300, 21000000,
       '[{"host":"pool.example","port":4444,"tls":false,"dialect":"ethereum-stratum"}]', NULL, $5, $5, $6)`,
    [p.poolKey, pool, coin, p.feeFraction, p.updatedAt, p.stale ?? false],
  );
}

export interface HardwareSeed {
  hardware: string;
  kind: 'gpu' | 'cpu' | 'asic';
  vendor: string;
  mining: { algorithm: string; hashrateHs: number; powerW: number; revenueUsdPerDay?: number }[];
}

export async function insertHardware(db: Db, h: HardwareSeed, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO hardware (hardware, name, vendor, kind, memory_gb, tdp_w, updated_at)
     VALUES ($1, upper($1), $2, $3, 10, 320, $4)`,
    [h.hardware, h.vendor, h.kind, at],
  );
  for (const m of h.mining) {
    await db.query(
      `INSERT INTO hardware_mining (hardware, algorithm, hashrate_hs, power_w, source, revenue_usd_per_day, updated_at)
       VALUES ($1, $2, $3, $4, 'minerstat', $5, $6)`,
      [h.hardware, m.algorithm, m.hashrateHs, m.powerW, m.revenueUsdPerDay ?? null, at],
    );
  }
}

export async function insertCoinHistory(
  db: Db,
  coin: string,
  rows: { time: Date; usdPerHsDay: number; priceUsd?: number; trusted?: boolean }[],
): Promise<void> {
  for (const r of rows) {
    await db.query(
      `INSERT INTO coin_history (coin, time, price_usd, usd_per_hs_day, trusted) VALUES ($1, $2, $3, $4, $5)`,
      [coin, r.time, r.priceUsd ?? null, r.usdPerHsDay, r.trusted ?? true],
    );
  }
}

export async function insertSourceRun(
  db: Db,
  run: { source: string; startedAt: Date; ok: boolean; rows?: number; error?: string },
): Promise<void> {
  await db.query(
    `INSERT INTO source_runs (source, started_at, finished_at, ok, rows, error, duration_ms)
     VALUES ($1, $2::timestamptz, $2::timestamptz + interval '2 seconds', $3, $4, $5, 2000)`,
    [run.source, run.startedAt, run.ok, run.rows ?? 0, run.error ?? null],
  );
}

/**
 * The market most tests use, observed a minute or two before T0:
 * ETC (etchash, 1e-8 USD/H/s/day) on 2miners (1 % fee) and nanopool (2 %), RVN (kawpow, 3e-8) on 2miners,
 * ERG (autolykos2, 2e-8) with no pool, XMR (randomx) stale on nanopool; one RTX 3080.
 */
export async function seedMarket(db: Db, at: Date = T0): Promise<void> {
  const observedAt = secondsBefore(at, 60);
  await insertCoin(db, { coin: 'ETC', algorithm: 'etchash', usdPerHsDay: 1e-8, observedAt });
  await insertCoin(db, { coin: 'RVN', algorithm: 'kawpow', usdPerHsDay: 3e-8, priceUsd: 0.02, observedAt });
  await insertCoin(db, { coin: 'ERG', algorithm: 'autolykos2', usdPerHsDay: 2e-8, observedAt });
  await insertCoin(db, { coin: 'XMR', algorithm: 'randomx', usdPerHsDay: 5e-6, stale: true, observedAt });
  await insertPool(db, { poolKey: '2miners:ETC', feeFraction: 0.01, updatedAt: secondsBefore(at, 30) });
  await insertPool(db, { poolKey: 'nanopool:ETC', feeFraction: 0.02, updatedAt: secondsBefore(at, 120) });
  await insertPool(db, { poolKey: '2miners:RVN', feeFraction: 0.01, updatedAt: secondsBefore(at, 30) });
  await insertPool(db, { poolKey: 'nanopool:XMR', feeFraction: 0.01, updatedAt: secondsBefore(at, 30) });
  await insertHardware(
    db,
    {
      hardware: 'nvidia-rtx-3080',
      kind: 'gpu',
      vendor: 'NVIDIA',
      mining: [
        { algorithm: 'etchash', hashrateHs: 100e6, powerW: 230, revenueUsdPerDay: 1 },
        { algorithm: 'kawpow', hashrateHs: 50e6, powerW: 300, revenueUsdPerDay: 1.5 },
        { algorithm: 'autolykos2', hashrateHs: 200e6, powerW: 250, revenueUsdPerDay: 4 },
      ],
    },
    at,
  );
}

/** Asserts-friendly approximate equality for floating USD values. */
export function approx(actual: number, expected: number, relative = 1e-9): boolean {
  return Math.abs(actual - expected) <= Math.abs(expected) * relative + 1e-15;
}

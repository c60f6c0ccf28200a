// History for years: a year of synthetic history at the production cadence (a row per coin and pool every 600 s)
// loaded with COPY into PostgreSQL, rolled up, then chart reads, a backtest, and the disk it takes.
// Sizes from the environment so a smoke run stays small: SM_BENCH_HISTORY_COINS (200), SM_BENCH_HISTORY_POOLS
// (1000), SM_BENCH_HISTORY_DAYS (365). SM_BENCH_HISTORY_KEEP_DB=<name> generates into that database (on the
// DATABASE_URL server) and keeps it; a later run with the same name and sizes reuses it (no load, no rollup, no
// retention drop, so the raw history stays), which makes iterating on reads quick. Drop it by hand when done.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { buildApp } from '@smart-mining/api';
import {
  createDb,
  type Db,
  dropExpiredHistory,
  ensureHistoryPartitionsBetween,
  floorTo,
  migrate,
  type Queryable,
  readCoinHistory,
  readPoolHistory,
  rollUpHistory,
} from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { ALGORITHMS } from '@smart-mining/domain';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { median, timeMs } from './stats.ts';

const DAY_MS = 86_400_000;
const CADENCE_S = 600;

export interface HistoryBenchResult {
  coins: number;
  pools: number;
  days: number;
  rawRows: number;
  loadMs: number;
  rollupMs: number;
  /** In a kept database (SM_BENCH_HISTORY_KEEP_DB): no retention measured; `reused`: no load or rollup either. */
  kept: boolean;
  reused: boolean;
  /** Median ms of each read, with the span it covered (days) and its bucket. */
  reads: { label: string; spanDays: number; bucketS: number; ms: number; target?: string }[];
  /** `ms`: median of 3 warm runs; `coldMs`: the first run on a fresh app. */
  backtest: {
    spanDays: number;
    ms: number;
    coldMs: number;
    snapshots: number;
    rows?: number;
    status: number;
  };
  /** Bytes, as measured (for `days` of history). */
  bytes: { raw: number; hourly: number; daily: number; rawAfterRetention: number };
}

const envInt = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0`);
  return value;
};

/** A bounded random walk per key, the same on every run. */
function walker(seed: number) {
  let state = seed >>> 0 || 1;
  let level = 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    level = Math.min(2, Math.max(0.5, level * (1 + (state / 2 ** 32 - 0.5) * 0.02)));
    return level;
  };
}

/**
 * COPY text lines cycle by cycle, every key at each cycle time, as the aggregator appends them (so the table's
 * physical order, which the BRIN index on time relies on, is the production one); yielded in chunks.
 */
function* cycleLines(
  keys: string[],
  seed: number,
  start: number,
  cycles: number,
  line: (key: string, time: string, w: number, cycle: number) => string,
): Generator<string> {
  const walks = keys.map((_, k) => walker(seed + k));
  const lines: string[] = [];
  for (let i = 0; i < cycles; i++) {
    const time = new Date(start + i * CADENCE_S * 1000).toISOString();
    for (const [k, key] of keys.entries()) {
      lines.push(line(key, time, walks[k]!(), i));
      if (lines.length === 5000) yield `${lines.splice(0).join('\n')}\n`;
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

const coinLine = (coin: string, time: string, w: number, i: number) =>
  `${coin}\t${time}\t${(20 * w).toFixed(4)}\t${(5e7 * w).toFixed(0)}\t${(1e15 / w).toExponential(6)}\t` +
  `${(1.5e14 / w).toExponential(6)}\t2.56\t13\t${(1e-8 * w * w).toExponential(8)}\t${i % 50 !== 0 ? 't' : 'f'}`;

const poolLine = (cycles: number) => (pool: string, time: string, w: number, i: number) =>
  `${pool}\t${time}\t${i < cycles / 2 ? 0.01 : 0.009}\t${(1e12 * w).toExponential(6)}\t${Math.round(100 * w)}\t` +
  `${Math.round(250 * w)}\t${(0.99e-8 * w).toExponential(8)}`;

async function load(
  db: Db & { url?: string },
  coins: string[],
  pools: string[],
  start: number,
  cycles: number,
) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await pipeline(
      Readable.from(cycleLines(coins, 1, start, cycles, coinLine)),
      client.query(
        copyFrom(`COPY coin_history (coin, time, price_usd, volume_24h_usd, difficulty, network_hashrate_hs,
          block_reward, block_time_s, usd_per_hs_day, trusted) FROM STDIN`),
      ),
    );
    await pipeline(
      Readable.from(cycleLines(pools, 10_000, start, cycles, poolLine(cycles))),
      client.query(
        copyFrom(
          'COPY pool_history (pool_key, time, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day) FROM STDIN',
        ),
      ),
    );
  } finally {
    await client.end();
  }
}

async function seedMarket(db: Db, coins: string[], pools: string[], now: Date): Promise<void> {
  await db.query(
    `INSERT INTO coins (coin, name, algorithm, usd_per_hs_day, price_usd, volume_24h_usd, trusted, price_trusted,
       observed_at, updated_at)
     SELECT c, c, a, 1e-8, 20, 5e7, true, true, $3, $3 FROM unnest($1::text[], $2::text[]) AS t(c, a)`,
    [coins, coins.map((_, i) => ALGORITHMS[i % ALGORITHMS.length]!), now],
  );
  await db.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, endpoints, observed_at, updated_at)
     SELECT k, split_part(k, ':', 1), split_part(k, ':', 2), 0.01,
       '[{"host":"pool.example","port":4444,"tls":false,"dialect":"ethereum-stratum"}]', $2, $2
     FROM unnest($1::text[]) AS k`,
    [pools, now],
  );
}

async function sizeOf(db: Db, tables: string[]): Promise<number> {
  const [row] = await db.query<{ bytes: string }>(
    // A partitioned table's tree holds it and its partitions; a plain table's tree is empty, so it is added.
    `SELECT coalesce(sum(pg_total_relation_size(rel)), 0)::bigint AS bytes FROM (
       SELECT t.relid AS rel FROM unnest($1::regclass[]) AS r(rel) CROSS JOIN LATERAL pg_partition_tree(r.rel) AS t
       UNION SELECT rel FROM unnest($1::regclass[]) AS r(rel)
     ) tables`,
    [tables],
  );
  return Number(row!.bytes);
}

async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeMs(fn));
  return median(samples);
}

interface Sizes {
  coins: number;
  pools: number;
  days: number;
}

/** A kept database `name` on the server of `adminUrl` (created and migrated if missing; `close()` keeps it). */
async function openKept(adminUrl: string, name: string): Promise<Db & { url: string }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error('SM_BENCH_HISTORY_KEEP_DB must be a lower-case identifier');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDb({ databaseUrl: url.toString(), maxConnections: 4 });
  await migrate(db);
  return { ...db, url: url.toString() };
}

/** The end of the history a kept database already holds for these sizes, if it holds one. */
async function keptHistoryEnd(db: Queryable, sizes: Sizes): Promise<Date | undefined> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS bench_history_generated (coins int NOT NULL, pools int NOT NULL, days int NOT NULL,
       ends_at timestamptz NOT NULL)`,
  );
  const [row] = await db.query<{ ends_at: Date; coins: number; pools: number; days: number }>(
    'SELECT * FROM bench_history_generated',
  );
  if (!row) return undefined;
  if (row.coins !== sizes.coins || row.pools !== sizes.pools || row.days !== sizes.days) {
    throw new Error(
      `the kept database holds ${row.coins} coins, ${row.pools} pools, ${row.days} days: drop it or use another name`,
    );
  }
  return new Date(row.ends_at);
}

export async function benchHistory(databaseUrl: string | undefined): Promise<HistoryBenchResult | undefined> {
  const postgres = testDatabases(databaseUrl ? { DATABASE_URL: databaseUrl } : {}).find(
    (d) => d.name === 'postgres',
  );
  if (!postgres) return undefined;
  const coinCount = envInt('SM_BENCH_HISTORY_COINS', 200);
  const poolCount = envInt('SM_BENCH_HISTORY_POOLS', 1000);
  const days = envInt('SM_BENCH_HISTORY_DAYS', 365);
  const coins = Array.from({ length: coinCount }, (_, i) => `C${String(i).padStart(4, '0')}`);
  // Pools spread evenly over the coins: `p3:C0007`.
  const pools = Array.from(
    { length: poolCount },
    (_, i) => `p${Math.floor(i / coinCount)}:${coins[i % coinCount]}`,
  );
  const keep = process.env.SM_BENCH_HISTORY_KEEP_DB;
  const db = keep ? await openKept(databaseUrl!, keep) : await postgres.open();
  try {
    const sizes = { coins: coinCount, pools: poolCount, days };
    const kept = keep ? await keptHistoryEnd(db, sizes) : undefined;
    // The history ends at the last whole hour so every read below covers the same rows each time.
    const now = kept ?? floorTo(new Date(), 3600);
    const start = now.getTime() - days * DAY_MS;
    const cycles = (days * DAY_MS) / (CADENCE_S * 1000);
    let loadMs = 0;
    let rollupMs = 0;
    if (!kept) {
      await ensureHistoryPartitionsBetween(db, new Date(start), now);
      await seedMarket(db, coins, pools, now);
      loadMs = await timeMs(() => load(db, coins, pools, start, cycles));
      await db.exec('ANALYZE coin_history; ANALYZE pool_history');
      // The cycle just after `now`: every hour and day of the loaded history is closed.
      rollupMs = await timeMs(() => rollUpHistory(db, new Date(now.getTime() + 60_000)));
      await db.exec(
        'ANALYZE coin_history_hourly; ANALYZE pool_history_hourly; ANALYZE coin_history_daily; ANALYZE pool_history_daily',
      );
      if (keep) {
        await db.query('INSERT INTO bench_history_generated VALUES ($1, $2, $3, $4)', [
          coinCount,
          poolCount,
          days,
          now,
        ]);
      }
    }

    const reads: HistoryBenchResult['reads'] = [];
    const chart = async (
      label: string,
      spanDays: number,
      bucketS: number,
      target: string | undefined,
      raw = false,
    ) => {
      const span = Math.min(spanDays, days);
      const range = { from: new Date(now.getTime() - span * DAY_MS), to: now, bucketS };
      let k = 0;
      const ms = await medianMs(21, () => {
        k += 1;
        return label.startsWith('pool')
          ? readPoolHistory(db, pools[k % pools.length]!, range)
          : readCoinHistory(db, coins[k % coins.length]!, range);
      });
      reads.push({
        label: raw ? `${label} (raw rows, for comparison)` : label,
        spanDays: span,
        bucketS,
        ms,
        ...(target ? { target } : {}),
      });
    };
    // The dashboard's 30-day and 1-year views ask for 4 h and 12 h buckets (hourly rollups); daily buckets use daily ones.
    await chart('coin chart, 4 h buckets (dashboard 30 days)', 30, 4 * 3600, '< 50 ms');
    await chart('pool chart, 4 h buckets (dashboard 30 days)', 30, 4 * 3600, '< 50 ms');
    await chart('coin chart, 90-minute buckets', 30, 5400, undefined, true);
    await chart('coin chart, 12 h buckets (dashboard 1 year)', 365, 12 * 3600, '< 100 ms');
    await chart('pool chart, 12 h buckets (dashboard 1 year)', 365, 12 * 3600, '< 100 ms');
    await chart('coin chart, daily buckets', 365, 86_400, '< 100 ms');
    await chart('pool chart, daily buckets', 365, 86_400, '< 100 ms');

    const app = await buildApp({ db });
    let backtest: HistoryBenchResult['backtest'];
    try {
      const spanDays = Math.min(90, days);
      const algorithm = ALGORITHMS[0]!;
      const url =
        `/v1/backtest?profile=max-usd-coin&algorithms=${algorithm}&hashrateHs=1e8&stepS=3600` +
        `&from=${new Date(now.getTime() - spanDays * DAY_MS).toISOString()}&to=${now.toISOString()}`;
      let status = 0;
      let snapshots = 0;
      const run = async () => {
        const res = await app.inject({ url });
        status = res.statusCode;
        if (status === 200) snapshots = res.json().snapshots;
      };
      // Cold: the app's first request (market cache empty, the range's pages not yet read); warm: the next three.
      const coldMs = await timeMs(run);
      const ms = await medianMs(3, run);
      backtest = { spanDays, ms, coldMs, snapshots, status };
    } finally {
      await app.close();
    }

    const bytes = {
      raw: await sizeOf(db, ['coin_history', 'pool_history']),
      hourly: await sizeOf(db, ['coin_history_hourly', 'pool_history_hourly']),
      daily: await sizeOf(db, ['coin_history_daily', 'pool_history_daily']),
      rawAfterRetention: 0,
    };
    // A kept database keeps its raw history for the next run.
    if (!keep) {
      await dropExpiredHistory(db, new Date(now.getTime() + 60_000), 30 * 86_400);
      bytes.rawAfterRetention = await sizeOf(db, ['coin_history', 'pool_history']);
    }
    return {
      coins: coinCount,
      pools: poolCount,
      days,
      rawRows: (coinCount + poolCount) * cycles,
      loadMs,
      rollupMs,
      kept: keep !== undefined,
      reused: kept !== undefined,
      reads,
      backtest,
      bytes,
    };
  } finally {
    await db.close();
  }
}

const mb = (bytes: number) =>
  bytes < 2 ** 20 ? `${(bytes / 2 ** 10).toFixed(0)} kB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;

export function historySection(r: HistoryBenchResult | undefined): string {
  if (!r) return '## History for years\n\nSkipped: needs PostgreSQL (DATABASE_URL).';
  const perYear = (bytes: number) => mb((bytes * 365) / r.days);
  return [
    '## History for years (PostgreSQL)',
    '',
    `${r.coins} coins and ${r.pools} pools, a row each every ${CADENCE_S} s for ${r.days} days ` +
      `(${r.rawRows.toLocaleString('en-US')} raw rows), ` +
      (r.reused
        ? 'reused from a kept database (load and rollups not measured). Reads are '
        : `loaded with COPY in ${(r.loadMs / 1000).toFixed(1)} s; ` +
          `hourly and daily rollups built from nothing in ${(r.rollupMs / 1000).toFixed(1)} s. Reads are `) +
      '`readCoinHistory`/`readPoolHistory` (what the history routes run), median of 21 over different coins or pools.',
    '',
    '| read | span | bucket | median | target |',
    '|---|---|---|---|---|',
    ...r.reads.map(
      (x) => `| ${x.label} | ${x.spanDays} d | ${x.bucketS} s | ${x.ms.toFixed(1)} ms | ${x.target ?? ''} |`,
    ),
    `| backtest of max-usd-coin, hourly steps (GET /v1/backtest, ${r.backtest.snapshots} steps, HTTP ${r.backtest.status}), first run (cold) / median of the next 3 (warm) | ${r.backtest.spanDays} d | 3600 s | ${r.backtest.coldMs.toFixed(0)} / ${r.backtest.ms.toFixed(0)} ms | < 2 s |`,
    '',
    '| disk (pg_total_relation_size, tables and indexes) | measured | per year |',
    '|---|---|---|',
    `| raw history, all ${r.days} days kept | ${mb(r.bytes.raw)} | ${perYear(r.bytes.raw)} |`,
    `| hourly rollups | ${mb(r.bytes.hourly)} | ${perYear(r.bytes.hourly)} |`,
    `| daily rollups | ${mb(r.bytes.daily)} | ${perYear(r.bytes.daily)} |`,
    `| raw history after retention (30 days, whole months dropped) | ${r.kept ? 'not measured (kept database)' : mb(r.bytes.rawAfterRetention)} | |`,
  ].join('\n');
}

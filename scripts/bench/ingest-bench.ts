// Ingest benchmark: normalize + compute CPU on the fixtures ×10, and the write of one cycle beside a COPY of its rows.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  computeCycle,
  createCollectors,
  type IngestOptions,
  ingest,
  ingestOptionsFrom,
  type StoredMarket,
} from '@smart-mining/aggregator';
import { createDb, type Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { emptySnapshot, type SourceSnapshot } from '@smart-mining/domain';
import { loadConfig, setPath } from '@smart-mining/platform';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { IN_PROCESS_ORIGIN, inProcessReplayFetch } from './in-process-fetch.ts';
import { scaleSnapshot } from './scale.ts';
import { cpuMs, median, timeMs } from './stats.ts';

const SCALE = 10;
export const NOW = new Date('2024-02-16T16:40:00Z');
export const OPTIONS: IngestOptions = ingestOptionsFrom(loadConfig({ file: null, env: {} }));

const EMPTY: StoredMarket = { coins: [], pools: [], mining: [] };

export interface IngestBenchResult {
  rows: { coins: number; pools: number; hardwareMining: number };
  normalizeCpuMs: number;
  computeCpuMs: number;
  writes: { database: string; firstWriteMs: number; updateWriteMs: number; copyMs?: number }[];
}

export async function collectSnapshot(
  db: Db,
): Promise<{ snapshot: SourceSnapshot; collect: () => Promise<SourceSnapshot> }> {
  const config = loadConfig({
    file: null,
    env: { MINERSTAT_API_KEY: 'bench', HASHRATENO_API_KEY: 'bench' },
    overrides: (raw) => {
      const o = IN_PROCESS_ORIGIN;
      const urls: Record<string, [string, string]> = {
        binance: ['baseUrl', `${o}/binance`],
        coingecko: ['baseUrl', `${o}/coingecko`],
        hashrateno: ['baseUrl', `${o}/hashrateno`],
        minerstat: ['baseUrl', `${o}/minerstat`],
        whattomine: ['baseUrl', `${o}/whattomine`],
        nanopool: ['urlTemplate', `${o}/nanopool/{coin}`],
        twominers: ['urlTemplate', `${o}/2miners/{coin}/api`],
      };
      for (const [source, [key, url]] of Object.entries(urls)) {
        setPath(raw, ['aggregator', 'sources', source, key], url);
        setPath(raw, ['aggregator', 'sources', source, 'minIntervalMs'], 0);
      }
    },
  });
  const collectors = createCollectors(config, { db, fetch: inProcessReplayFetch(), now: () => NOW });
  const collect = async () => {
    const out = emptySnapshot();
    for (const r of await Promise.allSettled(collectors.map((c) => c.collect()))) {
      if (r.status !== 'fulfilled') continue;
      out.coins.push(...r.value.coins);
      out.pools.push(...r.value.pools);
      out.hardware.push(...r.value.hardware);
    }
    return out;
  };
  return { snapshot: await collect(), collect };
}

/** Moves every price by `fraction` so the next ingest updates rows and appends history. */
function moved(snapshot: SourceSnapshot, fraction: number, at: Date): SourceSnapshot {
  return {
    coins: snapshot.coins.map((c) => ({
      ...c,
      observedAt: at,
      ...(c.priceUsd ? { priceUsd: c.priceUsd * (1 + fraction) } : {}),
    })),
    pools: snapshot.pools.map((p) => ({ ...p, observedAt: at })),
    hardware: snapshot.hardware.map((h) => ({ ...h, observedAt: at })),
  };
}

async function copyRows(url: string, tables: Record<string, unknown[][]>): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of Object.keys(tables)) {
      await client.query(`CREATE TEMP TABLE bench_${table} (LIKE ${table} INCLUDING DEFAULTS)`);
    }
    // Median of 5, like the writes it is compared with; each round copies into emptied tables.
    const samples: number[] = [];
    for (let round = 0; round < 5; round++) {
      await client.query(
        Object.keys(tables)
          .map((t) => `TRUNCATE bench_${t};`)
          .join(' '),
      );
      samples.push(
        await timeMs(async () => {
          await client.query('BEGIN');
          for (const [table, rows] of Object.entries(tables)) {
            const text = `${rows.map((r) => r.map(copyField).join('\t')).join('\n')}\n`;
            await pipeline(Readable.from([text]), client.query(copyFrom(`COPY bench_${table} FROM STDIN`)));
          }
          await client.query('COMMIT');
        }),
      );
    }
    return median(samples);
  } finally {
    await client.end();
  }
}

function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v).replace(/\\/g, '\\\\');
  return String(v);
}

export async function benchIngest(databaseUrl: string | undefined): Promise<IngestBenchResult> {
  const cacheDb = await createDb();
  const { snapshot, collect } = await collectSnapshot(cacheDb);
  const normalizeSamples: number[] = [];
  for (let i = 0; i < 5; i++)
    normalizeSamples.push(
      await cpuMs(async () => {
        for (let k = 0; k < SCALE; k++) await collect();
      }),
    );
  const scaled = scaleSnapshot(snapshot, SCALE);
  const computeSamples: number[] = [];
  let computed = computeCycle(scaled, EMPTY, { ...OPTIONS, now: NOW });
  for (let i = 0; i < 20; i++)
    computeSamples.push(
      await cpuMs(() => (computed = computeCycle(scaled, EMPTY, { ...OPTIONS, now: NOW }))),
    );
  await cacheDb.close();

  const writes: IngestBenchResult['writes'] = [];
  for (const database of testDatabases(databaseUrl ? { DATABASE_URL: databaseUrl } : {})) {
    const db = await database.open();
    try {
      const first = await ingest(db, scaled, [], NOW, OPTIONS);
      const updates: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const at = new Date(NOW.getTime() + i * 60_000);
        updates.push((await ingest(db, moved(scaled, i / 100, at), [], at, OPTIONS)).writeMs);
      }
      const entry: IngestBenchResult['writes'][number] = {
        database: database.name,
        firstWriteMs: first.writeMs,
        updateWriteMs: median(updates),
      };
      if (db.url) entry.copyMs = await copyRows(db.url, copyTables(computed));
      writes.push(entry);
    } finally {
      await db.close();
    }
  }
  return {
    rows: {
      coins: computed.coins.length,
      pools: computed.pools.length,
      hardwareMining: computed.mining.length,
    },
    normalizeCpuMs: median(normalizeSamples),
    computeCpuMs: median(computeSamples),
    writes,
  };
}

/** The rows one cycle writes, as COPY input for the same tables. */
function copyTables(c: ReturnType<typeof computeCycle>): Record<string, unknown[][]> {
  const now = NOW;
  return {
    coins: c.coins.map((r) => [
      r.coin,
      r.name,
      r.algorithm,
      r.blockTimeS,
      r.blockReward,
      r.difficulty,
      r.networkHashrateHs,
      r.priceUsd,
      r.volume24hUsd,
      r.usdPerHsDay,
      r.priceTrusted,
      r.trusted,
      r.sources,
      r.observedAt,
      r.priceUpdatedAt,
      r.networkUpdatedAt,
      now,
      r.stale,
      now,
    ]),
    coin_history: c.coinHistory.map((r) => [
      r.coin,
      now,
      r.priceUsd,
      r.volume24hUsd,
      r.difficulty,
      r.networkHashrateHs,
      r.blockReward,
      r.blockTimeS,
      r.usdPerHsDay,
      r.trusted,
    ]),
    pools: c.pools.map((r) => [
      r.poolKey,
      r.pool,
      r.coin,
      r.feeFraction,
      r.hashrateHs,
      r.miners,
      r.workers,
      r.lastBlockAt,
      r.blockHeight,
      r.endpoints,
      r.usdPerHsDay,
      !r.stale,
      r.sources,
      r.observedAt,
      now,
      r.stale,
      now,
    ]),
    pool_history: c.poolHistory.map((r) => [
      r.poolKey,
      now,
      r.feeFraction,
      r.hashrateHs,
      r.miners,
      r.workers,
      r.usdPerHsDay,
    ]),
    hardware: c.devices.map((r) => [r.hardware, r.name, r.vendor, r.kind, null, null, r.updatedAt]),
    hardware_mining: c.mining.map((r) => [
      r.hardware,
      r.algorithm,
      r.hashrateHs,
      r.powerW,
      r.source,
      r.sources,
      r.bestCoin,
      r.revenueUsdPerDay,
      r.costUsdPerDay,
      r.profitUsdPerDay,
      r.updatedAt,
      r.bestPool,
    ]),
  };
}

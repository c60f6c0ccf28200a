// The embedded database against PostgreSQL as users run them: `aggregate --once` (one cycle) as its own process
// on PGlite and on PostgreSQL — time and peak RSS — and the resident memory of an idle `npm start` on PGlite.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ReplayServer,
  replayEnvironment,
  shiftMarketTime,
  startReplayServer,
} from '@smart-mining/testkit';
import pg from 'pg';
import { type ProcessRun, rssMb, runProcess, start } from './process-memory.ts';
import { median } from './stats.ts';

// What `npm start` and `npm run smart-mining` run: the bundled command (npm ci builds it).
const LAUNCHER = new URL('../../apps/cli/dist/bin/smart-mining.mjs', import.meta.url).pathname;
const SOURCES = ['binance', 'coingecko', 'hashrateno', 'minerstat', 'whattomine', 'nanopool', 'twominers'];
/** The fixtures' snapshot: the replay's clocks are moved from it to now, so the data is fresh. */
const SNAPSHOT_MS = Date.parse('2024-02-16T16:36:12Z');
const IDLE_SAMPLE_S = 120;

export interface CycleBenchResult {
  /** One cycle with each source's real request spacing (what `aggregate --once` costs a user). */
  spaced: { pglite: ProcessRun; postgres?: ProcessRun };
  /** Median of 3 cycles without request spacing: the database's own share shows. */
  unspaced: { pgliteFirst: ProcessRun; pglite: Summary; postgres?: Summary };
  idle: { medianRssMb?: number; maxRssMb?: number; peakRssMb?: number; sampledS: number };
}

export interface Summary {
  wallMs: number;
  peakRssMb?: number;
}

function summarize(runs: ProcessRun[]): Summary {
  const peaks = runs.flatMap((r) => (r.peakRssMb === undefined ? [] : [r.peakRssMb]));
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    ...(peaks.length ? { peakRssMb: Math.max(...peaks) } : {}),
  };
}

function replayEnv(server: ReplayServer): NodeJS.ProcessEnv {
  return { ...replayEnvironment(server.baseUrls), SM_LOG_LEVEL: 'info' };
}

async function withPostgres<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `sm_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function cycles(env: NodeJS.ProcessEnv, count: number): Promise<ProcessRun[]> {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < count; i++) {
    const run = await runProcess([LAUNCHER, 'aggregate', '--once'], env);
    if (run.exitCode !== 0) throw new Error(`aggregate --once exited ${run.exitCode}:\n${run.stdout}`);
    runs.push(run);
  }
  return runs;
}

/** `npm start` on PGlite: after every source ran once, RSS sampled each second for IDLE_SAMPLE_S. */
async function idleStart(env: NodeJS.ProcessEnv): Promise<CycleBenchResult['idle']> {
  const child = start([LAUNCHER, 'start'], { ...env, SM_API_PORT: '0' });
  const pid = child.pid!;
  let ran = 0;
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk;
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    ran += lines.filter((l) => /"msg":"source (ok|failed)"/.test(l)).length;
  });
  child.stderr!.resume();
  try {
    for (let i = 0; i < 600 && ran < SOURCES.length; i++) await sleep(500);
    const samples: number[] = [];
    for (let s = 0; s < IDLE_SAMPLE_S; s++) {
      await sleep(1000);
      const rss = rssMb(pid, 'VmRSS');
      if (rss !== undefined) samples.push(rss);
    }
    const peak = rssMb(pid, 'VmHWM');
    return {
      sampledS: IDLE_SAMPLE_S,
      ...(samples.length ? { medianRssMb: median(samples), maxRssMb: Math.max(...samples) } : {}),
      ...(peak !== undefined ? { peakRssMb: peak } : {}),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function benchCycles(databaseUrl: string | undefined): Promise<CycleBenchResult> {
  const server = await startReplayServer();
  shiftMarketTime(server, Math.round((Date.now() - SNAPSHOT_MS) / 1000));
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-'));
  try {
    const spacedConfig = join(dir, 'spaced.json');
    const unspacedConfig = join(dir, 'unspaced.json');
    writeFileSync(spacedConfig, '{}');
    const noSpacing = Object.fromEntries(SOURCES.map((s) => [s, { minIntervalMs: 0 }]));
    writeFileSync(unspacedConfig, JSON.stringify({ aggregator: { sources: noSpacing } }));
    const base = { ...process.env, ...replayEnv(server) };
    delete base.DATABASE_URL;
    const pglite = (config: string, data: string) => ({
      ...base,
      SM_CONFIG: config,
      SM_DATA_DIR: join(dir, data),
    });

    process.stderr.write('bench: cycles on pglite…\n');
    const [pgliteFirst] = await cycles(pglite(unspacedConfig, 'unspaced'), 1);
    const pgliteRuns = await cycles(pglite(unspacedConfig, 'unspaced'), 3);
    const [pgliteSpaced] = await cycles(pglite(spacedConfig, 'unspaced'), 1);
    let postgres: { spaced: ProcessRun; unspaced: Summary } | undefined;
    if (databaseUrl) {
      process.stderr.write('bench: cycles on postgres…\n');
      postgres = await withPostgres(databaseUrl, async (url) => {
        const env = (config: string) => ({ ...base, SM_CONFIG: config, DATABASE_URL: url });
        await cycles(env(unspacedConfig), 1); // migrations and first inserts, as PGlite's first run above
        const unspaced = summarize(await cycles(env(unspacedConfig), 3));
        const [spaced] = await cycles(env(spacedConfig), 1);
        return { spaced: spaced!, unspaced };
      });
    }
    process.stderr.write(`bench: idle npm start on pglite (${IDLE_SAMPLE_S} s)…\n`);
    const idle = await idleStart(pglite(spacedConfig, 'unspaced'));
    return {
      spaced: { pglite: pgliteSpaced!, ...(postgres ? { postgres: postgres.spaced } : {}) },
      unspaced: {
        pgliteFirst: pgliteFirst!,
        pglite: summarize(pgliteRuns),
        ...(postgres ? { postgres: postgres.unspaced } : {}),
      },
      idle,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

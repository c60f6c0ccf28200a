// The system the browser tests look at: replay server → real aggregator cycle → PGlite → API serving the dashboard.

import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Aggregator } from '@smart-mining/aggregator';
import { buildApp } from '@smart-mining/api';
import { type Db, rollUpHistory } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import { type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { build } from 'vite';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig, SNAPSHOT_NOW } from '../e2e/support.ts';

export const TOKEN = 'browser-test-token';
const DASHBOARD_ROOT = join(import.meta.dirname, '../../apps/dashboard');

export interface Stack {
  origin: string;
  replay: ReplayServer;
  db: Db;
  aggregator: Aggregator;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Builds the dashboard's current sources (not a possibly older dist/) into a temporary directory. */
export async function buildDashboard(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'sm-dashboard-build-'));
  await build({
    root: DASHBOARD_ROOT,
    configFile: join(DASHBOARD_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/**
 * The recorded market ingested once at the snapshot time, with Hashrate.no's key left unset so one source
 * shows as skipped. The API's clock stays at the snapshot, so nothing is stale.
 */
export async function startStack(): Promise<Stack> {
  const replay = await startReplayServer();
  const db = await testDatabases({})[0]!.open();
  const now = () => SNAPSHOT_NOW;
  const aggregator = buildAggregator(
    replayConfig(replay, { HASHRATENO_API_KEY: undefined }),
    db,
    silentLogger,
    {
      now,
    },
  );
  const cycle = await aggregator.runOnce();
  const dashboardDir = await buildDashboard();
  const app = await buildApp({ db, now, apiToken: TOKEN, dashboardDir, sourceSkips: cycle.skipped });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    replay,
    db,
    aggregator,
    app,
    close: async () => {
      await app.close();
      await db.close();
      await replay.close();
      rmSync(dashboardDir, { recursive: true, force: true });
    },
  };
}

/**
 * A year of history before the snapshot, derived in SQL from each coin's and pool's ingested values (slow
 * waves of price and difficulty): every 3 h (as downsampled history would be), every 10 min in the last
 * week (fresh enough for a backtest's staleness limit), so the charts and the backtest have a range to show.
 */
export async function seedYearOfHistory(db: Db): Promise<void> {
  const span = [SNAPSHOT_NOW.toISOString()];
  await db.query(
    `INSERT INTO coin_history (coin, time, price_usd, volume_24h_usd, difficulty, network_hashrate_hs,
                               block_reward, block_time_s, usd_per_hs_day, trusted)
     SELECT c.coin, t, c.price_usd * w.p, c.volume_24h_usd, c.difficulty * w.d, c.network_hashrate_hs * w.d,
            c.block_reward, c.block_time_s, c.usd_per_hs_day * w.p / w.d, c.trusted
     FROM coins c
     CROSS JOIN (
       SELECT generate_series($1::timestamptz - interval '365 days', $1::timestamptz - interval '7 days',
                              interval '3 hours')
       UNION ALL
       SELECT generate_series($1::timestamptz - interval '7 days' + interval '10 minutes',
                              $1::timestamptz - interval '10 minutes', interval '10 minutes')
     ) AS s(t)
     CROSS JOIN LATERAL (SELECT
       1 + 0.3 * sin(extract(epoch FROM t) / 2592000.0 * 2 * pi() + ascii(c.coin))
         + 0.6 * sin(extract(epoch FROM t) / 259200.0 * 2 * pi() + pi() * (ascii(c.coin) % 2)) AS p,
       1 + 0.2 * cos(extract(epoch FROM t) / 3888000.0 * 2 * pi() + ascii(c.coin)) AS d) AS w
     ON CONFLICT DO NOTHING`,
    span,
  );
  await db.query(
    `INSERT INTO pool_history (pool_key, time, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day)
     SELECT p.pool_key, h.time, p.fee_fraction, p.hashrate_hs * (0.8 + 0.4 * h.usd_per_hs_day / c.usd_per_hs_day / 2),
            p.miners, p.workers, h.usd_per_hs_day * (1 - coalesce(p.fee_fraction, 0))
     FROM pools p
     JOIN coins c ON c.coin = p.coin
     JOIN coin_history h ON h.coin = p.coin AND h.time < $1::timestamptz
     WHERE c.usd_per_hs_day > 0
     ON CONFLICT DO NOTHING`,
    span,
  );
  // Long ranges read the hourly and daily rollups: rolled up again from the start, as the rows above lie before
  // what the ingest's own rollup covered.
  await db.query('DELETE FROM history_rollup_state');
  await rollUpHistory(db, SNAPSHOT_NOW);
}

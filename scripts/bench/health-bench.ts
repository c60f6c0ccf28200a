// /health under heavy reads: p99 of /health (autocannon, its own process) alone and while 30 clients keep
// asking for one year of coin history, on PostgreSQL (PGlite runs each query on the API's own thread).

import type { AddressInfo } from 'node:net';
import { buildApp } from '@smart-mining/api';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { load, type RouteLoad } from './api-bench.ts';
import { percentile } from './stats.ts';

export interface HealthBenchResult {
  historyRows: number;
  historyClients: number;
  durationS: number;
  alone: RouteLoad;
  underLoad: RouteLoad;
  history: { answers: number; byStatus: Record<string, number>; p50Ms: number; p99Ms: number };
}

const YEAR_S = 365 * 86_400;

/** One year of ETC history at one row a minute (525,600 rows), ending now. */
async function seedYear(db: Db, now: Date): Promise<number> {
  await db.query(
    `INSERT INTO coins (coin, name, algorithm, usd_per_hs_day, price_usd, observed_at, updated_at)
     VALUES ('ETC', 'Ethereum Classic', 'etchash', 1e-8, 20, $1, $1)`,
    [now],
  );
  const [row] = await db.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO coin_history (coin, time, price_usd, volume_24h_usd, difficulty, network_hashrate_hs,
         usd_per_hs_day, trusted)
       SELECT 'ETC', g, 20 + random(), 5e7, 1e15, 1.5e14, 1e-8 * (1 + random()), true
       FROM generate_series($1::timestamptz - make_interval(secs => $2), $1::timestamptz, interval '1 minute') g
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [now, YEAR_S - 60],
  );
  await db.query('ANALYZE coin_history');
  return row!.n;
}

async function historyClients(url: string, clients: number, stop: Promise<void>) {
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  let running = true;
  void stop.then(() => {
    running = false;
  });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (running) {
        const t0 = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      }
    }),
  );
  return {
    answers: latencies.length,
    byStatus,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export async function benchHealth(
  databaseUrl: string | undefined,
  durationS = 10,
): Promise<HealthBenchResult | undefined> {
  const postgres = testDatabases(databaseUrl ? { DATABASE_URL: databaseUrl } : {}).find(
    (d) => d.name === 'postgres',
  );
  if (!postgres) return undefined;
  const db = await postgres.open();
  try {
    const now = new Date();
    const historyRows = await seedYear(db, now);
    const app = await buildApp({ db });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { raw: _a, ...alone } = await load(`${base}/health`, 1, 1, durationS);
    const from = new Date(now.getTime() - YEAR_S * 1000).toISOString();
    const historyUrl = `${base}/v1/coins/ETC/history?from=${from}&to=${now.toISOString()}&bucketS=86400`;
    const clients = 30;
    let release!: () => void;
    const stop = new Promise<void>((resolve) => {
      release = resolve;
    });
    const history = historyClients(historyUrl, clients, stop);
    const { raw: _b, ...underLoad } = await load(`${base}/health`, 1, 1, durationS);
    release();
    const result = {
      historyRows,
      historyClients: clients,
      durationS,
      alone,
      underLoad,
      history: await history,
    };
    await app.close();
    return result;
  } finally {
    await db.close();
  }
}

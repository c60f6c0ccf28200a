// The whole system around the Stratum proxy, in one test process on real sockets and the real clock: replay
// server → aggregator → database → API → proxy (over HTTP, with a proxy token) → simulated pools, mined by
// simulated miners. Declared pools point at the simulated pools.

import type { AddressInfo } from 'node:net';
import type { Aggregator } from '@smart-mining/aggregator';
import { buildApp } from '@smart-mining/api';
import { appendEvent, createToken, type Db } from '@smart-mining/db';
import type { TestDatabase } from '@smart-mining/db/testing';
import { createLogger, loadConfig, setPath, silentLogger } from '@smart-mining/platform';
import {
  closedPort,
  type ReplayServer,
  SIM_DIFFICULTY,
  SimMiner,
  type SimMinerOptions,
  SimPool,
  startReplayServer,
} from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { type ProxyService, startProxyService } from '../../apps/cli/src/proxy-compose.ts';
import { replayConfig } from './support.ts';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

/** A pool the operator declares for the test: its key, coin, fee, and the simulated pool behind it. */
export interface SimPoolDeclaration {
  key: string;
  feeFraction: number;
  /** Tag of the simulated pool's jobs (hex: it goes into coinb2; simJobOrigin reads it back). */
  id: string;
}

export interface ProxyStack {
  replay: ReplayServer;
  db: Db;
  aggregator: Aggregator;
  apiUrl: string;
  proxy: ProxyService;
  pools: Map<string, SimPool>;
  miners: SimMiner[];
  miner(options: Partial<SimMinerOptions> & { username: string }): Promise<SimMiner>;
  /** Changes a declared pool's fee (the API hears of it by event, as after an ingest). */
  setPoolFee(poolKey: string, feeFraction: number): Promise<void>;
  /** One aggregator cycle on the replayed market as it stands (its ingest tells the API by event). */
  cycle(): Promise<void>;
  /** Stops the API (its port refuses connections) until apiUp(). */
  apiDown(): Promise<void>;
  apiUp(): Promise<void>;
  get<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

export interface ProxyStackOptions {
  algorithm: 'sha256d' | 'scrypt';
  pools: SimPoolDeclaration[];
  /** A profile the miners name in their password (created through the API). */
  profile: { name: string; definition: unknown };
  /** Put a URL where nothing listens before the API's in the proxy's list. */
  deadApiFirst?: boolean;
  upstreamMode?: 'shared' | 'per-miner';
  /** Moves the replayed market before the first cycle. */
  market?: (replay: ReplayServer) => void;
}

/** Timings that make failover quick on a test's time scale; the event stream, not a timer, drives switches. */
const TIMINGS = {
  tickMs: 100,
  failoverAfterS: 1,
  downRetryS: 30,
  reconnectMinMs: 50,
  reconnectMaxMs: 500,
  decisionTimeoutMs: 3000,
  decisionIntervalS: 20,
  reportIntervalS: 2,
};

/**
 * Writes the declared pools as the market's pool rows (their Stratum endpoint on 127.0.0.1), as declared pools
 * in the configuration are ingested.
 */
async function declarePools(db: Db, pools: SimPoolDeclaration[], ports: Map<string, SimPool>): Promise<void> {
  const now = new Date();
  for (const p of pools) {
    const [pool, coin] = p.key.split(':');
    const endpoints = [
      { host: '127.0.0.1', port: ports.get(p.key)!.port, tls: false, dialect: 'stratum-v1' },
    ];
    await db.query(
      `INSERT INTO pools (pool_key, pool, coin, fee_fraction, hashrate_hs, miners, workers, block_height,
         endpoints, usd_per_hs_day, observed_at, updated_at, stale)
       VALUES ($1, $2, $3, $4, NULL, NULL, NULL, NULL, $5::jsonb, NULL, $6, $6, false)`,
      [p.key, pool, coin, p.feeFraction, JSON.stringify(endpoints), now],
    );
  }
}

export async function startProxyStack(database: TestDatabase, o: ProxyStackOptions): Promise<ProxyStack> {
  const replay = await startReplayServer(0, { now: () => new Date() });
  const db = await database.open();
  o.market?.(replay);
  const aggregator = buildAggregator(replayConfig(replay), db, silentLogger);
  await aggregator.runOnce();
  const pools = new Map<string, SimPool>();
  for (const p of o.pools) {
    pools.set(
      p.key,
      await SimPool.start({ algorithm: o.algorithm, difficulty: SIM_DIFFICULTY[o.algorithm], id: p.id }),
    );
  }
  await declarePools(db, o.pools, pools);

  let app: FastifyInstance = await buildApp({ db, apiToken: ADMIN_TOKEN, eventsHeartbeatMs: 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const apiPort = (app.server.address() as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const created = await fetch(`${apiUrl}/v1/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(o.profile),
  });
  if (created.status !== 201) throw new Error(`profile not created: ${await created.text()}`);

  const coins = [...new Set(o.pools.map((p) => p.key.split(':')[1]!))];
  const config = loadConfig({
    file: null,
    env: { SM_LOG_LEVEL: 'silent' },
    overrides: (raw) =>
      setPath(raw, ['proxy'], {
        id: `e2e-${o.algorithm}`,
        listeners: [
          {
            algorithm: o.algorithm,
            port: 0,
            host: '127.0.0.1',
            upstreamMode: o.upstreamMode ?? 'shared',
            defaultProfile: o.profile.name,
          },
        ],
        accounts: { acct: Object.fromEntries(coins.map((c) => [c, `${c.toLowerCase()}-wallet-acct`])) },
        statusPort: 0,
        drainS: 1,
      }),
  });
  const apiUrls = o.deadApiFirst ? [`http://127.0.0.1:${await closedPort()}`, apiUrl] : [apiUrl];
  // SM_TEST_PROXY_LOG=debug shows the proxy's log when a test needs explaining.
  const logger = process.env.SM_TEST_PROXY_LOG
    ? createLogger(process.env.SM_TEST_PROXY_LOG as 'debug')
    : silentLogger;
  const proxy = await startProxyService(config, logger, {
    apiUrls,
    token: (await createToken(db, { name: `e2e-${o.algorithm}` })).token,
    timings: TIMINGS,
    reconnectMinMs: 100,
    reconnectMaxMs: 1000,
  });
  const stratumPort = proxy.stratum.addresses[0]!.port;
  const miners: SimMiner[] = [];
  let apiIsUp = true;

  return {
    replay,
    db,
    aggregator,
    apiUrl,
    proxy,
    pools,
    miners,
    async miner(options) {
      const m = await SimMiner.start({
        host: '127.0.0.1',
        port: stratumPort,
        algorithm: o.algorithm,
        ...options,
      });
      miners.push(m);
      return m;
    },
    async setPoolFee(poolKey, feeFraction) {
      await db.transaction(async (tx) => {
        await tx.query('UPDATE pools SET fee_fraction = $2, updated_at = now() WHERE pool_key = $1', [
          poolKey,
          feeFraction,
        ]);
        await appendEvent(tx, 'rankings-changed', { cause: 'ingest', ingestedAt: new Date().toISOString() });
      });
    },
    async cycle() {
      const report = await aggregator.runOnce();
      const failed = report.runs.filter((r) => !r.ok);
      if (failed.length > 0)
        throw new Error(`cycle: ${failed.map((r) => `${r.source}: ${r.error}`).join('; ')}`);
    },
    async apiDown() {
      await app.close();
      apiIsUp = false;
    },
    async apiUp() {
      app = await buildApp({ db, apiToken: ADMIN_TOKEN, eventsHeartbeatMs: 1000 });
      await app.listen({ host: '127.0.0.1', port: apiPort });
      apiIsUp = true;
    },
    async get<T>(path: string): Promise<T> {
      const response = await fetch(`${apiUrl}${path}`);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async close() {
      for (const m of miners) m.stop();
      await proxy.stop();
      if (apiIsUp) await app.close();
      for (const pool of pools.values()) await pool.stop();
      await db.close();
      await replay.close();
    },
  };
}

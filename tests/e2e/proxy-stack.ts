// The whole system around the Stratum proxy, in one test process on real sockets and the real clock: replay
// server → aggregator → database → API → proxy (over HTTP, with a proxy token) → simulated pools, mined by
// simulated miners. The pools are declared in the configuration (`pools`), pointing at the simulated pools.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { buildApp } from '@smart-mining/api';
import { createToken, type Db } from '@smart-mining/db';
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
  /** Declared at a port where nothing listens: no simulated pool behind it (a pool the proxy cannot reach). */
  unreachable?: boolean;
  /** The simulated pool's extranonce2_size (its default otherwise). */
  extranonce2Size?: number;
}

export interface ProxyStack {
  replay: ReplayServer;
  db: Db;
  apiUrl: string;
  proxy: ProxyService;
  pools: Map<string, SimPool>;
  miners: SimMiner[];
  miner(options: Partial<SimMinerOptions> & { username: string }): Promise<SimMiner>;
  /** Changes a declared pool's fee in the config; the next aggregator cycle writes it (the API hears by event). */
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
  /** The listener's fallback pool (a declared pool key). */
  fallbackPool?: string;
  /** The proxy's timings over the stack's own. */
  timings?: Partial<typeof TIMINGS>;
  /** Further aggregator settings (staleness limits). */
  aggregator?: (raw: Record<string, unknown>) => void;
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

/** The config file's `pools` entry of each simulated pool (plain Stratum on 127.0.0.1). */
function declaredPools(
  pools: SimPoolDeclaration[],
  sims: Map<string, SimPool>,
  algorithm: string,
  deadPort: number,
) {
  return pools.map((p) => ({
    key: p.key,
    coin: p.key.split(':')[1]!,
    algorithm,
    feeFraction: p.feeFraction,
    urls: [`stratum+tcp://127.0.0.1:${p.unreachable ? deadPort : sims.get(p.key)!.port}`],
  }));
}

export async function startProxyStack(database: TestDatabase, o: ProxyStackOptions): Promise<ProxyStack> {
  const replay = await startReplayServer(0, { now: () => new Date() });
  o.market?.(replay);
  const db = await database.open();
  const pools = new Map<string, SimPool>();
  for (const p of o.pools) {
    if (p.unreachable) continue;
    pools.set(
      p.key,
      await SimPool.start({
        algorithm: o.algorithm,
        difficulty: SIM_DIFFICULTY[o.algorithm],
        id: p.id,
        ...(p.extranonce2Size !== undefined ? { extranonce2Size: p.extranonce2Size } : {}),
      }),
    );
  }
  // The operator's config file: the declared pools, read by the aggregator (which values them) and the proxy.
  const declared = declaredPools(o.pools, pools, o.algorithm, await closedPort());
  let aggregator = buildAggregator(
    replayConfig(replay, {}, { pools: declared }, o.aggregator),
    db,
    silentLogger,
  );
  await aggregator.runOnce();

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
    overrides: (raw) => {
      setPath(raw, ['pools'], declared);
      setPath(raw, ['proxy'], {
        id: `e2e-${o.algorithm}`,
        listeners: [
          {
            algorithm: o.algorithm,
            port: 0,
            host: '127.0.0.1',
            upstreamMode: o.upstreamMode ?? 'shared',
            defaultProfile: o.profile.name,
            ...(o.fallbackPool ? { fallbackPool: o.fallbackPool } : {}),
          },
        ],
        accounts: { acct: Object.fromEntries(coins.map((c) => [c, `${c.toLowerCase()}-wallet-acct`])) },
        statusPort: 0,
        drainS: 1,
      });
    },
  });
  const apiUrls = o.deadApiFirst ? [`http://127.0.0.1:${await closedPort()}`, apiUrl] : [apiUrl];
  // SM_TEST_PROXY_LOG=debug shows the proxy's log when a test needs explaining.
  const logger = process.env.SM_TEST_PROXY_LOG
    ? createLogger(process.env.SM_TEST_PROXY_LOG as 'debug')
    : silentLogger;
  const proxy = await startProxyService(config, logger, {
    apiUrls,
    token: (await createToken(db, { name: `e2e-${o.algorithm}` })).token,
    timings: { ...TIMINGS, ...o.timings },
    reconnectMinMs: 100,
    reconnectMaxMs: 1000,
  });
  const stratumPort = proxy.stratum.addresses[0]!.port;
  const miners: SimMiner[] = [];
  let apiIsUp = true;
  const cycle = async () => {
    const report = await aggregator.runOnce();
    const failed = report.runs.filter((r) => !r.ok);
    if (failed.length > 0)
      throw new Error(`cycle: ${failed.map((r) => `${r.source}: ${r.error}`).join('; ')}`);
  };

  return {
    replay,
    db,
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
      // The operator edits the declared fee and restarts the aggregator; its next cycle writes it.
      declared.find((p) => p.key === poolKey)!.feeFraction = feeFraction;
      aggregator = buildAggregator(
        replayConfig(replay, {}, { pools: declared }, o.aggregator),
        db,
        silentLogger,
      );
      await cycle();
    },
    cycle,
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

/** Shares of miner `m` accepted on jobs of the simulated pool `poolId`. */
export const acceptedOn = (m: SimMiner, poolId: string) =>
  m.shares.filter((s) => s.accepted === true && s.poolJob?.poolId === poolId).length;

/**
 * No share lost: every share a miner sent before its last answered one (answered or not: one sent as the proxy
 * told it client.reconnect gets no answer) is held as accepted by the pool that issued its job (its id among
 * `poolIds`), and every answer the miner got was an accept.
 */
export function assertSharesAcceptedByTheirPools(
  s: ProxyStack,
  miners: SimMiner[],
  poolIds: Map<string, string>,
) {
  for (const m of miners) {
    const answered = m.shares.filter((share) => share.accepted !== undefined);
    assert.ok(answered.length > 0, `${m.profile.name}: no share answered`);
    const lastAnswered = Math.max(...answered.map((share) => share.id));
    for (const share of m.shares.filter((x) => x.id <= lastAnswered)) {
      if (share.accepted !== undefined)
        assert.equal(share.accepted, true, `${m.profile.name}: ${JSON.stringify(share.error)}`);
      const key = poolIds.get(share.poolJob?.poolId ?? '');
      assert.ok(key, `${m.profile.name}: a share on an unknown job ${JSON.stringify(share.poolJob)}`);
      assert.ok(
        s.pools
          .get(key)!
          .shares.some(
            (r) => r.accepted && r.nonce === share.nonce && r.extranonce2.endsWith(share.extranonce2),
          ),
        `${m.profile.name}: share ${share.nonce} not accepted by ${key}`,
      );
    }
  }
}

// The offline demo, composed: a replayed market that moves on a script, the aggregator on a short interval, the
// API serving the dashboard on an embedded database in a temporary folder, simulated pools declared as the
// market's pools, and a slot for the Stratum proxy (with its simulated miners) that plugs into the same API.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@smart-mining/db';
import { type Config, type Logger, loadConfig } from '@smart-mining/platform';
import {
  describeMoves,
  parseMarketScenario,
  playScenario,
  type ReplayServer,
  replayEnvironment,
  SIM_DIFFICULTY,
  SimPool,
  startReplayServer,
  waitFor,
} from '@smart-mining/testkit';

import type { FastifyInstance } from 'fastify';
import {
  buildAggregator,
  createRegistry,
  issueInProcessProxyToken,
  openDatabase,
  startApi,
} from '../../apps/cli/src/compose.ts';

export const DEFAULT_SCENARIO = join(
  import.meta.dirname,
  '../../packages/testkit/scenarios/demo-market.json',
);

export interface DemoOptions {
  apiPort: number;
  stratumPort: number;
  /** Every source polled this often (s). */
  intervalS: number;
  /** The scenario's clock: 1 plays it as written, 0.1 ten times faster. */
  scenarioScale: number;
  scenarioFile: string;
  /** Simulated miners mining through the proxy. */
  miners: number;
  /** How often the proxy reports its miners (s). */
  reportIntervalS: number;
}

/** The simulated pools the demo declares: two scrypt (LTC, DOGE), two sha256d (BTC). */
export const DEMO_POOLS = [
  { key: 'sim-ltc:LTC', coin: 'LTC', algorithm: 'scrypt', feeFraction: 0.01 },
  { key: 'sim-doge:DOGE', coin: 'DOGE', algorithm: 'scrypt', feeFraction: 0.01 },
  { key: 'sim-btc-a:BTC', coin: 'BTC', algorithm: 'sha256d', feeFraction: 0.02 },
  { key: 'sim-btc-b:BTC', coin: 'BTC', algorithm: 'sha256d', feeFraction: 0.015 },
] as const;

export type DemoPool = (typeof DEMO_POOLS)[number] & { url: string; pool: SimPool };

/** What the proxy piece gets: the API to report to (with its token) and the pools it may route to. */
export interface ProxyPieceContext {
  apiUrl: string;
  proxyToken: string;
  stratumPort: number;
  pools: readonly DemoPool[];
  logger: Logger;
}

export interface StratumUrl {
  algorithm: string;
  /** `stratum+tcp://127.0.0.1:3333`: what a real miner is pointed at. */
  url: string;
}

/** The proxy with its simulated miners: started once the API answers, stopped first. */
export interface ProxyPiece {
  start(ctx: ProxyPieceContext): Promise<{ stratumUrls: StratumUrl[]; close(): Promise<void> }>;
}

export interface RunningDemo {
  dashboardUrl: string;
  stratumUrls: StratumUrl[];
  /** Stops everything, newest first, and removes the temporary folder. */
  close(): Promise<void>;
}

/** Reads the demo's settings from the environment (tests shorten the intervals). */
export function demoOptionsFromEnv(env: NodeJS.ProcessEnv): DemoOptions {
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`${name}="${raw}": is not a non-negative number`);
    return value;
  };
  return {
    apiPort: number('SM_DEMO_API_PORT', 8080),
    stratumPort: number('SM_DEMO_STRATUM_PORT', 3333),
    intervalS: number('SM_DEMO_INTERVAL_S', 30),
    scenarioScale: number('SM_DEMO_SCENARIO_SCALE', 1),
    scenarioFile: env.SM_DEMO_SCENARIO ?? DEFAULT_SCENARIO,
    miners: number('SM_DEMO_MINERS', 36),
    reportIntervalS: number('SM_DEMO_REPORT_S', 10),
  };
}

function demoConfig(
  options: DemoOptions,
  replay: ReplayServer,
  dataDir: string,
  pools: readonly DemoPool[],
  adminToken: string,
): Config {
  return loadConfig({
    file: null,
    env: {
      ...replayEnvironment(replay.baseUrls),
      SM_API_HOST: '127.0.0.1',
      SM_API_PORT: String(options.apiPort),
      SM_DATA_DIR: dataDir,
      SM_API_TOKEN: adminToken,
      SM_LOG_LEVEL: process.env.SM_LOG_LEVEL ?? 'warn',
    },
    overrides: (raw) => {
      raw.aggregator ??= {};
      const aggregator = raw.aggregator as Record<string, unknown>;
      aggregator.sources ??= {};
      const sources = aggregator.sources as Record<string, Record<string, unknown>>;
      for (const source of Object.keys(replay.baseUrls))
        sources[source] = { ...sources[source], intervalS: options.intervalS };
      raw.pools = pools.map((p) => ({
        key: p.key,
        coin: p.coin,
        algorithm: p.algorithm,
        feeFraction: p.feeFraction,
        urls: [p.url],
      }));
    },
  });
}

/** The profile the demo's market steps are made for: it switches within a step (a minute at scale 1). */
export const DEMO_PROFILE = 'demo';

async function createDemoProfile(apiUrl: string, adminToken: string, scale: number): Promise<void> {
  const res = await fetch(`${apiUrl}/v1/profiles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: DEMO_PROFILE,
      definition: {
        description: 'Most USD per coin, switching within a minute of the market moving (the demo)',
        switching: { thresholdFraction: 0.002, minDwellS: Math.max(1, Math.round(40 * scale)) },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`demo profile not created: ${res.status} ${await res.text()}`);
}

/** Starts every piece; on a failure, what started is stopped again before the error is thrown. */
export async function startDemo(
  options: DemoOptions,
  logger: Logger,
  proxy?: ProxyPiece,
  onMarketStep: (text: string) => void = () => {},
): Promise<RunningDemo> {
  const closers: (() => unknown)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) {
      try {
        await c();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping the demo');
      }
    }
  };
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'sm-demo-'));
    closers.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const scenario = parseMarketScenario(JSON.parse(readFileSync(options.scenarioFile, 'utf8')));
    const scaled = {
      steps: scenario.steps.map((s) => ({ ...s, atS: s.atS * options.scenarioScale })),
      ...(scenario.loopS === undefined ? {} : { loopS: scenario.loopS * options.scenarioScale }),
    };
    // The recording's timestamps moved to now: the market reads as fresh.
    const replay = await startReplayServer(0, { now: () => new Date() });
    closers.push(() => replay.close());
    const player = playScenario(replay, scaled, {
      onStep: (index, step) =>
        onMarketStep(`market step ${index + 1}/${scaled.steps.length}: ${describeMoves(step.coins)}`),
    });
    closers.push(() => player.stop());

    const pools: DemoPool[] = [];
    for (const p of DEMO_POOLS) {
      // Shares the simulated miners find in milliseconds of real hashing; a new job every 30 s.
      const pool = await SimPool.start({
        algorithm: p.algorithm,
        difficulty: SIM_DIFFICULTY[p.algorithm],
        jobIntervalMs: 30_000,
        recordShares: false,
      });
      closers.push(() => pool.stop());
      pools.push({ ...p, pool, url: `stratum+tcp://127.0.0.1:${pool.port}` });
    }

    const adminToken = randomBytes(24).toString('hex');
    const config = demoConfig(options, replay, join(dataDir, 'pglite'), pools, adminToken);
    const db: Db = await openDatabase(config, logger);
    closers.push(() => db.close());
    const registry = createRegistry();
    const app: FastifyInstance = await startApi(config, db, logger, registry);
    closers.push(() => app.close());
    const address = app.server.address();
    const port = address && typeof address === 'object' ? address.port : options.apiPort;
    const apiUrl = `http://127.0.0.1:${port}`;
    const aggregator = buildAggregator(config, db, logger, { registry });
    aggregator.start();
    closers.push(() => aggregator.stop());

    await createDemoProfile(apiUrl, adminToken, options.scenarioScale);
    let stratumUrls: StratumUrl[] = [];
    if (proxy) {
      // Miners name their devices, which the API knows once the first hardware source has run.
      await waitFor(
        async () =>
          ((await (await fetch(`${apiUrl}/v1/hardware`)).json()) as { hardware: unknown[] }).hardware.length >
          0,
        { what: 'the market hardware', timeoutMs: 300_000, intervalMs: 1000 },
      );
      const running = await proxy.start({
        apiUrl,
        proxyToken: await issueInProcessProxyToken(db),
        stratumPort: options.stratumPort,
        pools,
        logger,
      });
      closers.push(() => running.close());
      stratumUrls = running.stratumUrls;
    }
    return { dashboardUrl: `${apiUrl}/`, stratumUrls, close };
  } catch (error) {
    await close();
    throw error;
  }
}

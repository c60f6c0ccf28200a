// Starts a proxy on real sockets with in-memory ports, and the simulated pools it mines on, for integration tests.

import {
  SIM_DIFFICULTY,
  SimMiner,
  type SimMinerOptions,
  SimPool,
  type SimPoolOptions,
} from '@smart-mining/testkit';
import type { ListenerInput, ProxyTimings } from '../src/config.ts';
import type { Target } from '../src/ports.ts';
import { createProxy, type ProxyDeps, type StratumProxy } from '../src/proxy.ts';
import { listen, type StratumServer } from '../src/server.ts';
import {
  localTarget,
  MemoryDecisionSource,
  MemoryDirectory,
  MemoryReportSink,
  testAccount,
} from './memory-ports.ts';

export interface Harness {
  proxy: StratumProxy;
  server: StratumServer;
  port: number;
  decisions: MemoryDecisionSource;
  directory: MemoryDirectory;
  reports: MemoryReportSink;
  pools: Map<string, SimPool>;
  targets: Map<string, Target>;
  miner(options: Partial<SimMinerOptions> & { username?: string }): Promise<SimMiner>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  algorithm: 'sha256d' | 'scrypt';
  /** Pools to start, by pool key (`a:BTC`); the decision ranks them in this order. */
  pools: { poolKey: string; options?: Partial<SimPoolOptions> }[];
  /** Pools already listening (a script pool in the test), ranked after the simulated ones. */
  poolPorts?: { poolKey: string; port: number }[];
  listener?: Partial<ListenerInput>;
  timings?: Partial<ProxyTimings>;
  /** Decide nothing at first (the decision source fails) — for fallback tests. */
  decisionsFailing?: boolean;
  deps?: Partial<ProxyDeps>;
}

/** Fast timings for tests: they wait for events, so short timeouts only make failover tests quick. */
export const TEST_TIMINGS: Partial<ProxyTimings> = {
  tickMs: 100,
  failoverAfterS: 1,
  reconnectMinMs: 50,
  reconnectMaxMs: 500,
  decisionTimeoutMs: 2000,
};

export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const pools = new Map<string, SimPool>();
  const targets = new Map<string, Target>();
  for (const p of o.pools) {
    const pool = await SimPool.start({
      algorithm: o.algorithm,
      difficulty: SIM_DIFFICULTY[o.algorithm],
      ...p.options,
    });
    pools.set(p.poolKey, pool);
    targets.set(p.poolKey, localTarget(p.poolKey, pool.port, { algorithm: o.algorithm }));
  }
  for (const p of o.poolPorts ?? []) {
    targets.set(p.poolKey, localTarget(p.poolKey, p.port, { algorithm: o.algorithm }));
  }
  const coins = [...new Set([...targets.values()].map((t) => t.coin))];
  const directory = new MemoryDirectory([testAccount('acct', coins)], [...targets.values()]);
  const decisions = new MemoryDecisionSource([...targets.values()]);
  if (o.decisionsFailing) decisions.failing = 'decision source unreachable';
  const reports = new MemoryReportSink();
  const proxy = createProxy({
    listeners: [{ algorithm: o.algorithm, port: 0, host: '127.0.0.1', ...o.listener }],
    decisions,
    directory,
    reports,
    timings: { ...TEST_TIMINGS, ...o.timings },
    ...o.deps,
  });
  const server = await listen(proxy);
  const port = server.addresses[0]!.port;
  const miners: SimMiner[] = [];
  return {
    proxy,
    server,
    port,
    decisions,
    directory,
    reports,
    pools,
    targets,
    async miner(options) {
      const miner = await SimMiner.start({
        host: '127.0.0.1',
        port,
        algorithm: o.algorithm,
        username: 'acct.rig1',
        ...options,
      });
      miners.push(miner);
      return miner;
    },
    async stop() {
      for (const m of miners) m.stop();
      await server.close();
      await proxy.close();
      for (const pool of pools.values()) await pool.stop();
    },
  };
}

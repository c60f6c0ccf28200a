// createProxy(deps): the proxy core without sockets of its own. handle(conn) takes any Duplex (TCP, TLS, an
// in-memory pair), like aedes; server.ts owns the listeners. One tick drives every timeout and timer.

import type { Duplex } from 'node:stream';
import { encodeError, wireError } from '@smart-mining/stratum';
import { type Logger, pino } from 'pino';
import { Registry } from 'prom-client';
import {
  type ListenerConfig,
  type ListenerInput,
  listenerConfig,
  type ProxyTimings,
  proxyTimings,
} from './config.ts';
import type { ListenerRuntime, ProxyContext } from './context.ts';
import { ConnectionTable } from './downstream/connection-table.ts';
import './downstream/handlers/index.ts';
import { type ConnectionInfo, MinerSession } from './downstream/miner-session.ts';
import { ProxyError } from './errors.ts';
import { LaneAllocator } from './extranonce.ts';
import { JobTable } from './jobs/job-table.ts';
import type { AccountDirectory, DecisionSource, ReportSink, Target } from './ports.ts';
import { PoolHealth } from './routing/pool-health.ts';
import { RouteTable } from './routing/route-table.ts';
import { registerProxyMetrics } from './stats/proxy-metrics.ts';
import { MinerReporter } from './stats/reporter.ts';
import { ShareCounters } from './stats/share-counters.ts';
import { buildSummary, type MinerSummary, minerSummaries, type ProxySummary } from './stats/summary.ts';
import { type Dialer, netDialer } from './upstream/dial.ts';
import { reconnectMiner } from './upstream/miner-writes.ts';
import { ReconnectHints } from './upstream/reconnect-hints.ts';
import { dialable, UpstreamRegistry } from './upstream/upstream-registry.ts';

export interface ProxyDeps {
  /** Listener options (a full ListenerConfig is an input too). */
  listeners: ListenerInput[];
  decisions: DecisionSource;
  directory: AccountDirectory;
  reports: ReportSink;
  /** Names this proxy (and worker) in logs and the summary. */
  proxyId?: string;
  logger?: Logger;
  /** Metrics are registered here (default: a new Registry, see `proxy.registry`). */
  registry?: Registry;
  /** Epoch ms; tests pass a controllable clock. */
  now?: () => number;
  /** How pool endpoints are opened (default TCP/TLS). */
  dial?: Dialer;
  timings?: Partial<ProxyTimings>;
  /** Start the tick interval (default true; tests may drive `tick()` themselves). */
  autoTick?: boolean;
}

export interface StratumProxy {
  /** Serves one miner connection; `info.listener` names the listener when there are several. */
  handle(conn: Duplex, info?: ConnectionInfo): void;
  /** One beat of the sweeper, upstream stall checks, route timers and reports (runs every tickMs). */
  tick(): void;
  summary(): ProxySummary;
  miners(limit?: number): MinerSummary[];
  /** How many entries each of the proxy's tables holds now (tests check they return to their baseline). */
  sizes(): ProxySizes;
  /** Sends the periodic miner report now (it also goes out every reportIntervalS). */
  report(): Promise<void>;
  readonly registry: Registry;
  readonly listeners: readonly ListenerConfig[];
  /**
   * Shutdown, first step: tells every miner client.reconnect (to `reconnectHost`/`reconnectPort` when set, else the
   * address it used: a restarted proxy or the next one behind the same address) and lets it go. Returns how many.
   */
  drain(): number;
  /** Closes every miner connection and upstream. */
  close(): Promise<void>;
}

export interface ProxySizes {
  connections: number;
  /** Remote addresses with a count toward the per-IP limit. */
  addresses: number;
  /** Extranonce slots held, over every listener's lanes. */
  slots: number;
  routes: number;
  upstreams: number;
  jobs: number;
  pendingSubmits: number;
  /** Pool-down marks kept (pool-wide and per account), lapsed ones included. */
  poolMarks: number;
}

export const PROXY_AGENT = 'smart-mining-proxy/0.1';

export function createProxy(deps: ProxyDeps): StratumProxy {
  const now = deps.now ?? Date.now;
  const timings = proxyTimings(deps.timings);
  // pino directly: importing the platform package for its silent logger would load its config schemas too.
  const logger = deps.logger ?? pino({ level: 'silent' });
  const routes = new RouteTable();
  const connections = new ConnectionTable();
  const ctx: ProxyContext = {
    proxyId: deps.proxyId ?? 'proxy',
    agent: PROXY_AGENT,
    timings,
    logger,
    decisions: deps.decisions,
    directory: deps.directory,
    reports: deps.reports,
    dial: deps.dial ?? netDialer(),
    now,
    nowS: Math.floor(now() / 1000),
    connections,
    jobs: new JobTable(),
    upstreams: new UpstreamRegistry(),
    routes,
    health: new PoolHealth(now, timings.downRetryS, (poolKey, down, reason, account) => {
      const fields = account === null ? { pool: poolKey, reason } : { pool: poolKey, account, reason };
      logger[down ? 'warn' : 'info'](fields, down ? 'pool down' : 'pool up');
      routes.poolChanged();
    }),
    shares: new ShareCounters(),
    hints: new ReconnectHints(),
    counters: { connectionsRefused: {}, badLines: 0, loginsRefused: 0, closedBy: {}, switches: {} },
  };
  const listeners = deps.listeners.map((l) => listenerRuntime(ctx, l, deps.directory));
  const reporter = new MinerReporter(ctx, connections);
  const unsubscribe = deps.decisions.subscribe((event) => routes.decisionEvent(event));

  const tick = () => {
    const nowMs = now();
    ctx.nowS = Math.floor(nowMs / 1000);
    connections.sweep(ctx.nowS);
    ctx.hints.sweep(ctx.nowS);
    ctx.health.sweep();
    ctx.upstreams.tick(nowMs);
    routes.tick(nowMs, timings.routeIdleS);
    reporter.tick(nowMs);
  };
  const timer = deps.autoTick === false ? undefined : setInterval(tick, timings.tickMs);
  timer?.unref();

  const summary = () => buildSummary(ctx, listeners, connections);
  const registry = deps.registry ?? new Registry();
  registerProxyMetrics(registry, summary);

  return {
    handle(conn, info = {}) {
      const listener = pickListener(listeners, info.listener);
      ctx.nowS = Math.floor(now() / 1000);
      const address = info.remoteAddress ?? 'unknown';
      if (!connections.admits(address, listener.config.limits.maxConnectionsPerIp)) {
        refuse(conn, ctx, 'per-ip-limit', 'Too many connections from this address');
        return;
      }
      const session = new MinerSession(
        listener,
        conn,
        address === info.remoteAddress ? info : { ...info, remoteAddress: address },
      );
      listener.connections++;
      connections.opened(session);
    },
    tick,
    summary,
    miners: (limit = 10_000) => minerSummaries(connections, limit),
    sizes: () => sizes(ctx, listeners),
    report: () => {
      reporter.roll(now());
      return reporter.send();
    },
    registry,
    listeners: listeners.map((l) => l.config),
    drain() {
      const sessions = [...connections.sessions];
      for (const s of sessions) reconnectMiner(s, 0);
      return sessions.length;
    },
    async close() {
      clearInterval(timer);
      unsubscribe();
      for (const s of [...connections.sessions]) s.close('proxy-closing');
      ctx.upstreams.closeAll();
    },
  };
}

function sizes(ctx: ProxyContext, listeners: ListenerRuntime[]): ProxySizes {
  let pendingSubmits = 0;
  for (const u of ctx.upstreams.all()) pendingSubmits += u.client.pendingSubmits;
  let slots = 0;
  for (const l of listeners) for (const lane of l.lanes.laneUsage()) slots += lane.used;
  return {
    connections: ctx.connections.size,
    addresses: ctx.connections.addresses,
    slots,
    routes: ctx.routes.size,
    upstreams: ctx.upstreams.size,
    jobs: ctx.jobs.size,
    pendingSubmits,
    poolMarks: ctx.health.list().length,
  };
}

function listenerRuntime(
  ctx: ProxyContext,
  input: ListenerInput,
  directory: AccountDirectory,
): ListenerRuntime {
  const config = listenerConfig(input);
  return {
    ctx,
    config,
    lanes: new LaneAllocator(config.prefixBytes, config.upstreamMode),
    fallback: fallbackTarget(config, directory),
    connections: 0,
  };
}

/** The declared fallback pool as a target; a fallback this listener cannot dial is a configuration error. */
function fallbackTarget(config: ListenerConfig, directory: AccountDirectory): Target | undefined {
  if (config.fallbackPool === undefined) return undefined;
  const pool = directory.pool(config.fallbackPool);
  if (pool === undefined)
    throw new ProxyError('SM_PROXY_BAD_FALLBACK', `${config.fallbackPool} is not declared`);
  const target: Target = { ...pool, usdPerHsDay: null };
  const runtime = { config } as ListenerRuntime;
  if (!dialable(runtime, target)) {
    throw new ProxyError(
      'SM_PROXY_BAD_FALLBACK',
      `${config.fallbackPool} (${pool.algorithm}) has no ${config.dialect} endpoint for ${config.algorithm} listener ${config.name}`,
    );
  }
  return target;
}

function pickListener(listeners: ListenerRuntime[], name: string | undefined): ListenerRuntime {
  if (name === undefined) {
    if (listeners.length === 1) return listeners[0]!;
    throw new ProxyError(
      'SM_PROXY_UNKNOWN_LISTENER',
      'several listeners: name one in handle(conn, {listener})',
    );
  }
  const found = listeners.find((l) => l.config.name === name);
  if (found === undefined) throw new ProxyError('SM_PROXY_UNKNOWN_LISTENER', name);
  return found;
}

/** A connection over a limit gets one error line and is closed once the line is flushed. */
function refuse(conn: Duplex, ctx: ProxyContext, reason: string, message: string): void {
  const refused = ctx.counters.connectionsRefused;
  refused[reason] = (refused[reason] ?? 0) + 1;
  conn.on('error', () => {});
  conn.end(encodeError(null, wireError('other', message)), () => conn.destroy());
}

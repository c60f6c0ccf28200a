// What the proxy's parts share: one context object per proxy (no globals), and one runtime per listener.

import type { Logger } from 'pino';
import type { ListenerConfig, ProxyTimings } from './config.ts';
import type { ConnectionTable } from './downstream/connection-table.ts';
import type { LaneAllocator } from './extranonce.ts';
import type { JobTable } from './jobs/job-table.ts';
import type { AccountDirectory, DecisionSource, ReportSink, Target } from './ports.ts';
import type { PoolHealth } from './routing/pool-health.ts';
import type { RouteTable } from './routing/route-table.ts';
import type { ShareCounters } from './stats/share-counters.ts';
import type { Dialer } from './upstream/dial.ts';
import type { ReconnectHints } from './upstream/reconnect-hints.ts';
import type { UpstreamRegistry } from './upstream/upstream-registry.ts';

export interface ListenerRuntime {
  readonly ctx: ProxyContext;
  readonly config: ListenerConfig;
  readonly lanes: LaneAllocator;
  /** The declared fallback pool as a target, when the listener names one. */
  readonly fallback: Target | undefined;
  /** Open sessions on this listener. */
  connections: number;
}

export interface ProxyContext {
  readonly proxyId: string;
  /** Our user agent toward pools (and the answer to a pool's client.get_version). */
  readonly agent: string;
  readonly timings: ProxyTimings;
  readonly logger: Logger;
  readonly decisions: DecisionSource;
  readonly directory: AccountDirectory;
  readonly reports: ReportSink;
  readonly dial: Dialer;
  /** Epoch ms (injectable clock). */
  now(): number;
  /** Whole seconds, refreshed every tick and on each new connection: cheap enough for every line. */
  nowS: number;
  readonly connections: ConnectionTable;
  readonly jobs: JobTable;
  readonly upstreams: UpstreamRegistry;
  readonly routes: RouteTable;
  readonly health: PoolHealth;
  readonly shares: ShareCounters;
  readonly hints: ReconnectHints;
  /** Counters the metrics read (connections refused, lines refused, switches by method). */
  readonly counters: ProxyCounters;
}

export interface ProxyCounters {
  connectionsRefused: Record<string, number>;
  badLines: number;
  /** Authorizes answered false (unknown account, profile or hardware, bad options): only the miner sees why. */
  loginsRefused: number;
  closedBy: Record<string, number>;
  switches: Record<string, number>;
}

// What every route module gets from buildApp: the database, the clock, the guards, the event hub, the market.

import type { Db } from '@smart-mining/db';
import type { ApiMetrics } from '@smart-mining/platform';
import type { Guards } from './auth.ts';
import type { EventHub } from './event-hub.ts';
import type { HeavyReads } from './heavy-reads.ts';
import type { MarketCache } from './market-cache.ts';

export interface DecisionDefaults {
  /** Profile used when `?profile=` is absent. */
  profile: string;
  /** Hashrate per algorithm when `?hashrateHs=` is absent: 1 H/s ranks "per H/s". */
  hashrateHs: number;
}

export interface HealthOptions {
  /** A source whose last good run is older than this is reported stale. */
  sourceMaxAgeS: number;
  /** The database check gives up after this long (an unreachable server must not hang /health). */
  timeoutMs: number;
}

export interface AppContext {
  db: Db;
  now: () => Date;
  guards: Guards;
  events: EventHub;
  /** Market tables in memory between ingests (reads of coins, pools, hardware, profiles). */
  market: MarketCache;
  /** History and backtest reads: bounded, off the path of health and decisions. */
  heavyReads: HeavyReads;
  metrics: ApiMetrics;
  decisionDefaults: DecisionDefaults;
  health: HealthOptions;
}

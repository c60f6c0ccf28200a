// What every route module gets from buildApp: the database, the clock, the token guard, the event hub.

import type { Db } from '@smart-mining/db';
import type { TokenGuard } from './auth.ts';
import type { RankingsEvents } from './events.ts';
import type { MarketCache } from './market-cache.ts';

export interface DecisionDefaults {
  /** Profile used when `?profile=` is absent. */
  profile: string;
  /** Hashrate per algorithm when `?hashrate=` is absent: 1 H/s ranks "per H/s". */
  hashrateHs: number;
}

export interface HealthOptions {
  /** A source whose last good run is older than this is reported stale. */
  sourceMaxAgeS: number;
}

export interface AppContext {
  db: Db;
  now: () => Date;
  requireToken: TokenGuard;
  events: RankingsEvents;
  /** Market tables in memory between ingests (reads of coins, pools, hardware, profiles). */
  market: MarketCache;
  decisionDefaults: DecisionDefaults;
  health: HealthOptions;
}

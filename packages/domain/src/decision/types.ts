// Types shared by profiles, decide() and backtest(): the contract between the decision engine and the API.

import type { AlgorithmKey } from '../algorithms.ts';

export type PriceBasis = 'current' | 'avg_1h' | 'avg_24h';
export type Objective = 'revenue' | 'profit';

/** A validated profile definition (stored as jsonb in `profiles.definition`). */
export interface ProfileDefinition {
  description?: string;
  filters: {
    algorithms?: AlgorithmKey[];
    coins?: { allow?: string[]; deny?: string[] };
    pools?: { allow?: string[]; deny?: string[] };
    minVolume24hUsd?: number;
    /** Data older than this never wins. */
    maxDataAgeS: number;
  };
  objective: Objective;
  /** Required when objective is `profit`. */
  electricityUsdPerKwh?: number;
  priceBasis: PriceBasis;
  /**
   * `algorithm`: rank only the algorithms the miner's connection mines (`MinerCapability.connectionAlgorithms`,
   * else all of `algorithms`) — max-usd-coin. `hardware`: rank every algorithm the hardware can mine
   * (all of `MinerCapability.algorithms`) — max-usd-hashrate.
   */
  scope: 'algorithm' | 'hardware';
  switching: {
    /** Switch only when the best beats the current by at least this fraction (0.03 = 3 %). */
    thresholdFraction: number;
    minDwellS: number;
    /** Seconds of lost work charged when the algorithm changes (DAG rebuild, miner restart). */
    algorithmSwitchCostS: number;
  };
  /** `fixed` profiles: the one pool key to mine (`2miners:ETC`). Set = the profile is fixed (no switching). */
  fixedTarget?: string;
}

export interface Profile {
  name: string;
  builtIn: boolean;
  definition: ProfileDefinition;
}

/** One place a miner could mine: a pool for a coin, with the data behind its value. */
export interface Candidate {
  /** Pool key `<pool>:<coin>`. */
  target: string;
  pool: string;
  coin: string;
  algorithm: AlgorithmKey;
  feeFraction: number;
  /** Gross coin revenue of 1 H/s for a day, per price basis (missing basis: not enough history). */
  usdPerHsDay: Partial<Record<PriceBasis, number>>;
  volume24hUsd?: number;
  /** Oldest input behind the value (price or network data). */
  dataAt: Date;
  /** False when the price or network data is flagged untrusted. */
  trusted: boolean;
  stale: boolean;
}

/** What the miner brings: hashrate (and power) per algorithm it can mine. */
export interface MinerCapability {
  /** Hardware key when known (`nvidia-rtx-3080`). */
  hardware?: string;
  algorithms: { algorithm: AlgorithmKey; hashrateHs: number; powerW?: number }[];
  /**
   * The algorithm(s) the miner's connection mines now (the proxy listener's, or xmrig's declared list).
   * Scope `algorithm` ranks only these; scope `hardware` ignores them. Absent: every algorithm above.
   */
  connectionAlgorithms?: AlgorithmKey[];
}

export interface CurrentTarget {
  target: string;
  algorithm: AlgorithmKey;
  since: Date;
}

export interface RankedTarget {
  target: string;
  pool: string;
  coin: string;
  algorithm: AlgorithmKey;
  hashrateHs: number;
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  /** The value ranked on: revenue or profit, per the profile's objective. */
  valueUsdPerDay: number;
  dataAgeS: number;
}

export interface Decision {
  /** Where to mine now: the current target kept, or a switch. Undefined when nothing is eligible. */
  chosen?: RankedTarget;
  /** True when `chosen` differs from the current target (also when there was no current target). */
  switched: boolean;
  /** A sentence a person can read: "ETC@2miners 4.1 % above current, threshold 3 %, dwell 600 s met". */
  reason: string;
  /** Every eligible target, best first. */
  ranked: RankedTarget[];
  /** Candidates left out, with why ("stale", "untrusted", "denied", "volume below minimum", …). */
  excluded: { target: string; why: string }[];
}

export interface DecideInput {
  candidates: Candidate[];
  profile: Profile;
  miner: MinerCapability;
  current?: CurrentTarget;
  now: Date;
}

/** The market as the API saw it at one instant (one row set of coin/pool history). */
export interface BacktestSnapshot {
  at: Date;
  candidates: Candidate[];
}

export interface BacktestInput {
  profile: Profile;
  miner: MinerCapability;
  /** Sorted by `at` before replay; each snapshot's values hold until the next one. */
  snapshots: BacktestSnapshot[];
}

export interface BacktestTimelineEntry {
  at: Date;
  /** Pool key mined from `at` to the next snapshot; undefined when nothing was eligible (idle). */
  target?: string;
  valueUsdPerDay: number;
  /** True when this snapshot moved the miner off a previous target (counted in `switches`). */
  switched: boolean;
}

export interface BacktestResult {
  timeline: BacktestTimelineEntry[];
  /** Changes of target after the first one (the first assignment is not a switch). */
  switches: number;
  usdEarned: number;
  /** The single target that would have earned most over the same range; undefined when none was ever eligible. */
  bestFixed?: { target: string; usdEarned: number };
  /** (usdEarned − bestFixed) / |bestFixed|; undefined when the best fixed target earned 0. */
  vsBestFixedFraction?: number;
}

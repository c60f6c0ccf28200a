// The API's answers as the dashboard reads them; local until the API's contract package provides these types.

export type IsoDate = string;

/** One field's provenance: every source's value, the consensus, and the sources left out with why. */
export interface FieldProvenance {
  value?: number;
  trusted?: boolean;
  from?: Record<string, number>;
  rejected?: Record<string, unknown>;
  /** usdPerHsDay: how it was computed and the sources' own estimates. */
  method?: string;
  estimates?: Record<string, number>;
}

export interface Coin {
  coin: string;
  name: string;
  algorithm: string;
  blockTimeS: number | null;
  blockReward: number | null;
  difficulty: number | null;
  networkHashrateHs: number | null;
  priceUsd: number | null;
  volume24hUsd: number | null;
  usdPerHsDay: number | null;
  priceTrusted: boolean;
  trusted: boolean;
  sources: Record<string, FieldProvenance | Record<string, number>>;
  observedAt: IsoDate;
  updatedAt: IsoDate;
  stale: boolean;
  dataAgeS: number;
}

export interface Pool {
  poolKey: string;
  pool: string;
  coin: string;
  algorithm: string | null;
  feeFraction: number | null;
  hashrateHs: number | null;
  miners: number | null;
  workers: number | null;
  usdPerHsDay: number | null;
  healthy: boolean;
  observedAt: IsoDate;
  stale: boolean;
  dataAgeS: number;
}

export interface HardwareMining {
  algorithm: string;
  hashrateHs: number;
  powerW: number | null;
}

export interface Hardware {
  hardware: string;
  name: string;
  vendor: string;
  kind: string;
  mining: HardwareMining[];
}

export interface RankingEntry {
  rank: number;
  target: string;
  pool: string | null;
  coin: string;
  algorithm: string;
  feeFraction: number;
  usdPerHsDay: number;
  hashrateHs: number;
  powerW: number | null;
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  profitUsdPerDay: number;
  dataAgeS: number;
  trusted: boolean;
  stale: boolean;
}

export interface Ranking {
  at: IsoDate;
  hardware: string | null;
  electricityUsdPerKwh: number;
  ranking: RankingEntry[];
}

export interface RankedTarget {
  poolKey: string;
  coin: string;
  algorithm: string;
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  valueUsdPerDay: number;
}

export interface Decision {
  at: IsoDate;
  profile: string;
  chosen: RankedTarget | null;
  reason: string;
  ranked: RankedTarget[];
  excluded: { poolKey: string; why: string }[];
}

export interface Aggregate {
  avg: number | null;
  min: number | null;
  max: number | null;
}

export type CoinMeasure = 'priceUsd' | 'usdPerHsDay' | 'difficulty' | 'networkHashrateHs' | 'volume24hUsd';
export type PoolMeasure = 'hashrateHs' | 'miners' | 'workers' | 'usdPerHsDay' | 'feeFraction';

export interface HistoryPoint {
  at: IsoDate;
  samples: number;
  [measure: string]: Aggregate | IsoDate | number;
}

export interface History {
  from: IsoDate;
  to: IsoDate;
  bucketS: number;
  points: HistoryPoint[];
}

export interface BacktestStep {
  at: IsoDate;
  target: string | null;
  valueUsdPerDay: number;
  switched: boolean;
}

export interface Backtest {
  from: IsoDate;
  to: IsoDate;
  stepS: number;
  profile: string;
  snapshots: number;
  switches: number;
  usdEarned: number;
  bestFixed: { target: string; usdEarned: number } | null;
  vsBestFixedFraction: number | null;
  timeline: BacktestStep[];
}

export interface ProfileDefinition {
  description?: string;
  filters?: {
    algorithms?: string[];
    coins?: { allow?: string[]; deny?: string[] };
    pools?: { allow?: string[]; deny?: string[] };
    minVolume24hUsd?: number;
    maxDataAgeS?: number;
  };
  objective?: 'revenue' | 'profit';
  electricityUsdPerKwh?: number;
  priceBasis?: 'current' | 'avg_1h' | 'avg_24h';
  scope?: 'algorithm' | 'hardware';
  switching?: { thresholdFraction?: number; minDwellS?: number; algorithmSwitchCostS?: number };
  fixedTarget?: string;
}

export interface Profile {
  name: string;
  builtIn: boolean;
  definition: ProfileDefinition;
  createdAt: IsoDate;
  updatedAt: IsoDate;
}

export interface SourceStatus {
  source: string;
  skipReason: string | null;
  lastRunAt: IsoDate | null;
  lastRunOk: boolean | null;
  lastError: string | null;
  lastOkAt: IsoDate | null;
  lastOkRows: number | null;
  lastOkAgeS: number | null;
  stale: boolean;
}

export interface Sources {
  at: IsoDate;
  sourceMaxAgeS: number;
  sources: SourceStatus[];
}

// Normalized, typed observations every collector produces, in our units (see DESIGN.md §Units).

import type { AlgorithmKey } from './algorithms.ts';
import type { StratumDialect } from './stratum-dialects.ts';

export const SOURCES = [
  'binance',
  'coingecko',
  'hashrateno',
  'minerstat',
  'nanopool',
  '2miners',
  'whattomine',
] as const;
export type SourceName = (typeof SOURCES)[number];

export interface CoinObservation {
  source: SourceName;
  coin: string;
  /** When the source says the data was measured; the fetch time when it does not say. */
  observedAt: Date;
  name?: string;
  algorithm?: AlgorithmKey;
  priceUsd?: number;
  volume24hUsd?: number;
  difficulty?: number;
  networkHashrateHs?: number;
  blockTimeS?: number;
  blockReward?: number;
  /** The source's own estimate of revenue for 1 H/s over a day, for cross-checks. */
  usdPerHsDay?: number;
  /** The source flags its own data as lagging/stale. */
  lagging?: boolean;
}

export interface StratumEndpoint {
  host: string;
  port: number;
  tls: boolean;
  dialect: StratumDialect;
  region?: string;
}

export interface PoolObservation {
  source: SourceName;
  /** Pool operator id, lowercase (`2miners`, `nanopool`). */
  pool: string;
  coin: string;
  observedAt: Date;
  feeFraction?: number;
  hashrateHs?: number;
  miners?: number;
  workers?: number;
  lastBlockAt?: Date;
  blockHeight?: number;
  endpoints?: StratumEndpoint[];
}

export interface HardwareObservation {
  source: SourceName;
  /** Stable slug: `nvidia-rtx-3080`. */
  hardware: string;
  name: string;
  vendor: string;
  kind: 'gpu' | 'cpu' | 'asic' | 'fpga';
  algorithm: AlgorithmKey;
  hashrateHs: number;
  powerW?: number;
  observedAt: Date;
}

export interface SourceSnapshot {
  coins: CoinObservation[];
  pools: PoolObservation[];
  hardware: HardwareObservation[];
}

export function emptySnapshot(): SourceSnapshot {
  return { coins: [], pools: [], hardware: [] };
}

/** Drops undefined fields, so an observation (or state) only states what is known. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

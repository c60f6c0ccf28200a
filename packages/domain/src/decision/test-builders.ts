// Builders for the decision tests: short, readable candidates, miners and profiles instead of blobs.

import type { AlgorithmKey } from '../algorithms.ts';
import { parseProfileDefinition } from './profile-schema.ts';
import type { Candidate, CurrentTarget, MinerCapability, PriceBasis, Profile } from './types.ts';

export const NOW = new Date('2026-11-25T12:00:00Z');

export function secondsBefore(at: Date, seconds: number): Date {
  return new Date(at.getTime() - seconds * 1000);
}

const ALGORITHM_OF_COIN: Record<string, AlgorithmKey> = {
  ETC: 'etchash',
  RVN: 'kawpow',
  KAS: 'kheavyhash',
  ERG: 'autolykos2',
};

/**
 * A fresh, trusted, fee-free candidate for a pool key (`2miners:ETC`). A number is the `current`
 * USD per H/s per day; with the 1 H/s miners below it is also the revenue in USD/day.
 */
export function candidate(
  poolKey: string,
  usdPerHsDay: number | Partial<Record<PriceBasis, number>>,
  over: Partial<Candidate> = {},
): Candidate {
  const [pool = '', coin = ''] = poolKey.split(':');
  return {
    target: poolKey,
    pool,
    coin,
    algorithm: ALGORITHM_OF_COIN[coin] ?? 'etchash',
    feeFraction: 0,
    usdPerHsDay: typeof usdPerHsDay === 'number' ? { current: usdPerHsDay } : usdPerHsDay,
    dataAt: secondsBefore(NOW, 60),
    trusted: true,
    stale: false,
    ...over,
  };
}

/** A miner doing 1 H/s on each algorithm, so values read as plain USD/day. */
export function unitMiner(...algorithms: AlgorithmKey[]): MinerCapability {
  return { algorithms: algorithms.map((algorithm) => ({ algorithm, hashrateHs: 1 })) };
}

/** An RTX 3080-like card: 100 MH/s etchash at 230 W, 45 MH/s kawpow at 300 W. */
export const RTX_3080: MinerCapability = {
  hardware: 'nvidia-rtx-3080',
  algorithms: [
    { algorithm: 'etchash', hashrateHs: 1e8, powerW: 230 },
    { algorithm: 'kawpow', hashrateHs: 4.5e7, powerW: 300 },
  ],
};

/** A profile from a partial definition, with the schema's defaults for everything else. */
export function profile(definition: Record<string, unknown> = {}, name = 'test'): Profile {
  return { name, builtIn: false, definition: parseProfileDefinition(definition) };
}

export function current(poolKey: string, secondsAgo: number, algorithm?: AlgorithmKey): CurrentTarget {
  const coin = poolKey.split(':')[1] ?? '';
  return {
    target: poolKey,
    algorithm: algorithm ?? ALGORITHM_OF_COIN[coin] ?? 'etchash',
    since: secondsBefore(NOW, secondsAgo),
  };
}

export function assertClose(actual: number | undefined, expected: number, tolerance = 1e-9): void {
  if (actual === undefined || Math.abs(actual - expected) > tolerance) {
    throw new Error(`expected ${expected} ± ${tolerance}, got ${actual}`);
  }
}

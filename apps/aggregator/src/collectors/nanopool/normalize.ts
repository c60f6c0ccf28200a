// Pure mapping of parsed Nanopool readings to our observations (H/s, USD, seconds, fractions).

import type { CoinObservation, PoolObservation } from '@smart-mining/domain';
import { nanopoolEndpoints } from './endpoints.ts';
import type { NanopoolEarnings } from './schema.ts';

export interface NanopoolCoinReadings {
  coin: string;
  /** H/s in one of the coin's display units (MH/s → 1e6 for ETC, 1 for XMR). */
  unitHs: number;
  /** The hashrate put in the approximated_earnings path, in display units. */
  earningsHashrateDisplay: number;
  earnings: NanopoolEarnings;
  blockTimeS?: number;
}

export interface NanopoolPoolReadings {
  coin: string;
  unitHs: number;
  /** /pool/hashrate, in display units. */
  hashrateDisplay: number;
  miners?: number;
  workers?: number;
  feeFraction: number;
}

/**
 * The earnings are taken as gross of the pool fee (the fixtures README leaves this open; the constructed
 * values equal WhatToMine's gross figure), so the fee lives on the PoolObservation only.
 */
export function toCoinObservation(readings: NanopoolCoinReadings, observedAt: Date): CoinObservation {
  const requestedHs = readings.earningsHashrateDisplay * readings.unitHs;
  return {
    source: 'nanopool',
    coin: readings.coin,
    observedAt,
    priceUsd: readings.earnings.prices.price_usd,
    usdPerHsDay: readings.earnings.day.dollars / requestedHs,
    ...(readings.blockTimeS !== undefined ? { blockTimeS: readings.blockTimeS } : {}),
  };
}

export function toPoolObservation(readings: NanopoolPoolReadings, observedAt: Date): PoolObservation {
  const endpoints = nanopoolEndpoints(readings.coin);
  return {
    source: 'nanopool',
    pool: 'nanopool',
    coin: readings.coin,
    observedAt,
    feeFraction: readings.feeFraction,
    hashrateHs: readings.hashrateDisplay * readings.unitHs,
    ...(readings.miners !== undefined ? { miners: readings.miners } : {}),
    ...(readings.workers !== undefined ? { workers: readings.workers } : {}),
    ...(endpoints ? { endpoints } : {}),
  };
}

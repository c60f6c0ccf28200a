// What one eligible target is worth per day to this miner, and the order targets are ranked in.

import { deviceEconomics } from '../profitability.ts';
import type { EligibleCandidate } from './eligibility.ts';
import type { ProfileDefinition, RankedTarget } from './types.ts';

/**
 * Revenue and cost by the one valuation rule (deviceEconomics: fee applied there, DESIGN.md §Profitability);
 * cost counts only for objective `profit` and known power (else 0); value = revenue or revenue − cost.
 */
export function valueTarget(e: EligibleCandidate, definition: ProfileDefinition): RankedTarget {
  const c = e.candidate;
  const chargesPower = definition.objective === 'profit' && e.rate.powerW !== undefined;
  const { revenueUsdPerDay, costUsdPerDay } = deviceEconomics({
    hashrateHs: e.rate.hashrateHs,
    powerW: chargesPower ? (e.rate.powerW ?? 0) : 0,
    usdPerHsDay: e.usdPerHsDay,
    feeFraction: c.feeFraction,
    usdPerKwh: definition.electricityUsdPerKwh ?? 0,
  });
  const valueUsdPerDay =
    definition.objective === 'profit' ? revenueUsdPerDay - costUsdPerDay : revenueUsdPerDay;
  return {
    target: c.target,
    pool: c.pool,
    coin: c.coin,
    algorithm: c.algorithm,
    hashrateHs: e.rate.hashrateHs,
    revenueUsdPerDay,
    costUsdPerDay,
    valueUsdPerDay,
    dataAgeS: e.dataAgeS,
  };
}

/** Value descending; equal values by pool key ascending (code-unit order, locale-free) so runs agree. */
export function compareRanked(a: RankedTarget, b: RankedTarget): number {
  if (a.valueUsdPerDay !== b.valueUsdPerDay) return b.valueUsdPerDay - a.valueUsdPerDay;
  return a.target < b.target ? -1 : a.target > b.target ? 1 : 0;
}

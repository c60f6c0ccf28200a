// What one eligible target is worth per day to this miner, and the order targets are ranked in.

import { SECONDS_PER_DAY } from '../units.ts';
import type { EligibleCandidate } from './eligibility.ts';
import type { ProfileDefinition, RankedTarget } from './types.ts';

const HOURS_PER_DAY = SECONDS_PER_DAY / 3600;

/**
 * revenue = hashrate × usdPerHsDay[basis] × (1 − fee) (DESIGN.md §Profitability);
 * cost = powerW × 24 / 1000 × USD/kWh, only for objective `profit` and known power (else 0);
 * value = revenue or revenue − cost, per objective.
 */
export function valueTarget(e: EligibleCandidate, definition: ProfileDefinition): RankedTarget {
  const c = e.candidate;
  const revenueUsdPerDay = e.rate.hashrateHs * e.usdPerHsDay * (1 - c.feeFraction);
  const costUsdPerDay =
    definition.objective === 'profit' && e.rate.powerW !== undefined
      ? ((e.rate.powerW * HOURS_PER_DAY) / 1000) * (definition.electricityUsdPerKwh ?? 0)
      : 0;
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

export function rankTargets(eligible: EligibleCandidate[], definition: ProfileDefinition): RankedTarget[] {
  return eligible.map((e) => valueTarget(e, definition)).sort(compareRanked);
}

// decide(): the pure decision — screen candidates, value and rank them, then apply the profile's policy.

import { minerRates, screenCandidates } from './eligibility.ts';
import { displayPoolKey, formatUsd, NOT_IN_MARKET } from './reason-format.ts';
import { applySwitchPolicy } from './switching.ts';
import type { DecideInput, Decision, MinerCapability, ProfileDefinition, RankedTarget } from './types.ts';
import { rankTargets } from './valuation.ts';

type Excluded = Decision['excluded'];

export function decide(input: DecideInput): Decision {
  const definition = input.profile.definition;
  const { eligible, excluded } = screenCandidates(input.candidates, definition, input.miner, input.now);
  const ranked = rankTargets(eligible, definition);
  const nothing = (why: string): Decision => ({
    switched: false,
    reason: `nothing eligible: ${why}`,
    ranked,
    excluded,
  });
  if (!hasCapability(input.miner)) return nothing(noCapabilityWhy(input.miner));
  if (definition.fixedTarget !== undefined)
    return decideFixed(definition.fixedTarget, input, ranked, excluded);
  if (ranked.length === 0) return nothing(summarizeExcluded(input.candidates.length, excluded));
  const outcome = applySwitchPolicy({
    ranked,
    excluded,
    current: input.current,
    switching: definition.switching,
    now: input.now,
  });
  const reason = outcome.reason + notes(definition, input.miner, ranked, outcome.chosen);
  return { chosen: outcome.chosen, switched: outcome.switched, reason, ranked, excluded };
}

function hasCapability(miner: MinerCapability): boolean {
  return miner.algorithms.some((a) => Number.isFinite(a.hashrateHs) && a.hashrateHs > 0);
}

function noCapabilityWhy(miner: MinerCapability): string {
  if (miner.hardware !== undefined)
    return `no hashrate known for hardware ${miner.hardware} on any algorithm`;
  return 'the miner has no known hardware and no algorithm with hashrate > 0';
}

/** A fixed profile never switches on value: its one target, or nothing when that target is not eligible. */
function decideFixed(
  fixedTarget: string,
  input: DecideInput,
  ranked: RankedTarget[],
  excluded: Excluded,
): Decision {
  const shown = displayPoolKey(fixedTarget);
  const chosen = ranked.find((t) => t.target === fixedTarget);
  if (!chosen) {
    const why = excluded.find((e) => e.target === fixedTarget)?.why;
    const state = `is ${why ?? NOT_IN_MARKET}`;
    return { switched: false, reason: `nothing eligible: fixed target ${shown} ${state}`, ranked, excluded };
  }
  const from = input.current?.target;
  const switched = from !== fixedTarget;
  const move =
    from === undefined ? 'starting on' : switched ? `switching from ${displayPoolKey(from)} to` : 'keeping';
  const reason = `fixed profile: ${move} ${shown} at ${formatUsd(chosen.valueUsdPerDay)} USD/day`;
  return {
    chosen,
    switched,
    reason: reason + notes(input.profile.definition, input.miner, ranked, chosen),
    ranked,
    excluded,
  };
}

/** "3 candidates excluded: ETC@nanopool stale; RVN@2miners untrusted …; +1 more". */
function summarizeExcluded(candidateCount: number, excluded: Excluded): string {
  if (candidateCount === 0) return 'no candidates (no market data for this miner)';
  const shown = excluded.slice(0, 3).map((e) => `${displayPoolKey(e.target)} ${e.why}`);
  const more = excluded.length > 3 ? `; +${excluded.length - 3} more` : '';
  return `${excluded.length} candidate(s) excluded: ${shown.join('; ')}${more}`;
}

/** Caveats a person should see beside the choice: guessed-zero electricity, a choice that loses money. */
function notes(
  definition: ProfileDefinition,
  miner: MinerCapability,
  ranked: RankedTarget[],
  chosen: RankedTarget,
): string {
  const parts: string[] = [];
  if (definition.scope === 'hardware' && miner.hardware === undefined) {
    parts.push('hardware unknown: ranked only the algorithms given');
  }
  if (definition.objective === 'profit') {
    const unpowered = unknownPowerAlgorithms(miner, ranked);
    if (unpowered.length > 0)
      parts.push(`power unknown for ${unpowered.join(', ')}: electricity counted as 0`);
    if (chosen.valueUsdPerDay < 0) {
      const price = `${definition.electricityUsdPerKwh ?? 0} USD/kWh`;
      const scope = ranked[0]!.valueUsdPerDay < 0 ? 'every eligible target loses money' : 'it loses money';
      parts.push(`${scope} at ${price}: ${formatUsd(chosen.valueUsdPerDay)} USD/day`);
    }
  }
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}

function unknownPowerAlgorithms(miner: MinerCapability, ranked: RankedTarget[]): string[] {
  const rates = minerRates(miner);
  const algorithms = new Set(ranked.map((t) => t.algorithm));
  return [...algorithms].filter((a) => rates.get(a)?.powerW === undefined).sort();
}

// decide(): the pure decision — screen candidates, value and rank them, then apply the profile's policy.

import { dataAgeAt, exclusionAt, minerRates, type PreScreened, prescreenCandidates } from './eligibility.ts';
import { displayPoolKey, formatUsd, NOT_IN_MARKET } from './reason-format.ts';
import { applySwitchPolicy } from './switching.ts';
import type {
  CurrentTarget,
  DecideInput,
  Decision,
  MinerCapability,
  ProfileDefinition,
  RankedTarget,
} from './types.ts';
import { compareRanked, valueTarget } from './valuation.ts';

type Excluded = Decision['excluded'];

/**
 * What decide() works out before it needs the time: the screening by every time-independent rule and the
 * value of each candidate that may be eligible. The same for every `now` and `current`, so a caller may
 * keep it while its candidates hold (the API: one market snapshot) and decide many times from it.
 */
export interface PreparedDecision {
  input: Omit<DecideInput, 'current' | 'now'>;
  /** In candidate order (the order `excluded` lists them in). */
  entries: PreScreened[];
  /** Candidates that may be eligible, valued and best first (dataAgeS still 0); `entry` indexes `entries`. */
  valued: { entry: number; target: RankedTarget }[];
}

export function prepareDecision(input: Omit<DecideInput, 'current' | 'now'>): PreparedDecision {
  const definition = input.profile.definition;
  const entries = prescreenCandidates(input.candidates, definition, input.miner);
  const valued: PreparedDecision['valued'] = [];
  entries.forEach((e, entry) => {
    if (e.why !== undefined || e.laterWhy !== undefined) return;
    const eligible = { candidate: e.candidate, rate: e.rate!, usdPerHsDay: e.usdPerHsDay!, dataAgeS: 0 };
    valued.push({ entry, target: valueTarget(eligible, definition) });
  });
  // Value order is a total order (ties by pool key, keys unique), so dropping targets later keeps it.
  valued.sort((a, b) => compareRanked(a.target, b.target));
  return { input, entries, valued };
}

export function decide(input: DecideInput): Decision {
  return decidePrepared(prepareDecision(input), input);
}

/** decide() from a prepared decision: the data-age rule, the ranking of what is left, the switch policy. */
export function decidePrepared(
  prepared: PreparedDecision,
  at: { current?: CurrentTarget; now: Date },
): Decision {
  const input = prepared.input;
  const definition = input.profile.definition;
  const { ranked, excluded } = rankAt(prepared, at.now);
  if (!hasCapability(input.miner)) return nothing(ranked, excluded, noCapabilityWhy(input.miner));
  if (definition.fixedTarget !== undefined)
    return decideFixed(definition.fixedTarget, input, at.current, ranked, excluded);
  if (ranked.length === 0)
    return nothing(ranked, excluded, summarizeExcluded(input.candidates.length, excluded));
  const outcome = applySwitchPolicy({
    ranked,
    excluded,
    current: at.current,
    switching: definition.switching,
    now: at.now,
  });
  const reason = outcome.reason + notes(definition, input.miner, ranked, outcome.chosen);
  return { chosen: outcome.chosen, switched: outcome.switched, reason, ranked, excluded };
}

/** The eligible targets at `now`, best first, and the excluded ones in candidate order. */
function rankAt(prepared: PreparedDecision, now: Date): { ranked: RankedTarget[]; excluded: Excluded } {
  const definition = prepared.input.profile.definition;
  const excluded: Excluded = [];
  const agesS: (number | undefined)[] = new Array(prepared.entries.length);
  prepared.entries.forEach((entry, i) => {
    const dataAgeS = dataAgeAt(entry.candidate, now);
    const why = exclusionAt(entry, dataAgeS, definition);
    if (why === undefined) agesS[i] = dataAgeS;
    else excluded.push({ target: entry.candidate.target, why });
  });
  const ranked: RankedTarget[] = [];
  for (const { entry, target } of prepared.valued) {
    const dataAgeS = agesS[entry];
    if (dataAgeS !== undefined) ranked.push(withDataAge(target, dataAgeS));
  }
  return { ranked, excluded };
}

// Explicit fields, not a spread: this runs for every target of every decision.
function withDataAge(t: RankedTarget, dataAgeS: number): RankedTarget {
  return {
    target: t.target,
    pool: t.pool,
    coin: t.coin,
    algorithm: t.algorithm,
    hashrateHs: t.hashrateHs,
    revenueUsdPerDay: t.revenueUsdPerDay,
    costUsdPerDay: t.costUsdPerDay,
    valueUsdPerDay: t.valueUsdPerDay,
    dataAgeS,
  };
}

function nothing(ranked: RankedTarget[], excluded: Excluded, why: string): Decision {
  return { switched: false, reason: `nothing eligible: ${why}`, ranked, excluded };
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
  input: PreparedDecision['input'],
  current: CurrentTarget | undefined,
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
  const from = current?.target;
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
  // No pool row at all for these algorithms: the market may be fine (priced coins, no pool listed for them).
  if (candidateCount === 0) {
    return "no candidates: no pool with market data for the miner's algorithms (declare one under `pools` in the config)";
  }
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

// The switch policy: keep the current target or move, with a threshold, a minimum dwell and a switch cost.
//
// Rule (one sentence): move to the target with the best *net* value — its value minus the work lost
// switching onto it — when that net value beats the current by ≥ thresholdFraction and the miner has
// stayed ≥ minDwellS. The lost work is algorithmSwitchCostS of the new target's revenue, charged only
// when the algorithm changes, amortized over the switch horizon: minDwellS (the shortest stay a switch
// commits to), at least MIN_SWITCH_HORIZON_S so a zero dwell cannot make every switch look unpayable.
// Equivalently: the gain over the horizon must exceed the revenue lost while the miner restarts.

import type { AlgorithmKey } from '../algorithms.ts';
import {
  describeGap,
  displayPoolKey,
  displayTarget,
  formatSeconds,
  formatSettingPercent,
  formatUsd,
  NOT_IN_MARKET,
} from './reason-format.ts';
import type { CurrentTarget, ProfileDefinition, RankedTarget } from './types.ts';

export const MIN_SWITCH_HORIZON_S = 600;

type Switching = ProfileDefinition['switching'];

export interface SwitchOutcome {
  chosen: RankedTarget;
  switched: boolean;
  reason: string;
}

interface Challenger {
  target: RankedTarget;
  netValueUsdPerDay: number;
  /** A switch cost applies: another algorithm and a cost above 0 s. */
  costed: boolean;
}

export function switchHorizonS(switching: Switching): number {
  return Math.max(switching.minDwellS, MIN_SWITCH_HORIZON_S);
}

/** USD/day-equivalent lost by moving onto `to` from `fromAlgorithm` (0 on the same algorithm). */
export function switchLossUsdPerDay(
  to: RankedTarget,
  fromAlgorithm: AlgorithmKey | undefined,
  switching: Switching,
): number {
  if (fromAlgorithm === undefined || fromAlgorithm === to.algorithm) return 0;
  return (to.revenueUsdPerDay * switching.algorithmSwitchCostS) / switchHorizonS(switching);
}

/** Best target other than `except` by net value; ties by pool key ascending, as in the ranking. */
function bestChallenger(
  ranked: RankedTarget[],
  except: string | undefined,
  fromAlgorithm: AlgorithmKey | undefined,
  switching: Switching,
): Challenger | undefined {
  let best: Challenger | undefined;
  for (const target of ranked) {
    if (target.target === except) continue;
    const net = target.valueUsdPerDay - switchLossUsdPerDay(target, fromAlgorithm, switching);
    const better =
      !best ||
      net > best.netValueUsdPerDay ||
      (net === best.netValueUsdPerDay && target.target < best.target.target);
    if (!better) continue;
    const costed =
      fromAlgorithm !== undefined && fromAlgorithm !== target.algorithm && switching.algorithmSwitchCostS > 0;
    best = { target, netValueUsdPerDay: net, costed };
  }
  return best;
}

/** Applies the rule above to a non-empty ranking. */
export function applySwitchPolicy(input: {
  ranked: RankedTarget[];
  excluded: { target: string; why: string }[];
  current: CurrentTarget | undefined;
  switching: Switching;
  now: Date;
}): SwitchOutcome {
  const { ranked, current } = input;
  const first = ranked[0]!;
  if (!current) {
    const reason = `starting on ${displayTarget(first)}: ranks first of ${ranked.length} eligible at ${formatUsd(first.valueUsdPerDay)} USD/day`;
    return { chosen: first, switched: true, reason };
  }
  const kept = ranked.find((t) => t.target === current.target);
  if (!kept) return leaveIneligible(input, current);
  return holdOrSwitch(kept, current, input);
}

/** The current target may not be mined any more: move at once, no threshold or dwell (still net of cost). */
function leaveIneligible(
  input: { ranked: RankedTarget[]; excluded: { target: string; why: string }[]; switching: Switching },
  current: CurrentTarget,
): SwitchOutcome {
  const to = bestChallenger(input.ranked, undefined, current.algorithm, input.switching)!.target;
  const why = input.excluded.find((e) => e.target === current.target)?.why;
  const state = `is ${why ?? NOT_IN_MARKET}`;
  const reason = `current ${displayPoolKey(current.target)} ${state}: switching to ${displayTarget(to)} at ${formatUsd(to.valueUsdPerDay)} USD/day`;
  return { chosen: to, switched: true, reason };
}

function holdOrSwitch(
  kept: RankedTarget,
  current: CurrentTarget,
  input: { ranked: RankedTarget[]; switching: Switching; now: Date },
): SwitchOutcome {
  const { ranked, switching } = input;
  const ch = bestChallenger(ranked, kept.target, current.algorithm, switching);
  if (!ch) return keep(kept, 'the only eligible target');
  if (ranked[0]!.target === kept.target)
    return keep(kept, `ranks first at ${formatUsd(kept.valueUsdPerDay)} USD/day`);
  const netGap = ch.netValueUsdPerDay - kept.valueUsdPerDay;
  const needed = switching.thresholdFraction * Math.abs(kept.valueUsdPerDay);
  if (!(netGap > 0 && netGap >= needed)) return keep(kept, belowThreshold(kept, ch, switching));
  const dwellS = Math.max(0, (input.now.getTime() - current.since.getTime()) / 1000);
  if (dwellS < switching.minDwellS) {
    const net = ch.costed ? ' after the switch cost' : '';
    const gap = `${describeGap(netGap, kept.valueUsdPerDay)}${net}`;
    return keep(
      kept,
      `dwell ${formatSeconds(dwellS)} of ${formatSeconds(switching.minDwellS)} (best ${displayTarget(ch.target)} ${gap})`,
    );
  }
  return { chosen: ch.target, switched: true, reason: switchReason(kept, ch, switching) };
}

function keep(kept: RankedTarget, why: string): SwitchOutcome {
  return { chosen: kept, switched: false, reason: `keeping ${displayTarget(kept)}: ${why}` };
}

function costClause(ch: Challenger, kept: RankedTarget, switching: Switching): string {
  const net = describeGap(ch.netValueUsdPerDay - kept.valueUsdPerDay, kept.valueUsdPerDay);
  const cost = `${formatSeconds(switching.algorithmSwitchCostS)} of lost work over ${formatSeconds(switchHorizonS(switching))}`;
  return `${net} after the ${ch.target.algorithm} switch cost (${cost})`;
}

function belowThreshold(kept: RankedTarget, ch: Challenger, switching: Switching): string {
  const raw = describeGap(ch.target.valueUsdPerDay - kept.valueUsdPerDay, kept.valueUsdPerDay);
  const threshold = `below the ${formatSettingPercent(switching.thresholdFraction)} threshold`;
  const best = `best ${displayTarget(ch.target)}`;
  if (!ch.costed) return `${best} only ${raw}, ${threshold}`;
  return `${best} ${raw} but only ${costClause(ch, kept, switching)}, ${threshold}`;
}

function switchReason(kept: RankedTarget, ch: Challenger, switching: Switching): string {
  const raw = describeGap(ch.target.valueUsdPerDay - kept.valueUsdPerDay, kept.valueUsdPerDay);
  const values = `${formatUsd(ch.target.valueUsdPerDay)} vs ${formatUsd(kept.valueUsdPerDay)} USD/day`;
  const cost = ch.costed ? `, ${costClause(ch, kept, switching)}` : '';
  return (
    `${displayTarget(ch.target)} ${raw} current ${displayTarget(kept)} (${values})${cost}, ` +
    `threshold ${formatSettingPercent(switching.thresholdFraction)}, dwell ${formatSeconds(switching.minDwellS)} met`
  );
}

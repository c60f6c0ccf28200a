// backtest(): replays decide() over market history and compares the profile with the best fixed target.

import { SECONDS_PER_DAY } from '../units.ts';
import { decide } from './decide.ts';
import type {
  BacktestInput,
  BacktestResult,
  BacktestTimelineEntry,
  CurrentTarget,
  Decision,
  RankedTarget,
} from './types.ts';

/**
 * Model: each snapshot's decision holds until the next snapshot; the interval earns the chosen value ×
 * interval / 86400. An algorithm change loses algorithmSwitchCostS (capped at the interval) of the
 * new target's revenue — the same lost work decide() charges. The last snapshot decides but has no
 * interval, so it earns nothing. A snapshot where nothing is eligible earns 0 (its value is unknown)
 * and the previous target stays current, as the proxy keeps its last decision.
 */
export function backtest(input: BacktestInput): BacktestResult {
  const snapshots = [...input.snapshots].sort((a, b) => a.at.getTime() - b.at.getTime());
  const costS = input.profile.definition.switching.algorithmSwitchCostS;
  const fixedEarnings = new Map<string, number>();
  const timeline: BacktestTimelineEntry[] = [];
  let current: CurrentTarget | undefined;
  let switches = 0;
  let usdEarned = 0;
  snapshots.forEach((snapshot, i) => {
    const next = snapshots[i + 1];
    const intervalS = next ? (next.at.getTime() - snapshot.at.getTime()) / 1000 : 0;
    const { profile, miner } = input;
    const decision = decide({ profile, miner, candidates: snapshot.candidates, current, now: snapshot.at });
    const chosen = decision.chosen;
    const moved = chosen !== undefined && chosen.target !== current?.target;
    // The first assignment is a start, not a switch, and costs nothing (a fixed miner pays it too).
    const switched = moved && current !== undefined;
    if (switched) switches += 1;
    const lostS =
      chosen && current && chosen.algorithm !== current.algorithm ? Math.min(costS, intervalS) : 0;
    if (chosen) usdEarned += earnedUsd(chosen, intervalS, lostS);
    if (moved) current = { target: chosen.target, algorithm: chosen.algorithm, since: snapshot.at };
    addFixedEarnings(fixedEarnings, decision, intervalS);
    timeline.push(timelineEntry(snapshot.at, decision, switched));
  });
  return { timeline, switches, usdEarned, ...compareWithBestFixed(usdEarned, fixedEarnings) };
}

/** Value over the interval, minus the revenue not earned while the miner changes algorithm. */
function earnedUsd(target: RankedTarget, intervalS: number, lostS: number): number {
  return (target.valueUsdPerDay * intervalS - target.revenueUsdPerDay * lostS) / SECONDS_PER_DAY;
}

/** A fixed miner never switches, so it earns every interval's value of its target, or 0 when ineligible. */
function addFixedEarnings(totals: Map<string, number>, decision: Decision, intervalS: number): void {
  for (const t of decision.ranked) {
    totals.set(t.target, (totals.get(t.target) ?? 0) + earnedUsd(t, intervalS, 0));
  }
}

function timelineEntry(at: Date, decision: Decision, switched: boolean): BacktestTimelineEntry {
  const chosen = decision.chosen;
  if (!chosen) return { at, valueUsdPerDay: 0, switched: false };
  return { at, target: chosen.target, valueUsdPerDay: chosen.valueUsdPerDay, switched };
}

/** Most earned wins; equal earnings go to the lower pool key, as in the ranking. */
function compareWithBestFixed(
  usdEarned: number,
  totals: Map<string, number>,
): Pick<BacktestResult, 'bestFixed' | 'vsBestFixedFraction'> {
  let best: { target: string; usdEarned: number } | undefined;
  for (const [target, earned] of totals) {
    if (!best || earned > best.usdEarned || (earned === best.usdEarned && target < best.target)) {
      best = { target, usdEarned: earned };
    }
  }
  if (!best) return {};
  if (best.usdEarned === 0) return { bestFixed: best };
  return { bestFixed: best, vsBestFixedFraction: (usdEarned - best.usdEarned) / Math.abs(best.usdEarned) };
}

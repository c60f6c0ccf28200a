// Which table answers which part of a history range: the coarsest rollup for the whole buckets it covers, the
// next finer one for the rest, raw rows for what no rollup covers yet (the open hour or day) or only partly.

import { ROLLUP_WIDTH_S, type RollupLevel } from './history-series.ts';

export type HistorySource = 'raw' | RollupLevel;

export interface HistorySegment {
  source: HistorySource;
  from: Date;
  /** Exclusive. */
  to: Date;
}

const LEVELS_COARSEST_FIRST: readonly RollupLevel[] = ['daily', 'hourly'];

/**
 * The rollups whose buckets fit whole into buckets of `alignS` seconds (its width divides it), coarsest
 * first, with where each is complete; a rollup that never ran is left out.
 */
export function usableRollups(
  alignS: number,
  coverage: Partial<Record<RollupLevel, Date>>,
): { level: RollupLevel; coveredTo: Date }[] {
  return LEVELS_COARSEST_FIRST.flatMap((level) => {
    const coveredTo = coverage[level];
    return coveredTo && alignS % ROLLUP_WIDTH_S[level] === 0 ? [{ level, coveredTo }] : [];
  });
}

const ceilMs = (ms: number, widthMs: number) => Math.ceil(ms / widthMs) * widthMs;
const floorMs = (ms: number, widthMs: number) => Math.floor(ms / widthMs) * widthMs;

/** Splits [from, to) among the rollups (coarsest first, each complete before its coveredTo) and raw rows. */
export function planHistorySegments(
  from: Date,
  to: Date,
  rollups: readonly { level: RollupLevel; coveredTo: Date }[],
): HistorySegment[] {
  const segments: HistorySegment[] = [];
  const plan = (fromMs: number, toMs: number, index: number): void => {
    if (fromMs >= toMs) return;
    const rollup = rollups[index];
    if (!rollup) {
      segments.push({ source: 'raw', from: new Date(fromMs), to: new Date(toMs) });
      return;
    }
    const widthMs = ROLLUP_WIDTH_S[rollup.level] * 1000;
    const start = ceilMs(fromMs, widthMs);
    const end = floorMs(Math.min(toMs, rollup.coveredTo.getTime()), widthMs);
    if (start >= end) {
      plan(fromMs, toMs, index + 1);
      return;
    }
    plan(fromMs, start, index + 1);
    segments.push({ source: rollup.level, from: new Date(start), to: new Date(end) });
    plan(end, toMs, index + 1);
  };
  plan(from.getTime(), to.getTime(), 0);
  return segments;
}

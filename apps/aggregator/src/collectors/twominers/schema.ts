// Zod schemas of 2Miners' /api/stats (open-ethereum-pool format); uint64 fields arrive as strings or numbers.

import { z } from 'zod';
import { blockHeight, headcount, numeric } from '../collector.ts';
import { fromUnixSeconds } from '../unix-time.ts';

const nonNegative = numeric.pipe(z.number().nonnegative());
const positive = numeric.pipe(z.number().positive());

/**
 * The pool part of /api/stats. Only `hashrate` is required: without it there is nothing to observe.
 * `nodes` is validated on its own (twoMinersNode) so that a bad node costs the coin observation only.
 */
export const twoMinersStats = z.object({
  hashrate: nonNegative,
  /** Headcounts: any number here; one that is not a count is left out on its own (see twoMinersFigure). */
  minersTotal: numeric.optional(),
  workersTotal: numeric.optional(),
  nodes: z.array(z.unknown()).optional(),
  /** Unix milliseconds. */
  now: positive.optional(),
  /**
   * `lastBlockFound` in unix seconds; 0 when the pool has not found a block yet. Any number here; one that is not a
   * past time is left out on its own (see pastBlockTime).
   */
  stats: z.object({ lastBlockFound: numeric.optional() }).optional(),
});

/** nodes[0]: the network as the pool's node sees it. Zero difficulty or hashrate would divide by zero later. */
export const twoMinersNode = z.object({
  /** Any number here; one that is not a block height is left out on its own (see twoMinersFigure). */
  height: numeric.optional(),
  difficulty: positive,
  /** H/s. */
  networkhashps: positive,
  /** Seconds. */
  avgBlockTime: positive.optional(),
});

export type TwoMinersStats = z.output<typeof twoMinersStats>;
export type TwoMinersNode = z.output<typeof twoMinersNode>;

/**
 * The figures of a pool observation that must be whole numbers (headcounts, block height): a figure that is not one
 * (a fraction, a negative, more than a column holds) is dropped alone, never the pool nor the cycle's write.
 */
export const twoMinersFigures = {
  minersTotal: headcount,
  workersTotal: headcount,
  height: blockHeight,
} as const;

/** `value` when it passes its figure's rule; otherwise undefined and a warning naming it. */
export function twoMinersFigure(
  field: keyof typeof twoMinersFigures,
  value: number | undefined,
  what: string,
  warnings: string[],
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = twoMinersFigures[field].safeParse(value);
  if (parsed.success) return parsed.data;
  warnings.push(`${what}: ${field} ${value} is not a whole number in range; left out`);
  return undefined;
}

/**
 * `lastBlockFound` in unix seconds (milliseconds taken as such, see fromUnixSeconds) when it is a time up to the
 * fetch; 0 (no block yet) stays 0. A time after the fetch or a negative one is no past block: undefined and a
 * warning naming it.
 */
export function pastBlockTime(
  lastBlockFoundS: number | undefined,
  fetchedAt: Date,
  what: string,
  warnings: string[],
): number | undefined {
  if (lastBlockFoundS === undefined) return undefined;
  if (lastBlockFoundS === 0) return 0;
  const at = fromUnixSeconds(lastBlockFoundS);
  if (at && at.getTime() <= fetchedAt.getTime()) return at.getTime() / 1000;
  warnings.push(
    `${what}: stats.lastBlockFound ${lastBlockFoundS} is not a past time in unix seconds; left out`,
  );
  return undefined;
}

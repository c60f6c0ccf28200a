// Zod schemas of 2Miners' /api/stats (open-ethereum-pool format); uint64 fields arrive as strings or numbers.

import { z } from 'zod';
import { numeric } from '../collector.ts';

const nonNegative = numeric.pipe(z.number().nonnegative());
const positive = numeric.pipe(z.number().positive());

/**
 * The pool part of /api/stats. Only `hashrate` is required: without it there is nothing to observe.
 * `nodes` is validated on its own (twoMinersNode) so that a bad node costs the coin observation only.
 */
export const twoMinersStats = z.object({
  hashrate: nonNegative,
  minersTotal: nonNegative.optional(),
  workersTotal: nonNegative.optional(),
  nodes: z.array(z.unknown()).optional(),
  /** Unix milliseconds. */
  now: positive.optional(),
  /** `lastBlockFound` in unix seconds; 0 when the pool has not found a block yet. */
  stats: z.object({ lastBlockFound: nonNegative.optional() }).optional(),
});

/** nodes[0]: the network as the pool's node sees it. Zero difficulty or hashrate would divide by zero later. */
export const twoMinersNode = z.object({
  height: nonNegative.optional(),
  difficulty: positive,
  /** H/s. */
  networkhashps: positive,
  /** Seconds. */
  avgBlockTime: positive.optional(),
});

export type TwoMinersStats = z.output<typeof twoMinersStats>;
export type TwoMinersNode = z.output<typeof twoMinersNode>;

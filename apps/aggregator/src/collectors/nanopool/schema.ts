// Zod schemas of the Nanopool v1 responses the collector reads (envelope, plain numbers, earnings).

import { z } from 'zod';
import { headcount, numeric } from '../collector.ts';

const nonNegative = numeric.pipe(z.number().nonnegative());
const positive = numeric.pipe(z.number().positive());

/** Nanopool's own failure body, sent with HTTP 200: `{"status": false, "error": "…"}`. */
export const nanopoolFailure = z.object({ status: z.literal(false), error: z.string().optional() });

const success = <T extends z.ZodType>(data: T) => z.object({ status: z.literal(true), data });

/** /pool/hashrate, in the coin's display unit. */
export const nanopoolCount = success(nonNegative);

/** /pool/activeminers, /pool/activeworkers: whole numbers a headcount column holds. */
export const nanopoolHeadcount = success(headcount);

/** /network/avgblocktime, in seconds; zero would later divide by zero, so it is refused here. */
export const nanopoolSeconds = success(positive);

/** /approximated_earnings/{hashrate}: only the day totals and the USD price are read. */
export const nanopoolEarnings = success(
  z.object({
    day: z.object({ coins: nonNegative, dollars: nonNegative }),
    prices: z.object({ price_usd: positive }),
  }),
);

export type NanopoolEarnings = z.output<typeof nanopoolEarnings>['data'];

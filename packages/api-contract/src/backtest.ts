// GET /v1/backtest: a profile replayed over history (USD earned, switches, the best fixed target).

import { z } from 'zod';
import { minerQueryFields } from './decision.ts';
import { isoDateTime, LIMITS } from './primitives.ts';

export const BACKTEST_DEFAULT_STEP_S = 3600;
/** Each step runs decide() over every candidate: this keeps one request to about a second. */
export const BACKTEST_MAX_STEPS = 10_000;
/** History rows one request may load (coin rows + pool fee changes). */
export const BACKTEST_MAX_ROWS = 100_000;

export const backtestQuery = z.strictObject({
  ...minerQueryFields,
  from: isoDateTime.describe('Start of the replay (inclusive)'),
  to: isoDateTime.describe(
    `End of the replay (exclusive); at most ${LIMITS.maxHistoryRangeS / 86_400} days after from`,
  ),
  stepS: z
    .int()
    .min(60)
    .max(LIMITS.maxBucketS)
    .default(BACKTEST_DEFAULT_STEP_S)
    .describe(`Seconds between decisions; at most ${BACKTEST_MAX_STEPS} steps`),
});

const timelineEntry = z.object({
  at: isoDateTime,
  target: z.string().nullable().describe('Pool key mined from `at` to the next step; null: idle'),
  valueUsdPerDay: z.number().describe("The target's value then (revenue or profit); 0 when idle"),
  switched: z.boolean().describe('True when this step moved the miner off a previous target'),
});

export const backtestResponse = z.object({
  from: isoDateTime,
  to: isoDateTime,
  stepS: z.int(),
  profile: z.string(),
  snapshots: z.int().describe('Steps replayed (one decision each)'),
  switches: z.int().describe('Changes of target after the first one'),
  usdEarned: z.number().describe('USD the profile would have earned over the range'),
  bestFixed: z
    .object({ target: z.string(), usdEarned: z.number() })
    .nullable()
    .describe('The one target that would have earned most over the range; null when none was eligible'),
  vsBestFixedFraction: z
    .number()
    .nullable()
    .describe(
      '(usdEarned − bestFixed) / |bestFixed| (0.1 = the profile earned 10 % more); null when it earned 0',
    ),
  timeline: z.array(timelineEntry).describe('One entry per step, oldest first'),
});

export type BacktestReportJson = z.infer<typeof backtestResponse>;

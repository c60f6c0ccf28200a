// GET /v1/decision (where to mine now: a safe read) and GET /v1/decisions (the log of target changes).

import { z } from 'zod';
import { algorithmKey, hashrateHsParam, snapshotAgeS, stratumEndpointSchema } from './market.ts';
import { commaList, isoDateTime, listLimit, name, poolKey, text, timeWindow } from './primitives.ts';

/** Who is asking, for /v1/decision and /v1/backtest: a profile and the miner's hardware or algorithms. */
export const minerQueryFields = {
  profile: name.optional().describe('Profile name; default: max-usd-coin'),
  algorithms: commaList("Algorithms the miner's connection mines, e.g. kawpow,etchash", 500).optional(),
  hardware: name.optional().describe('Hardware key, e.g. nvidia-rtx-3080 (its measured hashrates and power)'),
  hashrateHs: hashrateHsParam.optional(),
};

export const decisionQuery = z.strictObject({
  ...minerQueryFields,
  current: poolKey.optional().describe('Pool key mined now, e.g. 2miners:ETC'),
  since: isoDateTime.optional().describe('When mining `current` began (default: long enough for any dwell)'),
});

/** A place to mine, with everything a proxy needs to go there: pool, fee, Stratum endpoints, and its value. */
export const targetSchema = z.object({
  poolKey: z.string().describe('<pool>:<COIN>, e.g. 2miners:ETC'),
  pool: z.string(),
  coin: z.string(),
  algorithm: algorithmKey,
  feeFraction: z.number(),
  endpoints: z.array(stratumEndpointSchema),
  hashrateHs: z.number(),
  revenueUsdPerDay: z.number(),
  costUsdPerDay: z.number(),
  valueUsdPerDay: z.number().describe("Revenue or profit, per the profile's objective"),
  dataAgeS: z.number(),
});

/** What the switch rule weighed; a proxy echoes it in its switch report. */
export const decisionInputsSchema = z.strictObject({
  thresholdFraction: z.number().min(0).max(1),
  minDwellS: z.number().min(0),
  algorithmSwitchCostS: z.number().min(0),
  dwellS: z.number().min(0).nullable().describe('Seconds on `current` (null without current)'),
  marginFraction: z
    .number()
    .nullable()
    .describe('Best alternative vs current, (alt − current) / |current|; null without a comparable current'),
  netMarginFraction: z.number().nullable().describe('The same after the switch cost of a new algorithm'),
  expectedUsdPerDay: z.number().nullable().describe("The chosen target's value"),
});

export const decisionResponse = z.object({
  at: isoDateTime,
  profile: z.string(),
  route: z.string().describe('Profile and miner as one key: the decision log and switch reports group by it'),
  current: z.string().nullable(),
  since: isoDateTime.nullable(),
  chosen: targetSchema.nullable(),
  switched: z.boolean().describe('True when `chosen` differs from `current` (also without a current)'),
  reason: z.string(),
  dataAgeS: z.number().nullable().describe("Age of the chosen target's data in seconds"),
  snapshotAgeS,
  snapshotStale: z.boolean().describe('True while the database is unreachable and the last snapshot answers'),
  inputs: decisionInputsSchema,
  ranked: z.array(targetSchema),
  excluded: z.array(z.object({ poolKey: z.string(), why: z.string() })),
});

export const decisionLogQuery = z.strictObject({
  profile: name.optional(),
  route: text(500).min(1).optional(),
  ...timeWindow,
  limit: listLimit,
});

export const decisionLogEntrySchema = z.object({
  id: z.int(),
  at: isoDateTime,
  profile: z.string(),
  route: z.string(),
  fromPoolKey: z.string().nullable(),
  toPoolKey: z.string(),
  reason: z.string(),
  inputs: decisionInputsSchema,
});

export const decisionLogResponse = z.object({ decisions: z.array(decisionLogEntrySchema) });

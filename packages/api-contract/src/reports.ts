// What proxies report (POST, proxy token) and what anyone may read back (GET): miners and switches.

import { z } from 'zod';
import { decisionInputsSchema } from './decision.ts';
import {
  count,
  isoDateTime,
  LIMITS,
  listLimit,
  name,
  poolKey,
  text,
  timeWindow,
  usdPerDay,
} from './primitives.ts';

export const minerReportSchema = z.strictObject({
  miner: name.describe('ACCOUNT.WORKER or wallet.worker as logged in'),
  poolKey,
  profile: name.nullable().optional(),
  hardware: name.nullable().optional(),
  algorithm: name.nullable().optional(),
  agent: text(200).nullable().optional().describe('The mining software it announced (mining.subscribe)'),
  connectedAt: isoDateTime.nullable().optional(),
  accepted: count,
  rejected: count,
  stale: count,
  hashrateHs: z.number().min(0).max(LIMITS.maxHashrateHs).nullable().optional(),
  usdPerDay: usdPerDay.nullable().optional(),
});

export const minersReportBody = z.strictObject({
  proxy: name,
  reportedAt: isoDateTime.optional().describe('Default: when the API received the report'),
  miners: z
    .array(minerReportSchema)
    .max(LIMITS.maxMinersPerReport)
    .describe('Counters since connectedAt; a newer report of the same (proxy, miner, poolKey) replaces them'),
});

/** How the proxy moved the miners (stratum.md §8.1). */
export const SWITCH_METHODS = [
  'notify',
  'set_extranonce',
  'reconnect',
  'new_job',
  'close',
  'failover',
] as const;
export type SwitchMethod = (typeof SWITCH_METHODS)[number];

export const switchReportSchema = z.strictObject({
  idempotencyKey: text(200)
    .min(8)
    .describe('Unique per switch (a UUID); a switch sent again with the same key is stored once'),
  at: isoDateTime.describe('When the proxy switched'),
  account: name,
  route: text(500).min(1).describe("The decision's route"),
  profile: name,
  fromPoolKey: poolKey.nullable(),
  toPoolKey: poolKey,
  reason: text(2000).min(1).describe("The decision's reason"),
  method: z
    .enum(SWITCH_METHODS)
    .describe(
      'notify: set_difficulty + clean notify; set_extranonce; reconnect: client.reconnect; new_job: ' +
        'CryptoNote job; close: the socket was closed; failover: the pool failed, next ranked target',
    ),
  miners: count.optional().describe('How many miners moved'),
  inputs: decisionInputsSchema,
});

export const switchesReportBody = z.strictObject({
  proxy: name,
  switches: z.array(switchReportSchema).max(LIMITS.maxSwitchesPerReport),
});

export const reportStoredResponse = z.object({
  stored: z.int().describe('Rows written by this request'),
  duplicates: z
    .int()
    .describe(
      'Switches already logged (same idempotency key, or same proxy, account, route, target and time)',
    ),
});

export const minersQuery = z.strictObject({
  proxy: name.optional(),
  miner: name.optional(),
  since: isoDateTime.optional().describe('Reported at or after'),
});

export const minerStatsSchema = z.object({
  proxy: z.string(),
  miner: z.string(),
  poolKey: z.string(),
  profile: z.string().nullable(),
  hardware: z.string().nullable(),
  algorithm: z.string().nullable(),
  agent: z.string().nullable(),
  connectedAt: isoDateTime.nullable(),
  accepted: z.number(),
  rejected: z.number(),
  stale: z.number(),
  hashrateHs: z.number().nullable(),
  usdPerDay: z.number().nullable(),
  reportedAt: isoDateTime,
});

export const minersResponse = z.object({ miners: z.array(minerStatsSchema) });

export const switchesQuery = z.strictObject({
  proxy: name.optional(),
  account: name.optional(),
  route: text(500).min(1).optional(),
  ...timeWindow,
  limit: listLimit,
});

export const switchLogEntrySchema = z.object({
  id: z.int(),
  at: isoDateTime,
  receivedAt: isoDateTime,
  proxy: z.string(),
  account: z.string(),
  route: z.string(),
  profile: z.string(),
  fromPoolKey: z.string().nullable(),
  toPoolKey: z.string(),
  reason: z.string(),
  method: z.enum(SWITCH_METHODS),
  miners: z.int().nullable(),
  inputs: decisionInputsSchema,
  idempotencyKey: z.string(),
});

export const switchesResponse = z.object({ switches: z.array(switchLogEntrySchema) });

export type MinerReport = z.input<typeof minerReportSchema>;
export type MinersReportBody = z.input<typeof minersReportBody>;
export type SwitchReport = z.input<typeof switchReportSchema>;
export type SwitchesReportBody = z.input<typeof switchesReportBody>;

// Market reads: coins, pools (with their Stratum endpoints), hardware, rankings, and bucketed history.

import { ALGORITHMS, STRATUM_DIALECTS } from '@smart-mining/domain';
import { z } from 'zod';
import { commaList, isoDateTime, LIMITS, listLimit, name } from './primitives.ts';

const nullableNumber = z.number().nullable();

/** Age of the in-memory market snapshot that answered (also in the `Snapshot-Age-S` header). */
export const snapshotAgeS = z
  .number()
  .min(0)
  .describe('Seconds since the market snapshot that answered was read from the database');

export const stratumDialect = z.enum(STRATUM_DIALECTS);
export const algorithmKey = z.enum(ALGORITHMS);

export const stratumEndpointSchema = z.object({
  host: z.string(),
  port: z.int().min(1).max(65_535),
  tls: z.boolean(),
  dialect: stratumDialect,
  region: z.string().optional(),
});

export const coinSchema = z.object({
  coin: z.string().describe('Uppercase ticker'),
  name: z.string(),
  algorithm: z.string(),
  blockTimeS: nullableNumber,
  blockReward: nullableNumber,
  difficulty: nullableNumber,
  networkHashrateHs: nullableNumber,
  priceUsd: nullableNumber,
  volume24hUsd: nullableNumber,
  usdPerHsDay: nullableNumber.describe('USD earned by 1 H/s in a day, before pool fee'),
  priceTrusted: z.boolean(),
  trusted: z.boolean(),
  sources: z.record(z.string(), z.unknown()).describe('Which source gave which value'),
  observedAt: isoDateTime,
  priceUpdatedAt: isoDateTime.nullable(),
  networkUpdatedAt: isoDateTime.nullable(),
  updatedAt: isoDateTime,
  stale: z
    .boolean()
    .describe('Price or network data older than its staleness limit at the time of the request'),
  dataAgeS: z.number().describe('Seconds since observedAt'),
});

export const poolSchema = z.object({
  poolKey: z.string().describe('<pool>:<coin>, e.g. 2miners:ETC'),
  pool: z.string(),
  coin: z.string(),
  algorithm: z.string().nullable(),
  feeFraction: nullableNumber,
  hashrateHs: nullableNumber,
  miners: z.int().nullable(),
  workers: z.int().nullable(),
  lastBlockAt: isoDateTime.nullable(),
  blockHeight: nullableNumber,
  endpoints: z.array(stratumEndpointSchema).describe('Where a miner connects; empty: not minable'),
  usdPerHsDay: nullableNumber.describe('USD earned by 1 H/s in a day on this pool, after fee'),
  healthy: z.boolean(),
  sources: z.record(z.string(), z.unknown()),
  observedAt: isoDateTime,
  updatedAt: isoDateTime,
  stale: z
    .boolean()
    .describe(
      "The pool's data (a declared pool's: its coin's) older than its staleness limit at the time of the request",
    ),
  dataAgeS: z.number().describe('Seconds since updatedAt'),
});

export const HARDWARE_KINDS = ['gpu', 'cpu', 'asic', 'fpga'] as const;

const hardwareMiningSchema = z.object({
  algorithm: z.string(),
  hashrateHs: z.number(),
  powerW: nullableNumber,
  source: z.string(),
  bestCoin: z.string().nullable(),
  revenueUsdPerDay: nullableNumber,
  costUsdPerDay: nullableNumber,
  profitUsdPerDay: nullableNumber,
  updatedAt: isoDateTime,
});

export const hardwareSchema = z.object({
  hardware: z.string().describe('Hardware key, e.g. nvidia-rtx-3080'),
  name: z.string(),
  vendor: z.string(),
  kind: z.enum(HARDWARE_KINDS),
  memoryGb: nullableNumber,
  tdpW: nullableNumber,
  updatedAt: isoDateTime,
  mining: z.array(hardwareMiningSchema).describe('Per algorithm, best revenue first'),
});

export const coinListQuery = z.strictObject({
  coins: commaList('Comma-separated tickers, e.g. ETC,RVN').optional(),
  algorithms: commaList('Comma-separated algorithms, e.g. etchash,kawpow').optional(),
});
export const poolListQuery = z.strictObject({
  pools: commaList('Comma-separated pool keys, e.g. 2miners:ETC,nanopool:ETC').optional(),
  coins: commaList('Comma-separated tickers').optional(),
  algorithms: commaList('Comma-separated algorithms').optional(),
});
export const hardwareListQuery = z.strictObject({
  kinds: commaList(`Comma-separated kinds: ${HARDWARE_KINDS.join(', ')}`).optional(),
  vendors: commaList('Comma-separated vendors (case-insensitive)').optional(),
  algorithms: commaList('Only devices that can mine one of these algorithms').optional(),
});

export const coinParams = z.strictObject({ coin: name });
export const poolParams = z.strictObject({ poolKey: name });
export const hardwareParams = z.strictObject({ hardware: name });

export const coinListResponse = z.object({ snapshotAgeS, coins: z.array(coinSchema) });
export const poolListResponse = z.object({ snapshotAgeS, pools: z.array(poolSchema) });
export const hardwareListResponse = z.object({ snapshotAgeS, hardware: z.array(hardwareSchema) });

// ---- history ----

export const historyQuery = z.strictObject({
  from: isoDateTime.optional().describe('Start (inclusive); default: 24 h before `to`'),
  to: isoDateTime.optional().describe('End (exclusive); default: now'),
  bucketS: z
    .int()
    .min(LIMITS.minBucketS)
    .max(LIMITS.maxBucketS)
    .default(3600)
    .describe(
      `Bucket width in seconds; buckets start at multiples of it since the Unix epoch. At most ` +
        `${LIMITS.maxHistoryPoints} buckets over at most ${LIMITS.maxHistoryRangeS / 86_400} days.`,
    ),
});

const aggregate = z.object({ avg: nullableNumber, min: nullableNumber, max: nullableNumber });

function bucketedHistory<K extends string, M extends string>(keyName: K, measures: readonly M[]) {
  const point = z.object({
    at: isoDateTime.describe('Bucket start'),
    samples: z.int(),
    ...(Object.fromEntries(measures.map((m) => [m, aggregate])) as Record<M, typeof aggregate>),
  });
  return z.object({
    ...({ [keyName]: z.string() } as Record<K, z.ZodString>),
    from: isoDateTime,
    to: isoDateTime,
    bucketS: z.int(),
    points: z.array(point),
  });
}

export const COIN_HISTORY_MEASURES = [
  'priceUsd',
  'usdPerHsDay',
  'difficulty',
  'networkHashrateHs',
  'volume24hUsd',
] as const;
export const POOL_HISTORY_MEASURES = [
  'hashrateHs',
  'miners',
  'workers',
  'usdPerHsDay',
  'feeFraction',
] as const;
export const coinHistoryResponse = bucketedHistory('coin', COIN_HISTORY_MEASURES);
export const poolHistoryResponse = bucketedHistory('poolKey', POOL_HISTORY_MEASURES);

// ---- ranking ----

export const hashrateHsParam = commaList(
  'H/s: one value for every algorithm, or one per algorithm in `algorithms` order (comma-separated); ' +
    `each > 0 and ≤ ${LIMITS.maxHashrateHs}; not with \`hardware\` (its measured hashrates apply)`,
  1000,
);

export const rankingQuery = z.strictObject({
  algorithms: commaList('Comma-separated algorithms, e.g. kawpow,etchash (default: all)').optional(),
  hardware: name.optional().describe('Hardware key, e.g. nvidia-rtx-3080'),
  hashrateHs: hashrateHsParam.optional(),
  electricityUsdPerKwh: z.number().min(0).max(LIMITS.maxElectricityUsdPerKwh).default(0),
  includeStale: z.boolean().default(false),
  limit: listLimit,
});

export const rankingEntrySchema = z.object({
  rank: z.int(),
  target: z.string().describe('Pool key, or the coin ticker when no pool is known'),
  pool: z.string().nullable(),
  coin: z.string(),
  algorithm: algorithmKey,
  feeFraction: z.number(),
  usdPerHsDay: z.number().describe('Gross USD of 1 H/s for a day, before fee'),
  hashrateHs: z.number(),
  powerW: nullableNumber,
  revenueUsdPerDay: z.number(),
  costUsdPerDay: z.number(),
  profitUsdPerDay: z.number(),
  dataAgeS: z.number(),
  trusted: z.boolean(),
  stale: z.boolean().describe('The coin or the pool is stale at the time of the request'),
});

export const rankingResponse = z.object({
  at: isoDateTime,
  snapshotAgeS,
  hardware: z.string().nullable(),
  electricityUsdPerKwh: z.number(),
  ranking: z.array(rankingEntrySchema),
});

// Building blocks of every schema: bounded text without control characters, ISO times, pool keys, limits.

import { POOL_KEY_PATTERN } from '@smart-mining/domain';
import { z } from 'zod';

/** Bounds that keep every number finite and every answer small; the README lists them. */
export const LIMITS = {
  /** No miner or fleet exceeds a whole network (Bitcoin's is below 1e21 H/s). */
  maxHashrateHs: 1e21,
  maxElectricityUsdPerKwh: 10,
  maxUsdPerDay: 1e12,
  /** Share counters fit a JSON number exactly and a bigint column. */
  maxCount: Number.MAX_SAFE_INTEGER,
  maxListLimit: 1000,
  /** History answers: at most this many buckets, over at most this range. */
  maxHistoryPoints: 10_000,
  maxHistoryRangeS: 366 * 86_400,
  minBucketS: 60,
  maxBucketS: 31 * 86_400,
  /** Reports: how far in the past or future a reported time may lie (a proxy may buffer through an outage). */
  maxReportAgeS: 30 * 86_400,
  maxReportAheadS: 600,
  maxMinersPerReport: 50_000,
  /** A report body's bytes (the API refuses larger ones with 413): proxies split a big report to stay under it. */
  maxReportBodyBytes: 16 * 1024 * 1024,
  maxSwitchesPerReport: 10_000,
} as const;

/** Human sentences for the patterns below, used by the server's validation messages. */
export const PATTERN_MESSAGES: Record<string, string> = {};

/** A regex whose refusal reads as `message` ("must …") in the server's validation errors. */
export function pattern(regex: RegExp, message: string): RegExp {
  PATTERN_MESSAGES[regex.source] = message;
  return regex;
}

/** No C0 control character (NUL included: PostgreSQL text cannot hold it) and no DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const NO_CONTROL = pattern(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** Printable text of at most `max` characters. */
export function text(max: number) {
  return z.string().max(max).regex(NO_CONTROL);
}

/** A non-empty name (miner, proxy, account, hardware …) of at most 200 printable characters. */
export const name = text(200).min(1);

/** An ISO 8601 date-time with a zone (`2026-11-25T12:00:00Z`, `…+02:00`); second 60 is refused. */
export const isoDateTime = z.iso.datetime({ offset: true });
PATTERN_MESSAGES[(z.toJSONSchema(isoDateTime) as { pattern: string }).pattern] =
  'must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z';

export const poolKey = z
  .string()
  .max(200)
  .regex(pattern(POOL_KEY_PATTERN, 'must be a pool key like 2miners:ETC'))
  .describe('Pool key `<pool>:<COIN>`, e.g. 2miners:ETC');

/** A comma-separated list in a query string (`algorithms=kawpow,etchash`). */
export function commaList(description: string, max = 2000) {
  return text(max).min(1).describe(description);
}

export const usdPerDay = z.number().min(-LIMITS.maxUsdPerDay).max(LIMITS.maxUsdPerDay);
export const count = z.int().min(0).max(LIMITS.maxCount);
export const fraction = z.number().min(0).max(1);
export const seconds = z.number().min(0);

export const listLimit = z.int().min(1).max(LIMITS.maxListLimit).default(100).describe('At most this many');

/** Optional time window of a log listing. */
export const timeWindow = {
  from: isoDateTime.optional().describe('At or after (inclusive)'),
  to: isoDateTime.optional().describe('Before (exclusive)'),
};

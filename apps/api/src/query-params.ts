// Turns validated query strings into typed values: comma lists, algorithm and coin keys, time ranges.

import { type AlgorithmKey, algorithmFromAlias } from '@smart-mining/domain';
import { ApiError } from './errors.ts';

/** `a, b,,c` → ['a', 'b', 'c']; undefined stays undefined (no filter). */
export function commaValues(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Canonical algorithm keys from any known spelling (`KawPow` → `kawpow`); 400 naming the unknown ones. */
export function parseAlgorithms(value: string | undefined, parameter: string): AlgorithmKey[] | undefined {
  const names = commaValues(value);
  if (names === undefined) return undefined;
  const unknown = names.filter((n) => algorithmFromAlias(n) === undefined);
  if (unknown.length > 0)
    throw ApiError.badParameter(parameter, `has unknown algorithm(s): ${unknown.join(', ')}`);
  if (names.length === 0) throw ApiError.badParameter(parameter, 'must list at least one algorithm');
  return [...new Set(names.map((n) => algorithmFromAlias(n)!))];
}

/** Coin keys are uppercase tickers. */
export function parseCoins(value: string | undefined): string[] | undefined {
  return commaValues(value)?.map((c) => c.toUpperCase());
}

export interface TimeRange {
  from: Date;
  to: Date;
  bucketS: number;
}

export const MAX_BUCKETS = 10_000;
const DEFAULT_SPAN_MS = 86_400_000;

/** Resolves `from`/`to`/`bucketS` with defaults (last 24 h) and checks they make sense together. */
export function parseTimeRange(
  query: { from?: string; to?: string; bucketS?: number },
  now: Date,
  bucketDefaultS = 3600,
): TimeRange {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_SPAN_MS);
  const bucketS = query.bucketS ?? bucketDefaultS;
  if (from.getTime() >= to.getTime()) throw ApiError.badParameter('querystring/from', 'must be before to');
  if ((to.getTime() - from.getTime()) / 1000 / bucketS > MAX_BUCKETS) {
    throw ApiError.badParameter(
      'querystring/bucketS',
      `is too small for the range (at most ${MAX_BUCKETS} buckets)`,
    );
  }
  return { from, to, bucketS };
}

/** The query strings of /v1/decision and /v1/backtest that say who is asking (see minerQueryProperties). */
export interface MinerQuerystring {
  profile?: string;
  algorithms?: string;
  hardware?: string;
  hashrate?: string;
}

export type HistoryQuery = { from?: string; to?: string; bucketS?: number };

/** History points as the response carries them: bucket start, sample count, then one aggregate per measure. */
export function historyPoints<M extends string>(
  points: readonly { at: Date; samples: number; values: Record<M, unknown> }[],
) {
  return points.map((p) => ({ at: p.at, samples: p.samples, ...p.values }));
}

/** Optional `from`/`to` filters of a log listing; 400 when both are given and out of order. */
export function parseOptionalWindow(query: { from?: string; to?: string }): {
  from: Date | undefined;
  to: Date | undefined;
} {
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from >= to) throw ApiError.badParameter('querystring/from', 'must be before to');
  return { from, to };
}

/** Seconds from `at` to `now`, never negative (clocks differ a little between machines). */
export function ageS(at: Date, now: Date): number {
  return Math.max(0, (now.getTime() - at.getTime()) / 1000);
}

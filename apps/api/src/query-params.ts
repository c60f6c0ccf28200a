// Turns validated query strings into typed values: comma lists, algorithm and coin keys, time ranges.

import { LIMITS } from '@smart-mining/api-contract';
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

/** `?hashrateHs=30e6` or `?hashrateHs=30e6,60e6` → positive finite H/s; 400 otherwise. */
export function parseHashrates(value: string | undefined, parameter: string): number[] | undefined {
  const parts = commaValues(value);
  if (parts === undefined) return undefined;
  const values = parts.map(Number);
  if (values.length === 0 || values.some((v) => !(v > 0 && v <= LIMITS.maxHashrateHs))) {
    throw ApiError.badParameter(
      parameter,
      `must be H/s above 0 and at most ${LIMITS.maxHashrateHs}: one value, or one per algorithm`,
    );
  }
  return values;
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

const DEFAULT_SPAN_MS = 86_400_000;

/** `from` before `to`, the range within the history bound; 400 naming the parameter otherwise. */
export function checkRange(from: Date, to: Date): void {
  if (from.getTime() >= to.getTime()) throw ApiError.badParameter('querystring/from', 'must be before to');
  if ((to.getTime() - from.getTime()) / 1000 > LIMITS.maxHistoryRangeS) {
    throw ApiError.badParameter(
      'querystring/from',
      `is too far before to: at most ${LIMITS.maxHistoryRangeS / 86_400} days`,
    );
  }
}

/** Resolves `from`/`to`/`bucketS` with defaults (last 24 h) and checks they make sense together. */
export function parseTimeRange(
  query: { from?: string; to?: string; bucketS?: number },
  now: Date,
  bucketDefaultS = 3600,
): TimeRange {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_SPAN_MS);
  const bucketS = query.bucketS ?? bucketDefaultS;
  checkRange(from, to);
  if ((to.getTime() - from.getTime()) / 1000 / bucketS > LIMITS.maxHistoryPoints) {
    throw ApiError.badParameter(
      'querystring/bucketS',
      `is too small for the range (at most ${LIMITS.maxHistoryPoints} buckets)`,
    );
  }
  return { from, to, bucketS };
}

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

/** A reported time must lie within the last 30 days and at most 10 minutes ahead (clocks differ a little). */
export function checkReportedAt(value: string, field: string, now: Date): Date {
  const at = new Date(value);
  const ageS = (now.getTime() - at.getTime()) / 1000;
  if (ageS > LIMITS.maxReportAgeS) {
    throw ApiError.badParameter(field, `is more than ${LIMITS.maxReportAgeS / 86_400} days in the past`);
  }
  if (-ageS > LIMITS.maxReportAheadS) {
    throw ApiError.badParameter(field, `is more than ${LIMITS.maxReportAheadS} s in the future`);
  }
  return at;
}

/** Seconds from `at` to `now`, never negative (clocks differ a little between machines). */
export function ageS(at: Date, now: Date): number {
  return Math.max(0, (now.getTime() - at.getTime()) / 1000);
}

/** Query values Fastify coerced to numbers may be ±Infinity ("1e309"): refused by name. */
export function checkFiniteQuery(query: unknown): void {
  if (!query || typeof query !== 'object') return;
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw ApiError.badParameter(`querystring/${key}`, 'must be a finite number');
    }
  }
}

/** A query string must decode (`%E0%A4%A` does not); Fastify's parser would keep such bytes as text. */
export function checkQueryEncoding(url: string): void {
  const start = url.indexOf('?');
  // Without a '%' there is nothing to decode, so nothing that can fail to.
  if (start < 0 || url.indexOf('%', start) < 0) return;
  try {
    decodeURIComponent(url.slice(start + 1));
  } catch {
    throw ApiError.badParameter('querystring', 'is not valid percent-encoding (UTF-8)');
  }
}

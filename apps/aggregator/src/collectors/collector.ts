// The contract between the scheduler and one external source.

import type { CoinObservation, PoolObservation, SourceName, SourceSnapshot } from '@smart-mining/domain';
import { z } from 'zod';
import { SourceError } from '../errors.ts';

export interface CollectResult extends SourceSnapshot {
  /** Row-level problems that did not fail the run (rows skipped, unknown aliases); stored with the run. */
  warnings: string[];
}

export interface Collector {
  readonly source: SourceName;
  /** Why this collector cannot run here (no API key); the scheduler logs it once and skips the source. */
  readonly skipReason?: string;
  collect(): Promise<CollectResult>;
}

/**
 * A number, or a numeric string (several APIs serialize numbers as strings); finite either way, so "1e400" is as
 * invalid as the JSON number 1e400 (both read as Infinity).
 */
export const numeric = z.union([
  z.number().refine(Number.isFinite, 'must be finite'),
  z
    .string()
    .trim()
    .regex(/^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i, 'must be numeric')
    .transform(Number)
    .refine(Number.isFinite, 'must be finite'),
]);

/**
 * A name a source gives (a device, a brand, an id): control characters removed (PostgreSQL text holds no NUL, so
 * one would fail the cycle's whole write), trimmed, not empty.
 */
export const label = z
  .string()
  .transform((text) => text.replace(/\p{Cc}/gu, '').trim())
  .pipe(z.string().min(1));

/** Largest headcount (miners, workers) taken: the column holds 32-bit integers, and no pool comes near it. */
export const MAX_HEADCOUNT = 2 ** 31 - 1;

/** A count of miners or workers: a whole number from 0 to MAX_HEADCOUNT. */
export const headcount = numeric.pipe(z.number().int().nonnegative().max(MAX_HEADCOUNT));

/** A block height: a whole number a double holds exactly (the column is a 64-bit integer). */
export const blockHeight = numeric.pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

/** Validates a whole body against a schema, or throws SM_SOURCE_INVALID naming the first bad path. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new SourceError('SM_SOURCE_INVALID', `${what}: ${describeIssues(result.error)}`);
}

/**
 * Validates each row on its own: bad rows are skipped with a warning, good rows kept.
 * All rows bad (and at least one present) fails the run with SM_SOURCE_INVALID.
 */
export function parseRows<T>(
  schema: z.ZodType<T>,
  rows: readonly [string, unknown][],
  what: string,
  warnings: string[],
): [string, T][] {
  const good: [string, T][] = [];
  const bad: string[] = [];
  for (const [key, row] of rows) {
    const result = schema.safeParse(row);
    if (result.success) good.push([key, result.data]);
    else bad.push(`${key}: ${describeIssues(result.error)}`);
  }
  if (bad.length > 0 && good.length === 0) {
    throw new SourceError(
      'SM_SOURCE_INVALID',
      `${what}: every row invalid (${bad.length}); first: ${bad[0]}`,
    );
  }
  if (bad.length > 0)
    warnings.push(`${what}: ${bad.length} of ${rows.length} rows skipped; first: ${bad[0]}`);
  return good;
}

export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const path = first.path.length > 0 ? first.path.join('.') : '(root)';
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
  return `${path}: ${first.message}${more}`;
}

/** Fills `{coin}` in a per-coin URL template. */
export function coinUrl(template: string, coin: string): string {
  return template.replaceAll('{coin}', coin.toLowerCase());
}

/** What one coin of a per-coin API (one host or path per coin) yielded. */
export interface CoinOutcome {
  coin: string;
  coins: CoinObservation[];
  pools: PoolObservation[];
  warnings: string[];
  /** Set when the coin yielded nothing. */
  error?: SourceError;
}

/** A coin that fails is a warning; every coin failing fails the run with the first coin's error code. */
export function combineCoinOutcomes(source: string, outcomes: readonly CoinOutcome[]): CollectResult {
  const result: CollectResult = { coins: [], pools: [], hardware: [], warnings: [] };
  const failures: [string, SourceError][] = [];
  for (const outcome of outcomes) {
    result.coins.push(...outcome.coins);
    result.pools.push(...outcome.pools);
    result.warnings.push(...outcome.warnings);
    if (outcome.error) failures.push([outcome.coin, outcome.error]);
  }
  if (result.coins.length + result.pools.length > 0 || failures.length === 0) return result;
  const [, first] = failures[0]!;
  const coins = failures.map(([coin]) => coin).join(', ');
  throw new SourceError(first.code, `${source}: every coin failed (${coins}); first: ${first.message}`, {
    cause: first,
    ...(first.status !== undefined ? { status: first.status } : {}),
    ...(first.retryAfterS !== undefined ? { retryAfterS: first.retryAfterS } : {}),
  });
}

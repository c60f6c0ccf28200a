// Zod schemas of hashrate.no v2 /coins and /benchmarks, its {title, detail} error body, and row-by-row validation.

import { coinByKey } from '@smart-mining/domain';
import { z } from 'zod';
import { label, numeric, parseBody, parseRows } from '../collector.ts';

/** Many numbers arrive as strings ("27.61", "1.72e+14"); `numeric` takes both. */
export const hashratenoCoinSchema = z.object({
  name: z.string().nullish(),
  algorithm: label,
  price: z.object({
    USD: numeric,
    /** 24 h volume; USD assumed (no field documentation exists, see fixtures README §3). */
    volume: numeric.nullish(),
  }),
  network: z
    .object({
      /** H/s (an assumption of the fixture, to be confirmed on the first real call). */
      hashrate: numeric.nullish(),
      difficulty: numeric.nullish(),
    })
    .nullish(),
});
export type HashratenoCoin = z.infer<typeof hashratenoCoinSchema>;

export const hashratenoBenchmarkSchema = z.object({
  name: label,
  deviceType: label,
  brandID: label,
  /** H/s for the coin asked for. */
  hashrate: numeric,
  /** W. */
  power: numeric.nullish(),
});
export type HashratenoBenchmark = z.infer<typeof hashratenoBenchmarkSchema>;

const apiErrorSchema = z.object({ title: z.string(), detail: z.string().nullish() });
export type HashratenoApiError = z.infer<typeof apiErrorSchema>;

/** hashrate.no reports errors as {title, detail}, in v1 even with HTTP 200: every body is checked for that shape. */
export function hashratenoApiError(body: unknown): HashratenoApiError | undefined {
  const result = apiErrorSchema.safeParse(body);
  return result.success ? result.data : undefined;
}

const byKey = z.record(z.string(), z.unknown());

/**
 * Rows of the coins we track, as [our ticker, row]. Untracked coins (hundreds of them) are dropped before
 * validation so one odd row among them never warns.
 */
export function parseHashratenoCoins(body: unknown, warnings: string[]): [string, HashratenoCoin][] {
  const all = parseBody(byKey, body, 'hashrate.no /coins');
  const tracked: [string, unknown][] = [];
  for (const [ticker, row] of Object.entries(all)) {
    const identity = coinByKey(ticker);
    if (identity) tracked.push([identity.key, row]);
  }
  return parseRows(hashratenoCoinSchema, tracked, 'hashrate.no /coins', warnings);
}

/** Benchmark rows keyed by hashrate.no's device id (`4090`). */
export function parseHashratenoBenchmarks(
  body: unknown,
  coin: string,
  warnings: string[],
): [string, HashratenoBenchmark][] {
  const what = `hashrate.no /benchmarks?coin=${coin}`;
  const all = parseBody(byKey, body, what);
  return parseRows(hashratenoBenchmarkSchema, Object.entries(all), what, warnings);
}

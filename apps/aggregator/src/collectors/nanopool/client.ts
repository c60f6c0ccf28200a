// Nanopool collector: per-coin calls to the public v1 API, validated and normalized into observations.
//
// Rate limit: Nanopool documents at most 30 calls per minute, so the composition root must build this
// collector's HttpClient with `minIntervalMs: 2000`. A coin costs up to five calls, made one after another;
// coins run side by side and the shared HttpClient spaces all of them.

import { type CoinObservation, coinByKey, type PoolObservation } from '@smart-mining/domain';
import type { z } from 'zod';
import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import { type CoinOutcome, type Collector, coinUrl, combineCoinOutcomes, parseBody } from '../collector.ts';
import { toCoinObservation, toPoolObservation } from './normalize.ts';
import {
  nanopoolCount,
  nanopoolEarnings,
  nanopoolFailure,
  nanopoolHeadcount,
  nanopoolSeconds,
} from './schema.ts';

/** Nanopool's fee on most coins; the API does not expose it. */
export const NANOPOOL_DEFAULT_FEE_FRACTION = 0.01;
/** approximated_earnings is asked for 1000 display units (1000 MH/s for ETC) to keep its rounding small. */
export const NANOPOOL_EARNINGS_DISPLAY_UNITS = 1000;

export interface NanopoolCollectorDeps {
  http: HttpClient;
  /** `https://api.nanopool.org/v1/{coin}`. */
  urlTemplate: string;
  /** Our tickers, e.g. `['ETC', 'XMR']`. */
  coins: string[];
  feeFraction?: number;
  now?: () => Date;
}

type Reading<T> = { ok: true; value: T } | { ok: false; error: SourceError };

/** Everything one coin's calls need; `halted` is set by the first failure that would repeat on every call. */
interface CoinContext {
  http: HttpClient;
  baseUrl: string;
  coin: string;
  unitHs: number;
  feeFraction: number;
  warnings: string[];
  halted?: SourceError;
}

export function createNanopoolCollector(deps: NanopoolCollectorDeps): Collector {
  return {
    source: 'nanopool',
    async collect() {
      const outcomes = await Promise.all(deps.coins.map((coin) => collectCoin(deps, coin.toUpperCase())));
      return combineCoinOutcomes('nanopool', outcomes);
    },
  };
}

/**
 * A coin costs up to five calls in two parts, each with a lead call: earnings for the coin (then the block time),
 * pool hashrate for the pool (then the counts); a part whose lead call fails asks nothing more. Every answer that
 * arrives is kept and every one that does not is named in a warning. A 404 or a bad body spoils only its own
 * reading; a timeout, a 5xx or a rate limit stops the coin's further calls (they would fail the same way and
 * spend the rate budget), keeping what already arrived.
 */
async function collectCoin(deps: NanopoolCollectorDeps, coin: string): Promise<CoinOutcome> {
  const unitHs = coinByKey(coin)?.nanopoolHashrateUnitHs;
  if (unitHs === undefined) {
    // The path hashrate unit differs per coin (MH/s, H/s, Sol/s); a guess would be off by powers of 1000.
    const why = 'no Nanopool hashrate unit known (CoinIdentity.nanopoolHashrateUnitHs)';
    return { coin, coins: [], pools: [], warnings: [`nanopool ${coin}: skipped: ${why}`] };
  }
  const warnings: string[] = [];
  const feeFraction = deps.feeFraction ?? NANOPOOL_DEFAULT_FEE_FRACTION;
  const baseUrl = coinUrl(deps.urlTemplate, coin);
  const ctx: CoinContext = { http: deps.http, baseUrl, coin, unitHs, feeFraction, warnings };
  const now = deps.now ?? (() => new Date());
  const coinPart = await readCoinPart(ctx, now);
  const poolPart = await readPoolPart(ctx, now);
  if (!coinPart.ok && !poolPart.ok) {
    const skipped = `nanopool ${coin}: skipped: ${coinPart.error.message}`;
    return { coin, coins: [], pools: [], warnings: [...warnings, skipped], error: coinPart.error };
  }
  if (!coinPart.ok) warnings.push(`nanopool ${coin}: no coin observation: ${coinPart.error.message}`);
  if (!poolPart.ok) warnings.push(`nanopool ${coin}: no pool observation: ${poolPart.error.message}`);
  return {
    coin,
    coins: coinPart.ok ? [coinPart.value] : [],
    pools: poolPart.ok ? [poolPart.value] : [],
    warnings,
  };
}

/** Earnings lead: without them there is no coin observation, so the block time is not asked for. */
async function readCoinPart(ctx: CoinContext, now: () => Date): Promise<Reading<CoinObservation>> {
  const hashrate = NANOPOOL_EARNINGS_DISPLAY_UNITS;
  const earnings = await read(ctx, `/approximated_earnings/${hashrate}`, nanopoolEarnings);
  if (!earnings.ok) return earnings;
  const blockTime = await read(ctx, '/network/avgblocktime', nanopoolSeconds);
  leftOut(ctx, [['blockTimeS', blockTime]]);
  const readings = {
    coin: ctx.coin,
    unitHs: ctx.unitHs,
    earningsHashrateDisplay: hashrate,
    earnings: earnings.value,
    ...(blockTime.ok ? { blockTimeS: blockTime.value } : {}),
  };
  return { ok: true, value: toCoinObservation(readings, now()) };
}

/** Pool hashrate leads: without it there is no pool observation, so the counts are not asked for. */
async function readPoolPart(ctx: CoinContext, now: () => Date): Promise<Reading<PoolObservation>> {
  const hashrate = await read(ctx, '/pool/hashrate', nanopoolCount);
  if (!hashrate.ok) return hashrate;
  const miners = await read(ctx, '/pool/activeminers', nanopoolHeadcount);
  const workers = await read(ctx, '/pool/activeworkers', nanopoolHeadcount);
  leftOut(ctx, [
    ['miners', miners],
    ['workers', workers],
  ]);
  const readings = {
    coin: ctx.coin,
    unitHs: ctx.unitHs,
    hashrateDisplay: hashrate.value,
    feeFraction: ctx.feeFraction,
    ...(miners.ok ? { miners: miners.value } : {}),
    ...(workers.ok ? { workers: workers.value } : {}),
  };
  return { ok: true, value: toPoolObservation(readings, now()) };
}

function leftOut(ctx: CoinContext, readings: [string, Reading<unknown>][]): void {
  for (const [field, r] of readings)
    if (!r.ok) ctx.warnings.push(`nanopool ${ctx.coin}: ${field} left out: ${r.error.message}`);
}

/** A 404 (the endpoint is missing for this coin), the API's own error or a schema mismatch: this call only. */
function spoilsOneReading(error: SourceError): boolean {
  return error.code === 'SM_SOURCE_API_ERROR' || error.code === 'SM_SOURCE_INVALID' || error.status === 404;
}

/** One call; after a failure that would repeat on every call, the coin's remaining calls are not made. */
async function read<T>(
  ctx: CoinContext,
  path: string,
  schema: z.ZodType<{ status: true; data: T }>,
): Promise<Reading<T>> {
  if (ctx.halted) return { ok: false, error: ctx.halted };
  const what = `nanopool ${ctx.coin} ${path}`;
  try {
    const { body } = await ctx.http.getJson(`${ctx.baseUrl}${path}`);
    const failure = nanopoolFailure.safeParse(body);
    if (failure.success) {
      throw new SourceError('SM_SOURCE_API_ERROR', `${what}: ${failure.data.error ?? 'status false'}`);
    }
    return { ok: true, value: parseBody(schema, body, what).data };
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    if (!spoilsOneReading(error)) ctx.halted = error;
    return { ok: false, error };
  }
}

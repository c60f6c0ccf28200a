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
import { nanopoolCount, nanopoolEarnings, nanopoolFailure, nanopoolSeconds } from './schema.ts';

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

/** Everything one coin's calls need. */
interface CoinContext {
  http: HttpClient;
  baseUrl: string;
  coin: string;
  unitHs: number;
  feeFraction: number;
  warnings: string[];
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
  const coinPart = await settle(readCoinPart(ctx, now));
  // After a transport failure (timeout, HTTP error, rate limit) the pool calls would fail the same way.
  const poolPart =
    coinPart.ok || isBodyProblem(coinPart.error) ? await settle(readPoolPart(ctx, now)) : coinPart;
  if (!coinPart.ok && !poolPart.ok) {
    const skipped = `nanopool ${coin}: skipped: ${coinPart.error.message}`;
    return { coin, coins: [], pools: [], warnings: [...warnings, skipped], error: coinPart.error };
  }
  if (!coinPart.ok) warnings.push(`nanopool ${coin}: no coin observation: ${coinPart.error.message}`);
  if (!poolPart.ok) warnings.push(`nanopool ${coin}: no pool observation: ${poolPart.error.message}`);
  const coins = coinPart.ok ? [coinPart.value] : [];
  return { coin, coins, pools: poolPart.ok ? [poolPart.value] : [], warnings };
}

/** A thrown SourceError becomes a failed reading; anything else is a bug and keeps propagating. */
async function settle<T>(pending: Promise<Reading<T>>): Promise<Reading<T>> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof SourceError) return { ok: false, error };
    throw error;
  }
}

/** The API's own error or a schema mismatch: this call's body is bad, the host itself answers. */
function isBodyProblem(error: SourceError): boolean {
  return error.code === 'SM_SOURCE_API_ERROR' || error.code === 'SM_SOURCE_INVALID';
}

/** Earnings first: without them there is no coin observation, so the block time is not asked for. */
async function readCoinPart(ctx: CoinContext, now: () => Date): Promise<Reading<CoinObservation>> {
  const hashrate = NANOPOOL_EARNINGS_DISPLAY_UNITS;
  const earnings = await read(ctx, `/approximated_earnings/${hashrate}`, nanopoolEarnings);
  if (!earnings.ok) return earnings;
  const blockTime = await read(ctx, '/network/avgblocktime', nanopoolSeconds);
  const readings = {
    coin: ctx.coin,
    unitHs: ctx.unitHs,
    earningsHashrateDisplay: hashrate,
    earnings: earnings.value,
    ...(blockTime.ok ? { blockTimeS: blockTime.value } : {}),
  };
  if (!blockTime.ok)
    ctx.warnings.push(`nanopool ${ctx.coin}: blockTimeS left out: ${blockTime.error.message}`);
  return { ok: true, value: toCoinObservation(readings, now()) };
}

/** Pool hashrate first: without it there is no pool observation, so the counts are not asked for. */
async function readPoolPart(ctx: CoinContext, now: () => Date): Promise<Reading<PoolObservation>> {
  const hashrate = await read(ctx, '/pool/hashrate', nanopoolCount);
  if (!hashrate.ok) return hashrate;
  const miners = await read(ctx, '/pool/activeminers', nanopoolCount);
  const workers = await read(ctx, '/pool/activeworkers', nanopoolCount);
  for (const [field, reading] of [
    ['miners', miners],
    ['workers', workers],
  ] as const) {
    if (!reading.ok) ctx.warnings.push(`nanopool ${ctx.coin}: ${field} left out: ${reading.error.message}`);
  }
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

/**
 * One call. A bad body (the API's own error, a schema mismatch) spoils only this reading; a transport failure
 * (timeout, HTTP error, rate limit) is thrown, ending the coin: its other calls would fail the same way and
 * spend the rate budget.
 */
async function read<T>(
  ctx: CoinContext,
  path: string,
  schema: z.ZodType<{ status: true; data: T }>,
): Promise<Reading<T>> {
  const what = `nanopool ${ctx.coin} ${path}`;
  try {
    const { body } = await ctx.http.getJson(`${ctx.baseUrl}${path}`);
    const failure = nanopoolFailure.safeParse(body);
    if (failure.success) {
      throw new SourceError('SM_SOURCE_API_ERROR', `${what}: ${failure.data.error ?? 'status false'}`);
    }
    return { ok: true, value: parseBody(schema, body, what).data };
  } catch (error) {
    if (error instanceof SourceError && isBodyProblem(error)) return { ok: false, error };
    throw error;
  }
}

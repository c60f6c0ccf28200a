// 2Miners collector: GET {coin}.2miners.com/api/stats per coin, validated and normalized into observations.
//
// 2Miners documents no rate limit; one call per coin per run, a few runs a minute at most, stays polite.
// /api/blocks is deliberately not called: its block `reward` unit is unverified for ETC (see normalize.ts).

import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import {
  type CoinOutcome,
  type Collector,
  coinUrl,
  combineCoinOutcomes,
  describeIssues,
  parseBody,
} from '../collector.ts';
import { toCoinObservation, toPoolObservation } from './normalize.ts';
import {
  pastBlockTime,
  type TwoMinersStats,
  twoMinersFigure,
  twoMinersNode,
  twoMinersStats,
} from './schema.ts';

/** 2Miners' PPLNS fee (SOLO is 1.5 %); from the website, the API does not expose it. */
export const TWOMINERS_DEFAULT_FEE_FRACTION = 0.01;

export interface TwoMinersCollectorDeps {
  http: HttpClient;
  /** `https://{coin}.2miners.com/api`. */
  urlTemplate: string;
  /** Our tickers, e.g. `['ETC', 'RVN']`. */
  coins: string[];
  feeFraction?: number;
  now?: () => Date;
}

export function createTwoMinersCollector(deps: TwoMinersCollectorDeps): Collector {
  return {
    source: '2miners',
    async collect() {
      // One host per coin, so the coins are fetched side by side.
      const outcomes = await Promise.all(deps.coins.map((coin) => collectCoin(deps, coin.toUpperCase())));
      return combineCoinOutcomes('2miners', outcomes);
    },
  };
}

async function collectCoin(deps: TwoMinersCollectorDeps, coin: string): Promise<CoinOutcome> {
  const what = `2miners ${coin} /stats`;
  const ctx = {
    coin,
    feeFraction: deps.feeFraction ?? TWOMINERS_DEFAULT_FEE_FRACTION,
    fetchedAt: (deps.now ?? (() => new Date()))(),
  };
  try {
    const { body } = await deps.http.getJson(`${coinUrl(deps.urlTemplate, coin)}/stats`);
    const warnings: string[] = [];
    const stats = checkedFigures(parseBody(twoMinersStats, body, what), ctx.fetchedAt, what, warnings);
    const node = twoMinersNode.safeParse(stats.nodes?.[0]);
    if (node.success) node.data.height = twoMinersFigure('height', node.data.height, what, warnings);
    const pool = toPoolObservation(stats, node.success ? node.data : undefined, ctx);
    if (node.success)
      return { coin, coins: [toCoinObservation(stats, node.data, ctx)], pools: [pool], warnings };
    const why = stats.nodes?.length ? describeIssues(node.error) : 'no nodes';
    warnings.push(`${what}: no coin observation: nodes.0: ${why}`);
    return { coin, coins: [], pools: [pool], warnings };
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { coin, coins: [], pools: [], warnings: [`2miners ${coin}: skipped: ${error.message}`], error };
  }
}

/**
 * The pool's figures that must make sense to be stored (headcounts, the last block's time): each one that does not
 * is left out alone, with a warning, never the pool nor the cycle's write.
 */
function checkedFigures(
  stats: TwoMinersStats,
  fetchedAt: Date,
  what: string,
  warnings: string[],
): TwoMinersStats {
  const { minersTotal, workersTotal, stats: blocks, ...rest } = stats;
  const miners = twoMinersFigure('minersTotal', minersTotal, what, warnings);
  const workers = twoMinersFigure('workersTotal', workersTotal, what, warnings);
  const lastBlockFound = pastBlockTime(blocks?.lastBlockFound, fetchedAt, what, warnings);
  return {
    ...rest,
    ...(miners !== undefined ? { minersTotal: miners } : {}),
    ...(workers !== undefined ? { workersTotal: workers } : {}),
    ...(lastBlockFound !== undefined ? { stats: { lastBlockFound } } : {}),
  };
}

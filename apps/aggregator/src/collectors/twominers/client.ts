// 2Miners collector: GET {coin}.2miners.com/api/stats per coin, validated and normalized into observations.
//
// 2Miners documents no rate limit; one call per coin per run, a few runs a minute at most, stays polite.
// /api/blocks is deliberately not called: its block `reward` unit is unverified for ETC (see normalize.ts).

import type { CoinObservation, PoolObservation } from '@smart-mining/domain';
import { SourceError } from '../../errors.ts';
import type { HttpClient } from '../../http-client.ts';
import { type Collector, type CollectResult, coinUrl, describeIssues, parseBody } from '../collector.ts';
import { toCoinObservation, toPoolObservation } from './normalize.ts';
import { twoMinersNode, twoMinersStats } from './schema.ts';

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

interface CoinOutcome {
  coin: string;
  coins: CoinObservation[];
  pools: PoolObservation[];
  warnings: string[];
  /** Set when the coin yielded nothing. */
  error?: SourceError;
}

export function createTwoMinersCollector(deps: TwoMinersCollectorDeps): Collector {
  return {
    source: '2miners',
    async collect() {
      // One host per coin, so the coins are fetched side by side.
      const outcomes = await Promise.all(deps.coins.map((coin) => collectCoin(deps, coin.toUpperCase())));
      return combine(outcomes);
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
    const stats = parseBody(twoMinersStats, body, what);
    const node = twoMinersNode.safeParse(stats.nodes?.[0]);
    const pool = toPoolObservation(stats, node.success ? node.data : undefined, ctx);
    if (node.success)
      return { coin, coins: [toCoinObservation(stats, node.data, ctx)], pools: [pool], warnings: [] };
    const why = stats.nodes?.length ? describeIssues(node.error) : 'no nodes';
    return { coin, coins: [], pools: [pool], warnings: [`${what}: no coin observation: nodes.0: ${why}`] };
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { coin, coins: [], pools: [], warnings: [`2miners ${coin}: skipped: ${error.message}`], error };
  }
}

/** A coin that fails is a warning; every coin failing fails the run with the first coin's error code. */
function combine(outcomes: CoinOutcome[]): CollectResult {
  const result: CollectResult = { coins: [], pools: [], hardware: [], warnings: [] };
  const failures: [string, SourceError][] = [];
  for (const outcome of outcomes) {
    result.coins.push(...outcome.coins);
    result.pools.push(...outcome.pools);
    result.warnings.push(...outcome.warnings);
    if (outcome.error) failures.push([outcome.coin, outcome.error]);
  }
  if (result.coins.length + result.pools.length === 0 && failures.length > 0) throw everyCoinFailed(failures);
  return result;
}

function everyCoinFailed(failures: [string, SourceError][]): SourceError {
  const [, first] = failures[0]!;
  const coins = failures.map(([coin]) => coin).join(', ');
  return new SourceError(first.code, `2miners: every coin failed (${coins}); first: ${first.message}`, {
    cause: first,
    ...(first.status !== undefined ? { status: first.status } : {}),
    ...(first.retryAfterS !== undefined ? { retryAfterS: first.retryAfterS } : {}),
  });
}

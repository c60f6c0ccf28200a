// The sources' own revenue estimates as evidence: they settle a network figure two sources contest.

import {
  type AlgorithmKey,
  type CoinObservation,
  coinsPerHsDay,
  coinsPerHsDayFromDifficulty,
} from '@smart-mining/domain';
import { type Arbiter, consensus, type Quote, type QuoteRules } from './consensus.ts';

export type NetworkField = 'difficulty' | 'networkHashrateHs' | 'blockTimeS' | 'blockReward';
export type NetworkValues = Partial<Record<NetworkField, number>>;

/**
 * Coins a hash per second earns in a day by each source's own estimate (its USD estimate over its own price, so
 * a price disagreement does not leak into it), combined like any other quote: old or lagging estimates are no
 * evidence. Undefined when no timely estimates agree.
 */
export function estimatedCoinsPerHsDay(
  obs: readonly CoinObservation[],
  rules: QuoteRules,
): number | undefined {
  const quotes: Quote[] = [];
  for (const o of obs) {
    if (o.usdPerHsDay === undefined || !o.priceUsd) continue;
    quotes.push({
      source: o.source,
      value: o.usdPerHsDay / o.priceUsd,
      observedAt: o.observedAt,
      ...(o.lagging ? { lagging: true } : {}),
    });
  }
  const c = consensus(quotes, rules);
  return c?.trusted ? c.value : undefined;
}

/** Coins per H/s per day when `field` takes `value` and the other figures keep theirs; the route that uses `field`. */
function implied(
  algorithm: AlgorithmKey,
  field: NetworkField,
  value: number,
  others: NetworkValues,
): number | undefined {
  const f = { ...others, [field]: value };
  const { difficulty, blockReward, blockTimeS, networkHashrateHs } = f;
  if (blockReward === undefined) return undefined;
  const byDifficulty = difficulty
    ? coinsPerHsDayFromDifficulty(algorithm, difficulty, blockReward)
    : undefined;
  const byNethash =
    blockTimeS && networkHashrateHs ? coinsPerHsDay(blockReward, blockTimeS, networkHashrateHs) : undefined;
  if (field === 'difficulty') return byDifficulty;
  if (field === 'blockReward') return byDifficulty ?? byNethash;
  return byNethash;
}

/**
 * An arbiter for one network field: the contestant whose implied earnings lie closest to the estimates wins,
 * confirmed when within `toleranceFraction` of them. Undefined when there is no evidence.
 */
export function estimateArbiter(
  algorithm: AlgorithmKey,
  field: NetworkField,
  others: NetworkValues,
  evidence: number | undefined,
  toleranceFraction: number,
): Arbiter | undefined {
  if (evidence === undefined) return undefined;
  return (contestants) => {
    let best: { quote: Quote; off: number } | undefined;
    for (const quote of contestants) {
      const earned = implied(algorithm, field, quote.value, others);
      if (earned === undefined || !(earned > 0)) continue;
      const off = Math.abs(earned - evidence) / evidence;
      if (!best || off < best.off) best = { quote, off };
    }
    return best ? { quote: best.quote, confirmed: best.off <= toleranceFraction } : undefined;
  };
}

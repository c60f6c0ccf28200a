// Merges every source's coin observations into one state per coin and computes usd_per_hs_day.

import type { CoinState } from '@smart-mining/db';
import {
  type AlgorithmKey,
  type CoinObservation,
  coinByKey,
  hashrateFromDifficulty,
  type SourceName,
  usdPerHsDayFromDifficulty,
  usdPerHsDay as usdPerHsDayFromNethash,
  withoutUndefined,
} from '@smart-mining/domain';
import { type Consensus, consensus, median, type Quote } from './consensus.ts';

/** Network figures disagree more than prices (each source estimates hashrate its own way). */
const NETWORK_DEVIATION_FRACTION = 0.1;

/** A coin's merged state: the row the ingest writes, with a known algorithm. */
export interface MergedCoin extends CoinState {
  algorithm: AlgorithmKey;
}

export interface MergeCoinsOptions {
  now: Date;
  maxDeviationFraction: number;
  minVolume24hUsd: number;
  priceStaleS: number;
  networkStaleS: number;
}

type NumericField = 'priceUsd' | 'difficulty' | 'networkHashrateHs' | 'blockTimeS' | 'blockReward';

function quotes(obs: readonly CoinObservation[], field: NumericField, maxAgeS: number, now: Date): Quote[] {
  const out: Quote[] = [];
  for (const o of obs) {
    const value = o[field];
    if (value === undefined || (now.getTime() - o.observedAt.getTime()) / 1000 > maxAgeS) continue;
    out.push({ source: o.source, value, observedAt: o.observedAt, ...(o.lagging ? { lagging: true } : {}) });
  }
  return out;
}

/** One coin from its observations; `previous` fills what no fresh source reported, with its old timestamps. */
export function mergeCoin(
  coin: string,
  obs: readonly CoinObservation[],
  options: MergeCoinsOptions,
  previous?: MergedCoin,
): MergedCoin | undefined {
  const identity = coinByKey(coin);
  const algorithm = identity?.algorithm ?? obs.find((o) => o.algorithm)?.algorithm ?? previous?.algorithm;
  if (!algorithm) return undefined;
  const { now, maxDeviationFraction: priceDev, priceStaleS, networkStaleS } = options;

  const price = consensus(quotes(obs, 'priceUsd', priceStaleS, now), priceDev);
  const network = {
    difficulty: consensus(quotes(obs, 'difficulty', networkStaleS, now), NETWORK_DEVIATION_FRACTION),
    networkHashrateHs: consensus(
      quotes(obs, 'networkHashrateHs', networkStaleS, now),
      NETWORK_DEVIATION_FRACTION,
    ),
    blockTimeS: consensus(quotes(obs, 'blockTimeS', networkStaleS, now), NETWORK_DEVIATION_FRACTION),
    blockReward: consensus(quotes(obs, 'blockReward', networkStaleS, now), NETWORK_DEVIATION_FRACTION),
  };
  const volumes = obs.flatMap((o) =>
    o.volume24hUsd !== undefined && o.volume24hUsd >= 0 ? [o.volume24hUsd] : [],
  );
  // Market-wide volume: the largest figure any source gives (one exchange's volume understates it).
  const volume24hUsd = volumes.length > 0 ? Math.max(...volumes) : previous?.volume24hUsd;

  const pick = (c: Consensus | undefined, prev: number | undefined) => c?.value ?? prev;
  const priceUsd = pick(price, previous?.priceUsd);
  const difficulty = pick(network.difficulty, previous?.difficulty);
  const blockReward = pick(network.blockReward, previous?.blockReward);
  const blockTimeS = pick(network.blockTimeS, previous?.blockTimeS) ?? identity?.blockTimeS;
  const reportedNethash = pick(network.networkHashrateHs, previous?.networkHashrateHs);
  const networkHashrateHs =
    reportedNethash ??
    (difficulty !== undefined && blockTimeS
      ? hashrateFromDifficulty(algorithm, difficulty, blockTimeS)
      : undefined);

  const volumeOk = volume24hUsd === undefined || volume24hUsd >= options.minVolume24hUsd;
  const priceTrusted = price ? price.trusted && volumeOk : (previous?.priceTrusted ?? false);
  const networkTrusted = Object.values(network).every((c) => c === undefined || c.trusted);
  const lagging = obs.some((o) => o.lagging);

  const revenue = computeUsdPerHsDay(
    algorithm,
    { priceUsd, difficulty, blockReward, blockTimeS, networkHashrateHs },
    obs,
  );
  const usdPerHsDay = revenue?.value ?? previous?.usdPerHsDay;

  const networkUpdatedAt =
    newest(Object.values(network).map((c) => c?.observedAt)) ?? previous?.networkUpdatedAt;
  const priceUpdatedAt = price?.observedAt ?? previous?.priceUpdatedAt;
  const observedAt = newest([priceUpdatedAt, networkUpdatedAt, ...obs.map((o) => o.observedAt)]) ?? now;

  const sources: Record<string, unknown> = { ...(previous?.sources ?? {}) };
  for (const [field, c] of Object.entries({ priceUsd: price, ...network })) {
    if (c) sources[field] = { value: c.value, trusted: c.trusted, from: c.from, rejected: c.rejected };
  }
  if (volumes.length > 0) sources.volume24hUsd = Object.fromEntries(volumeBySource(obs));
  if (revenue) sources.usdPerHsDay = { method: revenue.method, estimates: revenue.estimates };
  if (!volumeOk) sources.volumeBelowMinimum = true;
  if (lagging) sources.lagging = obs.filter((o) => o.lagging).map((o) => o.source);

  return {
    coin,
    name: identity?.name ?? obs.find((o) => o.name)?.name ?? previous?.name ?? coin,
    algorithm,
    ...withoutUndefined({
      blockTimeS,
      blockReward,
      difficulty,
      networkHashrateHs,
      priceUsd,
      volume24hUsd,
      usdPerHsDay,
    }),
    priceTrusted,
    trusted: priceTrusted && networkTrusted && !lagging && usdPerHsDay !== undefined,
    sources,
    observedAt,
    ...withoutUndefined({ priceUpdatedAt, networkUpdatedAt }),
  };
}

interface RevenueInputs {
  priceUsd: number | undefined;
  difficulty: number | undefined;
  blockReward: number | undefined;
  blockTimeS: number | undefined;
  networkHashrateHs: number | undefined;
}

/** Difficulty route first (exact), then network hashrate, then the median of the sources' own estimates. */
function computeUsdPerHsDay(
  algorithm: AlgorithmKey,
  inputs: RevenueInputs,
  obs: readonly CoinObservation[],
): { value: number; method: string; estimates: Partial<Record<SourceName, number>> } | undefined {
  const estimates: Partial<Record<SourceName, number>> = {};
  for (const o of obs)
    if (o.usdPerHsDay !== undefined && o.usdPerHsDay > 0) estimates[o.source] = o.usdPerHsDay;
  const { priceUsd, difficulty, blockReward, blockTimeS, networkHashrateHs } = inputs;
  if (priceUsd !== undefined && blockReward !== undefined && difficulty !== undefined && difficulty > 0) {
    const value = usdPerHsDayFromDifficulty(algorithm, difficulty, blockReward, priceUsd);
    return { value, method: 'difficulty', estimates };
  }
  if (priceUsd !== undefined && blockReward !== undefined && blockTimeS && networkHashrateHs) {
    const value = usdPerHsDayFromNethash({ blockReward, blockTimeS, networkHashrateHs, priceUsd });
    return { value, method: 'network-hashrate', estimates };
  }
  const values = Object.values(estimates);
  if (values.length > 0) return { value: median(values), method: 'source-estimates', estimates };
  return undefined;
}

export function mergeCoins(
  observations: readonly CoinObservation[],
  options: MergeCoinsOptions,
  previous: ReadonlyMap<string, MergedCoin> = new Map(),
): MergedCoin[] {
  const byCoin = new Map<string, CoinObservation[]>();
  for (const o of observations) {
    const list = byCoin.get(o.coin) ?? [];
    list.push(o);
    byCoin.set(o.coin, list);
  }
  const out: MergedCoin[] = [];
  for (const [coin, obs] of byCoin) {
    const merged = mergeCoin(coin, obs, options, previous.get(coin));
    if (merged) out.push(merged);
  }
  return out.sort((a, b) => a.coin.localeCompare(b.coin));
}

function volumeBySource(obs: readonly CoinObservation[]): [string, number][] {
  return obs.flatMap((o) =>
    o.volume24hUsd !== undefined ? [[o.source, o.volume24hUsd] as [string, number]] : [],
  );
}

function newest(dates: readonly (Date | undefined)[]): Date | undefined {
  const times = dates.flatMap((d) => (d ? [d.getTime()] : []));
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
}

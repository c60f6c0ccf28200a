// Merges every source's coin observations into one state per coin and computes usd_per_hs_day.

import type { CoinState } from '@smart-mining/db';
import {
  type AlgorithmKey,
  type CoinObservation,
  coinByKey,
  hashrateFromDifficulty,
  isOlderThan,
  usdPerHsDayFromDifficulty,
  usdPerHsDay as usdPerHsDayFromNethash,
  withoutUndefined,
} from '@smart-mining/domain';
import { type Consensus, consensus, type Quote, type QuoteRules } from './consensus.ts';
import {
  estimateArbiter,
  estimatedCoinsPerHsDay,
  type NetworkField,
  type NetworkValues,
} from './evidence.ts';

/** Network figures disagree more than prices (each source estimates hashrate its own way). */
const NETWORK_DEVIATION_FRACTION = 0.1;
const NETWORK_FIELDS: readonly NetworkField[] = [
  'difficulty',
  'networkHashrateHs',
  'blockTimeS',
  'blockReward',
];

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
  /** One polling cycle: a quote this much older than the freshest one never votes against it. */
  maxQuoteLagS: number;
}

function quotes(obs: readonly CoinObservation[], field: 'priceUsd' | 'usdPerHsDay' | NetworkField): Quote[] {
  const out: Quote[] = [];
  for (const o of obs) {
    const value = o[field];
    if (value === undefined) continue;
    const quote: Quote = { source: o.source, value, observedAt: o.observedAt };
    if (o.lagging) quote.lagging = true;
    if (field === 'priceUsd' && o.volume24hUsd !== undefined) quote.volume24hUsd = o.volume24hUsd;
    out.push(quote);
  }
  return out;
}

/** Each network figure by consensus; contested ones settled by the sources' revenue estimates. */
function mergeNetwork(
  algorithm: AlgorithmKey,
  obs: readonly CoinObservation[],
  rules: QuoteRules,
): Partial<Record<NetworkField, Consensus>> {
  const first: Partial<Record<NetworkField, Consensus>> = {};
  for (const field of NETWORK_FIELDS) {
    const c = consensus(quotes(obs, field), rules);
    if (c) first[field] = c;
  }
  const evidence = estimatedCoinsPerHsDay(obs, rules);
  if (evidence === undefined) return first;
  const values: NetworkValues = {};
  for (const field of NETWORK_FIELDS) {
    const value = first[field]?.value;
    if (value !== undefined) values[field] = value;
  }
  const settled: Partial<Record<NetworkField, Consensus>> = {};
  for (const field of NETWORK_FIELDS) {
    const arbiter = estimateArbiter(algorithm, field, values, evidence, rules.maxDeviationFraction);
    const c = first[field] && consensus(quotes(obs, field), rules, arbiter);
    if (c) settled[field] = c;
  }
  return settled;
}

/** One coin from its observations; `previous` fills what no usable source reported, with its old timestamps. */
export function mergeCoin(
  coin: string,
  obs: readonly CoinObservation[],
  options: MergeCoinsOptions,
  previous?: MergedCoin,
): MergedCoin | undefined {
  const identity = coinByKey(coin);
  const algorithm = identity?.algorithm ?? obs.find((o) => o.algorithm)?.algorithm ?? previous?.algorithm;
  if (!algorithm) return undefined;
  const { now, maxQuoteLagS: maxLagS } = options;
  const priceRules: QuoteRules = {
    now,
    maxAgeS: options.priceStaleS,
    maxLagS,
    maxDeviationFraction: options.maxDeviationFraction,
    minVolume24hUsd: options.minVolume24hUsd,
  };
  const networkRules: QuoteRules = {
    now,
    maxAgeS: options.networkStaleS,
    maxLagS,
    maxDeviationFraction: NETWORK_DEVIATION_FRACTION,
  };
  const price = consensus(quotes(obs, 'priceUsd'), priceRules);
  const network = mergeNetwork(algorithm, obs, networkRules);

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
  const volume24hUsd = currentVolume(obs, options) ?? previous?.volume24hUsd;

  const priceTrusted = price?.value !== undefined ? price.trusted : (previous?.priceTrusted ?? false);
  const networkTrusted = NETWORK_FIELDS.every((field) => fieldTrusted(field, network[field], previous));
  // A USD estimate carries a price as well as network data: it is as old as the older of the two limits allows.
  const estimateRules = { ...networkRules, maxAgeS: Math.min(options.priceStaleS, options.networkStaleS) };
  const revenue = computeUsdPerHsDay(
    algorithm,
    { priceUsd, difficulty, blockReward, blockTimeS, networkHashrateHs },
    obs,
    estimateRules,
  );
  const usdPerHsDay = revenue?.value ?? previous?.usdPerHsDay;

  const networkUpdatedAt = valueDataAt(revenue, network, previous);
  const priceUpdatedAt = price?.observedAt ?? previous?.priceUpdatedAt;
  const observedAt = newest([priceUpdatedAt, networkUpdatedAt]) ?? previous?.observedAt ?? now;

  const sources: Record<string, unknown> = { ...(previous?.sources ?? {}) };
  for (const [field, c] of Object.entries({ priceUsd: price, ...network })) {
    if (c)
      sources[field] = { value: c.value ?? null, trusted: c.trusted, from: c.from, rejected: c.rejected };
  }
  const volumes = volumeBySource(obs);
  if (volumes.length > 0) sources.volume24hUsd = Object.fromEntries(volumes);
  if (revenue) sources.usdPerHsDay = { method: revenue.method, estimates: revenue.estimates };
  if (price && !price.trusted && Object.values(price.rejected).includes('thin-volume'))
    sources.volumeBelowMinimum = true;
  else delete sources.volumeBelowMinimum;
  const lagging = obs.filter((o) => o.lagging).map((o) => o.source);
  if (lagging.length > 0) sources.lagging = lagging;
  else delete sources.lagging;

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
    trusted: priceTrusted && networkTrusted && usdPerHsDay !== undefined,
    stale: false,
    sources,
    observedAt,
    ...withoutUndefined({ priceUpdatedAt, networkUpdatedAt, historyAt: previous?.historyAt }),
  };
}

/**
 * A figure agreed this cycle is as trusted as its consensus; one kept from the stored row keeps the trust it was
 * stored with, so sources falling silent never turn a contested figure into a trusted one.
 */
function fieldTrusted(
  field: NetworkField,
  agreed: Consensus | undefined,
  previous: MergedCoin | undefined,
): boolean {
  if (agreed?.value !== undefined) return agreed.trusted;
  if (previous?.[field] === undefined) return true;
  const stored = previous.sources[field] as { trusted?: unknown } | undefined;
  return stored?.trusted !== false;
}

/** The deepest market among the price quotes still within their staleness limit (market-wide volume). */
function currentVolume(obs: readonly CoinObservation[], options: MergeCoinsOptions): number | undefined {
  const limitMs = options.priceStaleS * 1000;
  const volumes = obs.flatMap((o) =>
    o.volume24hUsd !== undefined &&
    o.volume24hUsd >= 0 &&
    options.now.getTime() - o.observedAt.getTime() <= limitMs
      ? [o.volume24hUsd]
      : [],
  );
  return volumes.length > 0 ? Math.max(...volumes) : undefined;
}

interface Revenue {
  value: number;
  method: string;
  estimates: Pick<Consensus, 'from' | 'rejected'>;
  /** Time of the estimates a `source-estimates` value rests on. */
  observedAt?: Date;
}

interface RevenueInputs {
  priceUsd: number | undefined;
  difficulty: number | undefined;
  blockReward: number | undefined;
  blockTimeS: number | undefined;
  networkHashrateHs: number | undefined;
}

/**
 * Difficulty route first (exact), then network hashrate, then the consensus of the sources' own estimates; an
 * estimate older than the network limit, lagging or superseded never feeds the value.
 */
function computeUsdPerHsDay(
  algorithm: AlgorithmKey,
  inputs: RevenueInputs,
  obs: readonly CoinObservation[],
  rules: QuoteRules,
): Revenue | undefined {
  const quoted = consensus(quotes(obs, 'usdPerHsDay'), rules);
  const estimates = { from: quoted?.from ?? {}, rejected: quoted?.rejected ?? {} };
  const { priceUsd, difficulty, blockReward, blockTimeS, networkHashrateHs } = inputs;
  if (priceUsd !== undefined && blockReward !== undefined && difficulty !== undefined && difficulty > 0) {
    const value = usdPerHsDayFromDifficulty(algorithm, difficulty, blockReward, priceUsd);
    return { value, method: 'difficulty', estimates };
  }
  if (priceUsd !== undefined && blockReward !== undefined && blockTimeS && networkHashrateHs) {
    const value = usdPerHsDayFromNethash({ blockReward, blockTimeS, networkHashrateHs, priceUsd });
    return { value, method: 'network-hashrate', estimates };
  }
  if (quoted?.value !== undefined && quoted.observedAt)
    return { value: quoted.value, method: 'source-estimates', estimates, observedAt: quoted.observedAt };
  return undefined;
}

/** The network figures each revenue route rests on. */
const ROUTE_FIELDS: Readonly<Record<string, readonly NetworkField[]>> = {
  difficulty: ['difficulty', 'blockReward'],
  'network-hashrate': ['networkHashrateHs', 'blockTimeS', 'blockReward'],
};

/**
 * The network data's time is that of what usd_per_hs_day rests on: the oldest figure of its route, or the
 * estimates it was taken from; a value kept from the stored row is as old as the stored data. So figures still
 * coming in that the value does not use (a block time, a difficulty beside an estimate) never make it look fresh.
 */
function valueDataAt(
  revenue: Revenue | undefined,
  network: Partial<Record<NetworkField, Consensus>>,
  previous: MergedCoin | undefined,
): Date | undefined {
  const newestNetwork = newest(Object.values(network).map((c) => c.observedAt));
  if (!revenue)
    return previous?.usdPerHsDay !== undefined
      ? previous.networkUpdatedAt
      : (newestNetwork ?? previous?.networkUpdatedAt);
  if (revenue.method === 'source-estimates') return revenue.observedAt;
  return routeDataAt(revenue.method, network, previous) ?? newestNetwork ?? previous?.networkUpdatedAt;
}

/**
 * The oldest time of the figures a route rests on: a figure no source gave this cycle is as old as the stored
 * network data.
 */
function routeDataAt(
  method: string | undefined,
  network: Partial<Record<NetworkField, Consensus>>,
  previous: MergedCoin | undefined,
): Date | undefined {
  const fields = method === undefined ? undefined : ROUTE_FIELDS[method];
  if (!fields) return undefined;
  const times = fields.map((field) => {
    const c = network[field];
    if (c?.value !== undefined) return c.observedAt;
    return previous?.[field] !== undefined ? previous.networkUpdatedAt : undefined;
  });
  const known = times.flatMap((t) => (t ? [t.getTime()] : []));
  return known.length > 0 ? new Date(Math.min(...known)) : undefined;
}

/** Stale when the price or the network data is missing or older than its limit (judged by data time). */
export function isCoinStale(
  coin: Pick<CoinState, 'priceUpdatedAt' | 'networkUpdatedAt'>,
  options: Pick<MergeCoinsOptions, 'now' | 'priceStaleS' | 'networkStaleS'>,
): boolean {
  const older = (at: Date | undefined, limitS: number) => !at || isOlderThan(at, limitS, options.now);
  return (
    older(coin.priceUpdatedAt, options.priceStaleS) || older(coin.networkUpdatedAt, options.networkStaleS)
  );
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
    if (merged) out.push({ ...merged, stale: isCoinStale(merged, options) });
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

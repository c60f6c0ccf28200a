// GET /v1/decision behind the route: reads the market snapshot, builds candidates and capability, calls
// decide(), and answers with each target's pool, fee and Stratum endpoints. A safe read: it writes nothing.

import type { decisionInputsSchema } from '@smart-mining/api-contract';
import {
  type AlgorithmKey,
  type Candidate,
  type CurrentTarget,
  coinByKey,
  type Decision,
  decidePrepared,
  isAlgorithmKey,
  type MinerCapability,
  type PreparedDecision,
  type Profile,
  prepareDecision,
  type RankedTarget,
  switchLossUsdPerDay,
} from '@smart-mining/domain';
import type { z } from 'zod';
import type { DecisionDefaults } from './app-context.ts';
import { resolveCapability } from './capability.ts';
import { buildCandidates, readMarket } from './market.ts';
import type { MarketSnapshot } from './market-cache.ts';
import { loadProfile } from './profile-definitions.ts';
import { parseAlgorithms, parseHashrates } from './query-params.ts';

/** The query as it came (validated by the route's schema); parsed once per snapshot and distinct query. */
export interface DecisionRequest {
  profile?: string;
  hardware?: string;
  /** Comma list of algorithm names (any known spelling). */
  algorithms?: string;
  /** Comma list of H/s: one value, or one per algorithm. */
  hashrateHs?: string;
  /** Pool key the miner mines now. */
  current?: string;
  /** Since when it mines `current`; absent: long enough for any dwell. */
  since?: Date;
}

type DecisionInputs = z.infer<typeof decisionInputsSchema>;

/** A ranked target as the answer carries it: what a proxy needs to go there, and its value. */
export interface TargetBody {
  poolKey: string;
  pool: string;
  coin: string;
  algorithm: AlgorithmKey;
  feeFraction: number;
  endpoints: unknown[];
  hashrateHs: number;
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  valueUsdPerDay: number;
  dataAgeS: number;
}

export interface DecisionResult {
  at: Date;
  profile: string;
  route: string;
  current: string | null;
  since: Date | null;
  chosen: TargetBody | null;
  switched: boolean;
  reason: string;
  /** Age of the chosen target's data in seconds; null when nothing was chosen. */
  dataAgeS: number | null;
  /** Set by the route from the market cache (see snapshot-age.ts). */
  snapshotAgeS: number;
  snapshotStale: boolean;
  inputs: DecisionInputs;
  ranked: TargetBody[];
  excluded: { poolKey: string; why: string }[];
}

/** Who asks, as one string: the decision log and the switch reports group by it. */
export function routeKey(
  profile: string,
  request: { hardware?: string; algorithms?: AlgorithmKey[] },
): string {
  const parts = [profile];
  if (request.hardware) parts.push(`hardware=${request.hardware}`);
  if (request.algorithms) parts.push(`algorithms=${[...request.algorithms].sort().join(',')}`);
  return parts.join('|');
}

/** The current target's algorithm from its pool row, else from the ticker in its key (`2miners:ETC`). */
function resolveCurrent(market: MarketSnapshot, request: DecisionRequest): CurrentTarget | undefined {
  if (!request.current) return undefined;
  const pool = market.pool(request.current);
  const algorithm = pool?.algorithm ?? coinByKey(request.current.split(':').pop() ?? '')?.algorithm;
  if (!algorithm || !isAlgorithmKey(algorithm)) return undefined;
  return { target: request.current, algorithm, since: request.since ?? new Date(0) };
}

function candidatesFor(
  market: MarketSnapshot,
  algorithms: AlgorithmKey[],
  withAverages: boolean,
): Candidate[] {
  const key = `${withAverages}|${[...algorithms].sort().join(',')}`;
  // Candidates depend only on the snapshot and these inputs: built once per snapshot, not per request.
  return market.memo('candidates', key, () =>
    buildCandidates(readMarket(market, { algorithms, withAverages })),
  );
}

/** Who asks, resolved against one snapshot: none of it depends on the time or on the current target. */
interface Asker {
  profile: Profile;
  miner: MinerCapability;
  /** The algorithms the miner can mine, in its capability's order. */
  algorithms: AlgorithmKey[];
  withAverages: boolean;
  route: string;
  /** The decision over the miner's algorithms, up to what depends on the time (see prepareDecision). */
  prepared: PreparedDecision;
}

function resolveAsker(market: MarketSnapshot, request: DecisionRequest, defaults: DecisionDefaults): Asker {
  const query = {
    hardware: request.hardware,
    algorithms: parseAlgorithms(request.algorithms, 'querystring/algorithms'),
    hashratesHs: parseHashrates(request.hashrateHs, 'querystring/hashrateHs'),
  };
  const profile = loadProfile(market, request.profile ?? defaults.profile, 'querystring/profile');
  const miner = resolveCapability(market, query, {
    defaultHashrateHs: defaults.hashrateHs,
    allowAll: false,
  });
  const algorithms = miner.algorithms.map((a) => a.algorithm);
  const withAverages = profile.definition.priceBasis !== 'current';
  const candidates = candidatesFor(market, algorithms, withAverages);
  return {
    profile,
    miner,
    algorithms,
    withAverages,
    route: routeKey(profile.name, query),
    prepared: prepareDecision({ profile, miner, candidates }),
  };
}

/** Length-prefixed, so no value can run into the next; an absent parameter is not the empty one. */
function keyField(value: string | undefined): string {
  return value === undefined ? '-' : `${value.length}:${value}`;
}

/** Every input of resolveAsker, as one key. */
function askerKey(request: DecisionRequest, defaults: DecisionDefaults): string {
  return (
    keyField(request.profile ?? defaults.profile) +
    keyField(request.hardware) +
    keyField(request.algorithms) +
    keyField(request.hashrateHs)
  );
}

/**
 * The prepared decision for this asker and current target, kept per snapshot: only the data age, the
 * ranking of what is left and the switch policy are worked out per request (they depend on the time).
 */
function preparedFor(
  market: MarketSnapshot,
  request: DecisionRequest,
  defaults: DecisionDefaults,
  current: CurrentTarget | undefined,
): { asker: Asker; prepared: PreparedDecision } {
  const key = askerKey(request, defaults);
  const asker = market.memo('decision', key, () => resolveAsker(market, request, defaults));
  if (!current || asker.algorithms.includes(current.algorithm)) return { asker, prepared: asker.prepared };
  // The current target is a candidate even on an algorithm the miner cannot mine, so the reason says why
  // it is left ("not mineable: the miner has no kawpow hashrate") instead of "not in the market data".
  const algorithm = current.algorithm;
  const prepared = market.memo('decision-with-current', `${key}|${algorithm}`, () => {
    const candidates = candidatesFor(market, [...asker.algorithms, algorithm], asker.withAverages);
    return prepareDecision({ profile: asker.profile, miner: asker.miner, candidates });
  });
  return { asker, prepared };
}

function toTarget(market: MarketSnapshot, r: RankedTarget): TargetBody {
  const pool = market.pool(r.target);
  return {
    poolKey: r.target,
    pool: r.pool,
    coin: r.coin,
    algorithm: r.algorithm,
    feeFraction: pool?.feeFraction ?? 0,
    endpoints: pool?.endpoints ?? [],
    hashrateHs: r.hashrateHs,
    revenueUsdPerDay: r.revenueUsdPerDay,
    costUsdPerDay: r.costUsdPerDay,
    valueUsdPerDay: r.valueUsdPerDay,
    dataAgeS: r.dataAgeS,
  };
}

/** (value − kept) / |kept|; null without a kept target of non-zero value. */
function margin(value: number, kept: RankedTarget | undefined): number | null {
  const base = kept ? Math.abs(kept.valueUsdPerDay) : 0;
  return kept && base > 0 ? (value - kept.valueUsdPerDay) / base : null;
}

/** What the switch rule weighed: the best alternative to the current target, gross and net of switch cost. */
function decisionInputs(
  profile: Profile,
  decision: Decision,
  current: CurrentTarget | undefined,
  now: Date,
): DecisionInputs {
  const switching = profile.definition.switching;
  const kept = current && decision.ranked.find((t) => t.target === current.target);
  // The alternative the rule weighs: the best other target net of its switch cost.
  let alternative: { target: RankedTarget; netUsdPerDay: number } | undefined;
  for (const target of kept ? decision.ranked : []) {
    if (target === kept) continue;
    const net = target.valueUsdPerDay - switchLossUsdPerDay(target, current?.algorithm, switching);
    if (!alternative || net > alternative.netUsdPerDay) alternative = { target, netUsdPerDay: net };
  }
  return {
    thresholdFraction: switching.thresholdFraction,
    minDwellS: switching.minDwellS,
    algorithmSwitchCostS: switching.algorithmSwitchCostS,
    dwellS: current ? Math.max(0, (now.getTime() - current.since.getTime()) / 1000) : null,
    marginFraction: alternative ? margin(alternative.target.valueUsdPerDay, kept) : null,
    netMarginFraction: alternative ? margin(alternative.netUsdPerDay, kept) : null,
    expectedUsdPerDay: decision.chosen?.valueUsdPerDay ?? null,
  };
}

const PER_HS_NOTE = '; values are per 1 H/s: give hashrateHs or hardware for the USD/day of this miner';

export function decideFor(
  deps: { market: MarketSnapshot; now: Date; defaults: DecisionDefaults },
  request: DecisionRequest,
): DecisionResult {
  const { market, now } = deps;
  const current = resolveCurrent(market, request);
  const { asker, prepared } = preparedFor(market, request, deps.defaults, current);
  const decision = decidePrepared(prepared, { current, now });
  const perHs = !request.hardware && !request.hashrateHs && decision.chosen !== undefined;
  const ranked = decision.ranked.map((r) => toTarget(market, r));
  const chosenIndex = decision.chosen ? decision.ranked.indexOf(decision.chosen) : -1;
  const chosen = decision.chosen ? (ranked[chosenIndex] ?? toTarget(market, decision.chosen)) : null;
  return {
    at: now,
    profile: asker.profile.name,
    route: asker.route,
    current: request.current ?? null,
    since: request.since ?? null,
    chosen,
    switched: decision.switched,
    reason: perHs ? decision.reason + PER_HS_NOTE : decision.reason,
    dataAgeS: decision.chosen?.dataAgeS ?? null,
    snapshotAgeS: 0,
    snapshotStale: false,
    inputs: decisionInputs(asker.profile, decision, current, now),
    ranked,
    excluded: decision.excluded.map((e) => ({ poolKey: e.target, why: e.why })),
  };
}

// GET /v1/decision behind the route: reads the market snapshot, builds candidates and capability, calls
// decide(), and answers with each target's pool, fee and Stratum endpoints. A safe read: it writes nothing.

import type { decisionInputsSchema } from '@smart-mining/api-contract';
import {
  type AlgorithmKey,
  type Candidate,
  type CurrentTarget,
  coinByKey,
  type Decision,
  decide,
  isAlgorithmKey,
  type Profile,
  type RankedTarget,
  switchLossUsdPerDay,
} from '@smart-mining/domain';
import type { z } from 'zod';
import type { DecisionDefaults } from './app-context.ts';
import { resolveCapability } from './capability.ts';
import { buildCandidates, readMarket } from './market.ts';
import type { MarketSnapshot } from './market-cache.ts';
import { loadProfile } from './profile-definitions.ts';

export interface DecisionRequest {
  profile?: string;
  hardware?: string;
  algorithms?: AlgorithmKey[];
  hashratesHs?: number[];
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
export function routeKey(profile: string, request: DecisionRequest): string {
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
  const key = `candidates|${withAverages}|${[...algorithms].sort().join(',')}`;
  // Candidates depend only on the snapshot and these inputs: built once per snapshot, not per request.
  return market.memo(key, () => buildCandidates(readMarket(market, { algorithms, withAverages })));
}

function gatherInputs(market: MarketSnapshot, request: DecisionRequest, defaults: DecisionDefaults) {
  const profile = loadProfile(market, request.profile ?? defaults.profile, 'querystring/profile');
  const miner = resolveCapability(market, request, {
    defaultHashrateHs: defaults.hashrateHs,
    allowAll: false,
  });
  const current = resolveCurrent(market, request);
  const algorithms = miner.algorithms.map((a) => a.algorithm);
  // The current target is a candidate even on an algorithm the miner cannot mine, so the reason says why
  // it is left ("not mineable: the miner has no kawpow hashrate") instead of "not in the market data".
  if (current && !algorithms.includes(current.algorithm)) algorithms.push(current.algorithm);
  const withAverages = profile.definition.priceBasis !== 'current';
  return { profile, miner, current, candidates: candidatesFor(market, algorithms, withAverages) };
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
  const base = kept ? Math.abs(kept.valueUsdPerDay) : 0;
  const margin = (value: number) => (kept && base > 0 ? (value - kept.valueUsdPerDay) / base : null);
  return {
    thresholdFraction: switching.thresholdFraction,
    minDwellS: switching.minDwellS,
    algorithmSwitchCostS: switching.algorithmSwitchCostS,
    dwellS: current ? Math.max(0, (now.getTime() - current.since.getTime()) / 1000) : null,
    marginFraction: alternative ? margin(alternative.target.valueUsdPerDay) : null,
    netMarginFraction: alternative ? margin(alternative.netUsdPerDay) : null,
    expectedUsdPerDay: decision.chosen?.valueUsdPerDay ?? null,
  };
}

const PER_HS_NOTE = '; values are per 1 H/s: give hashrateHs or hardware for the USD/day of this miner';

export function decideFor(
  deps: { market: MarketSnapshot; now: Date; defaults: DecisionDefaults },
  request: DecisionRequest,
): DecisionResult {
  const { market, now } = deps;
  // Explicit fields, not spreads: spreading these objects cost more than the decision itself (profiled).
  const { profile, miner, current, candidates } = gatherInputs(market, request, deps.defaults);
  const decision = decide({ profile, miner, current, candidates, now });
  const perHs = !request.hardware && !request.hashratesHs && decision.chosen !== undefined;
  const ranked = decision.ranked.map((r) => toTarget(market, r));
  const chosenIndex = decision.chosen ? decision.ranked.indexOf(decision.chosen) : -1;
  const chosen = decision.chosen ? (ranked[chosenIndex] ?? toTarget(market, decision.chosen)) : null;
  return {
    at: now,
    profile: profile.name,
    route: routeKey(profile.name, request),
    current: request.current ?? null,
    since: request.since ?? null,
    chosen,
    switched: decision.switched,
    reason: perHs ? decision.reason + PER_HS_NOTE : decision.reason,
    dataAgeS: decision.chosen?.dataAgeS ?? null,
    snapshotAgeS: 0,
    snapshotStale: false,
    inputs: decisionInputs(profile, decision, current, now),
    ranked,
    excluded: decision.excluded.map((e) => ({ poolKey: e.target, why: e.why })),
  };
}

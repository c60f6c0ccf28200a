// GET /v1/decision behind the route: reads the market, builds candidates and capability, calls decide(), logs changes.

import { insertDecision, type Queryable } from '@smart-mining/db';
import {
  type AlgorithmKey,
  type Candidate,
  type CurrentTarget,
  coinByKey,
  type Decision,
  decide,
  isAlgorithmKey,
  type MinerCapability,
  type Profile,
  type RankedTarget,
} from '@smart-mining/domain';
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

export interface DecisionResult extends Omit<Decision, 'chosen'> {
  chosen: RankedTarget | null;
  at: Date;
  profile: string;
  route: string;
  current: string | null;
  since: Date | null;
  /** Age of the chosen target's data in seconds; null when nothing was chosen. */
  dataAgeS: number | null;
  /** Id of the `decisions` row when this decision changed the target, else null. */
  loggedDecisionId: number | null;
}

/** Who asks, as one string: the decisions log groups by it. */
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

interface DecisionInputs {
  profile: Profile;
  miner: MinerCapability;
  current: CurrentTarget | undefined;
  candidates: Candidate[];
}

function gatherInputs(
  market: MarketSnapshot,
  request: DecisionRequest,
  defaults: DecisionDefaults,
): DecisionInputs {
  const profile = loadProfile(market, request.profile ?? defaults.profile, 'querystring/profile');
  const miner = resolveCapability(market, request, {
    defaultHashrateHs: defaults.hashrateHs,
    allowAll: false,
  });
  const algorithms = miner.algorithms.map((a) => a.algorithm);
  const withAverages = profile.definition.priceBasis !== 'current';
  const current = resolveCurrent(market, request);
  return {
    profile,
    miner,
    current,
    // Candidates depend only on the snapshot and these two inputs: built once per snapshot, not per request.
    candidates: market.memo(`candidates|${withAverages}|${[...algorithms].sort().join(',')}`, () =>
      buildCandidates(readMarket(market, { algorithms, withAverages })),
    ),
  };
}

export async function decideFor(
  deps: { db: Queryable; market: MarketSnapshot; now: Date; defaults: DecisionDefaults },
  request: DecisionRequest,
): Promise<DecisionResult> {
  const { db, now } = deps;
  const inputs = gatherInputs(deps.market, request, deps.defaults);
  // Explicit fields, not spreads: spreading these objects cost more than the decision itself (profiled).
  const { profile, miner, current, candidates } = inputs;
  const decision = decide({ profile, miner, current, candidates, now });
  const route = routeKey(inputs.profile.name, request);
  const target = decision.chosen?.target ?? null;
  const previous = request.current ?? null;
  let loggedDecisionId: number | null = null;
  if (target !== previous) {
    loggedDecisionId = await insertDecision(db, {
      at: now,
      profile: inputs.profile.name,
      route,
      previousTarget: previous,
      target,
      expectedUsdPerDay: decision.chosen?.valueUsdPerDay ?? null,
      reason: decision.reason,
      inputs: { request, miner: inputs.miner, current: inputs.current, candidates: inputs.candidates },
    });
  }
  return {
    chosen: decision.chosen ?? null,
    switched: decision.switched,
    reason: decision.reason,
    ranked: decision.ranked,
    excluded: decision.excluded,
    at: now,
    profile: inputs.profile.name,
    route,
    current: previous,
    since: request.since ?? null,
    dataAgeS: decision.chosen?.dataAgeS ?? null,
    loggedDecisionId,
  };
}

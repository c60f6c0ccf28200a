// GET /v1/backtest behind the route: checks the range, reads history, builds snapshots and runs backtest().

import {
  BACKTEST_DEFAULT_STEP_S,
  BACKTEST_MAX_ROWS,
  BACKTEST_MAX_STEPS,
  type BacktestReportJson,
} from '@smart-mining/api-contract';
import { BacktestRowLimitError, type Queryable, readBacktestHistory } from '@smart-mining/db';
import {
  type AlgorithmKey,
  type BacktestResult,
  backtest,
  type MinerCapability,
  type Profile,
} from '@smart-mining/domain';
import type { DecisionDefaults } from './app-context.ts';
import { BASIS_WINDOW_S, buildSnapshots } from './backtest-snapshots.ts';
import { resolveCapability } from './capability.ts';
import { ApiError } from './errors.ts';
import type { MarketSnapshot } from './market-cache.ts';
import { loadProfile } from './profile-definitions.ts';
import { checkRange } from './query-params.ts';

export { BACKTEST_DEFAULT_STEP_S, BACKTEST_MAX_ROWS, BACKTEST_MAX_STEPS };

export interface BacktestRequest {
  profile?: string;
  hardware?: string;
  algorithms?: AlgorithmKey[];
  hashratesHs?: number[];
  from: Date;
  /** Exclusive. */
  to: Date;
  stepS?: number;
}

export interface BacktestReport {
  from: Date;
  to: Date;
  stepS: number;
  profile: string;
  /** Decisions replayed: one per step. */
  snapshots: number;
  timeline: { at: Date; target: string | null; valueUsdPerDay: number; switched: boolean }[];
  switches: number;
  usdEarned: number;
  bestFixed: { target: string; usdEarned: number } | null;
  vsBestFixedFraction: number | null;
}

export type { BacktestReportJson };

export interface BacktestDeps {
  db: Queryable;
  market: MarketSnapshot;
  defaults: DecisionDefaults;
  maxRows?: number;
}

function checkSteps(from: Date, to: Date, stepS: number): void {
  checkRange(from, to);
  if ((to.getTime() - from.getTime()) / 1000 / stepS > BACKTEST_MAX_STEPS) {
    throw ApiError.badParameter(
      'querystring/stepS',
      `is too small for the range (at most ${BACKTEST_MAX_STEPS} steps)`,
    );
  }
}

/** Rows of algorithms the engine would exclude anyway (profile filter, connection scope) need not be read. */
function algorithmsToRead(profile: Profile, miner: MinerCapability): AlgorithmKey[] {
  const only = profile.definition.filters.algorithms;
  const scoped = profile.definition.scope === 'algorithm' ? miner.connectionAlgorithms : undefined;
  return miner.algorithms
    .map((a) => a.algorithm)
    .filter((a) => (!only || only.includes(a)) && (!scoped || scoped.includes(a)));
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The largest number of seconds that every step time (from + k × stepS) and every window bound (step − windowS)
 * is a multiple of, since the epoch: rollups whose buckets divide it answer the replay exactly as raw rows.
 */
export function alignmentS(from: Date, stepS: number, windowS: number): number {
  const ms = [from.getTime(), stepS * 1000, windowS * 1000].map((v) => Math.abs(Math.round(v)));
  return ms.reduce(gcd, 0) / 1000;
}

async function readHistory(
  deps: BacktestDeps,
  profile: Profile,
  miner: MinerCapability,
  range: BacktestRequest,
  stepS: number,
) {
  const maxRows = deps.maxRows ?? BACKTEST_MAX_ROWS;
  // Averaged price bases need the trailing window before the first step too.
  const lookbackMs = BASIS_WINDOW_S[profile.definition.priceBasis] * 1000;
  try {
    return await readBacktestHistory(deps.db, {
      algorithms: algorithmsToRead(profile, miner),
      from: new Date(range.from.getTime() - lookbackMs),
      to: range.to,
      maxRows,
      alignS: alignmentS(range.from, stepS, lookbackMs / 1000),
    });
  } catch (error) {
    if (!(error instanceof BacktestRowLimitError)) throw error;
    throw ApiError.badParameter(
      'querystring/to',
      `makes the range too long: more than ${maxRows} history rows to replay; shorten from–to or narrow the miner's algorithms`,
    );
  }
}

function toReport(
  result: BacktestResult,
): Omit<BacktestReport, 'from' | 'to' | 'stepS' | 'profile' | 'snapshots'> {
  return {
    // The closing snapshot at `to` only ends the last interval: its idle entry is not a step of the range.
    timeline: result.timeline.slice(0, -1).map((e) => ({
      at: e.at,
      target: e.target ?? null,
      valueUsdPerDay: e.valueUsdPerDay,
      switched: e.switched,
    })),
    switches: result.switches,
    usdEarned: result.usdEarned,
    bestFixed: result.bestFixed ?? null,
    vsBestFixedFraction: result.vsBestFixedFraction ?? null,
  };
}

/**
 * Replays the profile over [from, to): one decision per step, each holding until the next step, the
 * last one until `to`. The miner is resolved as for GET /v1/decision (today's hardware measurements).
 */
export async function runBacktest(deps: BacktestDeps, request: BacktestRequest): Promise<BacktestReport> {
  const { from, to } = request;
  const stepS = request.stepS ?? BACKTEST_DEFAULT_STEP_S;
  checkSteps(from, to, stepS);
  const profile = loadProfile(deps.market, request.profile ?? deps.defaults.profile, 'querystring/profile');
  const miner = resolveCapability(deps.market, request, {
    defaultHashrateHs: deps.defaults.hashrateHs,
    allowAll: false,
  });
  const history = await readHistory(deps, profile, miner, request, stepS);
  const snapshots = buildSnapshots(history, profile.definition, { from, to, stepS });
  // backtest() earns each snapshot's value until the next one and nothing after the last: an empty
  // snapshot at `to` closes the range, so the last step earns its full interval and no switch is
  // counted outside the range.
  const result = backtest({ profile, miner, snapshots: [...snapshots, { at: to, candidates: [] }] });
  return { from, to, stepS, profile: profile.name, snapshots: snapshots.length, ...toReport(result) };
}

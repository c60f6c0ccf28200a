// Which candidates may be ranked at all: the exclusion rules, in order, each with a short why.

import type { AlgorithmKey } from '../algorithms.ts';
import { formatSeconds, formatUsd } from './reason-format.ts';
import type { Candidate, MinerCapability, ProfileDefinition } from './types.ts';

/** What the miner brings on one algorithm (hashrate > 0 only). */
export interface AlgorithmRate {
  hashrateHs: number;
  powerW?: number;
}

/** A candidate that passed every rule, with the inputs its value is computed from. */
export interface EligibleCandidate {
  candidate: Candidate;
  rate: AlgorithmRate;
  usdPerHsDay: number;
  dataAgeS: number;
}

interface RuleContext {
  definition: ProfileDefinition;
  /** Algorithms the miner can mine (hashrate > 0); the first entry per algorithm wins. */
  rates: Map<AlgorithmKey, AlgorithmRate>;
  /** Algorithms in the profile's scope; undefined = every algorithm in `rates`. */
  scoped: Set<AlgorithmKey> | undefined;
}

/** The miner's usable algorithms. Zero, negative or non-finite hashrates mean "cannot mine it". */
export function minerRates(miner: MinerCapability): Map<AlgorithmKey, AlgorithmRate> {
  const rates = new Map<AlgorithmKey, AlgorithmRate>();
  for (const a of miner.algorithms) {
    if (!(Number.isFinite(a.hashrateHs) && a.hashrateHs > 0) || rates.has(a.algorithm)) continue;
    const powerW =
      a.powerW !== undefined && Number.isFinite(a.powerW) && a.powerW >= 0 ? a.powerW : undefined;
    rates.set(
      a.algorithm,
      powerW === undefined ? { hashrateHs: a.hashrateHs } : { hashrateHs: a.hashrateHs, powerW },
    );
  }
  return rates;
}

/** Scope `algorithm` narrows to the connection's algorithms when the caller says which they are. */
function scopedAlgorithms(
  definition: ProfileDefinition,
  miner: MinerCapability,
): Set<AlgorithmKey> | undefined {
  if (definition.scope !== 'algorithm' || miner.connectionAlgorithms === undefined) return undefined;
  return new Set(miner.connectionAlgorithms);
}

/** Empty allow lists mean "no allow-list" (see profile-schema.ts). */
function allowedBy(
  list: { allow?: string[]; deny?: string[] } | undefined,
  matches: (entry: string) => boolean,
) {
  if (list?.deny?.some(matches)) return 'denied';
  if (list?.allow && list.allow.length > 0 && !list.allow.some(matches)) return 'not allowed';
  return undefined;
}

type Rule = (c: Candidate, ctx: RuleContext) => string | undefined;

// Phrased to read after "current ETC@nanopool is …" as well as on their own. Order = which why is shown:
// these rules, then the data age (the one rule that depends on the time), then AFTER_AGE.
const BEFORE_AGE: Rule[] = [
  (c, ctx) =>
    ctx.rates.has(c.algorithm) ? undefined : `not mineable: the miner has no ${c.algorithm} hashrate`,
  (c, ctx) =>
    ctx.scoped && !ctx.scoped.has(c.algorithm)
      ? `outside the miner's connection algorithm(s) ${[...ctx.scoped].join(', ')} (profile scope 'algorithm')`
      : undefined,
  (c, ctx) => {
    const only = ctx.definition.filters.algorithms;
    return only && !only.includes(c.algorithm)
      ? `outside the profile's algorithms (${c.algorithm})`
      : undefined;
  },
  (c, ctx) => {
    const verdict = allowedBy(ctx.definition.filters.coins, (e) => e === c.coin);
    return verdict ? `${verdict} by the profile's coins` : undefined;
  },
  (c, ctx) => {
    const verdict = allowedBy(ctx.definition.filters.pools, (e) => e === c.pool || e === c.target);
    return verdict ? `${verdict} by the profile's pools` : undefined;
  },
  (c, ctx) => {
    const min = ctx.definition.filters.minVolume24hUsd;
    if (min === undefined) return undefined;
    if (c.volume24hUsd === undefined) return `of unknown 24h volume (minimum ${formatUsd(min)} USD)`;
    return c.volume24hUsd < min
      ? `below the minimum 24h volume: ${formatUsd(c.volume24hUsd)} of ${formatUsd(min)} USD`
      : undefined;
  },
  (c) => (c.stale ? 'stale' : undefined),
  (c) => (c.trusted ? undefined : 'untrusted (price or network data flagged)'),
];

function ageFailure(dataAgeS: number, definition: ProfileDefinition): string | undefined {
  const max = definition.filters.maxDataAgeS;
  if (Number.isNaN(dataAgeS)) return 'of unknown data age';
  return dataAgeS > max ? `too old: data ${formatSeconds(dataAgeS)}, max ${formatSeconds(max)}` : undefined;
}

const AFTER_AGE: Rule[] = [
  (c, ctx) =>
    basisValue(c, ctx.definition) === undefined
      ? `missing its ${ctx.definition.priceBasis} value`
      : undefined,
  (c) => (c.feeFraction >= 0 && c.feeFraction < 1 ? undefined : `of invalid pool fee ${c.feeFraction}`),
];

/** The candidate's USD per H/s per day on the profile's basis; undefined when absent or nonsense. */
function basisValue(c: Candidate, definition: ProfileDefinition): number | undefined {
  const value = c.usdPerHsDay[definition.priceBasis];
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * One candidate judged by every rule that does not depend on the time. `why`: excluded whatever the time;
 * else `laterWhy`: excluded unless its data is too old (which is then the why shown); else eligible
 * when its data is recent enough, with `rate` and `usdPerHsDay` to value it.
 */
export interface PreScreened {
  candidate: Candidate;
  why?: string;
  laterWhy?: string;
  rate?: AlgorithmRate;
  usdPerHsDay?: number;
}

/** The time-independent part of screenCandidates, in candidate order: computed once, judged at any time. */
export function prescreenCandidates(
  candidates: Candidate[],
  definition: ProfileDefinition,
  miner: MinerCapability,
): PreScreened[] {
  const ctx: RuleContext = {
    definition,
    rates: minerRates(miner),
    scoped: scopedAlgorithms(definition, miner),
  };
  const seen = new Set<string>();
  return candidates.map((candidate): PreScreened => {
    // A second row for the same pool key would make the ranking ambiguous; the first one wins.
    if (seen.has(candidate.target)) return { candidate, why: 'a duplicate of an earlier candidate' };
    seen.add(candidate.target);
    const why = firstFailure(candidate, ctx, BEFORE_AGE);
    if (why !== undefined) return { candidate, why };
    const laterWhy = firstFailure(candidate, ctx, AFTER_AGE);
    if (laterWhy !== undefined) return { candidate, laterWhy };
    return {
      candidate,
      rate: ctx.rates.get(candidate.algorithm)!,
      usdPerHsDay: basisValue(candidate, definition)!,
    };
  });
}

/** The data age of a candidate at `now`; future timestamps (clock skew between sources) count as fresh. */
export function dataAgeAt(candidate: Candidate, now: Date): number {
  return Math.max(0, (now.getTime() - candidate.dataAt.getTime()) / 1000);
}

/**
 * Why a pre-screened candidate is excluded at this data age, or undefined when it is eligible. Same
 * order as the rules: a time-independent why first, then the age, then the rules after it.
 */
export function exclusionAt(
  entry: PreScreened,
  dataAgeS: number,
  definition: ProfileDefinition,
): string | undefined {
  return entry.why ?? ageFailure(dataAgeS, definition) ?? entry.laterWhy;
}

function firstFailure(c: Candidate, ctx: RuleContext, rules: Rule[]): string | undefined {
  for (const rule of rules) {
    const why = rule(c, ctx);
    if (why !== undefined) return why;
  }
  return undefined;
}

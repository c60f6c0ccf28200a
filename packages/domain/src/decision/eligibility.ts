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

export interface Screening {
  eligible: EligibleCandidate[];
  excluded: { target: string; why: string }[];
}

interface RuleContext {
  definition: ProfileDefinition;
  /** Algorithms the miner can mine (hashrate > 0); the first entry per algorithm wins. */
  rates: Map<AlgorithmKey, AlgorithmRate>;
  /** Algorithms in the profile's scope; undefined = every algorithm in `rates`. */
  scoped: Set<AlgorithmKey> | undefined;
  dataAgeS: number;
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

// Phrased to read after "current ETC@nanopool is …" as well as on their own. Order = which why is shown.
const RULES: Rule[] = [
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
  (_c, ctx) => {
    const max = ctx.definition.filters.maxDataAgeS;
    if (Number.isNaN(ctx.dataAgeS)) return 'of unknown data age';
    return ctx.dataAgeS > max
      ? `too old: data ${formatSeconds(ctx.dataAgeS)}, max ${formatSeconds(max)}`
      : undefined;
  },
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

/** Splits candidates into eligible (ready to value) and excluded (with the first rule that failed). */
export function screenCandidates(
  candidates: Candidate[],
  definition: ProfileDefinition,
  miner: MinerCapability,
  now: Date,
): Screening {
  const rates = minerRates(miner);
  const scoped = scopedAlgorithms(definition, miner);
  const screening: Screening = { eligible: [], excluded: [] };
  const seen = new Set<string>();
  for (const c of candidates) {
    // A second row for the same pool key would make the ranking ambiguous; the first one wins.
    if (seen.has(c.target)) {
      screening.excluded.push({ target: c.target, why: 'a duplicate of an earlier candidate' });
      continue;
    }
    seen.add(c.target);
    // Future timestamps (clock skew between sources) count as fresh, not as negative age.
    const dataAgeS = Math.max(0, (now.getTime() - c.dataAt.getTime()) / 1000);
    const ctx: RuleContext = { definition, rates, scoped, dataAgeS };
    const why = firstFailure(c, ctx);
    if (why !== undefined) screening.excluded.push({ target: c.target, why });
    else
      screening.eligible.push({
        candidate: c,
        rate: rates.get(c.algorithm)!,
        usdPerHsDay: basisValue(c, definition)!,
        dataAgeS,
      });
  }
  return screening;
}

function firstFailure(c: Candidate, ctx: RuleContext): string | undefined {
  for (const rule of RULES) {
    const why = rule(c, ctx);
    if (why !== undefined) return why;
  }
  return undefined;
}

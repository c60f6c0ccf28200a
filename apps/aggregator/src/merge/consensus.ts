// Consensus of one value quoted by several sources: old quotes screened out, the agreeing majority's median,
// outliers flagged, and a contested value settled by outside evidence, never by averaging the contestants.

import type { SourceName } from '@smart-mining/domain';

export interface Quote {
  source: SourceName;
  value: number;
  /** When the source's data was measured (DESIGN.md: the time of the data, not of the fetch or a cache). */
  observedAt: Date;
  /** The source itself says this value lags. */
  lagging?: boolean;
  /** 24 h volume of the market this price quote comes from (prices only). */
  volume24hUsd?: number;
}

/**
 * Why a quote did not vote: `stale` (older than its limit) and `superseded` (older than the freshest quote by
 * more than a cycle) are never used; `lagging` and `thin-volume` only when nothing better exists (untrusted);
 * `disagrees` lost to the majority or to the evidence.
 */
export type RejectReason = 'stale' | 'superseded' | 'lagging' | 'thin-volume' | 'disagrees';

export interface QuoteRules {
  now: Date;
  /** Data older than this is never used. */
  maxAgeS: number;
  /** A quote older than the freshest one by more than this (one polling cycle) never votes against it. */
  maxLagS: number;
  /** A quote further than this from the median of the voters disagrees. */
  maxDeviationFraction: number;
  /**
   * Prices: a quote whose own market traded less than this in 24 h does not vote (each quote its own volume), and
   * the value is trusted only when a voter's market reached it.
   */
  minVolume24hUsd?: number;
}

export interface Consensus {
  /** Undefined when every quote was too old to use. */
  value: number | undefined;
  /** False when the value rests on lagging or thin quotes, or on a contest no evidence settled. */
  trusted: boolean;
  /** Newest data time among the quotes the value rests on. */
  observedAt: Date | undefined;
  /** Provenance: every usable quote by source, and which ones were left out and why. */
  from: Partial<Record<SourceName, number>>;
  rejected: Partial<Record<SourceName, RejectReason>>;
}

/**
 * Settles a contest (no majority agrees) with evidence from outside the quotes: the quote the evidence supports
 * and whether the evidence confirms it (within its tolerance). Undefined: no evidence available.
 */
export type Arbiter = (contestants: readonly Quote[]) => { quote: Quote; confirmed: boolean } | undefined;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Combines quotes; undefined when no quote is a positive finite number. */
export function consensus(
  quotes: readonly Quote[],
  rules: QuoteRules,
  arbiter?: Arbiter,
): Consensus | undefined {
  const usable = onePerSource(quotes.filter((q) => Number.isFinite(q.value) && q.value > 0));
  if (usable.length === 0) return undefined;
  const from: Consensus['from'] = {};
  const rejected: Consensus['rejected'] = {};
  for (const q of usable) from[q.source] = q.value;

  const nowMs = rules.now.getTime();
  const current = usable.filter((q) => nowMs - q.observedAt.getTime() <= rules.maxAgeS * 1000);
  for (const q of usable) if (!current.includes(q)) rejected[q.source] = 'stale';
  if (current.length === 0)
    return { value: undefined, trusted: false, observedAt: undefined, from, rejected };

  const newestMs = Math.max(...current.map((q) => q.observedAt.getTime()));
  const timely = current.filter((q) => newestMs - q.observedAt.getTime() <= rules.maxLagS * 1000);
  for (const q of current) if (!timely.includes(q)) rejected[q.source] = 'superseded';

  const weakness = (q: Quote): RejectReason | undefined => {
    if (q.lagging) return 'lagging';
    const min = rules.minVolume24hUsd;
    return min !== undefined && q.volume24hUsd !== undefined && q.volume24hUsd < min
      ? 'thin-volume'
      : undefined;
  };
  const strong = timely.filter((q) => !weakness(q));
  for (const q of timely) {
    const why = weakness(q);
    if (why) rejected[q.source] = why;
  }
  // Lagging or thin quotes stand in only when nothing better exists, and then are not trusted.
  const voters = strong.length > 0 ? strong : timely;
  const result = vote(voters, rules.maxDeviationFraction, arbiter);
  for (const q of voters) if (!result.accepted.includes(q)) rejected[q.source] = 'disagrees';
  // A price is trusted only where a market deep enough stands behind it.
  const min = rules.minVolume24hUsd;
  const deep = min === undefined || result.accepted.some((q) => (q.volume24hUsd ?? -1) >= min);
  return {
    value: result.value,
    trusted: result.trusted && strong.length > 0 && deep,
    observedAt: new Date(Math.max(...result.accepted.map((q) => q.observedAt.getTime()))),
    from,
    rejected,
  };
}

/**
 * A source votes once: a second quote of the same source (a row it repeats for the coin, with another value or
 * not) is dropped, so a source listing a coin several times cannot outvote the others. The first stands, as the
 * collectors keep a source's first row for a coin.
 */
function onePerSource(quotes: readonly Quote[]): Quote[] {
  const seen = new Set<SourceName>();
  return quotes.filter((q) => !seen.has(q.source) && seen.add(q.source));
}

/** The median of the quotes that agree when they are a strict majority; otherwise the contest is settled. */
function vote(
  voters: readonly Quote[],
  maxDeviationFraction: number,
  arbiter: Arbiter | undefined,
): { value: number; trusted: boolean; accepted: Quote[] } {
  const mid = median(voters.map((q) => q.value));
  const agreeing = voters.filter((q) => Math.abs(q.value - mid) / mid <= maxDeviationFraction);
  if (agreeing.length * 2 > voters.length) {
    return { value: median(agreeing.map((q) => q.value)), trusted: true, accepted: agreeing };
  }
  const settled = arbiter?.(voters);
  if (settled) return { value: settled.quote.value, trusted: settled.confirmed, accepted: [settled.quote] };
  // No evidence: the freshest quote (then the deepest market) stands, untrusted; a mean of two
  // contradicting figures would be a value no source reported.
  const pick = [...voters].sort(
    (a, b) =>
      b.observedAt.getTime() - a.observedAt.getTime() ||
      (b.volume24hUsd ?? -1) - (a.volume24hUsd ?? -1) ||
      a.source.localeCompare(b.source),
  )[0]!;
  return { value: pick.value, trusted: false, accepted: [pick] };
}

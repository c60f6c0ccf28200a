// Consensus of one value quoted by several sources: median of the quotes that agree, outliers flagged.

import type { SourceName } from '@smart-mining/domain';

export interface Quote {
  source: SourceName;
  value: number;
  observedAt: Date;
  /** The source itself says this value lags. */
  lagging?: boolean;
}

export interface Consensus {
  value: number;
  /** False when the quotes contradict each other or only lagging quotes exist. */
  trusted: boolean;
  observedAt: Date;
  /** Provenance: every usable quote by source, and which ones were left out and why. */
  from: Partial<Record<SourceName, number>>;
  rejected: Partial<Record<SourceName, 'disagrees' | 'lagging'>>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Combines quotes; undefined when no quote is a positive finite number. */
export function consensus(quotes: readonly Quote[], maxDeviationFraction: number): Consensus | undefined {
  const usable = quotes.filter((q) => Number.isFinite(q.value) && q.value > 0);
  if (usable.length === 0) return undefined;
  const from: Consensus['from'] = {};
  const rejected: Consensus['rejected'] = {};
  for (const q of usable) from[q.source] = q.value;

  const fresh = usable.filter((q) => !q.lagging);
  for (const q of usable) if (q.lagging) rejected[q.source] = 'lagging';
  if (fresh.length === 0) return summarize(usable, false, from, rejected);

  const mid = median(fresh.map((q) => q.value));
  const agreeing = fresh.filter((q) => Math.abs(q.value - mid) / mid <= maxDeviationFraction);
  for (const q of fresh) if (!agreeing.includes(q)) rejected[q.source] = 'disagrees';
  // Two quotes that disagree leave no majority: keep their middle, but do not trust it.
  if (agreeing.length === 0) return summarize(fresh, false, from, rejected);
  return summarize(agreeing, true, from, rejected);
}

function summarize(
  accepted: readonly Quote[],
  trusted: boolean,
  from: Consensus['from'],
  rejected: Consensus['rejected'],
): Consensus {
  const observedAt = new Date(Math.max(...accepted.map((q) => q.observedAt.getTime())));
  return { value: median(accepted.map((q) => q.value)), trusted, observedAt, from, rejected };
}

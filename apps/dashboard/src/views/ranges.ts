// The time ranges the history and backtest views offer, each with a bucket (or step) that keeps charts light.

import type { TimeRange } from '../api/client.ts';

export interface RangeChoice {
  key: string;
  label: string;
  seconds: number;
  /** History bucket, seconds: 60–730 points per series. */
  bucketS: number;
}

export const RANGES: readonly RangeChoice[] = [
  { key: '1h', label: '1 hour', seconds: 3600, bucketS: 60 },
  { key: '6h', label: '6 hours', seconds: 6 * 3600, bucketS: 300 },
  { key: '24h', label: '24 hours', seconds: 86_400, bucketS: 900 },
  { key: '7d', label: '7 days', seconds: 7 * 86_400, bucketS: 3600 },
  { key: '30d', label: '30 days', seconds: 30 * 86_400, bucketS: 4 * 3600 },
  { key: '1y', label: '1 year', seconds: 365 * 86_400, bucketS: 12 * 3600 },
];

export function rangeChoice(key: string): RangeChoice {
  return RANGES.find((r) => r.key === key) ?? RANGES[2]!;
}

/** The range ending with the bucket that holds the server's now (`to` is exclusive), so the latest data shows. */
export function rangeEndingAt(now: Date, choice: RangeChoice, alignS = choice.bucketS): TimeRange {
  const alignMs = alignS * 1000;
  const to = new Date((Math.floor(now.getTime() / alignMs) + 1) * alignMs);
  return { from: new Date(to.getTime() - choice.seconds * 1000), to };
}

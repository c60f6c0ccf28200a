// When market data turns stale: each kind of figure has its own limit, judged by the time of the data (never by
// when it was ingested or read).

/** Seconds after which each kind of market figure is stale (config `aggregator.staleness`). */
export interface StalenessLimits {
  priceS: number;
  networkS: number;
  poolS: number;
}

export const DEFAULT_STALENESS_LIMITS: Readonly<StalenessLimits> = {
  priceS: 900,
  networkS: 1800,
  poolS: 1800,
};

/** The last instant (epoch ms) at which data of `at` is still fresh: stale at any later time. */
export function freshUntilMs(at: Date, limitS: number): number {
  return at.getTime() + limitS * 1000;
}

/** Data of `at` is stale at `now` when it is older than `limitS`. */
export function isOlderThan(at: Date, limitS: number, now: Date): boolean {
  return now.getTime() > freshUntilMs(at, limitS);
}

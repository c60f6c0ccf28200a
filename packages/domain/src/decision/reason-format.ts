// How targets, percentages, money and durations read in Decision.reason (one style for every sentence).

/** A candidate as people say it: `ETC@2miners`. */
export function displayTarget(target: { coin: string; pool: string }): string {
  return `${target.coin}@${target.pool}`;
}

/** `2miners:ETC` → `ETC@2miners`; a key without a colon is shown as given. */
export function displayPoolKey(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : `${key.slice(colon + 1)}@${key.slice(0, colon)}`;
}

/** 0.041 → "4.1 %": one decimal, so a gain just under a threshold is visibly under it. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** 0.03 → "3 %", 0.025 → "2.5 %": a setting shown as the user wrote it. */
export function formatSettingPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))} %`;
}

/**
 * USD/day with enough digits for a small GPU (0.2683), no noise for an ASIC (1234.57), and three significant
 * digits below a cent, so a value per 1 H/s (9.90e-9) never reads as 0.0000.
 */
export function formatUsd(usd: number): string {
  const abs = Math.abs(usd);
  if (abs >= 1) return usd.toFixed(2);
  if (abs >= 0.01 || abs === 0) return usd.toFixed(4);
  return usd.toPrecision(3);
}

/** Why a target is not among the candidates at all (no pool row, or no coin data behind it). */
export const NOT_IN_MARKET = 'not in the market data (an unknown pool key, or no data for its coin yet)';

export function formatSeconds(seconds: number): string {
  return `${Math.round(seconds)} s`;
}

/**
 * "4.1 % above" / "1.0 % below": a difference relative to a base value. A base of 0 (or a loss) has
 * no meaningful percentage sign, so the gap is then given in USD/day.
 */
export function describeGap(diffUsd: number, baseUsd: number): string {
  const direction = diffUsd >= 0 ? 'above' : 'below';
  if (baseUsd <= 0) return `${formatUsd(Math.abs(diffUsd))} USD/day ${direction}`;
  return `${formatPercent(Math.abs(diffUsd) / baseUsd)} ${direction}`;
}
